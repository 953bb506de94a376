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


# ---------------------------------------------------------------------------------------- the network's map
#: a layer record's kinds: the ones that start a box of the architecture drawing, and those that mark it
WEIGHT_KINDS = ("conv", "fc")


@dataclass(frozen=True)
class LayerRecord:
    """One child layer of a network, in forward order, as ``summary`` counts it (shape, parameters, neurons,
    multiply-adds) plus what the paper's Figure 2 draws: its kind, kernel size, stride, groups (the towers a conv
    layer keeps apart: 2 for conv2/4/5 of the two-tower net, 1 where every kernel sees every map).

    ``kind``: conv, fc, relu, tanh, lrn, maxpool, avgpool, adaptive_avgpool, dropout, flatten or other;
    ``in_channels``/``out_channels``: a conv's maps (a fc layer's features); ``groups`` of an LRN: the towers that
    normalise their own maps; ``dropout``: a dropout's probability; ``stable``: one of the model's stable layer
    names (the layers ``summary`` lists and probes capture)."""

    name: str
    kind: str
    type: str
    output_shape: tuple[int, ...]
    params: int = 0
    neurons: int = 0
    macs: int = 0
    kernel_size: tuple[int, int] | None = None
    stride: tuple[int, int] | None = None
    padding: tuple[int, int] | None = None
    groups: int = 1
    in_channels: int = 0
    out_channels: int = 0
    dropout: float | None = None
    stable: bool = True


@dataclass(frozen=True)
class LayerStage:
    """A box of the drawing: a conv or fc layer (``main``) and what follows it up to the next one (ReLU, LRN,
    pooling, a dropout on a fc layer's output), plus a dropout on its input where it follows the conv layers
    (torchvision's drop6, on pool5's features)."""

    main: LayerRecord
    after: tuple[LayerRecord, ...] = ()
    before: tuple[LayerRecord, ...] = ()

    @property
    def name(self) -> str:
        return self.main.name

    @property
    def output_shape(self) -> tuple[int, ...]:
        """What the stage hands on (after its pooling)."""
        shaping = [r for r in self.after if r.kind not in ("dropout", "flatten")]
        return shaping[-1].output_shape if shaping else self.main.output_shape

    def find(self, *kinds: str) -> LayerRecord | None:
        return next((r for r in (*self.before, *self.after) if r.kind in kinds), None)

    @property
    def records(self) -> tuple[LayerRecord, ...]:
        return (*self.before, self.main, *self.after)


@dataclass(frozen=True)
class NetworkDescription:
    """A network as plain data (the ``architecture`` analysis): its layers in forward order and its totals, for the
    Architecture panel's live Figure 2. Totals are ``summary``'s (neurons: conv and fc outputs)."""

    model: str
    description: str
    towers: int
    input_size: int
    in_channels: int
    num_classes: int
    layers: tuple[LayerRecord, ...]
    total_params: int
    total_neurons: int
    total_macs: int

    @property
    def input_shape(self) -> tuple[int, int, int]:
        return (self.in_channels, self.input_size, self.input_size)

    def layer(self, name: str) -> LayerRecord | None:
        return next((r for r in self.layers if r.name == name), None)

    def stages(self) -> tuple[LayerStage, ...]:
        """The conv and fc layers, each with the layers that follow it (see :class:`LayerStage`)."""
        stages: list[LayerStage] = []
        pending_before: list[LayerRecord] = []
        main: LayerRecord | None = None
        before: tuple[LayerRecord, ...] = ()
        after: list[LayerRecord] = []
        for r in self.layers:
            if r.kind in WEIGHT_KINDS:
                if main is not None:
                    stages.append(LayerStage(main, tuple(after), before))
                main, before, after = r, tuple(pending_before), []
                pending_before = []
            elif r.kind == "dropout" and (main is None or main.kind != "fc"):
                pending_before.append(r)  # on the conv features: the next (fc) layer's input (torchvision's drop6)
            elif main is not None:
                after.append(r)
        if main is not None:
            stages.append(LayerStage(main, tuple(after), before))
        return tuple(stages)

    def stage_of(self, layer: str) -> LayerStage | None:
        """The stage a layer belongs to (``relu3`` → conv3's)."""
        return next((s for s in self.stages() if any(r.name == layer for r in s.records)), None)
