"""Datasets: a registry of the data the app trains on, each with class names and a normalisation.

``load_dataset(name, root=None, ...)`` returns a :class:`DatasetBundle` whose ``train`` and ``val``
datasets yield ``(image, label)`` with ``image`` a uint8 tensor (C, H, W) or an RGB ``PIL.Image``;
augmentation (:mod:`train_backend.data.augment`) is applied on top by the engine's datasets.

A data set is one module in this folder that calls :func:`register_dataset`, plus its import below (the order is
the order the CLI and the dialogs list them).
"""

from __future__ import annotations

from .registry import (DATASETS, classes_title, dataset_train_size, IMAGENET_MEAN, IMAGENET_STD, DataError, DatasetBundle, DatasetSpec, TensorImages,
                       cache_dir, known_dataset_info, load_dataset, register_dataset)
from .fashion_mnist import (DEBIAN_FASHION_MNIST, FASHION_MNIST_CLASSES, FASHION_MNIST_FILES, default_dataset,
                            fashion_mnist_folder, load_fashion_mnist, read_idx)
from .cifar10 import CIFAR10_CLASSES, load_cifar10
from .folder import ImageFiles, folder_class_names, load_folder
from .synthetic import SYNTHETIC_CLASSES, SyntheticShapes, load_synthetic

DATASET_NAMES = tuple(DATASETS)

__all__ = ["classes_title", "dataset_train_size", "CIFAR10_CLASSES", "DATASETS", "DATASET_NAMES", "DEBIAN_FASHION_MNIST", "DataError", "DatasetBundle",
           "DatasetSpec", "FASHION_MNIST_CLASSES", "FASHION_MNIST_FILES", "IMAGENET_MEAN", "IMAGENET_STD",
           "ImageFiles", "SYNTHETIC_CLASSES", "SyntheticShapes", "TensorImages", "cache_dir", "default_dataset",
           "fashion_mnist_folder", "folder_class_names", "known_dataset_info", "load_cifar10", "load_dataset",
           "load_fashion_mnist", "load_folder", "load_synthetic", "read_idx", "register_dataset"]
