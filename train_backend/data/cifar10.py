"""CIFAR-10 through torchvision."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import torch

from ..i18n import QT_TRANSLATE_NOOP
from .registry import DATASETS, DataError, DatasetBundle, DatasetSpec, TensorImages, cache_dir, register_dataset

CIFAR10_CLASSES = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]


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




register_dataset(DatasetSpec(
    "cifar10", load_cifar10, QT_TRANSLATE_NOOP("Data", "CIFAR-10: 50,000 / 10,000 colour 32 px images, 10 classes "
                                                       "(torchvision)"),
    (0.4914, 0.4822, 0.4465), (0.2470, 0.2435, 0.2616), tuple(CIFAR10_CLASSES), channels=3, native_size=32, train_size=50_000))
