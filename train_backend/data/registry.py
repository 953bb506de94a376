"""The registry of data sets and what a loaded one is: :class:`DatasetSpec` (how to load it, its statistics and class
names, known without loading) and :class:`DatasetBundle` (the splits ready to train on).  A data set is one module in
this folder that calls :func:`register_dataset`, imported by ``train_backend/data/__init__.py``."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

import torch
from torch.utils.data import Dataset

from ..errors import AlexNetGuiError
from ..i18n import QT_TRANSLATE_NOOP

IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)


class DataError(AlexNetGuiError, ValueError):
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
    train_size: int | None = None  # training images, where known without reading the files (None: a folder's)

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



def load_dataset(name: str, root: str | os.PathLike | None = None, **options: Any) -> DatasetBundle:
    """Load a dataset by registry name (or alias); raises :class:`DataError` with a clear message."""
    key = name.lower().replace("_", "-")
    key = next((s.name for s in DATASETS.values() if key in s.aliases), key)
    if key not in DATASETS:
        raise DataError(f"unknown dataset {name!r}; choose one of {', '.join(DATASETS)}")
    check_root(key, root)
    return DATASETS[key].load(root=root, **options)


def check_root(name: str, root: str | os.PathLike | None) -> None:
    """:class:`DataError` when ``root`` is given for a data set read from disk and does not exist."""
    if root is not None and name != "synthetic" and not Path(root).expanduser().exists():
        raise DataError(f"data root '{root}' does not exist")


def dataset_train_size(name: str) -> int | None:
    """The training images of a registered data set, known without loading it (None: unknown, e.g. a folder)."""
    spec = DATASETS.get(name)
    return spec.train_size if spec is not None else None


def classes_title(classes: Sequence[str]) -> str:
    """What a model's classes are, in words: "the 10 Fashion-MNIST classes" where they are a registered data set's,
    "the 1,000 ImageNet classes" for 1,000 of them, else "its N classes"."""
    names = list(classes)
    for spec in DATASETS.values():
        if spec.classes and list(spec.classes) == names:
            title = {"fashion-mnist": "Fashion-MNIST", "cifar10": "CIFAR-10"}.get(spec.name, spec.name)
            return QT_TRANSLATE_NOOP("Data", "the {count:,} {title} classes").format(count=len(names), title=title)
    if len(names) == 1000:
        return QT_TRANSLATE_NOOP("Data", "the 1,000 ImageNet classes")
    return QT_TRANSLATE_NOOP("Data", "its {count:,} classes").format(count=len(names))


def known_dataset_info(name: str) -> tuple[tuple[float, ...], tuple[float, ...], list[str] | None]:
    """(mean, std, class names) of a dataset without loading it; folders get ImageNet's stats and no names."""
    spec = DATASETS.get(name, DATASETS["folder"])
    return tuple(spec.mean), tuple(spec.std), (list(spec.classes) if spec.classes else None)

