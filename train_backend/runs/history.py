"""A run's logged history as the payloads the live run sends (:class:`~train_backend.payloads.StepMetrics`,
:class:`~train_backend.payloads.ValidationResult`, :class:`~train_backend.payloads.EpochMetrics`): what a view needs
to draw a run that is continued, or followed from disk, as one continuous curve."""

from __future__ import annotations

import os
from dataclasses import fields
from pathlib import Path
from typing import Any, Iterable

import numpy as np

from ..payloads import EpochMetrics, StepMetrics, ValidationResult
from .curves import iter_lines, parse_metrics_line
from .files import METRICS_FILE

_STEP_FIELDS = tuple(f.name for f in fields(StepMetrics))
_EPOCH_FIELDS = tuple(f.name for f in fields(EpochMetrics))
_VALIDATION_FIELDS = ("epoch", "step", "loss", "top1_error", "top5_error", "images", "ten_crop", "subset")


def record_payload(rec: dict) -> tuple[str, Any] | None:
    """A metrics record as ``("steps", StepMetrics)``, ``("validation", ValidationResult)`` or
    ``("epoch", EpochMetrics)``; None for the other kinds. Raises KeyError / TypeError / ValueError for a record
    of a known kind with missing or wrong fields."""
    kind = rec.get("kind")
    if kind == "step":
        return "steps", StepMetrics(**{k: rec[k] for k in _STEP_FIELDS})
    if kind == "validation":
        values = {k: rec[k] for k in _VALIDATION_FIELDS}
        return "validation", ValidationResult(confusion=np.zeros((0, 0), np.int64), **values)
    if kind == "epoch":
        return "epoch", EpochMetrics(**{k: rec[k] for k in _EPOCH_FIELDS})
    return None


def group_events(items: Iterable[tuple[str, Any]]) -> list[tuple[str, Any]]:
    """Consecutive step payloads joined into one ``("steps", tuple)`` event, in order (as the live run sends
    them)."""
    events: list[tuple[str, Any]] = []
    steps: list[StepMetrics] = []
    for kind, payload in items:
        if kind == "steps":
            steps.append(payload)
            continue
        if steps:
            events.append(("steps", tuple(steps)))
            steps = []
        events.append((kind, payload))
    if steps:
        events.append(("steps", tuple(steps)))
    return events


def run_history(run_dir: str | os.PathLike, up_to_step: int) -> list[tuple[str, Any]]:
    """What ``run_dir``'s ``metrics.jsonl`` logged up to step ``up_to_step``, as grouped payload events, for a run
    that continues from there: records after the newest start at that step (this run's own start record and
    anything the run logs already) are left out, and so are steps beyond it that an earlier segment logged before
    the checkpoint it continues from (a run continued from an older checkpoint starts its curve there again).
    Unreadable lines are skipped; a missing file is an empty history."""
    path = Path(run_dir) / METRICS_FILE
    records: list[dict] = []
    try:
        with open(path, "rb") as f:
            for line, complete in iter_lines(f):
                rec = parse_metrics_line(line) if complete else None
                if rec is not None:
                    records.append(rec)
    except OSError:
        return []
    cut = len(records)
    for i in range(len(records) - 1, -1, -1):  # this continuation's own start record, when it is written already
        if records[i].get("kind") == "start" and records[i].get("step") == up_to_step:
            cut = i
            break
    items: list[tuple[str, Any]] = []
    for rec in records[:cut]:
        try:
            item = record_payload(rec)
        except (KeyError, TypeError, ValueError):
            continue
        if item is not None and getattr(item[1], "step", 0) <= up_to_step:
            items.append(item)
    return group_events(items)
