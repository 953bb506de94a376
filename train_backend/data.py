"""Datasets: a registry of the data the app trains on, each with class names and a normalisation.

``load_dataset(name, root=None, ...)`` returns a :class:`DatasetBundle` whose ``train`` and ``val``
datasets yield ``(image, label)`` with ``image`` a uint8 tensor (C, H, W) or an RGB ``PIL.Image``;
augmentation (:mod:`train_backend.augment`) is applied on top by the engine's datasets.

Kinds: ``fashion-mnist`` (real data: a given root, Debian's ``/usr/share/datasets/fashion-mnist``,
the user cache, or torchvision's download), ``cifar10`` (torchvision), ``folder`` (an ImageFolder
tree with ``train/`` + ``val/`` or a seeded split, or Kaggle's dogs-vs-cats flat folder of
``cat.0.jpg``, ``dog.0.jpg``, ...) and ``synthetic`` (generated, offline).
"""

from __future__ import annotations

import gzip
import logging
import os
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np
import torch
from torch.utils.data import Dataset

from .images import IMAGE_EXTENSIONS, ImageLoadError, load_image

log = logging.getLogger(__name__)

DEBIAN_FASHION_MNIST = Path("/usr/share/datasets/fashion-mnist")
IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)

FASHION_MNIST_CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                         "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
FASHION_MNIST_FILES = {
    "train_images": "train-images-idx3-ubyte", "train_labels": "train-labels-idx1-ubyte",
    "test_images": "t10k-images-idx3-ubyte", "test_labels": "t10k-labels-idx1-ubyte",
}


class DataError(ValueError):
    """A dataset could not be found or read; the message names the path and what to do."""


@dataclass
class DatasetBundle:
    """A dataset ready to train on: splits, class names, normalisation and provenance."""

    name: str
    train: Dataset
    val: Dataset
    classes: list[str]
    mean: tuple[float, ...]
    std: tuple[float, ...]
    channels: int  # channels of the stored images (1 for Fashion-MNIST)
    native_size: int  # side of the stored images (typical, for folders)
    source: str  # where the data came from, for the status bar and run configs
    warnings: list[str] = field(default_factory=list)

    @property
    def num_classes(self) -> int:
        return len(self.classes)

    def describe(self) -> str:
        return (f"{self.name}: {len(self.train)} train / {len(self.val)} val images, "
                f"{self.num_classes} classes, {self.channels}ch {self.native_size}px, from {self.source}")


