"""Probes: what the panels draw, computed from a model and an image as numpy payloads.

Every function returns frozen dataclasses of Python scalars and NumPy copies, safe to send
across threads: activations of every named layer, conv1's kernels as RGB tiles per tower with
colour-selectivity figures, LRN before/after with per-channel statistics, and top-k predictions
(centre crop or the paper's ten-crop average).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image
from torch import nn

from ..data.augment import build_eval_transform
from ..io.checkpoints import InputSpec, LoadedWeights
from ..models.lrn import LocalResponseNorm
from ..models.modes import evaluating
from .registry import register_analysis

NEAR_ZERO = 1e-3  # |activation| below this counts as "near zero" in LRN statistics


def _np(t: torch.Tensor) -> np.ndarray:
    return t.detach().float().cpu().numpy().copy()


@functools.lru_cache(maxsize=32)
def eval_transform(size: int, mean: tuple[float, ...], std: tuple[float, ...], channels: int, resize: int | None,
                   ten_crop: bool = False, normalize: bool = True, eval_resize: str = "shorter"):
    """The evaluation transform for one input spec, built once: every probe, click and analysis of the same weights
    reuses it (the transforms are deterministic, so sharing one between threads is safe)."""
    return build_eval_transform(size, list(mean), list(std), channels, resize=resize, ten_crop=ten_crop,
                                normalize=normalize, eval_resize=eval_resize)


@functools.lru_cache(maxsize=8)
def _mean_image_transform(spec: InputSpec, ten_crop: bool, eval_resize: str):
    """A spec with a mean image: its transform, built once per spec (specs compare by the mean image's digest)."""
    return build_eval_transform(spec.size, list(spec.mean), list(spec.std), spec.channels, resize=spec.resize,
                                ten_crop=ten_crop, eval_resize=eval_resize, mean_image=spec.mean_image)


def preprocess(image: Image.Image | torch.Tensor, spec: InputSpec, ten_crop: bool = False,
               eval_resize: str = "shorter") -> torch.Tensor:
    """Image → model batch: (1, C, S, S), or (10, C, S, S) for the ten crops."""
    if spec.mean_image is not None:
        tf = _mean_image_transform(spec, ten_crop, eval_resize)
    else:
        tf = eval_transform(spec.size, tuple(spec.mean), tuple(spec.std), spec.channels, spec.resize, ten_crop,
                            eval_resize=eval_resize)
    x = tf(image)
    return x if ten_crop else x.unsqueeze(0)


def display_image(image: Image.Image | torch.Tensor, spec: InputSpec, eval_resize: str = "shorter") -> np.ndarray:
    """The centre crop the model sees, unnormalised, as uint8 (S, S, 3) for showing beside maps."""
    tf = eval_transform(spec.size, (0.0,), (1.0,), spec.channels, spec.resize, normalize=False,
                        eval_resize=eval_resize)
    t = tf(image).clamp(0, 1)
    if t.shape[0] == 1:
        t = t.expand(3, -1, -1)
    return (t.permute(1, 2, 0).numpy() * 255 + 0.5).astype(np.uint8)


# ------------------------------------------------------------------------------------ activations
@dataclass(frozen=True)
class LayerActivation:
    name: str
    values: np.ndarray  # (C, H, W) for conv-like layers, (F,) for fully connected ones
    minimum: float
    maximum: float
    mean: float
    fraction_zero: float

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(self.values.shape)


@dataclass(frozen=True)
class ActivationSet:
    """Activations of the named layers for one image (the centre crop in ``image``)."""

    image: np.ndarray  # uint8 (S, S, 3): what the network saw
    layers: dict[str, LayerActivation]
    order: tuple[str, ...]


def capture_activations(model: nn.Module, x: torch.Tensor, layers: Sequence[str] | None = None) -> dict[str, np.ndarray]:
    """Run ``x`` (a batch of one) and copy the output of each named layer (batch dim dropped).

    Outputs are copied inside the hook, so in-place ReLUs that follow cannot change them.
    """
    modules = dict(model.named_children())
    names = list(layers) if layers is not None else [n for n in getattr(model, "layer_names")()]
    out: dict[str, np.ndarray] = {}
    hooks = []
    for name in names:
        if name not in modules:
            raise KeyError(f"the model has no layer named {name!r}")
        hooks.append(modules[name].register_forward_hook(
            lambda _m, _i, o, name=name: out.__setitem__(name, _np(o[0]))))
    try:
        with evaluating(model):
            model(x.to(next(model.parameters()).device))
    finally:
        for h in hooks:
            h.remove()
    return out


def activations(weights: LoadedWeights, image: Image.Image | torch.Tensor,
                layers: Sequence[str] | None = None) -> ActivationSet:
    x = preprocess(image, weights.input, eval_resize=weights.eval_resize)
    raw = capture_activations(weights.model, x, layers)
    order = tuple(n for n in weights.model.layer_names() if n in raw)
    return ActivationSet(display_image(image, weights.input, weights.eval_resize),
                         {n: _layer_stats(n, raw[n]) for n in order}, order)


def _layer_stats(name: str, v: np.ndarray) -> LayerActivation:
    return LayerActivation(name, v, float(v.min()), float(v.max()), float(v.mean()),
                           float(np.mean(np.abs(v) < 1e-12)))


# ---------------------------------------------------------------------------------------- kernels
@dataclass(frozen=True)
class KernelSnapshot:
    """conv1's kernels, display-ready, split by tower ("GPU group") as in the paper's Figure 3."""

    tiles: tuple[np.ndarray, ...]  # per tower: float32 (K, kh, kw, 3) in [0, 1]
    selectivity: tuple[np.ndarray, ...]  # per tower: (K,) colour selectivity in [0, 1]
    weights: np.ndarray  # raw conv1 weights (out, in, kh, kw)
    step: int = 0
    epoch: int = 0

    @property
    def towers(self) -> int:
        return len(self.tiles)

    @property
    def mean_selectivity(self) -> tuple[float, ...]:
        return tuple(float(s.mean()) if s.size else 0.0 for s in self.selectivity)


def colour_selectivity(w: np.ndarray) -> np.ndarray:
    """Per kernel (out, 3, kh, kw): the share of its variance that differs between colour channels.

    0 means the three channels are the same pattern (colour-agnostic, a grey edge detector);
    1 means the pattern is pure colour opponency with no luminance structure.
    Single-channel kernels are colour-agnostic by definition (0).
    """
    w = np.asarray(w, dtype=np.float64)
    if w.shape[1] != 3:
        return np.zeros(w.shape[0], dtype=np.float32)
    centred = w - w.mean(axis=(1, 2, 3), keepdims=True)
    grey = centred.mean(axis=1, keepdims=True)
    colour = centred - grey
    total = (centred ** 2).sum(axis=(1, 2, 3))
    sel = np.where(total > 0, (colour ** 2).sum(axis=(1, 2, 3)) / np.maximum(total, 1e-30), 0.0)
    return sel.astype(np.float32)


def kernel_tiles(w: np.ndarray, mode: str = "global") -> np.ndarray:
    """(out, C, kh, kw) weights → (out, kh, kw, 3) RGB in [0, 1]; zero weight is mid-grey.

    ``mode="global"``: one symmetric scale for all kernels (relative strengths visible, as in Figure 3);
    ``"per_kernel"``: each kernel stretched to its own range (faint kernels readable).
    """
    w = np.asarray(w, dtype=np.float32)
    if w.shape[1] == 1:
        w = np.repeat(w, 3, axis=1)
    elif w.shape[1] != 3:
        w = np.repeat(w.mean(axis=1, keepdims=True), 3, axis=1)
    if mode == "per_kernel":
        scale = np.abs(w).max(axis=(1, 2, 3), keepdims=True)
    elif mode == "global":
        scale = np.full((1, 1, 1, 1), np.abs(w).max())
    else:
        raise ValueError("mode must be 'global' or 'per_kernel'")
    tiles = 0.5 + 0.5 * w / np.maximum(scale, 1e-12)
    return np.ascontiguousarray(np.clip(tiles, 0, 1).transpose(0, 2, 3, 1))


def kernel_snapshot(model: nn.Module, step: int = 0, epoch: int = 0, mode: str = "global") -> KernelSnapshot:
    """conv1's weights split into the model's towers (2 for the paper's net, 1 for torchvision's)."""
    towers = int(getattr(model, "towers", 1)) if hasattr(model, "towers") else 1
    return kernel_snapshot_of(_np((model.first_conv if hasattr(type(model), "first_conv") else model.conv1).weight), towers, step, epoch, mode)


def kernel_snapshot_of(w: np.ndarray, towers: int = 1, step: int = 0, epoch: int = 0,
                       mode: str = "global") -> KernelSnapshot:
    """conv1's weights ``w`` (out, in, kh, kw) as a snapshot in ``towers`` groups (e.g. read back from a file)."""
    towers = max(1, int(towers)) if len(w) % max(1, int(towers)) == 0 else 1
    tiles_all = kernel_tiles(w, mode)
    sel_all = colour_selectivity(w)
    per = len(w) // towers
    tiles = tuple(np.ascontiguousarray(tiles_all[i * per:(i + 1) * per]) for i in range(towers))
    sel = tuple(sel_all[i * per:(i + 1) * per].copy() for i in range(towers))
    return KernelSnapshot(tiles, sel, w, step, epoch)


def kernel_grid(snapshot: KernelSnapshot, columns: int = 12, gap: int = 1, tower_gap: int = 6,
                background: float = 1.0) -> np.ndarray:
    """All towers' tiles in one float (H, W, 3) image, tower 1 above tower 2 (Figure 3's layout)."""
    blocks = []
    for tiles in snapshot.tiles:
        k, kh, kw, _ = tiles.shape
        rows = max(1, -(-k // columns))
        block = np.full((rows * (kh + gap) - gap, columns * (kw + gap) - gap, 3), background, np.float32)
        for i in range(k):
            r, c = divmod(i, columns)
            block[r * (kh + gap): r * (kh + gap) + kh, c * (kw + gap): c * (kw + gap) + kw] = tiles[i]
        blocks.append(block)
    width = max(b.shape[1] for b in blocks)
    parts = []
    for j, b in enumerate(blocks):
        if j:
            parts.append(np.full((tower_gap, width, 3), background, np.float32))
        parts.append(b)
    return np.concatenate(parts, axis=0)


# -------------------------------------------------------------------------------------------- LRN
@dataclass(frozen=True)
class ChannelStats:
    mean: np.ndarray  # (C,)
    max: np.ndarray
    fraction_near_zero: np.ndarray


@dataclass(frozen=True)
class LRNSnapshot:
    """One LRN layer for one image: the maps before and after, with per-channel figures."""

    layer: str
    pre: np.ndarray  # (C, H, W) input to LRN (after ReLU)
    post: np.ndarray  # (C, H, W) output
    pre_stats: ChannelStats
    post_stats: ChannelStats
    ratio: np.ndarray  # (C,) mean(post) / mean(pre), NaN where the channel is silent
    params: dict[str, Any] = field(default_factory=dict)
    #: how strongly the LRN acts on this image: :func:`lrn_active_share` of the layer (NaN when no value is active)
    active_share: float = float("nan")

    @property
    def overall_ratio(self) -> float:
        return float(self.post.mean() / self.pre.mean()) if self.pre.mean() != 0 else float("nan")


def channel_stats(v: np.ndarray, near_zero: float = NEAR_ZERO) -> ChannelStats:
    flat = v.reshape(v.shape[0], -1)
    return ChannelStats(flat.mean(1), flat.max(1), (np.abs(flat) < near_zero).mean(1))


def lrn_numpy(pre: np.ndarray, k: float, n: int, alpha: float, beta: float, convention: str = "paper",
              groups: int = 1) -> np.ndarray:
    """Re-run LRN with other constants on captured pre-LRN maps (C, H, W) — for the panel's sliders.

    ``groups``: the towers, each normalised on its own (2 for the paper's two-GPU net), as the layer does."""
    with torch.no_grad():
        layer = LocalResponseNorm(int(n), alpha, beta, k, convention=convention, groups=int(groups))
        return _np(layer(torch.from_numpy(np.ascontiguousarray(pre, dtype=np.float32))))


#: the tolerance of :func:`lrn_active_share`: a value counts as changed by its neighbours when its post/pre ratio is
#: more than 1 % away from the constant factor k^-β
LRN_ACTIVE_TOLERANCE = 0.01


def lrn_active_share(pre: np.ndarray, post: np.ndarray, k: float, beta: float,
                     tolerance: float = LRN_ACTIVE_TOLERANCE) -> float:
    """The share of the active (pre > 0) values whose post/pre ratio differs from k^-β by more than ``tolerance``
    (relative): ``|post / (pre · k^-β) − 1| > 0.01``.  LRN divides each value by (k + α Σ a²)^β, so a value passes
    the test when its neighbours' α Σ a² moves the denominator more than 1 % from k^β; the rest are only scaled by
    the constant k^-β (which the next layer's weights absorb).  Silent values (ReLU zeros) stay zero and are left
    out.  NaN when no value is active."""
    pre = np.asarray(pre, dtype=np.float64)
    active = pre > 0
    n = int(active.sum())
    if n == 0:
        return float("nan")
    ratio = np.asarray(post, dtype=np.float64)[active] / (pre[active] * float(k) ** -float(beta))
    return float(np.mean(np.abs(ratio - 1.0) > tolerance))


def lrn_snapshot(layer: str, pre: np.ndarray, post: np.ndarray, params: dict[str, Any] | None = None) -> LRNSnapshot:
    ps, qs = channel_stats(pre), channel_stats(post)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(ps.mean > 0, qs.mean / ps.mean, np.nan)
    params = dict(params or {})
    share = lrn_active_share(pre, post, params["k"], params["beta"]) if "k" in params and "beta" in params \
        else float("nan")
    return LRNSnapshot(layer, pre, post, ps, qs, ratio, params, share)


def lrn_effect(weights: LoadedWeights, image: Image.Image | torch.Tensor) -> dict[str, LRNSnapshot]:
    """Pre-/post-LRN maps for each LRN layer the model has (none for torchvision's variant)."""
    model = weights.model
    modules = dict(model.named_children())
    present = [n for n in ("lrn1", "lrn2") if n in modules]
    if not present:
        return {}
    needed = sorted({_preceding(model, n) for n in present} | set(present), key=model.layer_names().index)
    return lrn_from_activations(weights, activations(weights, image, needed))


def _preceding(model: nn.Module, name: str) -> str:
    names = [n for n, _ in model.named_children()]
    return names[names.index(name) - 1]


# ------------------------------------------------------------------------------------ predictions
@dataclass(frozen=True)
class Prediction:
    """Top-k classes for one image."""

    classes: tuple[str, ...]
    indices: tuple[int, ...]
    probabilities: tuple[float, ...]
    ten_crop: bool
    trained: bool  # False: the weights are untrained and these are not real predictions
    source: str

    def as_list(self) -> list[dict[str, Any]]:
        return [{"class": c, "index": i, "probability": p}
                for c, i, p in zip(self.classes, self.indices, self.probabilities)]


def class_probabilities(model: nn.Module, x: torch.Tensor) -> torch.Tensor:
    """Softmax over classes, averaged over the batch (the ten crops) — the paper's test procedure."""
    with evaluating(model):
        logits = model(x.to(next(model.parameters()).device)).float()
    return F.softmax(logits, dim=1).mean(0).cpu()


def top_k(weights: LoadedWeights, probs: torch.Tensor, topk: int, ten_crop: bool) -> Prediction:
    """The ``topk`` most probable classes of a probability vector, named by the weights' classes."""
    p, idx = probs.topk(min(topk, probs.numel()))
    names = tuple(weights.classes[i] if i < len(weights.classes) else f"class {i}" for i in idx.tolist())
    return Prediction(names, tuple(idx.tolist()), tuple(float(v) for v in p), ten_crop, weights.trained,
                      weights.source)


def predict(weights: LoadedWeights, image: Image.Image | torch.Tensor, topk: int = 5,
            ten_crop: bool = False) -> Prediction:
    x = preprocess(image, weights.input, ten_crop=ten_crop, eval_resize=weights.eval_resize)
    probs = class_probabilities(weights.model, x)
    return top_k(weights, probs, topk, ten_crop)


# ----------------------------------------------------------------------------------- all at once
@dataclass(frozen=True)
class ImageProbe:
    """Everything the image panels show for one image and one state of the weights (one forward pass,
    plus the ten crops when asked)."""

    token: int  # identifies the request (the GUI drops answers to stale requests)
    prediction: Prediction
    activations: ActivationSet
    lrn: dict[str, LRNSnapshot]
    weights_source: str
    trained: bool


def lrn_from_activations(weights: LoadedWeights, acts: ActivationSet) -> dict[str, LRNSnapshot]:
    out = {}
    modules = dict(weights.model.named_children())
    for name in ("lrn1", "lrn2"):
        if name in acts.layers:
            pre_name = _preceding(weights.model, name)
            m = modules[name]
            params = {"k": m.k, "n": m.size, "alpha": m.alpha, "beta": m.beta, "convention": m.convention,
                      "groups": m.groups}
            out[name] = lrn_snapshot(name, acts.layers[pre_name].values, acts.layers[name].values, params)
    return out


def probe_image(weights: LoadedWeights, image: Image.Image | torch.Tensor, topk: int = 5, ten_crop: bool = False,
                token: int = 0) -> ImageProbe:
    """Prediction, activations of every layer and the LRN views for one image."""
    acts = activations(weights, image)
    if ten_crop:
        pred = predict(weights, image, topk=topk, ten_crop=True)
    else:  # the centre crop's logits are fc8's activations: no second forward pass
        pred = top_k(weights, F.softmax(torch.from_numpy(acts.layers["fc8"].values).float(), dim=0), topk, False)
    return ImageProbe(token, pred, acts, lrn_from_activations(weights, acts), weights.source, weights.trained)


# the probes as registered analyses (the panels call the functions directly; the registry lists them)
register_analysis("predictions", description="the top-k classes, centre crop or the paper's ten crops averaged",
                  cost="forward", layers=lambda m: ["fc8"])(predict)
register_analysis("activations", description="every channel of every layer for the image", cost="forward")(
    activations)
register_analysis("lrn_effect", description="each LRN layer's maps before and after, with per-channel figures",
                  cost="forward", layers=lambda m: [n for n in m.layer_names() if n.startswith("lrn")])(lrn_effect)


@register_analysis("conv1_kernels", description="conv1's kernels per tower with their colour selectivity "
                                                "(the paper's Figure 3); the image is not used",
                   cost="weights", layers=lambda m: ["conv1"])
def conv1_kernels(weights: Any, image: Any = None, mode: str = "global") -> Any:
    return kernel_snapshot(weights.model, mode=mode)
