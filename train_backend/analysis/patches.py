"""The top patches of a conv unit, as the Deep Visualization Toolbox shows them: the ``k`` images of a data set (or a
chosen subset) that excite one channel of a layer most, each cropped to the receptive field of the position where
that channel peaks.

One pass over the images scores *every* unit of the layer (each image's maximum over positions, per channel), so
the result for the whole layer is cached at once (``cache_dir()/top_patches/<key>.npz``: the best ``K`` (image,
position, value) per unit, ``K = max(k, 9)``) and clicking another map of the same layer costs no pass.  One patch
per image: an image's best position stands for it, so the ``k`` patches come from ``k`` different images.

Receptive fields follow the standard recurrence over the layers' (kernel, stride, padding) from the model's
``geometry``: size r ← r + (kernel − 1)·j, jump j ← j·stride, first edge e ← e − padding·j; a unit at map position
(y, x) sees input rows e + y·j … e + y·j + r − 1 (and columns alike), clipped at the image's border.  conv1 of the
paper sees 11 px, conv5 163 px, pool5 195 px.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np
import torch

from ..data import DatasetBundle
from ..io.atomic import write_atomic
from ..io.checkpoints import LoadedWeights
from .passes import (AnalysisError, CacheNote, Check, Progress, analysis_cache, batches, cache_key, canonical,
                     check_classes, data_identity, forward_to, input_identity, render, resolve_bundle, select_rows,
                     split_of, weights_fingerprint)
from .registry import register_analysis, spatial_layers

FORMAT = "alexnet-gui-top-patches"
VERSION = 1
DEFAULT_K = 9

__all__ = ["ReceptiveField", "TopPatches", "receptive_field", "spatial_layers", "top_patches", "unit_boxes"]


@dataclass(frozen=True)
class ReceptiveField:
    """Where a layer's units look in the input: ``size`` px square, ``stride`` px apart, the first unit's window
    starting at ``start`` (negative: it hangs over the padded border)."""

    size: int
    stride: int
    start: int

    def box(self, y: int, x: int, side: int) -> tuple[int, int, int, int]:
        """(top, left, bottom, right) of the unit at (y, x), clipped to a ``side`` x ``side`` input (bottom and
        right exclusive)."""
        top, left = self.start + y * self.stride, self.start + x * self.stride
        return (max(0, top), max(0, left), min(side, top + self.size), min(side, left + self.size))


def receptive_field(model: Any, layer: str) -> ReceptiveField:
    """The receptive field of ``layer``'s units (a ReLU or LRN layer has its convolution's)."""
    names = model.layer_names()
    if layer not in spatial_layers(model):
        raise AnalysisError(f"{layer!r} has no spatial maps (choose one of {', '.join(spatial_layers(model))})")
    r, j, start = 1, 1, 0
    for name, kernel, stride, padding in type(model).geometry(model.options):
        if name not in names or names.index(name) > names.index(layer):
            break
        r, start, j = r + (kernel - 1) * j, start - padding * j, j * stride
    return ReceptiveField(r, j, start)


def unit_boxes(rf: ReceptiveField, positions: np.ndarray, side: int) -> np.ndarray:
    return np.array([rf.box(int(y), int(x), side) for y, x in positions], dtype=np.int64).reshape(-1, 4)


# ------------------------------------------------------------------------------------------ the pass
def _scan(weights: LoadedWeights, base, rows: np.ndarray, layer: str, K: int, batch_size: int,
          progress: Progress | None, cancelled: Check | None) -> dict[str, np.ndarray]:
    """Every unit's best ``K`` images: values (C, K) float32, images (C, K) int64, positions (C, K, 2) int64; the
    larger value first, ties to the lower data-set index."""
    best_v = best_i = best_p = None
    for index, _, x, _ in batches(weights, base, rows, batch_size, progress, cancelled):
        out = forward_to(weights.model, x, layer)
        if out.dim() != 4:
            raise AnalysisError(f"{layer!r} has no spatial maps")
        b, c, h, w = out.shape
        v, where = out.float().flatten(2).max(dim=2)  # (B, C): each image's peak per unit, and where
        v, where = v.cpu().numpy().T, where.cpu().numpy().T  # (C, B)
        pos = np.stack([where // w, where % w], axis=-1)
        imgs = np.broadcast_to(index[None, :], (c, b))
        if best_v is None:
            best_v, best_i, best_p = (np.zeros((c, 0), np.float32), np.zeros((c, 0), np.int64),
                                      np.zeros((c, 0, 2), np.int64))
        v = np.concatenate([best_v, v], axis=1)
        i = np.concatenate([best_i, imgs], axis=1)
        p = np.concatenate([best_p, pos], axis=1)
        order = np.lexsort((i, -v), axis=-1)[:, :K]  # -value first, then index
        best_v = np.take_along_axis(v, order, 1)
        best_i = np.take_along_axis(i, order, 1)
        best_p = np.take_along_axis(p, order[..., None], 1)
    assert best_v is not None
    return {"values": best_v.astype(np.float32), "images": best_i.astype(np.int64),
            "positions": best_p.astype(np.int64)}


def _read(path, key: dict[str, Any], K: int, n_rows: int, n_total: int) -> dict[str, np.ndarray]:
    with np.load(path, allow_pickle=False) as z:
        arrays = {name: z[name] for name in ("values", "images", "positions", "meta")}
    if canonical(json.loads(arrays.pop("meta").tobytes().decode())) != canonical(key):
        raise ValueError("it was computed for other weights, data or settings")
    c, width = arrays["values"].shape if arrays["values"].ndim == 2 else (-1, -1)
    if (arrays["values"].dtype != np.float32 or arrays["images"].dtype != np.int64
            or arrays["positions"].dtype != np.int64 or arrays["images"].shape != (c, width)
            or arrays["positions"].shape != (c, width, 2) or width != min(K, n_rows)):
        raise ValueError("wrong types or shapes")
    if width and (arrays["images"].min() < 0 or arrays["images"].max() >= n_total
                  or arrays["positions"].min() < 0):
        raise ValueError("image indices or positions out of range")
    return arrays


def _layer_scores(weights: LoadedWeights, bundle: DatasetBundle, split: str, layer: str, k: int,
                  limit: int | None, subset: Sequence[int] | None, batch_size: int, progress: Progress | None,
                  cancelled: Check | None, cache: bool):
    base = split_of(bundle, split)
    rows = select_rows(len(base), limit, subset)
    K = max(k, DEFAULT_K)
    key = {"format": FORMAT, "version": VERSION, "weights": weights_fingerprint(weights),
           "data": data_identity(bundle, split, base, rows), "input": input_identity(weights), "layer": layer, "k": K}
    path = analysis_cache("top_patches") / f"{cache_key(key)[:32]}.npz"
    reason = "not cached"
    if cache and path.exists():
        try:
            return base, rows, _read(path, key, K, len(rows), len(base)), CacheNote("cache")
        except (OSError, ValueError, KeyError, TypeError, EOFError) as err:
            reason = f"the cached result was not usable ({err})"
    scores = _scan(weights, base, rows, layer, K, batch_size, progress, cancelled)
    if cache:
        meta = np.frombuffer(json.dumps(key).encode(), dtype=np.uint8)
        try:
            write_atomic(path, lambda tmp: _savez(tmp, meta=meta, **scores))
        except OSError:
            pass  # a full disk or a read-only cache: the result is still good
    return base, rows, scores, CacheNote("built", reason)


def _savez(tmp: str, **arrays: np.ndarray) -> None:
    with open(tmp, "wb") as f:
        np.savez(f, **arrays)


# ------------------------------------------------------------------------------------------ payload
@dataclass(frozen=True)
class TopPatches:
    """The ``k`` images that excite one unit most, each cropped to the unit's receptive field where it peaks."""

    layer: str
    unit: int
    units: int  # channels in the layer
    receptive_field: ReceptiveField
    input_size: int  # side of the image the network sees (the boxes' frame)
    indices: np.ndarray  # int64 (k,): the images' indices in the split, best first
    labels: np.ndarray  # int64 (k,)
    classes: tuple[str, ...]
    activations: np.ndarray  # float32 (k,): the unit's peak value in each image
    positions: np.ndarray  # int64 (k, 2): (row, column) of the peak in the layer's map
    boxes: np.ndarray  # int64 (k, 4): (top, left, bottom, right) of the receptive field in the input, clipped
    patches: tuple[np.ndarray, ...]  # uint8 (h, w, 3) each: the crops (smaller than the field at a border)
    dataset: str
    split: str
    searched: int  # images searched
    weights_source: str
    trained: bool
    note: CacheNote

    def as_dict(self) -> dict[str, Any]:
        rf = self.receptive_field
        return {"layer": self.layer, "unit": self.unit, "units": self.units, "dataset": self.dataset,
                "split": self.split, "searched": self.searched, "input_size": self.input_size,
                "receptive_field": {"size": rf.size, "stride": rf.stride, "start": rf.start},
                "patches": [{"index": int(i), "label": int(l), "class": c, "activation": float(a),
                             "position": [int(v) for v in p], "box": [int(v) for v in b]}
                            for i, l, c, a, p, b in zip(self.indices, self.labels, self.classes, self.activations,
                                                        self.positions, self.boxes)]}


