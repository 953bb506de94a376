"""Explanations of one prediction: which parts of the image the network used for a class.

Three registered analyses, each ``fn(weights, image, *, target=None, crop="centre", ...)`` returning an
:class:`ExplanationMap` (NumPy arrays and plain values only, safe to send across threads):

- ``gradcam`` (Selvaraju et al. 2017): the chosen layer's maps weighted by the spatially averaged gradient of the
  class's logit, summed, ReLU'd and bilinearly upsampled to the crop.  A conv layer means the output of the
  activation that follows it (``conv5`` is read after ``relu5``), as is conventional; ``relu*``, ``lrn*`` and
  ``pool*`` are read as they are.
- ``saliency``: guided backpropagation (Springenberg et al. 2015): the gradient of the class's logit with respect
  to the input pixels, where every ReLU passes back only positive gradients, and only where its input was
  positive (negative gradients are zeroed on the way back); the map is the largest absolute value over colour
  channels.  A model with tanh activations gets the plain gradient.
- ``occlusion`` (Zeiler & Fergus 2014): a grey square (the normalisation's mean, i.e. zero after normalising)
  slid over the crop; each position's drop in the class's softmax probability, each pixel the mean drop of the
  squares that covered it.  Batched forwards, with ``progress(done, total)`` and ``cancelled()`` (a callable or a
  :class:`threading.Event`) checked between batches; cancelling raises :class:`Cancelled`.

Every map is of one crop as the network sees it: the centre crop, or one of the paper's ten (``crop=0..9``, in
:class:`~train_backend.data.augment.TenCropStack`'s order; 5-9 are mirrored, and so is their map).  The model is
put in eval mode for the call and given back as it was: no hooks, no ``.grad``, grad mode as before.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image
from torch import nn

from ..data.augment import TenCropStack, norm_stats
from ..io.checkpoints import InputSpec, LoadedWeights
from ..models.lrn import LocalResponseNorm
from ..models.modes import evaluating
from .probes import eval_transform, preprocess
from .registry import Cancelled, register_analysis, spatial_layers

METHODS = ("gradcam", "saliency", "occlusion")
TOPK = 5


@dataclass(frozen=True)
class ExplanationMap:
    """One explanation of one class for one crop of one image."""

    method: str  # "gradcam", "saliency" or "occlusion"
    layer: str  # gradcam: the layer asked for (a conv layer is read after its activation); else "input"
    class_index: int
    class_name: str
    probability: float  # the class's softmax probability on this crop
    heat: np.ndarray  # float32 (S, S) in [0, 1], at the size of the crop the network sees
    image: np.ndarray  # uint8 (S, S, 3): that crop, unnormalised (grey repeated to 3 channels)
    #: gradcam: float32 (h, w) the CAM at the layer's resolution, before normalising; saliency: float32 (C, S, S)
    #: the guided gradient; occlusion: float32 (rows, cols) the probability drop of each square position
    raw: np.ndarray
    crop: str  # "centre" or a ten-crop name, e.g. "top-left (mirrored)"
    top: tuple[tuple[int, str, float], ...]  # this crop's top-5: (index, name, probability)
    trained: bool  # False: the weights are untrained, and so is the map
    patch: int | None = None  # occlusion: the grey square's side in pixels
    stride: int | None = None  # occlusion: its step
    offsets: tuple[int, ...] = ()  # occlusion: the square's top (and left) positions, in pixels


# ----------------------------------------------------------------------------------- the inputs
def crop_label(crop: str | int) -> str:
    """``"centre"`` or the name of ten-crop ``crop`` (0-9)."""
    index = _crop_index(crop)
    if index is None:
        return "centre"
    return TenCropStack.NAMES[index % 5] + (" (mirrored)" if index >= 5 else "")


def _crop_index(crop: str | int) -> int | None:
    if isinstance(crop, str) and crop.strip().lower() in ("centre", "center"):
        return None
    try:
        index = int(crop)
    except (TypeError, ValueError):
        index = -1
    if isinstance(crop, bool) or not 0 <= index <= 9:
        raise ValueError(f"crop must be 'centre' or a ten-crop index 0-9, got {crop!r}")
    return index


def network_view(weights: LoadedWeights, image: Image.Image | torch.Tensor,
                 crop: str | int = "centre") -> tuple[torch.Tensor, np.ndarray]:
    """The crop as the model gets it, (1, C, S, S) normalised, and as uint8 (S, S, 3) pixels for showing."""
    index = _crop_index(crop)
    if not isinstance(image, (Image.Image, torch.Tensor)):
        raise ValueError(f"the image must be a PIL image or a tensor, got {type(image).__name__}")
    spec: InputSpec = weights.input
    tf = eval_transform(spec.size, (0.0,), (1.0,), spec.channels, spec.resize, ten_crop=index is not None,
                        normalize=False, eval_resize=weights.eval_resize)
    pixels = tf(image)
    pixels = pixels if index is None else pixels[index]
    if spec.mean_image is not None:  # the mean image at this crop's exact place: the probes' own transform
        x = preprocess(image, spec, ten_crop=index is not None, eval_resize=weights.eval_resize)
        x = x if index is None else x[index:index + 1]
    else:
        mean, std = (torch.tensor(v, dtype=torch.float32)[:, None, None]
                     for v in norm_stats(spec.mean, spec.std, spec.channels))
        x = ((pixels - mean) / std).unsqueeze(0)
    shown = pixels.clamp(0, 1)
    if shown.shape[0] == 1:
        shown = shown.expand(3, -1, -1)
    return x, (shown.permute(1, 2, 0).numpy() * 255 + 0.5).astype(np.uint8)


def class_index(weights: LoadedWeights, target: int | str | None, logits: torch.Tensor | None = None) -> int:
    """``target`` as a class index: an index, a class name (any case), or None for the top class of ``logits``."""
    classes = weights.classes
    n = int(getattr(weights.model, "num_classes", len(classes)))
    if len(classes) != n:
        raise ValueError(f"the weights name {len(classes)} classes but the model has {n} outputs")
    if target is None:
        if logits is None:
            raise ValueError("no class given and no logits to take the top class from")
        return int(logits.argmax())
    if isinstance(target, (int, np.integer)) and not isinstance(target, bool):
        if 0 <= int(target) < n:
            return int(target)
        raise ValueError(f"class index {int(target)} is out of range: these weights have {n} classes (0-{n - 1})")
    if isinstance(target, str):
        wanted = target.strip().lower()
        for i, name in enumerate(classes):
            if name.lower() == wanted:
                return i
        if wanted.lstrip("-").isdigit():
            return class_index(weights, int(wanted))
        close = difflib.get_close_matches(target, classes, n=3, cutoff=0.6)
        hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        shown = ", ".join(repr(c) for c in classes[:10]) + (f", … ({n} in all)" if n > 10 else "")
        raise ValueError(f"no class named {target!r} in these weights{hint} (an index 0-{n - 1} or one of "
                         f"{shown})")
    raise ValueError(f"a class is an index or a name, got {target!r}")


def _grad_cam_layer(model: nn.Module, layer: str) -> str:
    """The child whose output Grad-CAM reads: a conv layer's activation (relu5 for conv5), else the layer."""
    choices = spatial_layers(model)
    if layer not in choices:
        what = "has no spatial maps" if layer in model.layer_names() else "is not a layer of this model"
        raise ValueError(f"layer {layer!r} {what}; Grad-CAM needs one of {', '.join(choices)}")
    if layer.startswith("conv"):
        act = "relu" + layer[len("conv"):]
        if act in dict(model.named_children()):
            return act
    return layer


