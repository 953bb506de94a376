"""Images of a data set by index, for views that list them (a confusion cell's images, the most confidently wrong
ones): thumbnails and the images themselves as uint8 RGB, with their labels, loaded where the analyses run (the
worker), never on a GUI thread.

The split is the one an evaluation of the same weights uses (:func:`validation_bundle`): a folder's validation images
are chosen by the fraction and seed the weights were trained with, so an index from an evaluation names the same
image here.  The last two loaded data sets are kept, so listing another cell costs no second load.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np
import torch
from PIL import Image, ImageOps

from ..data import DatasetBundle, load_dataset
from ..io.checkpoints import LoadedWeights
from .passes import AnalysisError, split_of
from .registry import register_analysis

THUMB = 64  # thumbnail side
MAX_SIDE = 512  # the images themselves, shrunk to fit this square when larger
MAX_IMAGES = 256  # one request lists at most this many

__all__ = ["DatasetImages", "dataset_images", "images_of", "item_rgb", "validation_bundle", "validation_options"]


def validation_options(weights: LoadedWeights | None, dataset: str) -> dict[str, Any]:
    """``load_dataset`` options that give the validation split ``weights`` were trained with (a folder's fraction and
    seed from their checkpoint's config; the defaults without one); other data sets have a fixed split."""
    trained = ((weights.checkpoint if weights is not None else None) or {}).get("config") or {}
    if dataset.lower() != "folder":
        return {}
    return {"val_fraction": float(trained.get("val_fraction", 0.2)), "seed": int(trained.get("split_seed", 0))}


@functools.lru_cache(maxsize=2)
def _load(name: str, root: str | None, options: tuple[tuple[str, Any], ...]) -> DatasetBundle:
    return load_dataset(name, root, **dict(options))


def validation_bundle(weights: LoadedWeights | None, dataset: str | DatasetBundle | None,
                      data_root: str | os.PathLike | None = None) -> DatasetBundle:
    """The data set as an evaluation of ``weights`` sees it: ``dataset`` (or the one the weights were trained on),
    its root (or the one they were trained with) and their validation split (cached: the last two)."""
    if isinstance(dataset, DatasetBundle):
        return dataset
    trained = ((weights.checkpoint if weights is not None else None) or {})
    name = dataset or trained.get("dataset")
    if not name:
        raise AnalysisError("say which data set the images come from")
    root = data_root if data_root is not None else (trained.get("config") or {}).get("data_root")
    options = tuple(sorted(validation_options(weights, name).items()))
    return _load(str(name), None if root is None else str(root), options)


def item_rgb(image: Image.Image | torch.Tensor | np.ndarray, max_side: int | None = MAX_SIDE) -> np.ndarray:
    """A data set's image (a PIL image, or a uint8/float tensor (C, H, W) or (H, W)) as uint8 RGB (H, W, 3), shrunk
    to fit ``max_side`` when larger."""
    if isinstance(image, Image.Image):
        pil = image.convert("RGB")
    else:
        a = image.detach().cpu().numpy() if isinstance(image, torch.Tensor) else np.asarray(image)
        if a.ndim == 3 and a.shape[0] in (1, 3) and a.shape[2] not in (1, 3):
            a = a.transpose(1, 2, 0)
        if a.ndim == 3 and a.shape[2] == 1:
            a = a[..., 0]
        if a.dtype != np.uint8:
            a = (np.clip(a.astype(np.float32), 0, 1) * 255 + 0.5).astype(np.uint8)
        pil = Image.fromarray(a).convert("RGB")
    if max_side is not None and max(pil.size) > max_side:
        pil.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    return np.asarray(pil, dtype=np.uint8).copy()


def thumbnail(rgb: np.ndarray, side: int = THUMB) -> np.ndarray:
    """The image's central square resized to ``side`` x ``side`` (uint8 RGB)."""
    return np.asarray(ImageOps.fit(Image.fromarray(rgb), (side, side), Image.Resampling.LANCZOS), dtype=np.uint8)


@dataclass(frozen=True)
class DatasetImages:
    """Chosen images of a split, in the order asked for."""

    dataset: str
    split: str
    indices: np.ndarray  # int64 (n,): indices in the split
    labels: np.ndarray  # int64 (n,)
    classes: tuple[str, ...]  # the labels' names
    thumbnails: np.ndarray  # uint8 (n, T, T, 3): each image's central square
    images: tuple[np.ndarray, ...]  # uint8 (H, W, 3) each: the image itself (at most MAX_SIDE a side)

    def __len__(self) -> int:
        return int(len(self.indices))


def images_of(bundle: DatasetBundle, split: str, indices: Sequence[int], thumb: int = THUMB) -> DatasetImages:
    """The images ``indices`` of ``bundle``'s ``split``, with thumbnails and labels."""
    base = split_of(bundle, split)
    rows = np.asarray(list(indices), dtype=np.int64).reshape(-1)
    if rows.size > MAX_IMAGES:
        raise AnalysisError(f"at most {MAX_IMAGES} images at a time (asked for {rows.size})")
    if rows.size and (rows.min() < 0 or rows.max() >= len(base)):  # type: ignore[arg-type]
        raise AnalysisError(f"image indices must be in 0..{len(base) - 1} for the {bundle.name} {split} split")
    if thumb < 1:
        raise AnalysisError("the thumbnail side must be at least 1")
    images, labels = [], []
    for i in rows:
        image, label = base[int(i)]
        images.append(item_rgb(image))
        labels.append(int(label))
    thumbs = np.stack([thumbnail(a, thumb) for a in images]) if images else np.zeros((0, thumb, thumb, 3), np.uint8)
    label_array = np.asarray(labels, dtype=np.int64)
    return DatasetImages(bundle.name, split, rows.copy(), label_array, tuple(bundle.classes[c] for c in labels),
                         thumbs, tuple(images))


@register_analysis("dataset_images", description="chosen images of a data set's split by index, with thumbnails "
                                                 "and labels (a confusion cell's images); the image is not used",
                   cost="dataset")
def dataset_images(weights: LoadedWeights | None, image: Any = None, dataset: str | DatasetBundle | None = None, *,
                   data_root: str | None = None, split: str = "val", indices: Sequence[int] = (),
                   thumb: int = THUMB) -> DatasetImages:
    """The split ``weights`` would be evaluated on (:func:`validation_bundle`), its images ``indices``."""
    return images_of(validation_bundle(weights, dataset, data_root), split, indices, thumb)
