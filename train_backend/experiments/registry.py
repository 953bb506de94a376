"""The registry of experiments: name -> :class:`Experiment`.  An experiment is a set of arms that differ in exactly
one model option, the config every arm shares, and the paper's claim its report holds the arms against.

``alexnet-gui experiment NAME``, the Experiments panel and ``alexnet-gui list`` read :data:`EXPERIMENTS`; one is
added with :func:`register_experiment` in a module imported by ``train_backend/experiments/__init__.py``.  This
module imports no engine: the panel reads it to fill its lists.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from ..recipes import ConfigError, TrainConfig

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
    ratio: float | None = None


@dataclass(frozen=True)
class Experiment:
    """Arms that differ in the model option ``setting`` only; ``arms[0]`` is the paper's choice."""

    name: str
    title: str
    description: str
    setting: str
    arms: tuple[Arm, ...]
    claim: Claim
    base: Callable[[str], TrainConfig]  # data set name -> the config every arm shares

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
        if self.setting in options:
            raise ConfigError(f"the {self.name} experiment sets {self.setting} itself (once per arm)")
        cfg = self.base(dataset).replace(**overrides)
        cfg.model_options = {**cfg.model_options, **options, self.setting: arm.value}
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
