"""Generated coloured shapes and oriented stripes: a data set with no files and no network."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from torch.utils.data import Dataset

from ..i18n import QT_TRANSLATE_NOOP
from .registry import DATASETS, DatasetBundle, DatasetSpec, register_dataset

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


register_dataset(DatasetSpec(
    "synthetic", load_synthetic, QT_TRANSLATE_NOOP("Data", "generated coloured shapes and oriented stripes, 8 "
                                                           "classes, no files needed"),
    (0.45, 0.45, 0.45), (0.3, 0.3, 0.3), tuple(SYNTHETIC_CLASSES), channels=3, native_size=64, train_size=2048))