def _top(weights: LoadedWeights, logits: torch.Tensor) -> tuple[tuple[int, str, float], ...]:
    p, idx = F.softmax(logits.float(), dim=0).topk(min(TOPK, logits.numel()))
    return tuple((int(i), weights.classes[int(i)], float(v)) for v, i in zip(p, idx))


def _normalised(m: torch.Tensor) -> np.ndarray:
    top = float(m.max()) if m.numel() else 0.0
    out = (m / top) if top > 0 else torch.zeros_like(m)
    return out.clamp(0, 1).float().numpy().astype(np.float32)


def _device(model: nn.Module) -> torch.device:
    return next(model.parameters()).device


def _explained(method: str, layer: str, weights: LoadedWeights, image: np.ndarray, logits: torch.Tensor, index: int,
               heat: np.ndarray, raw: torch.Tensor | np.ndarray, crop: str | int, **extra: Any) -> ExplanationMap:
    probs = F.softmax(logits.float(), dim=0)
    raw = raw.detach().float().cpu().numpy() if isinstance(raw, torch.Tensor) else raw
    return ExplanationMap(method, layer, index, weights.classes[index], float(probs[index]), heat, image,
                          np.ascontiguousarray(raw, dtype=np.float32), crop_label(crop), _top(weights, logits),
                          weights.trained, **extra)


