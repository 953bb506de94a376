"""What an experiment running on another thread tells the window: plain frozen dataclasses (no torch, no Qt)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .report import ArmResult


@dataclass(frozen=True)
class ExperimentEvent:
    """One thing that happened in an experiment.

    ``kind``: "start" (``total`` runs planned, ``message`` names the data set), "arm" (a run starts: ``arm``,
    ``seed``, ``index``), "steps" (``points``: (step, training error of the batch) since the last "steps"), "validation"
    (``points``: one (step, top-1 error)), "arm_end" (``result`` and the ``report`` so far), "paused", "resumed",
    "finished" (the final ``report``) or "failed" (``message``: why nothing or not everything ran)."""

    kind: str
    experiment: str
    arm: str = ""
    label: str = ""
    seed: int = 0
    index: int = 0
    total: int = 0
    step: int = 0
    total_steps: int = 0
    points: tuple[tuple[int, float], ...] = ()
    result: ArmResult | None = None
    report: dict[str, Any] | None = None
    message: str = ""
    out: str = ""