def cache_dir() -> Path:
    """Where downloads go: $ALEXNET_GUI_CACHE, else $XDG_CACHE_HOME/alexnet-gui, else ~/.cache/alexnet-gui."""
    env = os.environ.get("ALEXNET_GUI_CACHE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "alexnet-gui"


# --------------------------------------------------------------------------------------- tensors
class TensorImages(Dataset):
    """Images held in memory as a uint8 tensor (N, H, W) or (N, C, H, W) with integer labels."""

    def __init__(self, images: torch.Tensor, labels: torch.Tensor) -> None:
        if images.dim() == 3:
            images = images.unsqueeze(1)
        if len(images) != len(labels):
            raise DataError(f"{len(images)} images but {len(labels)} labels")
        self.images = images
        self.labels = labels.long()
        self.targets = self.labels.tolist()

    def __len__(self) -> int:
        return len(self.images)

    def __getitem__(self, i: int):
        return self.images[i], int(self.labels[i])


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


# --------------------------------------------------------------------------------------- cifar10
def load_cifar10(root=None, download: bool = False, **_: Any) -> DatasetBundle:
    from torchvision.datasets import CIFAR10

    target = Path(root) if root is not None else cache_dir()
    try:
        tr = CIFAR10(str(target), train=True, download=download)
        te = CIFAR10(str(target), train=False, download=download)
    except RuntimeError as err:
        raise DataError(f"CIFAR-10 not found in '{target}' ({err}); allow the download or give --data-root") from None
    to_t = lambda ds: TensorImages(torch.from_numpy(ds.data).permute(0, 3, 1, 2).contiguous(),  # noqa: E731
                                   torch.tensor(ds.targets))
    return DATASETS["cifar10"].bundle(to_t(tr), to_t(te), source=str(target), classes=list(tr.classes))


# ---------------------------------------------------------------------------------------- folder
class ImageFiles(Dataset):
    """A list of (path, label) loaded with :func:`load_image`; an unreadable file is skipped with a warning."""

    def __init__(self, samples: Sequence[tuple[str, int]]) -> None:
        self.samples = list(samples)
        self.targets = [label for _, label in self.samples]
        self.bad: set[str] = set()

    def __len__(self) -> int:
        return len(self.samples)

    def __getitem__(self, i: int):
        for attempt in range(len(self.samples)):
            path, label = self.samples[(i + attempt) % len(self.samples)]
            if path in self.bad:
                continue
            try:
                return load_image(path), label  # a substitute keeps its own label
            except ImageLoadError as err:
                self.bad.add(path)
                warnings.warn(f"skipping unreadable image: {err}", RuntimeWarning, stacklevel=2)
        raise DataError("no readable image left in the dataset")


_SYNSET = re.compile(r"^n\d{8}$")


def _scan_classes(folder: Path) -> list[str]:
    return sorted(d.name for d in folder.iterdir() if d.is_dir() and not d.name.startswith("."))


def _unreadable(path: str) -> str | None:
    """Why PIL cannot open ``path``'s header, or None when it can."""
    from PIL import Image

    try:
        with Image.open(path) as im:
            im.size  # header only
    except Exception as err:  # noqa: BLE001 - any failure means unreadable
        return f"{path} ({type(err).__name__}: {err})"
    return None


def _is_image_name(fname: str) -> bool:
    return not fname.startswith(".") and Path(fname).suffix.lower() in IMAGE_EXTENSIONS


def _checked(candidates: Sequence[tuple[str, int]], verify: bool) -> tuple[list[tuple[str, int]], list[str]]:
    """The (path, label) pairs whose files open, and why the others do not (when ``verify``)."""
    samples, bad = [], []
    for path, label in candidates:
        why = _unreadable(path) if verify else None
        if why is None:
            samples.append((path, label))
        else:
            bad.append(why)
    return samples, bad


def _scan_files(folder: Path, classes: list[str], verify: bool) -> tuple[list[tuple[str, int]], list[str]]:
    candidates = []
    for label, cls in enumerate(classes):
        cdir = folder / cls
        if not cdir.is_dir():
            continue
        for dirpath, _dirs, files in os.walk(cdir, followlinks=True):
            candidates += [(os.path.join(dirpath, f), label) for f in sorted(files) if _is_image_name(f)]
    return _checked(candidates, verify)


#: Kaggle's dogs-vs-cats names: ``<class>.<anything>.<ext>`` (``cat.0.jpg``, ``dog.12499.jpg``)
_FLAT_NAME = re.compile(r"^([^.]+)\.(.+)\.[^.]+$")


def _flat_files(folder: Path) -> tuple[list[tuple[str, str]], list[str]] | None:
    """Kaggle's layout: no class sub-folders, image files named ``<class>.<anything>.<ext>`` in ``folder``.

    Returns (path, class name) pairs and the names of image files that do not match, or None when
    ``folder`` is not in that layout (it has sub-folders, or no image file names a class)."""
    if _scan_classes(folder):
        return None
    matched, other = [], []
    for fname in sorted(f.name for f in folder.iterdir() if f.is_file() and _is_image_name(f.name)):
        m = _FLAT_NAME.match(fname)
        if m:
            matched.append((str(folder / fname), m.group(1)))
        else:
            other.append(fname)
    return (matched, other) if matched else None


def _split(samples: list[tuple[str, int]], val_fraction: float, seed: int):
    """A seeded split stratified by class: ``val_fraction`` of each class (at least one image when a class
    has two or more and the fraction is not 0, never all of them) for validation."""
    rng = np.random.default_rng(seed)
    by_class: dict[int, list[tuple[str, int]]] = {}
    for s in samples:
        by_class.setdefault(s[1], []).append(s)
    train_s, val_s = [], []
    for label in sorted(by_class):
        items = by_class[label]
        order = rng.permutation(len(items))
        n_val = int(round(len(items) * val_fraction)) if len(items) > 1 else 0
        n_val = min(n_val, len(items) - 1)
        if len(items) > 1 and val_fraction > 0:
            n_val = max(n_val, 1)
        val_s += [items[j] for j in order[:n_val]]
        train_s += [items[j] for j in order[n_val:]]
    return train_s, val_s


def _shown(names: Sequence[str]) -> str:
    return "; ".join(names[:5]) + (f"; and {len(names) - 5} more" if len(names) > 5 else "")


def _warn(notes: list[str], msg: str) -> None:
    notes.append(msg)
    warnings.warn(msg, RuntimeWarning, stacklevel=3)


def folder_class_names(classes: list[str]) -> list[str]:
    """Human names: ImageNet synset folders (all 1000 of them) get torchvision's ImageNet names."""
    if len(classes) == 1000 and all(_SYNSET.match(c) for c in classes):
        from .models import imagenet_categories

        return imagenet_categories()
    return list(classes)


def load_folder(root=None, val_fraction: float = 0.2, seed: int = 0, verify: bool | None = None,
                **_: Any) -> DatasetBundle:
    """A folder of images as a data set, in one of three layouts:

    - one sub-folder of images per class (torchvision's ImageFolder), split ``val_fraction`` / rest with
      ``seed`` (stratified);
    - ``train/`` and ``val/`` (or ``valid/``), each with one sub-folder per class: the given split;
    - Kaggle's dogs-vs-cats: one flat folder of ``<class>.<anything>.<ext>`` files (``cat.0.jpg``), the class
      being the name's prefix, either the root itself or its ``train/`` (Kaggle's zip also holds an
      unlabelled ``test1/``, which is ignored and said so in the warnings); split as the first layout.
    """
    if root is None:
        raise DataError("the folder dataset needs a root: a folder with one sub-folder of images per class, "
                        "or a flat folder of <class>.<n>.jpg files")
    root = Path(root).expanduser()
    if not root.exists():
        raise DataError(f"dataset folder '{root}' does not exist")
    if not root.is_dir():
        raise DataError(f"'{root}' is a file, not a dataset folder")
    if not 0 <= val_fraction < 1:
        raise DataError(f"the validation fraction must be in [0, 1) (got {val_fraction})")
    notes: list[str] = []
    count_hint = sum(1 for _ in root.rglob("*") if _.suffix.lower() in IMAGE_EXTENSIONS)
    if verify is None:
        verify = count_hint <= 20_000
    has_splits = (root / "train").is_dir() and ((root / "val").is_dir() or (root / "valid").is_dir())
    flat = _flat_files(root)
    train_dir = root
    if flat is None and not has_splits and (root / "train").is_dir():
        flat = _flat_files(root / "train")
        if flat is not None:
            train_dir = root / "train"
            others = sorted(d.name for d in root.iterdir() if d.is_dir() and d.name not in ("train",)
                            and not d.name.startswith("."))
            if others:
                notes.append(f"trained on '{train_dir}' (files named <class>.<n>.<ext>); ignored "
                             f"{', '.join(o + '/' for o in others)}: no labels there (Kaggle's test1/ is unlabelled)")
    if flat is not None:
        files, unmatched = flat
        classes = sorted({cls for _, cls in files})
        if len(classes) < 2:
            raise DataError(f"'{train_dir}' holds files of one class only ('{classes[0]}.*'): a classifier needs "
                            "two or more (files named <class>.<n>.<ext>, e.g. cat.0.jpg and dog.0.jpg)")
        if unmatched:
            _warn(notes, f"skipped {len(unmatched)} image file(s) in '{train_dir}' not named <class>.<n>.<ext>: "
                         f"{_shown(unmatched)}")
        index = {c: i for i, c in enumerate(classes)}
        train_s, bad = _checked([(p, index[c]) for p, c in files], verify)
        train_s, val_s = _split(train_s, val_fraction, seed)
    else:
        if has_splits:
            train_dir = root / "train"
            val_dir = root / "val" if (root / "val").is_dir() else root / "valid"
        else:
            val_dir = root
        classes = _scan_classes(train_dir)
        if not classes:
            raise DataError(f"'{train_dir}' has no class sub-folders: make one folder of images per class, "
                            "or name the files <class>.<n>.<ext> (cat.0.jpg, dog.0.jpg)")
        if len(classes) < 2:
            raise DataError(f"'{train_dir}' has only one class folder ('{classes[0]}'): a classifier needs two or more")
        train_s, bad = _scan_files(train_dir, classes, verify)
        if has_splits:
            val_s, bad_v = _scan_files(val_dir, classes, verify)
            bad += bad_v
        else:
            train_s, val_s = _split(train_s, val_fraction, seed)
    if bad:
        _warn(notes, f"skipped {len(bad)} unreadable image file(s): {_shown(bad)}")
    if not train_s:
        raise DataError(f"'{train_dir}' has class folders but no readable images "
                        f"(looked for {', '.join(IMAGE_EXTENSIONS)})")
    train_counts = np.bincount([lab for _, lab in train_s], minlength=len(classes))
    val_counts = np.bincount([lab for _, lab in val_s], minlength=len(classes)) if val_s else \
        np.zeros(len(classes), int)
    empty_train = [classes[i] for i in np.flatnonzero(train_counts == 0)]
    if empty_train:
        raise DataError(f"class folder(s) with no training images in '{train_dir}': {', '.join(empty_train)}")
    empty_val = [classes[i] for i in np.flatnonzero(val_counts == 0)]
    if empty_val and (val_fraction > 0 or has_splits):  # a fraction of 0 asks for no validation
        _warn(notes, f"no validation images for class(es): {', '.join(empty_val)} (add images or use a larger split)")
    return DATASETS["folder"].bundle(ImageFiles(train_s), ImageFiles(val_s), source=str(root),
                                     classes=folder_class_names(classes), warnings=notes)


# ------------------------------------------------------------------------------------- synthetic
SYNTHETIC_CLASSES = ["red disc", "green square", "blue triangle", "yellow ring",
                     "horizontal stripes", "vertical stripes", "diagonal stripes", "checkerboard"]


class SyntheticShapes(Dataset):
    """Deterministic coloured shapes and oriented textures, generated per index (no files, no network).

    Shapes (disc, square, triangle, ring) carry a class colour; textures (three stripe orientations
    and a checkerboard) take random colours, so a network must learn colour *and* orientation, the
    two things the paper's conv1 kernels show.
    """

    COLOURS = {0: (0.9, 0.15, 0.1), 1: (0.1, 0.8, 0.2), 2: (0.15, 0.3, 0.95), 3: (0.95, 0.85, 0.1)}

    def __init__(self, n: int, size: int = 64, seed: int = 0) -> None:
        self.n, self.size, self.seed = n, size, seed
        self.targets = [i % len(SYNTHETIC_CLASSES) for i in range(n)]

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, i: int):
        if not 0 <= i < self.n:
            raise IndexError(i)
        label = self.targets[i]
        return torch.from_numpy(self.render(i, label)), label

    def render(self, i: int, label: int) -> np.ndarray:
        s = self.size
        rng = np.random.default_rng([self.seed, i])
        yy, xx = np.mgrid[0:s, 0:s].astype(np.float32) / s
        bg = rng.uniform(0.0, 0.35, size=3).astype(np.float32)
        img = np.broadcast_to(bg[:, None, None], (3, s, s)).copy()
        if label < 4:
            cx, cy = rng.uniform(0.3, 0.7, size=2)
            r = rng.uniform(0.18, 0.32)
            dx, dy = xx - cx, yy - cy
            if label == 0:
                mask = dx * dx + dy * dy < r * r
            elif label == 1:
                mask = (np.abs(dx) < r * 0.85) & (np.abs(dy) < r * 0.85)
            elif label == 2:
                mask = (dy < r * 0.7) & (dy > -r) & (np.abs(dx) < (dy + r) * 0.6)
            else:
                d2 = dx * dx + dy * dy
                mask = (d2 < r * r) & (d2 > (0.55 * r) ** 2)
            colour = np.clip(np.array(self.COLOURS[label]) + rng.normal(0, 0.06, 3), 0, 1).astype(np.float32)
            img[:, mask] = colour[:, None]
        else:
            freq = rng.uniform(4.0, 9.0)
            phase = rng.uniform(0, 2 * np.pi)
            if label == 4:
                wave = np.sin(2 * np.pi * freq * yy + phase)
            elif label == 5:
                wave = np.sin(2 * np.pi * freq * xx + phase)
            elif label == 6:
                sign = 1.0 if rng.random() < 0.5 else -1.0
                wave = np.sin(2 * np.pi * freq * (xx + sign * yy) / np.sqrt(2) + phase)
            else:
                wave = np.sign(np.sin(2 * np.pi * freq / 2 * xx + phase) * np.sin(2 * np.pi * freq / 2 * yy + phase))
            c1, c2 = rng.uniform(0, 1, size=(2, 3)).astype(np.float32)
            t = (wave > 0).astype(np.float32)
            img = c1[:, None, None] * t + c2[:, None, None] * (1 - t)
        img += rng.normal(0, 0.04, size=img.shape).astype(np.float32)
        return (np.clip(img, 0, 1) * 255 + 0.5).astype(np.uint8)


