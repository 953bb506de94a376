"""The registry of experiments: name -> :class:`Experiment`.  An experiment is a set of arms that differ in exactly
one model option, the config every arm shares, and the paper's claim its report holds the arms against.

``alexnet-gui experiment NAME``, the Experiments panel and ``alexnet-gui list`` read :data:`EXPERIMENTS`; one is
added with :func:`register_experiment` in a module imported by ``train_backend/experiments/__init__.py``.  This
module imports no engine: the panel reads it to fill its lists.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from ..config import ConfigError, TrainConfig

#: the data sets an experiment prefers, best first: CIFAR-10 (the paper's own small data set) when its files are
#: here, else the real Fashion-MNIST, else the generated shapes
DATASET_PREFERENCE = ("cifar10", "fashion-mnist", "synthetic")


@dataclass(frozen=True)
class Arm:
    """One arm: a value of the experiment's setting. ``key`` names its run folders (``DIR/<key>-seed<k>``)."""

    key: str
    label: str
    value: Any


@dataclass(frozen=True)
class Claim:
    """What the paper reports, and how a run is held against it.

    ``kind``: "error" (the paper's arm has lower validation error by ``top1`` / ``top5``, fractions, paper's arm
    minus the other), "speed" (the paper's arm reaches ``target`` training error ``ratio`` times sooner) or
    "overfitting" (the paper's arm has a smaller gap between validation and training error)."""

    kind: str
    text: str
    top1: float | None = None
    top5: float | None = None
    target: float | None = None
    ratio: float | None = None  # "speed": times sooner; "overfitting": times the steps to converge (dropout's 2x)


#: the paper's own set-up (ImageNet, section 5), for the table of differences every report carries
PAPER_SETUP = {
    "data": "ImageNet (ILSVRC-2010/2012): 1.2 million colour images, 1,000 classes",
    "input size": "224 (227) px crops of the central 256 px square",
    "inputs": "raw 0-255 RGB minus the training set's mean image",
    "init": "N(0, 0.01); biases 1 in conv2, conv4, conv5, fc6, fc7",
    "optimizer": "v <- 0.9 v - 0.0005 lr w - lr dL/dw, w <- w + v; batch 128",
    "schedule": "lr 0.01, divided by 10 when validation error stops improving (three times)",
    "steps": "about 90 epochs (about 450,000 steps of 128)",
    "precision": "fp32",
}
#: Figure 1's (the four-layer net on CIFAR-10) and the LRN note's set-up
CIFAR_SETUP = {
    "data": "CIFAR-10: 50,000 colour 32 px images, 10 classes",
    "input size": "32 px (cuda-convnet: 24 px crops in its best nets)",
    "inputs": "raw pixels minus the mean",
    "init": "cuda-convnet's layer-by-layer Gaussians",
    "optimizer": "SGD with momentum, batch 128; each network's lr chosen to train fastest (Figure 1)",
    "schedule": "constant lr",
    "steps": "until 25 % training error (Figure 1); to convergence (the LRN note)",
    "precision": "fp32",
}


@dataclass(frozen=True)
class Experiment:
    """Arms that differ in one ``setting`` only; ``arms[0]`` is the paper's choice.

    ``on``: "model" (the setting is a model option) or "config" (a config field, or, when an arm's value is a dict,
    several fields that make one choice: crops and flips).  ``sweep``: learning rates each arm tries for a short
    while before its runs, the best kept (Figure 1: each network's rate "chosen independently to make training as
    fast as possible").  ``members``: an ensemble experiment: that many runs with different seeds, whose averaged
    softmax is the first arm and each run alone the second.  ``paper_setup``: the paper's set-up this experiment's
    claim was measured with (the report lists how ours differs).  ``colour``: the setting acts on colour only
    (PCA lighting): on grey data every arm would train the same, so the experiment is refused there."""

    name: str
    title: str
    description: str
    setting: str
    arms: tuple[Arm, ...]
    claim: Claim
    base: Callable[[str], TrainConfig]  # data set name -> the config every arm shares
    on: str = "model"
    sweep: tuple[float, ...] = ()
    members: int = 0
    paper_setup: dict[str, str] | None = None
    colour: bool = False

    @property
    def setup(self) -> dict[str, str]:
        return self.paper_setup or PAPER_SETUP

    def arm(self, key: str) -> Arm:
        for a in self.arms:
            if a.key == key:
                return a
        raise KeyError(f"experiment {self.name!r} has no arm {key!r} (its arms: "
                       f"{', '.join(a.key for a in self.arms)})")

    def config(self, arm: Arm, dataset: str, seed: int = 0, steps: int | None = None,
               time_budget_s: float | None = None, overrides: dict[str, Any] | None = None) -> TrainConfig:
        """The exact config of one arm's run: the shared base, the caller's ``overrides`` (data root, device, tiny
        widths for tests), the budget and seed, then the arm's one setting."""
        overrides = dict(overrides or {})
        options = dict(overrides.pop("model_options", {}) or {})
        if self.on == "model" and self.setting in options:
            raise ConfigError(f"the {self.name} experiment sets {self.setting} itself (once per arm)")
        cfg = self.base(dataset).replace(**overrides)
        cfg.model_options = {**cfg.model_options, **options}
        if self.on == "model":
            cfg.model_options[self.setting] = arm.value
        elif self.members == 0:  # an ensemble's arms are one config
            for key, value in (arm.value if isinstance(arm.value, dict) else {self.setting: arm.value}).items():
                setattr(cfg, key, cfg.input_size if value == "input_size" else value)
        cfg.seed = seed
        cfg.max_steps = steps
        cfg.time_budget_s = time_budget_s
        if steps is not None or time_budget_s is not None:
            cfg.epochs = max(cfg.epochs, 10_000)  # the budget ends the run, not the epochs
        cfg.recipe = f"experiment:{self.name}"
        return cfg


EXPERIMENTS: dict[str, Experiment] = {}


def register_experiment(experiment: Experiment) -> Experiment:
    """Register an experiment under its name (once)."""
    if experiment.name in EXPERIMENTS:
        raise ValueError(f"an experiment named {experiment.name!r} is registered already")
    if len(experiment.arms) < 2 or len({a.key for a in experiment.arms}) != len(experiment.arms):
        raise ValueError("an experiment needs at least two arms with distinct keys")
    EXPERIMENTS[experiment.name] = experiment
    return experiment


def get_experiment(name: str) -> Experiment:
    if name not in EXPERIMENTS:
        raise ConfigError(f"unknown experiment {name!r}; choose one of {', '.join(EXPERIMENTS)}")
    return EXPERIMENTS[name]
