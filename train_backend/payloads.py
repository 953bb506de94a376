"""What the engine sends its listeners: frozen dataclasses of Python scalars and NumPy copies.

Torch-free on purpose (an import-linter contract checks it): the GUI's panels, the worker and tests take
these types from here and never import the engine, and each payload is safe to hand across threads.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class RunInfo:
    """Sent once when training starts."""

    device: str
    device_name: str
    amp_dtype: str | None
    model: str
    parameters: int
    dataset: str
    dataset_source: str
    classes: tuple[str, ...]
    train_size: int
    val_size: int
    batches_per_epoch: int
    total_steps: int
    start_step: int
    start_epoch: int
    config: dict[str, Any]
    run_dir: str | None


@dataclass(frozen=True)
class RunShown:
    """A run's curves begin to be shown: the app's own run starting or continuing (``info``), a run left unfinished
    shown before Start continues it (``stopped``), or a run another process writes, read from disk (``watched``).
    ``restart``: what is drawn is cleared first (False: only the run's name and settings became known)."""

    name: str
    config: dict[str, Any]
    start_step: int = 0
    info: RunInfo | None = None
    stopped: bool = False
    watched: bool = False
    restart: bool = True


@dataclass(frozen=True)
class StepMetrics:
    step: int  # global steps done (1 after the first batch)
    epoch: int  # 0-based epoch the batch belongs to
    batch: int  # batches done in this epoch
    batches_per_epoch: int
    total_steps: int
    loss: float  # mean training loss over the steps since the last StepMetrics
    top1: float  # batch top-1 accuracy over the same steps
    lr: float
    images_per_sec: float
    elapsed_s: float  # training time (pauses excluded)
    eta_s: float | None


@dataclass(frozen=True)
class WrongPrediction:
    """An image of the validation split the network got wrong: its index there, the true and the predicted class,
    and the predicted class's probability."""

    index: int
    true: int
    predicted: int
    confidence: float


@dataclass(frozen=True)
class EvaluatedImages:
    """Every image of an evaluation: its index in the validation split, its true and predicted class and the
    predicted class's probability (arrays of one length), so a view can list the images of any confusion cell."""

    index: np.ndarray  # int64
    true: np.ndarray  # int64
    predicted: np.ndarray  # int64
    confidence: np.ndarray  # float32

    def where(self, true: int, predicted: int) -> np.ndarray:
        """The split indices of the images of class ``true`` predicted as ``predicted``, most confident first."""
        sel = np.nonzero((self.true == true) & (self.predicted == predicted))[0]
        return self.index[sel[np.argsort(-self.confidence[sel], kind="stable")]]


@dataclass(frozen=True)
class ValidationResult:
    epoch: int
    step: int
    loss: float
    top1_error: float
    top5_error: float
    confusion: np.ndarray  # (C, C) int64: rows are true classes, columns predictions
    images: int
    ten_crop: bool
    subset: bool  # True when only a subset of the validation set was used
    batches: int = 0  # validation batches
    batch_mean_loss: float = math.nan  # the loss averaged per batch (the fine-tune script's), not per image
    wrong: tuple[WrongPrediction, ...] = ()  # the most confidently wrong images, when asked for
    images_seen: EvaluatedImages | None = None  # every image's answer (evaluations only, not training's passes)

    def per_class_accuracy(self) -> np.ndarray:
        """Each true class's share of correct answers (NaN for a class with no images)."""
        totals = self.confusion.sum(1)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(totals > 0, np.diag(self.confusion) / np.maximum(totals, 1), np.nan)


@dataclass(frozen=True)
class EpochMetrics:
    epoch: int
    step: int
    train_loss: float
    train_top1_error: float
    val_loss: float | None
    val_top1_error: float | None
    val_top5_error: float | None
    lr: float
    elapsed_s: float


@dataclass(frozen=True)
class CheckpointInfo:
    path: str
    kind: str  # "last", "best" or "stop"
    step: int
    epoch: int


@dataclass(frozen=True)
class ValidationProgress:
    done: int
    total: int


@dataclass(frozen=True)
class TrainEnd:
    #: "finished", "max_steps", "time_budget", "stopped", "diverged", "oom", "error", "config" (a setting, data or
    #: checkpoint that cannot work), "locked" (another process trains into the run folder)
    reason: str
    message: str
    step: int
    epoch: int
    checkpoint: str | None = None

    @property
    def ok(self) -> bool:
        return self.reason in ("finished", "max_steps", "time_budget", "stopped")
