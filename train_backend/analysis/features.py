"""The paper's Figure 4 (right): the training images whose last-hidden-layer features are nearest the query's.

:func:`feature_index` computes, for every image of a split (as validation sees it, dropout off), the 4096-d
output of the model's last hidden layer (``relu7`` for all three networks) and stores it as float16 with its
squared norms: 60,000 x 4,096 x 2 B = 492 MB.  Beside it, each image's *pixel-space* vector, the image the network
sees area-averaged to 16 x 16 per channel (uint8; 768 B for three channels, 256 B for a grey data set such as
Fashion-MNIST, whose three input channels are copies), for the contrast the paper draws: the
nearest images in feature space are not the nearest in pixel space.

The index is cached under ``cache_dir()/features/<dataset>-<split>-<key>/``: ``features.npy`` (float16 N x D),
``sqnorms.npy`` (float32 N), ``pixels.npy`` (uint8 N x P), ``labels.npy`` and ``indices.npy`` (int64 N), and
``meta.json``, whose ``key`` holds everything the index depends on (a SHA-256 of the weights' tensors, the data
set's identity, split, rows, input spec, layer) and whose ``sha256`` the arrays' digests.  A folder is written
beside the cache and renamed into place when complete, so a cancel or a crash leaves no index behind; a folder
whose meta or arrays do not match (damaged, edited, another version) is rebuilt, never trusted (``np.load`` with
``allow_pickle=False``).  The four most recently built indexes are kept.

:meth:`FeatureIndex.query` is one float16 matrix-vector
product (torch) for approximate distances ‖a‖² − 2a·b + ‖b‖², then exact float64 distances for the candidates and
for every other row its error bound cannot rule out, so the answer equals brute force.
"""

from __future__ import annotations

import json
import os
import shutil
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import Dataset

from ..data import DatasetBundle
from ..io.checkpoints import LoadedWeights
from ..models.modes import evaluating
from .passes import (AnalysisError, CacheNote, Cancelled, Check, Progress, analysis_cache, array_digest, batches,
                     cache_key, canonical, check_classes, data_identity, forward_to, input_identity, normalise, render,
                     resolve_bundle, seen, select_rows, split_of, to_uint8, weights_fingerprint)
from .registry import register_analysis

FORMAT = "alexnet-gui-feature-index"
VERSION = 1
PIXEL_SIDE = 16  # pixel-space vectors: the network's input area-averaged to 16 x 16 per channel
KEEP = 4  # indexes kept in the cache (the most recently built)
ARRAYS = ("features", "sqnorms", "pixels", "labels", "indices")
#: relative error allowed for one float16 product of the query (unit vector) with a stored row: the result is rounded
#: to float16 (2^-11) after float32 accumulation; 2^-8 leaves a margin of eight
_EPS16 = 2.0 ** -8

__all__ = ["Cancelled", "AnalysisError", "FeatureIndex", "NeighbourList", "Neighbours", "feature_index",
           "feature_layer", "find_neighbours", "neighbours"]


def feature_layer(model: Any) -> str:
    """The last hidden layer: the layer before the classifier's output (``relu7`` for every network here)."""
    names = model.layer_names()
    return names[-2]


