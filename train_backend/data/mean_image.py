"""The training set's mean image: the paper's only pre-processing ("subtracting the mean activity over the training
set from each pixel"), as Caffe's ``compute_image_mean`` computes it: the mean of every training image's central
``R`` x ``R`` square (shorter side resized to ``R``, as the training crops are cut), per channel and pixel.

Computed once per data set, split and square side, and cached under ``cache_dir()/mean_images/<key>.npy`` (float32
(C, R, R) in [0, 1] units, the image's own channels); ``mean_image_for`` returns the cached copy after that.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Callable

import numpy as np
import torch
from torchvision.transforms import v2

from .registry import DatasetBundle, TensorImages, cache_dir

#: images per chunk when an in-memory data set's images are resized together
_CHUNK = 512


def mean_image_key(bundle: DatasetBundle, resize: int, split: str = "train") -> str:
    """What the cached file is named by: the data set, where it came from, the split, its size and the side."""
    data = getattr(bundle, split)
    fields = {"dataset": bundle.name, "source": bundle.source, "split": split, "images": len(data),
              "classes": list(bundle.classes), "resize": int(resize), "channels": bundle.channels}
    digest = hashlib.sha1(json.dumps(fields, sort_keys=True).encode()).hexdigest()[:16]
    return f"{bundle.name}-{split}-{resize}px-{digest}"


def mean_image_path(bundle: DatasetBundle, resize: int, split: str = "train") -> Path:
    return cache_dir() / "mean_images" / f"{mean_image_key(bundle, resize, split)}.npy"


def _square(resize: int) -> v2.Compose:
    return v2.Compose([v2.ToImage(), v2.Resize(resize, antialias=True), v2.CenterCrop(resize)])


def compute_mean_image(data: Any, resize: int, progress: Callable[[int, int], None] | None = None) -> np.ndarray:
    """The mean (C, R, R) in [0, 1] of every image's central ``resize`` square (float64 sums, float32 result)."""
    n = len(data)
    if n == 0:
        raise ValueError("the training split is empty: no mean image")
    total: torch.Tensor | None = None
    if isinstance(data, TensorImages):  # uint8 (N, C, H, W) in memory: resized a chunk at a time
        images = data.images
        for start in range(0, n, _CHUNK):
            chunk = v2.functional.resize(images[start:start + _CHUNK], [resize], antialias=True)
            chunk = v2.functional.center_crop(chunk, [resize, resize])
            part = chunk.to(torch.float64).sum(0)
            total = part if total is None else total + part
            if progress is not None:
                progress(min(n, start + _CHUNK), n)
    else:
        square = _square(resize)
        for i in range(n):
            image = data[i][0]
            t = square(image).to(torch.float64)
            total = t if total is None else total + t
            if progress is not None and (i + 1) % 256 == 0:
                progress(i + 1, n)
    assert total is not None
    return (total / (255.0 * n)).to(torch.float32).numpy()


def mean_image_for(bundle: DatasetBundle, resize: int, split: str = "train", cache: bool = True,
                   note: Callable[[str], None] | None = None) -> np.ndarray:
    """The ``split``'s mean image at side ``resize``: from the cache, or computed once and cached."""
    path = mean_image_path(bundle, resize, split)
    if cache and path.is_file():
        try:
            return np.load(path)
        except (OSError, ValueError):  # a damaged cache file: computed again
            pass
    if note is not None:
        note(f"computing {bundle.name}'s mean image over its {len(getattr(bundle, split)):,} {split} images "
             f"({resize}x{resize}, once; cached in {path.parent})")
    m = compute_mean_image(getattr(bundle, split), resize)
    if cache:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp.npy")
            np.save(tmp, m)
            tmp.replace(path)
        except OSError as err:  # a read-only cache: the mean image still serves this run
            if note is not None:
                note(f"the mean image could not be cached ({err})")
    return m
