"""The paper's experiments (ablations): each a set of arms that differ in one setting, run with the engine one after
another, and reported next to the paper's figure.

The registry and the report are engine-free (the panel reads them); :func:`run_experiment` lives in
:mod:`train_backend.experiments.runner` (import it from there: it brings the engine).
"""

from __future__ import annotations

from .registry import DATASET_PREFERENCE, EXPERIMENTS, Arm, Claim, Experiment, get_experiment, register_experiment
from . import paper  # noqa: F401  - the paper's experiments register themselves
from .report import ArmResult, build_report, report_markdown, write_report

EXPERIMENT_NAMES = tuple(EXPERIMENTS)

__all__ = ["Arm", "ArmResult", "Claim", "DATASET_PREFERENCE", "EXPERIMENTS", "EXPERIMENT_NAMES", "Experiment",
           "build_report", "get_experiment", "register_experiment", "report_markdown", "write_report"]
