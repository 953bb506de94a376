"""The paper's Figure 4 (left): validation images, each with its five most probable classes, the true class's bar
drawn apart (red in the paper) wherever it ranks.

A fixed, seeded sample of the split (the same ``seed`` gives the same images), classified as
:func:`~train_backend.analysis.probes.predict` classifies one image (the evaluation transform's centre crop, or the
paper's ten crops averaged), in one batch.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F

from ..data import DatasetBundle
from ..io.checkpoints import LoadedWeights
from ..models.modes import evaluating
from .gallery import DatasetImages, images_of, validation_bundle
from .passes import AnalysisError, check_classes, split_of
from .probes import preprocess
from .registry import register_analysis

TOPK = 5
DEFAULT_COUNT = 8
MAX_COUNT = 64

__all__ = ["Top5Grid", "sample_rows", "top5_grid"]


@dataclass(frozen=True)
class Top5Grid:
    """Figure 4 (left): sampled images of a split with their top-k classes and the true class's probability."""

    images: DatasetImages  # the sampled images (indices, labels, true class names, thumbnails, the images)
    top_indices: np.ndarray  # int64 (n, k): the k most probable classes, most probable first
    top_probabilities: np.ndarray  # float32 (n, k)
    top_classes: tuple[tuple[str, ...], ...]  # their names
    true_probability: np.ndarray  # float32 (n,): the true class's probability
    true_rank: np.ndarray  # int64 (n,): the true class's rank (0: the network's answer; >= k: outside the top k)
    seed: int
    ten_crop: bool
    trained: bool
    weights_source: str

    def __len__(self) -> int:
        return len(self.images)


def sample_rows(n: int, count: int, seed: int) -> np.ndarray:
    """``count`` distinct indices of ``n``, drawn with ``seed``, in ascending order."""
    rng = np.random.default_rng(seed)
    return np.sort(rng.choice(n, size=min(count, n), replace=False)).astype(np.int64)


@register_analysis("top5_grid", description="sampled validation images with their top-5 classes and the true "
                                            "class's bar (the paper's Figure 4, left); the image is not used",
                   cost="dataset", layers=lambda m: [m.layer_names()[-1]])
def top5_grid(weights: LoadedWeights, image: Any = None, dataset: str | DatasetBundle | None = None, *,
              data_root: str | None = None, split: str = "val", count: int = DEFAULT_COUNT, seed: int = 0,
              ten_crop: bool = False, topk: int = TOPK, thumb: int = 96) -> Top5Grid:
    """``count`` images of ``dataset``'s ``split`` (seeded by ``seed``) with their ``topk`` classes."""
    if not 1 <= count <= MAX_COUNT:
        raise AnalysisError(f"count must be in 1..{MAX_COUNT}")
    if topk < 1:
        raise AnalysisError("topk must be at least 1")
    bundle = validation_bundle(weights, dataset, data_root)
    check_classes(weights, bundle)
    base = split_of(bundle, split)
    rows = sample_rows(len(base), count, seed)  # type: ignore[arg-type]
    shown = images_of(bundle, split, rows, thumb)
    crops = [preprocess(base[int(i)][0], weights.input, ten_crop=ten_crop, eval_resize=weights.eval_resize)
             for i in rows]
    model = weights.model
    with evaluating(model):  # one forward pass for every crop; softmax per crop, averaged per image as predict does
        logits = model(torch.cat(crops).to(next(model.parameters()).device)).float()
    p = F.softmax(logits, dim=1).cpu().reshape(len(rows), len(crops[0]), -1).mean(1)  # (n, C)
    k = min(topk, p.shape[1])
    top_p, top_i = p.topk(k, dim=1)
    labels = torch.from_numpy(shown.labels)
    true_p = p.gather(1, labels[:, None])[:, 0]
    rank = (p > true_p[:, None]).sum(1)
    names = list(weights.classes)
    top_classes = tuple(tuple(names[j] if j < len(names) else f"class {j}" for j in row) for row in top_i.tolist())
    return Top5Grid(shown, top_i.numpy().astype(np.int64), top_p.numpy().astype(np.float32), top_classes,
                    true_p.numpy().astype(np.float32), rank.numpy().astype(np.int64), seed, ten_crop,
                    weights.trained, weights.source)
