"""One pass of a model over a data set, for the analyses that need every image (cost ``"dataset"``): the nearest
neighbours' feature index (:mod:`.features`) and the top patches of a unit (:mod:`.patches`).

What they share: the images as validation sees them (the engine's evaluation transform, built by the same
:func:`~train_backend.data.augment.build_eval_transform` call as ``EvaluationLoop.for_weights``; the engine itself is a
layer above the analyses, so its ``EvalDataset`` cannot be imported here), a pass in batches with ``progress(done,
total)`` and a ``cancelled()`` check, the checks of the input, and the keys of the caches: a fingerprint of the
weights (a hash of every tensor's bytes) and of the data (name, source, split, size and the bytes of a few images).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset

from ..data import DatasetBundle, cache_dir, load_dataset
from ..data.augment import build_eval_transform, norm_stats
from ..errors import AlexNetGuiError
from ..io.checkpoints import LoadedWeights
from ..models.modes import evaluating
from .registry import Cancelled

SPLITS = ("train", "val")

Progress = Callable[[int, int], None]
Check = Callable[[], bool]


class AnalysisError(AlexNetGuiError, ValueError):
    """A data-set analysis cannot run on this input; the message says why (one line)."""


# ------------------------------------------------------------------------------------------- input
def resolve_bundle(dataset: str | DatasetBundle, data_root: str | os.PathLike | None = None) -> DatasetBundle:
    """A data set by registry name (loaded) or an already loaded :class:`DatasetBundle`."""
    if isinstance(dataset, DatasetBundle):
        return dataset
    if not isinstance(dataset, str) or not dataset:
        raise AnalysisError("say which data set to search (a registered name or a loaded data set)")
    return load_dataset(dataset, data_root)


def check_classes(weights: LoadedWeights, bundle: DatasetBundle) -> None:
    """The weights must classify the data set's classes (their count, and their names where the weights know them)."""
    mine, theirs = list(weights.classes), list(bundle.classes)
    if len(mine) != len(theirs):
        raise AnalysisError(f"the weights have {len(mine)} classes but {bundle.name} has {len(theirs)}: "
                            "use weights trained on this data set")
    generic = all(c == f"class {i}" for i, c in enumerate(mine))
    if not generic and mine != theirs:
        diff = next(i for i, (a, b) in enumerate(zip(mine, theirs)) if a != b)
        raise AnalysisError(f"the weights' classes are not {bundle.name}'s (class {diff} is {mine[diff]!r} in the "
                            f"weights, {theirs[diff]!r} in the data set)")


def split_of(bundle: DatasetBundle, split: str) -> Dataset:
    if split not in SPLITS:
        raise AnalysisError(f"split must be one of {', '.join(SPLITS)}, got {split!r}")
    ds = bundle.train if split == "train" else bundle.val
    if len(ds) == 0:  # type: ignore[arg-type]
        raise AnalysisError(f"the {bundle.name} {split} split is empty")
    return ds


def select_rows(n: int, limit: int | None = None, subset: Sequence[int] | None = None) -> np.ndarray:
    """The data-set indices a pass covers: ``subset`` (sorted, unique) or all ``n``, then the first ``limit``."""
    if subset is not None:
        rows = np.unique(np.asarray(list(subset), dtype=np.int64))
        if rows.size == 0:
            raise AnalysisError("the chosen subset is empty")
        if rows[0] < 0 or rows[-1] >= n:
            raise AnalysisError(f"the subset has indices outside 0..{n - 1}")
    else:
        rows = np.arange(n, dtype=np.int64)
    if limit is not None:
        if limit < 1:
            raise AnalysisError("the limit must be at least 1")
        rows = rows[:limit]
    return rows


# --------------------------------------------------------------------------------------- the images
class SeenImages(Dataset):
    """``(image as the network sees it, label, data-set index)`` for chosen rows of a split: the evaluation
    transform's centre crop (C, S, S) in [0, 1], before normalisation (:func:`normalise` finishes it)."""

    def __init__(self, base: Dataset, rows: np.ndarray, weights: LoadedWeights) -> None:
        self.base, self.rows = base, rows
        self.transform = seen_transform(weights)

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, i: int):
        index = int(self.rows[i])
        image, label = self.base[index]
        return self.transform(image), int(label), index


def seen_transform(weights: LoadedWeights):
    spec = weights.input
    return build_eval_transform(spec.size, spec.mean, spec.std, spec.channels, resize=spec.resize, normalize=False,
                                eval_resize=weights.eval_resize)


def seen(weights: LoadedWeights, image: Image.Image | torch.Tensor) -> torch.Tensor:
    """One image (a file's PIL image or a data set's item) as the network sees it: (1, C, S, S) in [0, 1]."""
    return seen_transform(weights)(image).unsqueeze(0)


def normalise(weights: LoadedWeights, x: torch.Tensor) -> torch.Tensor:
    """What the evaluation transform's ``Normalize`` step does, on a batch (so one pass gives both)."""
    std = norm_stats(weights.input.mean, weights.input.std, weights.input.channels)[1]
    m = weights.input.offset().to(dtype=x.dtype, device=x.device)[None]  # the centre crop's mean image, or pixel
    s = torch.tensor(std, dtype=x.dtype, device=x.device).view(1, -1, 1, 1)
    return (x - m) / s


