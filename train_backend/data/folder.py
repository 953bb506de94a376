"""The user's own images: an ImageFolder tree with ``train/`` + ``val/`` or a seeded split, or Kaggle's dogs-vs-cats
flat folder of ``cat.0.jpg``, ``dog.0.jpg``, ...; an unreadable file is skipped with a warning."""

from __future__ import annotations

import logging
import os
import re
import warnings
from pathlib import Path
from typing import Any, Sequence

import numpy as np
from torch.utils.data import Dataset

from .images import IMAGE_EXTENSIONS, ImageLoadError, load_image
from ..i18n import QT_TRANSLATE_NOOP
from .registry import DATASETS, IMAGENET_MEAN, IMAGENET_STD, DataError, DatasetBundle, DatasetSpec, register_dataset

log = logging.getLogger(__name__)

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
        from ..models import imagenet_categories

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



register_dataset(DatasetSpec(
    "folder", load_folder, QT_TRANSLATE_NOOP("Data", "your images: one sub-folder per class (train/ + val/ or a seeded "
                                                     "split), or Kaggle's flat cat.0.jpg / dog.0.jpg folder"), IMAGENET_MEAN, IMAGENET_STD, None, channels=3, native_size=256))