# ------------------------------------------------------------------------------------- Grad-CAM
@register_analysis("gradcam", description="Grad-CAM: where a layer's maps, weighted by the class's gradient, "
                                          "point to (any class, any conv layer; the last, conv5, by default)",
                   cost="forward", layers=spatial_layers)
def gradcam(weights: LoadedWeights, image: Image.Image | torch.Tensor, *, target: int | str | None = None,
            layer: str | None = None, crop: str | int = "centre") -> ExplanationMap:
    """Grad-CAM of class ``target`` (index or name; the top class when None) at ``layer`` (None: the model's last
    conv layer, conv5 in the AlexNets)."""
    model = weights.model
    layer = layer or model.conv_names()[-1]
    tap = _grad_cam_layer(model, layer)
    x, shown = network_view(weights, image, crop)
    children = list(model.named_children())
    cut = [n for n, _ in children].index(tap) + 1
    with evaluating(model):  # eval mode, no graph for the layers before the one read
        a = x.to(_device(model))
        for _, module in children[:cut]:
            a = module(a)
        a = a.detach().requires_grad_(True)
        with torch.enable_grad():
            out = a + 0  # a non-leaf, so that an in-place layer after it cannot touch the leaf
            for _, module in children[cut:]:
                out = module(out)
            logits = out[0]
            index = class_index(weights, target, logits)
            (grad,) = torch.autograd.grad(logits[index], a)
    channel_weights = grad[0].mean(dim=(1, 2))  # (K,): the spatially averaged gradient of each map
    cam = F.relu((channel_weights[:, None, None] * a.detach()[0]).sum(0))
    size = x.shape[-2:]
    up = F.interpolate(cam[None, None], size=size, mode="bilinear", align_corners=False)[0, 0]
    return _explained("gradcam", layer, weights, shown, logits.detach().cpu(), index, _normalised(up.cpu()),
                      cam, crop)


# ------------------------------------------------------------------------------------- saliency
class _GuidedReLU(torch.autograd.Function):
    """ReLU forward; backward passes a gradient only where it is positive and the input was positive."""

    @staticmethod
    def forward(ctx, x: torch.Tensor) -> torch.Tensor:  # type: ignore[override]
        out = x.clamp(min=0)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad: torch.Tensor) -> torch.Tensor:  # type: ignore[override]
        (out,) = ctx.saved_tensors
        return grad.clamp(min=0) * (out > 0)


@register_analysis("saliency", description="guided backpropagation (Springenberg et al. 2015): the class's "
                                           "gradient at each pixel, negative gradients zeroed at every ReLU",
                   cost="forward", layers=lambda m: ["input"])
def saliency(weights: LoadedWeights, image: Image.Image | torch.Tensor, *, target: int | str | None = None,
             crop: str | int = "centre") -> ExplanationMap:
    """Guided backprop of class ``target`` to the input: the map is max over channels of |gradient|."""
    model = weights.model
    x, shown = network_view(weights, image, crop)
    with evaluating(model), torch.enable_grad():
        inp = x.to(_device(model)).requires_grad_(True)
        out = inp
        for _, module in model.named_children():
            out = _GuidedReLU.apply(out) if isinstance(module, nn.ReLU) else module(out)
        logits = out[0]
        index = class_index(weights, target, logits)
        (grad,) = torch.autograd.grad(logits[index], inp)
    grad = grad[0].cpu()
    return _explained("saliency", "input", weights, shown, logits.detach().cpu(), index,
                      _normalised(grad.abs().amax(dim=0)), grad, crop)


