"""``metrics.jsonl`` as curves: every record the engine logs, folded into bounded series.

One line is one JSON record with a ``kind``: ``step`` (a :class:`~train_backend.payloads.StepMetrics`),
``validation``, ``epoch``, ``note``, ``start`` and ``end``.  A damaged file is read as far as it can be: a line that
is not a JSON record (garbage, a line cut off by a crash, a line longer than :data:`MAX_LINE_BYTES`) is counted
and skipped, and :attr:`RunCurves.problems` says so.  However long the run, the curves stay within ``max_points``
points each (:class:`~train_backend.history.BoundedSeries`: old stretches are averaged, never dropped), so a
multi-gigabyte file is read in bounded memory.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Any, BinaryIO, Iterable, Iterator

import numpy as np

from ..history import BoundedSeries
from .files import CONFIG_FILE, METRICS_FILE
from ..i18n import QT_TRANSLATE_NOOP

#: a longer line is not a record of this app (the longest, a validation with its wrong images, is a few kB)
MAX_LINE_BYTES = 1 << 20
#: the x axes a curve can be drawn against
X_AXES: dict[str, str] = {"step": QT_TRANSLATE_NOOP("Runs", "step"), "epoch": QT_TRANSLATE_NOOP("Runs", "epoch"), "images": QT_TRANSLATE_NOOP("Runs", "images seen"),
                          "time": QT_TRANSLATE_NOOP("Runs", "training time (s)")}
#: the y values: what a curve shows, and its label
Y_METRICS: dict[str, str] = {
    "loss": QT_TRANSLATE_NOOP("Runs", "training loss"),
    "train_top1_error": QT_TRANSLATE_NOOP("Runs", "training top-1 error"),
    "val_loss": QT_TRANSLATE_NOOP("Runs", "validation loss"),
    "val_top1_error": QT_TRANSLATE_NOOP("Runs", "validation top-1 error"),
    "val_top5_error": QT_TRANSLATE_NOOP("Runs", "validation top-5 error"),
    "lr": QT_TRANSLATE_NOOP("Runs", "learning rate"),
    "images_per_sec": QT_TRANSLATE_NOOP("Runs", "images/s"),
}
_STEP_Y = {"loss": "loss", "lr": "lr", "images_per_sec": "images_per_sec"}
_VAL_Y = {"val_loss": "loss", "val_top1_error": "top1_error", "val_top5_error": "top5_error"}
_MAX_NOTES = 100
_MAX_PROBLEM_LINES = 5


def parse_metrics_line(line: str | bytes) -> dict[str, Any] | None:
    """One line as a record (a JSON object with a string ``kind``), or None when it is not one."""
    if isinstance(line, bytes):
        try:
            line = line.decode("utf-8")
        except UnicodeDecodeError:
            return None
    line = line.strip()
    if not line.startswith("{"):
        return None
    try:
        record = json.loads(line)
    except ValueError:
        return None
    if not isinstance(record, dict) or not isinstance(record.get("kind"), str):
        return None
    return record


def _num(v: Any) -> float | None:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return None
    return float(v)


class RunCurves:
    """A run's records folded into curves (each y of :data:`Y_METRICS` against each x of :data:`X_AXES`) and a
    summary (steps, best errors, how it ended).  Feed it with :meth:`add`; not thread-safe.

    ``batch_size`` turns steps into images seen (without it, the ``images`` axis counts steps)."""

    def __init__(self, max_points: int = 4096, batch_size: int | None = None) -> None:
        self.max_points = max_points
        self.batch_size = batch_size
        self._series: dict[str, dict[str, BoundedSeries]] = {}
        self.records = 0  # records read
        self.bad_lines = 0  # lines that were not records
        self.bad_line_numbers: list[int] = []  # the first few of them (1-based), for the message
        self.cut_off_tail = False  # the file ends in an unfinished line (a writer still writing it, or a crash)
        self.steps = 0  # the highest step reported
        self.total_steps: int | None = None
        self.epochs = 0  # epochs completed
        self.validated_epochs = 0  # epochs that ended with a validation (best.pt is written after those)
        self.batches_per_epoch: int | None = None
        self.elapsed_s = 0.0  # training time at the newest step record
        self.best_top1_error: float | None = None
        self.best_top5_error: float | None = None  # at the validation of the best top-1 error
        self.best_step: int | None = None
        self.last_step: dict[str, Any] | None = None
        self.end: dict[str, Any] | None = None  # the end record, if the newest segment of the run has one
        self.started: float | None = None  # time.time() of the first start record
        self.notes: list[str] = []  # the newest notes
        self.read_error: str | None = None  # the file could not be read at all (missing, no permission)
        self.lines = 0  # lines read

    # ------------------------------------------------------------------ feeding
    def add(self, record: dict[str, Any]) -> None:
        """Fold one record in (records of unknown kinds are counted and otherwise ignored)."""
        self.records += 1
        kind = record.get("kind")
        if kind == "step":
            self._add_step(record)
        elif kind == "validation":
            self._add_validation(record)
        elif kind == "epoch":
            epoch = record.get("epoch")
            if isinstance(epoch, int):
                self.epochs = max(self.epochs, epoch + 1)
            if _num(record.get("val_top1_error")) is not None:
                self.validated_epochs += 1
        elif kind == "end":
            self.end = record
            step = record.get("step")
            if isinstance(step, int):
                self.steps = max(self.steps, step)
        elif kind == "start":
            self.end = None  # a new segment (a resume) of the run
            t = _num(record.get("time"))
            if self.started is None and t is not None:
                self.started = t
        elif kind == "note":
            self.notes.append(str(record.get("text", "")))
            del self.notes[:-_MAX_NOTES]

    def extend(self, records: Iterable[dict[str, Any]]) -> None:
        for r in records:
            self.add(r)

    def add_line(self, line: bytes | str) -> dict[str, Any] | None:
        """Parse and fold one line of the file; a line that is no record is counted as bad. Returns the record."""
        self.lines += 1
        if not line.strip():
            return None
        record = parse_metrics_line(line)
        if record is None:
            self.bad_line()
            return None
        self.add(record)
        return record

    def bad_line(self, number: int | None = None) -> None:
        """Count a line that is not a record: ``number`` (1-based), by default the line read last."""
        self.bad_lines += 1
        if len(self.bad_line_numbers) < _MAX_PROBLEM_LINES:
            self.bad_line_numbers.append(self.lines if number is None else number)

    def _point(self, y_name: str, y: float, step: float, epoch: float, time_s: float) -> None:
        series = self._series.get(y_name)
        if series is None:
            series = self._series[y_name] = {x: BoundedSeries(self.max_points) for x in X_AXES}
        images = step * self.batch_size if self.batch_size else step
        for x_name, x in (("step", step), ("epoch", epoch), ("images", images), ("time", time_s)):
            series[x_name].append(x, y)

    def _epoch_of(self, step: int, epoch: Any, batch: Any = None) -> float:
        bpe = self.batches_per_epoch
        if isinstance(epoch, int) and isinstance(batch, int) and bpe:
            return epoch + batch / bpe
        if bpe:
            return step / bpe
        return float(epoch) if isinstance(epoch, int) else math.nan

    def _add_step(self, r: dict[str, Any]) -> None:
        step = r.get("step")
        if not isinstance(step, int):
            return
        if self.end is not None:
            self.end = None  # training went on after an end record: a resume
        self.last_step = r
        self.steps = max(self.steps, step)
        if isinstance(r.get("total_steps"), int):
            self.total_steps = r["total_steps"]
        if isinstance(r.get("batches_per_epoch"), int) and r["batches_per_epoch"] > 0:
            self.batches_per_epoch = r["batches_per_epoch"]
        elapsed = _num(r.get("elapsed_s"))
        if elapsed is not None:
            self.elapsed_s = elapsed
        epoch = self._epoch_of(step, r.get("epoch"), r.get("batch"))
        for y_name, key in _STEP_Y.items():
            v = _num(r.get(key))
            if v is not None:
                self._point(y_name, v, step, epoch, self.elapsed_s)
        top1 = _num(r.get("top1"))
        if top1 is not None:
            self._point("train_top1_error", 1.0 - top1, step, epoch, self.elapsed_s)

    def _add_validation(self, r: dict[str, Any]) -> None:
        step = r.get("step")
        if not isinstance(step, int):
            return
        epoch = self._epoch_of(step, r.get("epoch"))
        for y_name, key in _VAL_Y.items():
            v = _num(r.get(key))
            if v is not None:
                self._point(y_name, v, step, epoch, self.elapsed_s)
        top1, top5 = _num(r.get("top1_error")), _num(r.get("top5_error"))
        if top1 is not None and top1 == top1 and (self.best_top1_error is None or top1 <= self.best_top1_error):
            self.best_top1_error, self.best_top5_error, self.best_step = top1, top5, step

    # ------------------------------------------------------------------ reading
    def series(self, y: str, x: str = "step") -> tuple[np.ndarray, np.ndarray]:
        """The curve of ``y`` (a key of :data:`Y_METRICS`) against ``x`` (of :data:`X_AXES`): two float64 arrays
        (empty when the run has no such value)."""
        if y not in Y_METRICS:
            raise KeyError(f"unknown metric {y!r}; one of {', '.join(Y_METRICS)}")
        if x not in X_AXES:
            raise KeyError(f"unknown x axis {x!r}; one of {', '.join(X_AXES)}")
        s = self._series.get(y)
        if s is None:
            return np.empty(0), np.empty(0)
        return s[x].x, s[x].y

    @property
    def metrics(self) -> tuple[str, ...]:
        """The y values this run has points for."""
        return tuple(y for y in Y_METRICS if y in self._series)

    @property
    def problems(self) -> list[str]:
        """What could not be read, one sentence each (empty for a sound file)."""
        out = [self.read_error] if self.read_error else []
        if self.bad_lines:
            where = ", ".join(str(n) for n in self.bad_line_numbers)
            more = "…" if self.bad_lines > len(self.bad_line_numbers) else ""
            out.append(QT_TRANSLATE_NOOP("Runs", "{count} line(s) of {file} are not records and were skipped (line {where})").format(
                count=self.bad_lines, file=METRICS_FILE, where=where + more))
        if self.cut_off_tail:
            out.append(QT_TRANSLATE_NOOP("Runs", "the last line of {file} is cut off (a run still writing it, or one that was killed "
                                 "mid-line)").format(file=METRICS_FILE))
        return out


def iter_lines(f: BinaryIO, max_line: int = MAX_LINE_BYTES) -> Iterator[tuple[bytes, bool]]:
    """The lines of ``f`` as ``(line, complete)``, in bounded memory: a line longer than ``max_line`` is yielded
    as ``(b"", False)`` (skipped, whatever its length); the last line is incomplete when it has no newline."""
    while True:
        line = f.readline(max_line + 1)
        if not line:
            return
        if line.endswith(b"\n"):
            yield line, True
            continue
        if len(line) <= max_line:  # the end of the file, without a newline
            yield line, False
            return
        while True:  # an overlong line: skip to its end
            more = f.readline(max_line)
            if not more or more.endswith(b"\n"):
                break
        yield b"", False


def read_metrics_into(curves: RunCurves, path: str | os.PathLike, summary: bool = False) -> RunCurves:
    """Read ``path`` (a ``metrics.jsonl``) into ``curves``.  ``summary``: parse only the newest step record (for
    tables of runs: the steps, best errors and the end, without the curves; much faster on long runs)."""
    last_step: tuple[bytes, int] | None = None
    with open(path, "rb") as f:
        for line, complete in iter_lines(f):
            if complete and summary and line.startswith(b'{"kind": "step"'):  # as MetricsLog writes them
                curves.lines += 1
                last_step = line, curves.lines
            elif complete or line and parse_metrics_line(line) is not None:  # (a whole record, its newline to come)
                curves.add_line(line)
            elif line:  # the last line, unfinished
                curves.lines += 1
                curves.cut_off_tail = True
            else:  # an overlong line
                curves.lines += 1
                curves.bad_line()
    if last_step is not None:
        record = parse_metrics_line(last_step[0])
        if record is None:
            curves.bad_line(last_step[1])
        else:
            end = curves.end
            curves.add(record)
            if end is not None and isinstance(record.get("step"), int) and \
                    isinstance(end.get("step"), int) and record["step"] <= end["step"]:
                curves.end = end  # the step came before the end record
    return curves


def read_curves(path: str | os.PathLike, max_points: int = 4096, batch_size: int | None = None) -> RunCurves:
    """A run's curves: ``path`` is the run folder (its ``metrics.jsonl``, and ``config.json`` for the batch size)
    or a ``metrics.jsonl``.  A missing file gives empty curves with the problem said; damage is skipped and said."""
    p = Path(path)
    if p.is_dir():
        if batch_size is None:
            batch_size = _config_batch_size(p)
        p = p / METRICS_FILE
    curves = RunCurves(max_points, batch_size)
    try:
        read_metrics_into(curves, p)
    except FileNotFoundError:
        curves.read_error = QT_TRANSLATE_NOOP("Runs", "there is no {file} (nothing logged yet)").format(file=METRICS_FILE)
    except OSError as err:
        curves.read_error = QT_TRANSLATE_NOOP("Runs", "could not read '{path}': {why}").format(path=p, why=err.strerror or err)
    return curves


def _config_batch_size(run_dir: Path) -> int | None:
    try:
        d = json.loads((run_dir / CONFIG_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    bs = d.get("batch_size") if isinstance(d, dict) else None
    return bs if isinstance(bs, int) and bs > 0 else None