# ------------------------------------------------------------------------------------------ the index
@dataclass(frozen=True, eq=False)
class FeatureIndex:
    """Last-hidden-layer features and pixel-space vectors of a split's images, with their labels."""

    features: np.ndarray  # float16 (N, D)
    sqnorms: np.ndarray  # float32 (N,): squared norms of the float16 rows
    pixels: np.ndarray  # uint8 (N, P)
    labels: np.ndarray  # int64 (N,)
    indices: np.ndarray  # int64 (N,): the rows' indices in the split
    classes: tuple[str, ...]
    layer: str
    key: dict[str, Any]
    path: Path | None
    note: CacheNote
    images: Dataset | None = field(default=None, repr=False)  # the split, for thumbnails (not cached)

    @property
    def size(self) -> int:
        return int(len(self.indices))

    @property
    def dim(self) -> int:
        return int(self.features.shape[1])

    @property
    def nbytes(self) -> int:
        return int(sum(getattr(self, a).nbytes for a in ARRAYS))

    def query(self, features: np.ndarray, k: int = 6) -> tuple[np.ndarray, np.ndarray]:
        """The ``k`` rows nearest each query vector (D,) or (n, D) in Euclidean distance, nearest first:
        (rows, distances), each (k,) or (n, k).  The query is compared at the index's precision (float16)."""
        q = np.asarray(features, dtype=np.float32)
        single = q.ndim == 1
        q = np.atleast_2d(q)
        if q.shape[1] != self.dim:
            raise AnalysisError(f"a query has {q.shape[1]} features but the index has {self.dim}")
        table = torch.from_numpy(self.features)
        norms = np.sqrt(self.sqnorms.astype(np.float64))
        out = [self._nearest_features(table, norms, row, k) for row in q]
        rows, dists = np.stack([o[0] for o in out]), np.stack([o[1] for o in out])
        return (rows[0], dists[0]) if single else (rows, dists)

    def _nearest_features(self, table: torch.Tensor, norms: np.ndarray, q: np.ndarray, k: int):
        q16 = q.astype(np.float16)
        if not np.all(np.isfinite(q16)):
            raise AnalysisError("the query's features overflow float16")
        qd = q16.astype(np.float64)
        qn = float(np.sqrt(qd @ qd))
        if qn > 0:
            unit = torch.from_numpy((qd / qn).astype(np.float16))
            dots = torch.mv(table, unit).float().numpy().astype(np.float64) * qn  # ≈ q·b
        else:
            dots = np.zeros(self.size)
        approx = qn * qn - 2 * dots + self.sqnorms
        slack = 2 * qn * _EPS16 * norms + 1e-6 * (qn * qn + self.sqnorms) + 1e-6

        def exact(rows: np.ndarray) -> np.ndarray:
            diff = self.features[rows].astype(np.float64) - qd
            return np.einsum("ij,ij->i", diff, diff)

        return _nearest(approx, slack, exact, k)

    def query_pixels(self, pixels: np.ndarray, k: int = 6) -> tuple[np.ndarray, np.ndarray]:
        """The ``k`` rows nearest a pixel-space vector (uint8, P) in Euclidean distance on [0, 1] values."""
        p = np.asarray(pixels).reshape(-1).astype(np.float64)
        if p.shape[0] != self.pixels.shape[1]:
            raise AnalysisError(f"a pixel query has {p.shape[0]} values but the index has {self.pixels.shape[1]}")
        approx, sq = np.empty(self.size), np.empty(self.size)
        pn = float(p @ p)
        chunk = 8192
        p32 = p.astype(np.float32)
        for i in range(0, self.size, chunk):
            block = self.pixels[i:i + chunk].astype(np.float32)
            sq[i:i + chunk] = np.einsum("ij,ij->i", block, block)
            approx[i:i + chunk] = pn - 2 * (block @ p32) + sq[i:i + chunk]
        slack = 1e-4 * (pn + sq) + 1.0  # float32 sums of at most 5e7 are far closer than this

        def exact(rows: np.ndarray) -> np.ndarray:
            diff = self.pixels[rows].astype(np.float64) - p
            return np.einsum("ij,ij->i", diff, diff)

        rows, d = _nearest(approx, slack, exact, k)
        return rows, d / 255.0