def to_uint8(x: torch.Tensor, side: int | None = None) -> np.ndarray:
    """(B, C, S, S) in [0, 1] → uint8 (B, side, side, 3) (grey repeated), area-resized when ``side`` is given."""
    if side is not None and side != x.shape[-1]:
        x = F.interpolate(x.float(), size=(side, side), mode="bilinear", antialias=True, align_corners=False)
    if x.shape[1] == 1:
        x = x.expand(-1, 3, -1, -1)
    return (x.clamp(0, 1).permute(0, 2, 3, 1).cpu().numpy() * 255 + 0.5).astype(np.uint8)


def render(weights: LoadedWeights, base: Dataset, indices: Sequence[int], side: int | None = None) -> np.ndarray:
    """Data-set items as the network sees them, uint8 (n, side, side, 3)."""
    tf = seen_transform(weights)
    if not len(indices):
        s = side or weights.input.size
        return np.zeros((0, s, s, 3), np.uint8)
    return to_uint8(torch.stack([tf(base[int(i)][0]) for i in indices]), side)


def forward_to(model: torch.nn.Module, x: torch.Tensor, layer: str) -> torch.Tensor:
    """Run the flat model's children up to and including ``layer`` (the rest is not computed)."""
    for name, module in model.named_children():
        x = module(x)
        if name == layer:
            return x
    raise AnalysisError(f"the model has no layer named {layer!r}")


def device_of(model: torch.nn.Module) -> torch.device:
    return next(model.parameters()).device


def batches(weights: LoadedWeights, base: Dataset, rows: np.ndarray, batch_size: int = 64,
            progress: Progress | None = None, cancelled: Check | None = None
            ) -> Iterator[tuple[np.ndarray, torch.Tensor, torch.Tensor, np.ndarray]]:
    """Yield ``(data-set indices, seen images on the model's device, normalised batch, labels)`` in row order,
    with the model in eval mode and no autograd; ``progress(done, total)`` after each batch (once at 0 first),
    :class:`Cancelled` as soon as ``cancelled()`` says so."""
    if batch_size < 1:
        raise AnalysisError("the batch size must be at least 1")
    model = weights.model
    device = device_of(model)
    workers = min(8, os.cpu_count() or 1) if device.type == "cuda" else 0
    loader = DataLoader(SeenImages(base, rows, weights), batch_size=batch_size, shuffle=False, num_workers=workers,
                        pin_memory=device.type == "cuda")
    total, done = len(rows), 0
    if progress is not None:
        progress(0, total)
    with evaluating(model):
        for images, labels, index in loader:
            if cancelled is not None and cancelled():
                raise Cancelled("cancelled")
            images = images.to(device, non_blocking=True)
            yield index.numpy().astype(np.int64), images, normalise(weights, images), labels.numpy().astype(np.int64)
            done += len(index)
            if progress is not None:
                progress(done, total)
    if cancelled is not None and cancelled():
        raise Cancelled("cancelled")


# ------------------------------------------------------------------------------------------- caches
def weights_fingerprint(weights: LoadedWeights) -> str:
    """SHA-256 of the architecture (its build config) and every tensor of the state_dict (name, dtype, shape and
    bytes): equal for the same weights wherever they came from, different as soon as one value differs."""
    h = hashlib.sha256()
    config = {k: list(v) if isinstance(v, tuple) else v for k, v in weights.model.config().items()}
    h.update(json.dumps(config, sort_keys=True, default=str).encode())
    for name, t in weights.model.state_dict().items():
        t = t.detach()
        h.update(f"\0{name}\0{t.dtype}\0{tuple(t.shape)}\0".encode())
        if t.numel():
            h.update(memoryview(t.cpu().contiguous().reshape(-1).view(torch.uint8).numpy()))
    return h.hexdigest()


def _item_bytes(item: Any) -> bytes:
    if isinstance(item, torch.Tensor):
        return item.detach().cpu().contiguous().reshape(-1).view(torch.uint8).numpy().tobytes()
    if isinstance(item, Image.Image):
        return f"{item.mode}{item.size}".encode() + item.tobytes()
    return repr(item).encode()


def data_identity(bundle: DatasetBundle, split: str, base: Dataset, rows: np.ndarray) -> dict[str, Any]:
    """What names the images a pass covers: the data set, its source, the split, the rows, and the bytes of up
    to 16 of those images spread over the rows (so a folder whose files changed is not taken for the old one)."""
    h = hashlib.sha256(rows.tobytes())
    for i in np.unique(np.linspace(0, len(rows) - 1, num=min(16, len(rows))).astype(np.int64)):
        image, label = base[int(rows[i])]
        h.update(_item_bytes(image) + str(int(label)).encode())
    return {"name": bundle.name, "source": str(bundle.source), "split": split, "split_size": len(base),
            "classes": list(bundle.classes), "rows": len(rows), "content": h.hexdigest()}


def input_identity(weights: LoadedWeights) -> dict[str, Any]:
    return {**weights.input.to_dict(), "eval_resize": weights.eval_resize}


def cache_key(fields: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(fields).encode()).hexdigest()


def canonical(fields: Any) -> str:
    return json.dumps(fields, sort_keys=True, default=str)


def analysis_cache(kind: str) -> Path:
    """``cache_dir()/<kind>``: ``features`` (the neighbours' indexes) or ``top_patches``."""
    return cache_dir() / kind


def array_digest(*arrays: np.ndarray) -> str:
    h = hashlib.sha256()
    for a in arrays:
        h.update(f"{a.dtype.str}{a.shape}".encode())
        h.update(memoryview(np.ascontiguousarray(a)).cast("B"))
    return h.hexdigest()


@dataclass(frozen=True)
class CacheNote:
    """Where a data-set analysis's result came from: ``"cache"`` or ``"built"``, and why it was built."""

    origin: str
    reason: str = ""
