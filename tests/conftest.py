"""Shared fixtures. Qt runs offscreen; QSettings and caches go to temporary folders."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402

from train_backend.data import fashion_mnist_folder  # noqa: E402

torch.set_num_threads(max(1, min(2, os.cpu_count() or 1)))

requires_fashion_mnist = pytest.mark.skipif(
    fashion_mnist_folder() is None,
    reason="real Fashion-MNIST not installed (apt-get install dataset-fashion-mnist puts it in "
           "/usr/share/datasets/fashion-mnist)")


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("ALEXNET_GUI_CACHE", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.setenv("TORCH_HOME", str(tmp_path_factory.mktemp("torch_home")))


@pytest.fixture
def rng():
    return np.random.default_rng(1234)