def _nearest(approx: np.ndarray, slack: np.ndarray | float, exact: Callable[[np.ndarray], np.ndarray],
             k: int) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` smallest exact squared distances, given approximate ones within ``slack`` of them: exact values for
    the best candidates, then for every other row whose approximation cannot rule it out."""
    n = len(approx)
    k = max(0, min(int(k), n))
    if k == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.float32)
    m = min(n, max(64, 8 * k))
    cand = np.argpartition(approx, m - 1)[:m] if m < n else np.arange(n)
    d2 = exact(cand)
    kth = np.partition(d2, k - 1)[k - 1]
    maybe = np.flatnonzero(approx - slack <= kth)
    extra = np.setdiff1d(maybe, cand, assume_unique=False)
    if extra.size:
        cand = np.concatenate([cand, extra])
        d2 = np.concatenate([d2, exact(extra)])
    order = np.lexsort((cand, d2))[:k]  # nearest first, ties by row
    return cand[order].astype(np.int64), np.sqrt(np.maximum(d2[order], 0.0)).astype(np.float32)


def pixel_vectors(seen_batch: torch.Tensor, channels: int | None = None) -> np.ndarray:
    """(B, C, S, S) in [0, 1] → uint8 (B, c·16·16): the image area-averaged to 16 x 16 per channel, its first
    ``channels`` (1 for a grey data set, whose three input channels are copies)."""
    small = F.adaptive_avg_pool2d(seen_batch[:, :channels].float(), PIXEL_SIDE)
    return (small.clamp(0, 1).flatten(1).cpu().numpy() * 255 + 0.5).astype(np.uint8)


def query_vectors(weights: LoadedWeights, image: Image.Image | torch.Tensor) -> tuple[np.ndarray, np.ndarray,
                                                                                      torch.Tensor]:
    """An image's last-hidden-layer features (float32, D), pixel-space vector (uint8, P) and the seen image."""
    model = weights.model
    x = seen(weights, image).to(next(model.parameters()).device)
    with evaluating(model):
        f = forward_to(model, normalise(weights, x), feature_layer(model)).flatten(1)
    return f[0].float().cpu().numpy(), pixel_vectors(x)[0], x


# ---------------------------------------------------------------------------------------- building
def feature_index(weights: LoadedWeights, dataset: str | DatasetBundle, split: str = "train", *,
                  data_root: str | os.PathLike | None = None, limit: int | None = None,
                  subset: Sequence[int] | None = None, batch_size: int = 64, progress: Progress | None = None,
                  cancelled: Check | None = None, cache: bool = True) -> FeatureIndex:
    """The index of ``dataset``'s ``split`` (its first ``limit`` images, or ``subset``) for ``weights``: read from
    the cache when a complete, matching one is there, else built (``progress(done, total)`` per batch; raises
    :class:`Cancelled` when ``cancelled()`` turns true, leaving nothing behind) and cached."""
    bundle = resolve_bundle(dataset, data_root)
    check_classes(weights, bundle)
    base = split_of(bundle, split)
    rows = select_rows(len(base), limit, subset)
    layer = feature_layer(weights.model)
    pixel_channels = min(bundle.channels, weights.input.channels)
    key = {"format": FORMAT, "version": VERSION, "weights": weights_fingerprint(weights),
           "data": data_identity(bundle, split, base, rows), "input": input_identity(weights), "layer": layer,
           "pixel_side": PIXEL_SIDE, "pixel_channels": pixel_channels}
    digest = cache_key(key)
    root = analysis_cache("features")
    folder = root / f"{_safe(bundle.name)}-{split}-{digest[:24]}"
    reason = "not cached"
    if cache and folder.exists():
        try:
            return _read(folder, key, bundle, base)
        except (OSError, ValueError, KeyError, TypeError) as err:
            reason = f"the cached index was not usable ({err})"
    t0 = time.perf_counter()
    arrays = _compute(weights, base, rows, layer, batch_size, progress, cancelled, pixel_channels)
    note = CacheNote("built", reason)
    meta = {"key": key, "n": int(len(rows)), "dim": int(arrays["features"].shape[1]),
            "sha256": {a: array_digest(arrays[a]) for a in ARRAYS}, "seconds": round(time.perf_counter() - t0, 3),
            "weights_source": weights.source, "created": time.strftime("%Y-%m-%dT%H:%M:%S")}
    path = _publish(root, folder, arrays, meta) if cache else None
    return FeatureIndex(**arrays, classes=tuple(bundle.classes), layer=layer, key=key, path=path, note=note,
                        images=base)


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in name)[:40] or "data"


def _compute(weights: LoadedWeights, base: Dataset, rows: np.ndarray, layer: str, batch_size: int,
             progress: Progress | None, cancelled: Check | None, pixel_channels: int) -> dict[str, np.ndarray]:
    n = len(rows)
    features: np.ndarray | None = None
    pixels: np.ndarray | None = None
    labels = np.empty(n, np.int64)
    done = 0
    for index, images, x, y in batches(weights, base, rows, batch_size, progress, cancelled):
        f = forward_to(weights.model, x, layer).flatten(1).float().cpu().numpy()
        p = pixel_vectors(images, pixel_channels)
        if features is None:
            features = np.empty((n, f.shape[1]), np.float16)
            pixels = np.empty((n, p.shape[1]), np.uint8)
        f16 = f.astype(np.float16)
        if not np.all(np.isfinite(f16)):
            raise AnalysisError(f"the {layer} features overflow float16 (values up to {np.abs(f).max():.3g}): "
                                "these weights are not usable for the index")
        features[done:done + len(f)] = f16
        pixels[done:done + len(p)] = p  # type: ignore[index]
        labels[done:done + len(y)] = y
        done += len(f)
    assert features is not None and pixels is not None and done == n
    sqnorms = np.einsum("ij,ij->i", features.astype(np.float32), features.astype(np.float32)) \
        if n * features.shape[1] < 50_000_000 else _chunked_sqnorms(features)
    return {"features": features, "sqnorms": sqnorms.astype(np.float32), "pixels": pixels, "labels": labels,
            "indices": rows.astype(np.int64)}


def _chunked_sqnorms(features: np.ndarray, chunk: int = 4096) -> np.ndarray:
    out = np.empty(len(features), np.float32)
    for i in range(0, len(features), chunk):
        block = features[i:i + chunk].astype(np.float32)
        out[i:i + chunk] = np.einsum("ij,ij->i", block, block)
    return out


def _publish(root: Path, folder: Path, arrays: dict[str, np.ndarray], meta: dict[str, Any]) -> Path | None:
    """Write the arrays and meta.json into a fresh folder beside the cache, then rename it into place."""
    root.mkdir(parents=True, exist_ok=True)
    tmp = root / f".tmp-{folder.name}-{uuid.uuid4().hex[:8]}"
    try:
        tmp.mkdir()
        for name in ARRAYS:
            _write(tmp / f"{name}.npy", lambda f, a=arrays[name]: np.save(f, a, allow_pickle=False))
        _write(tmp / "meta.json", lambda f: f.write(json.dumps(meta, indent=1).encode()))
        if folder.exists():
            shutil.rmtree(folder)
        os.replace(tmp, folder)
    except OSError:  # a full disk or a read-only cache: the index is still good for this session
        shutil.rmtree(tmp, ignore_errors=True)
        return None
    _prune(root, keep=folder)
    return folder


def _write(path: Path, writer) -> None:
    with open(path, "wb") as f:
        writer(f)
        f.flush()
        os.fsync(f.fileno())


def _prune(root: Path, keep: Path) -> None:
    """Keep the ``KEEP`` most recent indexes; drop leftovers of interrupted builds older than a day."""
    now = time.time()
    entries = []
    for p in root.iterdir():
        try:
            age = p.stat().st_mtime
        except OSError:
            continue
        if p.name.startswith(".tmp-"):
            if now - age > 86400:
                shutil.rmtree(p, ignore_errors=True)
        elif p.is_dir():
            entries.append((age, p))
    for _, p in sorted(entries, reverse=True)[KEEP:]:
        if p != keep:
            shutil.rmtree(p, ignore_errors=True)


def _read(folder: Path, key: dict[str, Any], bundle: DatasetBundle, base: Dataset) -> FeatureIndex:
    """A cached index, checked against the key and its digests (raises ValueError/OSError on any mismatch)."""
    meta_path = folder / "meta.json"
    if meta_path.stat().st_size > 1_000_000:
        raise ValueError("meta.json is too large")
    meta = json.loads(meta_path.read_text())
    if not isinstance(meta, dict) or canonical(meta.get("key")) != canonical(key):
        raise ValueError("it was built for other weights, data or settings")
    n, dim = int(meta["n"]), int(meta["dim"])
    expect = {"features": (np.float16, (n, dim)), "sqnorms": (np.float32, (n,)), "pixels": (np.uint8, None),
              "labels": (np.int64, (n,)), "indices": (np.int64, (n,))}
    arrays = {}
    for name, (dtype, shape) in expect.items():
        a = np.load(folder / f"{name}.npy", allow_pickle=False)
        if a.dtype != dtype or (shape is not None and a.shape != shape) or \
                (name == "pixels" and (a.ndim != 2 or len(a) != n)):
            raise ValueError(f"{name}.npy has the wrong type or shape")
        if array_digest(a) != meta["sha256"][name]:
            raise ValueError(f"{name}.npy does not match its checksum")
        arrays[name] = a
    classes = len(bundle.classes)
    if n and (arrays["labels"].min() < 0 or arrays["labels"].max() >= classes or arrays["indices"].min() < 0
              or arrays["indices"].max() >= len(base)):  # type: ignore[arg-type]
        raise ValueError("labels or indices out of range")
    return FeatureIndex(**arrays, classes=tuple(bundle.classes), layer=key["layer"], key=key, path=folder,
                        note=CacheNote("cache"), images=base)


# ----------------------------------------------------------------------------------------- payloads
@dataclass(frozen=True)
class NeighbourList:
    """The ``k`` nearest images of one space, nearest first."""

    space: str  # "features" (the last hidden layer) or "pixels" (16 x 16 per channel)
    indices: np.ndarray  # int64 (k,): indices in the data set's split
    labels: np.ndarray  # int64 (k,)
    classes: tuple[str, ...]  # the labels' names
    distances: np.ndarray  # float32 (k,): Euclidean; features: in the layer's units, pixels: on [0, 1] values
    thumbnails: np.ndarray  # uint8 (k, T, T, 3): each image as the network sees it, resized


@dataclass(frozen=True)
class Neighbours:
    """Figure 4 (right) for one query image: its nearest training images by features, and by pixels."""

    query: np.ndarray  # uint8 (T, T, 3): the query as the network sees it
    features: NeighbourList
    pixels: NeighbourList
    shared: int  # images in both lists (the paper's point: few)
    layer: str  # "relu7"
    dataset: str
    split: str
    index_size: int
    weights_source: str
    trained: bool

    def as_dict(self) -> dict[str, Any]:
        """Plain values (what ``neighbours --json`` prints for a query)."""
        def listing(n: NeighbourList) -> dict[str, Any]:
            return {"indices": n.indices.tolist(), "labels": n.labels.tolist(), "classes": list(n.classes),
                    "distances": [float(d) for d in n.distances]}
        return {**listing(self.features), "pixels": listing(self.pixels), "shared": self.shared, "layer": self.layer,
                "dataset": self.dataset, "split": self.split, "index_size": self.index_size}


def find_neighbours(weights: LoadedWeights, image: Image.Image | torch.Tensor, index: FeatureIndex, k: int = 6,
                    thumb: int = 64) -> Neighbours:
    """Query ``index`` with ``image`` (a file's image or a data set's item) in both spaces."""
    if k < 1:
        raise AnalysisError("k must be at least 1")
    f, p, x = query_vectors(weights, image)
    p = p[:index.pixels.shape[1]]  # a grey data set's index keeps one channel
    if f.shape[0] != index.dim:
        raise AnalysisError(f"these weights give {f.shape[0]} features but the index holds {index.dim}")
    lists = []
    for space, (rows, dist) in (("features", index.query(f, k)), ("pixels", index.query_pixels(p, k))):
        idx = index.indices[rows]
        labels = index.labels[rows]
        thumbs = render(weights, index.images, idx, thumb) if index.images is not None else \
            np.zeros((len(idx), thumb, thumb, 3), np.uint8)
        lists.append(NeighbourList(space, idx.copy(), labels.copy(), tuple(index.classes[i] for i in labels),
                                   dist, thumbs))
    shared = len(set(lists[0].indices.tolist()) & set(lists[1].indices.tolist()))
    data = index.key["data"]
    return Neighbours(to_uint8(x, thumb)[0], lists[0], lists[1], shared, index.layer, data["name"], data["split"],
                      index.size, weights.source, weights.trained)


@register_analysis("neighbours", description="the training images nearest the image by last-hidden-layer (relu7) "
                                             "features, and by pixels (the paper's Figure 4, right)",
                   cost="dataset", layers=lambda m: [feature_layer(m)])
def neighbours(weights: LoadedWeights, image: Image.Image | torch.Tensor, dataset: str | DatasetBundle | None = None,
               *, index: FeatureIndex | None = None, split: str = "train", data_root: str | None = None, k: int = 6,
               limit: int | None = None, subset: Sequence[int] | None = None, thumb: int = 64,
               batch_size: int = 64, progress: Progress | None = None, cancelled: Check | None = None) -> Neighbours:
    """Build (or read) the index of ``dataset``'s ``split`` unless ``index`` is given, then query it."""
    if index is None:
        if dataset is None:
            raise AnalysisError("say which data set to search for neighbours")
        index = feature_index(weights, dataset, split, data_root=data_root, limit=limit, subset=subset,
                              batch_size=batch_size, progress=progress, cancelled=cancelled)
    return find_neighbours(weights, image, index, k=k, thumb=thumb)
