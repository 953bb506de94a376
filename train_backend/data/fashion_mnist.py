"""The real Fashion-MNIST: a given root, Debian's ``/usr/share/datasets/fashion-mnist``, the user cache, or
torchvision's download."""

from __future__ import annotations

import gzip
import logging
import os
from pathlib import Path
from typing import Any

import numpy as np
import torch

from ..i18n import QT_TRANSLATE_NOOP
from .registry import DATASETS, DataError, DatasetBundle, DatasetSpec, TensorImages, cache_dir, register_dataset

log = logging.getLogger(__name__)

DEBIAN_FASHION_MNIST = Path("/usr/share/datasets/fashion-mnist")
FASHION_MNIST_CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                         "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
FASHION_MNIST_FILES = {
    "train_images": "train-images-idx3-ubyte", "train_labels": "train-labels-idx1-ubyte",
    "test_images": "t10k-images-idx3-ubyte", "test_labels": "t10k-labels-idx1-ubyte",
}


# --------------------------------------------------------------------------------- fashion-mnist
def read_idx(path: str | os.PathLike) -> np.ndarray:
    """Read an IDX file (optionally gzipped) into a NumPy array, checking its header and size."""
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rb") as f:
            data = f.read()
    except (OSError, EOFError) as err:
        raise DataError(f"cannot read IDX file '{path}': {err}") from None
    if len(data) < 4 or data[0] != 0 or data[1] != 0 or data[2] != 0x08:
        raise DataError(f"'{path}' is not an unsigned-byte IDX file (bad magic number)")
    ndim = data[3]
    header = 4 + 4 * ndim
    if len(data) < header:
        raise DataError(f"'{path}' is truncated (header cut short)")
    dims = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim)]
    expected = header + int(np.prod(dims))
    if len(data) != expected:
        raise DataError(f"'{path}' has the wrong size: {len(data)} bytes, its header {dims} needs {expected}")
    return np.frombuffer(data, dtype=np.uint8, offset=header).reshape(dims).copy()


def _find_idx(folder: Path, stem: str) -> Path | None:
    for candidate in (folder / (stem + ".gz"), folder / stem):
        if candidate.is_file():
            return candidate
    return None


def fashion_mnist_folder(root: str | os.PathLike | None = None) -> Path | None:
    """The first folder holding the four Fashion-MNIST IDX files, searching the usual places."""
    candidates: list[Path] = []
    if root is not None:
        r = Path(root)
        candidates += [r, r / "FashionMNIST" / "raw", r / "fashion-mnist"]
    else:
        candidates += [DEBIAN_FASHION_MNIST, cache_dir() / "FashionMNIST" / "raw"]
    for folder in candidates:
        if all(_find_idx(folder, stem) for stem in FASHION_MNIST_FILES.values()):
            return folder
    return None


def load_fashion_mnist(root=None, download: bool = False, **_: Any) -> DatasetBundle:
    folder = fashion_mnist_folder(root)
    if folder is None and download:
        from torchvision.datasets import FashionMNIST

        target = Path(root) if root is not None else cache_dir()
        log.info("downloading Fashion-MNIST into %s", target)
        FashionMNIST(str(target), train=True, download=True)
        FashionMNIST(str(target), train=False, download=True)
        folder = fashion_mnist_folder(target)
    if folder is None:
        where = f"'{root}'" if root is not None else f"'{DEBIAN_FASHION_MNIST}' or '{cache_dir()}'"
        raise DataError(
            f"Fashion-MNIST not found in {where}. Install Debian's package dataset-fashion-mnist, "
            "point --data-root at a folder with the four IDX files, or allow the download.")
    arrays = {k: read_idx(_find_idx(folder, stem)) for k, stem in FASHION_MNIST_FILES.items()}
    for split in ("train", "test"):
        if len(arrays[f"{split}_images"]) != len(arrays[f"{split}_labels"]):
            raise DataError(f"Fashion-MNIST in '{folder}': {split} images and labels differ in count")
        if arrays[f"{split}_images"].ndim != 3:
            raise DataError(f"Fashion-MNIST in '{folder}': {split} images are not N x 28 x 28")
    train = TensorImages(torch.from_numpy(arrays["train_images"]), torch.from_numpy(arrays["train_labels"]))
    val = TensorImages(torch.from_numpy(arrays["test_images"]), torch.from_numpy(arrays["test_labels"]))
    return DATASETS["fashion-mnist"].bundle(train, val, source=str(folder))




register_dataset(DatasetSpec(
    "fashion-mnist", load_fashion_mnist, QT_TRANSLATE_NOOP("Data", "the real Fashion-MNIST: 60,000 / 10,000 grey 28 "
                                                                   "px images, 10 classes"),
    (0.2860,), (0.3530,), tuple(FASHION_MNIST_CLASSES), channels=1, native_size=28, aliases=("fashionmnist", "fmnist"),
    train_size=60_000))


def default_dataset() -> str:
    """Fashion-MNIST when its files are on this machine, else the synthetic set."""
    return "fashion-mnist" if fashion_mnist_folder() is not None else "synthetic"