# ------------------------------------------------------------------------------------ occlusion
def occlusion_offsets(size: int, patch: int, stride: int) -> list[int]:
    """The square's top (and left) positions: every ``stride`` px, plus a last one flush with the edge."""
    if isinstance(patch, bool) or isinstance(stride, bool) or int(patch) != patch or int(stride) != stride:
        raise ValueError(f"patch and stride must be whole numbers of pixels, got {patch!r} and {stride!r}")
    if not 1 <= patch <= size:
        raise ValueError(f"the occluding patch must be 1-{size} px for a {size} px crop, got {patch}")
    if stride < 1:
        raise ValueError(f"the stride must be at least 1 px, got {stride}")
    offsets = list(range(0, size - patch + 1, stride))
    if offsets[-1] != size - patch:
        offsets.append(size - patch)
    return offsets


def _is_cancelled(cancelled: Callable[[], bool] | Any | None) -> bool:
    if cancelled is None:
        return False
    return bool(cancelled.is_set() if hasattr(cancelled, "is_set") else cancelled())


class _FirstStage:
    """conv1 → activation → [LRN] → pool1, recomputed only where an occluding square changes it.

    These layers act on each position's neighbourhood only, so an occluded image's pool1 maps differ from the
    clean image's in a window; the window is computed from a slice of the input (a quarter of the work or
    less) and pasted into the clean maps.  ``plan`` returns None for a model of another shape."""

    def __init__(self, modules: list[nn.Module], x: torch.Tensor) -> None:
        self.conv, self.pointwise, self.pool = modules[0], modules[1:-1], modules[-1]
        p = self.conv.padding[0]
        self.padded = F.pad(x, (p, p, p, p))
        self.clean = self.run(self.padded)

    @staticmethod
    def plan(model: nn.Module) -> int:
        """How many children make the first stage, or 0 when they cannot be computed piecewise."""
        children = list(model.children())
        if not children or not isinstance(children[0], nn.Conv2d):
            return 0
        conv = children[0]
        if conv.dilation != (1, 1) or conv.padding_mode != "zeros" or conv.padding[0] != conv.padding[1] \
                or conv.stride[0] != conv.stride[1] or conv.kernel_size[0] != conv.kernel_size[1] \
                or isinstance(conv.padding, str):
            return 0
        for i, m in enumerate(children[1:], 1):
            if isinstance(m, nn.MaxPool2d):
                ok = m.padding in (0, (0, 0)) and m.dilation in (1, (1, 1)) and not m.ceil_mode \
                    and isinstance(m.kernel_size, int) and isinstance(m.stride, int)
                return i + 1 if ok else 0
            if not isinstance(m, (nn.ReLU, nn.Tanh, LocalResponseNorm)):
                return 0
        return 0

    def run(self, padded: torch.Tensor) -> torch.Tensor:
        y = F.conv2d(padded, self.conv.weight, self.conv.bias, self.conv.stride, 0, 1, self.conv.groups)
        for m in self.pointwise:
            y = m(y)
        return self.pool(y)

    def _span(self, start: int, stop: int, n_out: int) -> tuple[int, int, int, int]:
        """Pool outputs [q0, q1) changed by input pixels [start, stop), and the padded input rows they need."""
        k1, s1 = self.conv.kernel_size[0], self.conv.stride[0]
        k2, s2, p = self.pool.kernel_size, self.pool.stride, self.conv.padding[0]
        n_conv = (self.padded.shape[-1] - k1) // s1 + 1
        c0 = max(0, -(-(start + p - k1 + 1) // s1))  # conv outputs whose window meets the square
        c1 = min(n_conv - 1, (stop - 1 + p) // s1)
        q0 = max(0, -(-(c0 - k2 + 1) // s2))
        q1 = min(n_out - 1, c1 // s2)
        return q0, q1 + 1, q0 * s2 * s1, (q1 * s2 + k2 - 1) * s1 + k1

    def occluded(self, squares: list[tuple[int, int]], patch: int) -> torch.Tensor:
        """pool1's maps (N, C, H, W) for the image with a square at each (top, left) set to zero; the windows of
        one size go through the layers as one batch (a few calls per batch, not a few per square)."""
        h, w = self.clean.shape[-2:]
        p = self.conv.padding[0]
        out = self.clean.expand(len(squares), -1, -1, -1).clone()
        groups: dict[tuple[int, int], list[tuple[int, int, int, int, int, torch.Tensor]]] = {}
        for n, (top, left) in enumerate(squares):
            r0, r1, y0, y1 = self._span(top, top + patch, h)
            c0, c1, x0, x1 = self._span(left, left + patch, w)
            piece = self.padded[0, :, y0:y1, x0:x1].clone()
            piece[:, max(0, top + p - y0):top + p + patch - y0, max(0, left + p - x0):left + p + patch - x0] = 0
            groups.setdefault(tuple(piece.shape[-2:]), []).append((n, r0, r1, c0, c1, piece))
        for members in groups.values():
            maps = self.run(torch.stack([m[-1] for m in members]))
            for (n, r0, r1, c0, c1, _), m in zip(members, maps):
                out[n, :, r0:r1, c0:c1] = m
        return out


@register_analysis("occlusion", description="occlusion sensitivity: the drop in the class's probability as a grey "
                                            "square slides over the image (many forwards; cancellable)",
                   cost="forwards", layers=lambda m: ["input"])
def occlusion(weights: LoadedWeights, image: Image.Image | torch.Tensor, *, target: int | str | None = None,
              crop: str | int = "centre", patch: int | None = None, stride: int | None = None, batch: int = 32,
              progress: Callable[[int, int], None] | None = None,
              cancelled: Callable[[], bool] | Any | None = None) -> ExplanationMap:
    """The drop in class ``target``'s probability with a ``patch`` px grey square every ``stride`` px (by default
    32 px every 16, or a quarter of a smaller input every eighth: LeNet's 28 px, the four-layer net's 32)."""
    model = weights.model
    x, shown = network_view(weights, image, crop)
    size = x.shape[-1]
    if patch is None:
        patch = 32 if size >= 64 else max(2, size // 4)
    if stride is None:
        stride = max(1, patch // 2)
    offsets = occlusion_offsets(size, patch, stride)
    if batch < 1:
        raise ValueError(f"the batch must be at least 1, got {batch}")
    positions = [(t, l) for t in offsets for l in offsets]
    total = len(positions)
    children = list(model.children())
    with evaluating(model):
        x = x.to(_device(model))
        logits = model(x)[0].cpu()
        index = class_index(weights, target, logits)
        base = float(F.softmax(logits.float(), dim=0)[index])
        first = _FirstStage.plan(model)
        stage = _FirstStage(children[:first], x) if first else None
        drops = torch.empty(total)
        if progress is not None:
            progress(0, total)
        for start in range(0, total, batch):
            if _is_cancelled(cancelled):
                raise Cancelled(f"occlusion cancelled after {start} of {total} positions")
            chunk = positions[start:start + batch]
            if stage is not None:
                out = stage.occluded(chunk, patch)
                for m in children[first:]:
                    out = m(out)
            else:
                xs = x.repeat(len(chunk), 1, 1, 1)
                for j, (t, l) in enumerate(chunk):
                    xs[j, :, t:t + patch, l:l + patch] = 0  # the normalised mean: a grey square
                out = model(xs)
            drops[start:start + len(chunk)] = base - F.softmax(out.float(), dim=1)[:, index].cpu()
            if progress is not None:
                progress(start + len(chunk), total)
    grid = drops.view(len(offsets), len(offsets))
    total_drop = torch.zeros(size, size)
    cover = torch.zeros(size, size)
    for (t, l), d in zip(positions, drops):
        total_drop[t:t + patch, l:l + patch] += d
        cover[t:t + patch, l:l + patch] += 1
    mean_drop = total_drop / cover.clamp(min=1)
    return _explained("occlusion", "input", weights, shown, logits, index, _normalised(mean_drop.clamp(min=0)), grid,
                      crop, patch=int(patch), stride=int(stride), offsets=tuple(offsets))


def explain(method: str, weights: LoadedWeights, image: Image.Image | torch.Tensor, **options: Any) -> ExplanationMap:
    """Run one of :data:`METHODS` by name."""
    fns = {"gradcam": gradcam, "saliency": saliency, "occlusion": occlusion}
    if method not in fns:
        raise ValueError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    return fns[method](weights, image, **options)


__all__ = ["METHODS", "Cancelled", "ExplanationMap", "class_index", "crop_label", "explain",
           "gradcam", "network_view", "occlusion", "occlusion_offsets", "saliency", "spatial_layers"]