def top_patches(weights: LoadedWeights, dataset: str | DatasetBundle, layer: str, unit: int, k: int = DEFAULT_K, *,
                split: str = "train", data_root: str | os.PathLike | None = None, limit: int | None = None,
                subset: Sequence[int] | None = None, batch_size: int = 64, progress: Progress | None = None,
                cancelled: Check | None = None, cache: bool = True) -> TopPatches:
    """The ``k`` images of ``dataset``'s ``split`` (its first ``limit``, or ``subset``) that excite ``unit`` of
    ``layer`` most, cropped to its receptive field; the layer's scores are cached for every unit."""
    model = weights.model
    rf = receptive_field(model, layer)  # refuses layers without spatial maps first
    if k < 1:
        raise AnalysisError("k must be at least 1")
    bundle = resolve_bundle(dataset, data_root)
    check_classes(weights, bundle)
    units = _units(model, layer)
    if not (isinstance(unit, (int, np.integer)) and 0 <= unit < units):
        raise AnalysisError(f"{layer} has {units} units (0 to {units - 1}), not {unit}")
    base, rows, scores, note = _layer_scores(weights, bundle, split, layer, k, limit, subset, batch_size, progress,
                                             cancelled, cache)
    n = min(k, scores["values"].shape[1])
    images, values, positions = (scores["images"][unit, :n], scores["values"][unit, :n],
                                 scores["positions"][unit, :n])
    side = weights.input.size
    seen_images = render(weights, base, images)
    boxes = unit_boxes(rf, positions, side)
    patches = tuple(np.ascontiguousarray(img[t:b, l:r]) for img, (t, l, b, r) in zip(seen_images, boxes))
    labels = np.array([int(base[int(i)][1]) for i in images], dtype=np.int64)
    return TopPatches(layer, int(unit), units, rf, side, images.copy(), labels,
                      tuple(bundle.classes[i] for i in labels), values.copy(), positions.copy(), boxes, patches,
                      bundle.name, split, len(rows), weights.source, weights.trained, note)