def load_synthetic(root=None, n_train: int = 2048, n_val: int = 512, size: int = 64, seed: int = 0,
                   **_: Any) -> DatasetBundle:
    train = SyntheticShapes(n_train, size, seed=seed)
    val = SyntheticShapes(n_val, size, seed=seed + 1_000_003)
    return DATASETS["synthetic"].bundle(train, val, source="generated", native_size=size)


CIFAR10_CLASSES = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]


@dataclass(frozen=True)
class DatasetSpec:
    """A registered data set: how to load it and what is known of it without loading it."""

    name: str
    load: Callable[..., DatasetBundle]
    description: str
    mean: tuple[float, ...]
    std: tuple[float, ...]
    classes: tuple[str, ...] | None  # None: the files decide (a folder's sub-folders or name prefixes)
    channels: int
    native_size: int
    aliases: tuple[str, ...] = ()

    def bundle(self, train: Dataset, val: Dataset, source: str, classes: Sequence[str] | None = None,
               native_size: int | None = None, warnings: list[str] | None = None) -> DatasetBundle:
        """A loaded data set with this spec's statistics (the loader gives the splits and what it found)."""
        names = list(classes if classes is not None else self.classes or ())
        return DatasetBundle(self.name, train, val, names, self.mean, self.std, channels=self.channels,
                             native_size=native_size or self.native_size, source=source,
                             warnings=list(warnings or []))