def _units(model: Any, layer: str) -> int:
    """Channels of a spatial layer: the out_channels of the last convolution at or before it."""
    names = model.layer_names()
    modules = dict(model.named_children())
    for name in reversed(names[:names.index(layer) + 1]):
        if isinstance(modules[name], torch.nn.Conv2d):
            return int(modules[name].out_channels)
    raise AnalysisError(f"{layer!r} has no spatial maps")


@register_analysis("top_patches", description="the images of a data set that excite one conv unit most, cropped "
                                              "to its receptive field (as the Deep Visualization Toolbox shows them)",
                   cost="dataset", layers=spatial_layers)
def top_patches_analysis(weights: LoadedWeights, image: Any = None, dataset: str | DatasetBundle | None = None,
                         layer: str | None = None, unit: int = 0, k: int = DEFAULT_K, **options: Any) -> TopPatches:
    """``top_patches`` as a registered analysis; the image is not used (the data set is searched).  ``layer``:
    the first convolution by default (``conv1``; VGG's ``conv1_1``)."""
    if layer is None:
        layer = next(n for n, m in weights.model.named_children() if isinstance(m, torch.nn.Conv2d))
    if dataset is None:
        raise AnalysisError("say which data set to search for top patches")
    return top_patches(weights, dataset, layer, unit, k, **options)