#: The registry of data sets: CLI choices, the settings dialog and ``alexnet-gui list`` read it.
DATASETS: dict[str, DatasetSpec] = {}


def register_dataset(spec: DatasetSpec) -> DatasetSpec:
    DATASETS[spec.name] = spec
    return spec


register_dataset(DatasetSpec(
    "fashion-mnist", load_fashion_mnist, "the real Fashion-MNIST: 60,000 / 10,000 grey 28 px images, 10 classes",
    (0.2860,), (0.3530,), tuple(FASHION_MNIST_CLASSES), channels=1, native_size=28, aliases=("fashionmnist", "fmnist")))
register_dataset(DatasetSpec(
    "cifar10", load_cifar10, "CIFAR-10: 50,000 / 10,000 colour 32 px images, 10 classes (torchvision)",
    (0.4914, 0.4822, 0.4465), (0.2470, 0.2435, 0.2616), tuple(CIFAR10_CLASSES), channels=3, native_size=32))
register_dataset(DatasetSpec(
    "folder", load_folder, "your images: one sub-folder per class (train/ + val/ or a seeded split), or Kaggle's "
    "flat cat.0.jpg / dog.0.jpg folder", IMAGENET_MEAN, IMAGENET_STD, None, channels=3, native_size=256))
register_dataset(DatasetSpec(
    "synthetic", load_synthetic, "generated coloured shapes and oriented stripes, 8 classes, no files needed",
    (0.45, 0.45, 0.45), (0.3, 0.3, 0.3), tuple(SYNTHETIC_CLASSES), channels=3, native_size=64))
DATASET_NAMES = tuple(DATASETS)


def load_dataset(name: str, root: str | os.PathLike | None = None, **options: Any) -> DatasetBundle:
    """Load a dataset by registry name (or alias); raises :class:`DataError` with a clear message."""
    key = name.lower().replace("_", "-")
    key = next((s.name for s in DATASETS.values() if key in s.aliases), key)
    if key not in DATASETS:
        raise DataError(f"unknown dataset {name!r}; choose one of {', '.join(DATASETS)}")
    if root is not None and key != "synthetic" and not Path(root).expanduser().exists():
        raise DataError(f"data root '{root}' does not exist")
    return DATASETS[key].load(root=root, **options)


def known_dataset_info(name: str) -> tuple[tuple[float, ...], tuple[float, ...], list[str] | None]:
    """(mean, std, class names) of a dataset without loading it; folders get ImageNet's stats and no names."""
    spec = DATASETS.get(name, DATASETS["folder"])
    return tuple(spec.mean), tuple(spec.std), (list(spec.classes) if spec.classes else None)


def default_dataset() -> str:
    """Fashion-MNIST when its files are on this machine, else the synthetic set."""
    return "fashion-mnist" if fashion_mnist_folder() is not None else "synthetic"
