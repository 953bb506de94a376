"""A run folder as a record: what trained, on what, how far, how well, and whether it still runs.

:func:`read_run` reads what a folder has and says what it cannot read (:attr:`RunRecord.problems`): a damaged
``metrics.jsonl``, a ``config.json`` from a newer version (unknown settings are left out, the rest is read), a
missing checkpoint.  Only a folder with none of a run's files at all is refused (:class:`NotARunFolder`).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from dataclasses import dataclass, field, fields
from enum import Enum
from pathlib import Path
from typing import Any, Iterable, Sequence

from ..errors import AlexNetGuiError
from ..settings import bookkeeping_keys
from .curves import RunCurves, read_metrics_into
from .files import CHECKPOINTS, CHECKPOINTS_REMOVED, CONFIG_FILE, KERNELS_FILE, LOCK_FILE, METRICS_FILE, RUN_FILES, runs_root
from .lock import LockHolder, RunLock, lock_holder
from ..i18n import QT_TRANSLATE_NOOP

#: the config.json format this version writes and reads (a file without a "version" field is version 1)
CONFIG_VERSION = 1
_STAMP = re.compile(r"^(\d{8}-\d{6})")


#: a run's state in words (a :class:`RunStatus` value; "opening" and "missing" for a run being followed), marked for
#: translation: the window says them in its language
STATE_WORDS = {
    "running": QT_TRANSLATE_NOOP("RunStatus", "running"), "finished": QT_TRANSLATE_NOOP("RunStatus", "finished"),
    "stopped": QT_TRANSLATE_NOOP("RunStatus", "stopped"), "diverged": QT_TRANSLATE_NOOP("RunStatus", "diverged"),
    "failed": QT_TRANSLATE_NOOP("RunStatus", "failed"), "crashed": QT_TRANSLATE_NOOP("RunStatus", "crashed"),
    "waiting": QT_TRANSLATE_NOOP("RunStatus", "waiting"), "opening": QT_TRANSLATE_NOOP("RunStatus", "opening"),
    "missing": QT_TRANSLATE_NOOP("RunStatus", "missing"),
}


class RunStatus(str, Enum):
    """What a run is doing or how it ended."""

    RUNNING = "running"  # a live process holds its lock
    FINISHED = "finished"  # reached its epochs, steps or time budget
    STOPPED = "stopped"  # stopped by the user (it can be resumed from last.pt)
    DIVERGED = "diverged"  # the loss became NaN or infinite
    FAILED = "failed"  # ended with an error it reported (out of memory, a data error, a bad setting)
    CRASHED = "crashed"  # no live process and no end record: killed, or the machine went down
    WAITING = "waiting"  # no process ever trained into it, as far as it shows: no record, no lock left behind

    @property
    def words(self) -> str:
        """The state in words to translate (the value itself in English)."""
        return STATE_WORDS.get(self.value, self.value)

    @classmethod
    def of(cls, run_dir: Path, end: dict | None, records: int) -> "RunStatus":
        """A run's state from what its folder shows: a live lock holder, its end record, its records, a lock file
        left by a process that died (a lock is unlinked when released)."""
        if lock_holder(run_dir) is not None:
            return cls.RUNNING
        if end is not None:
            return cls.from_end_reason(end.get("reason"))
        return cls.CRASHED if records or (run_dir / LOCK_FILE).exists() else cls.WAITING

    @classmethod
    def from_end_reason(cls, reason: str | None) -> "RunStatus":
        """The status of a run whose end record gives ``reason`` (a :class:`~train_backend.payloads.TrainEnd`'s)."""
        if reason in ("finished", "max_steps", "time_budget"):
            return cls.FINISHED
        if reason == "stopped":
            return cls.STOPPED
        if reason == "diverged":
            return cls.DIVERGED
        return cls.FAILED


class NotARunFolder(AlexNetGuiError, ValueError):
    """The path is not a run folder (none of a run's files in it), or no folder at all."""


def is_run_folder(path: str | os.PathLike) -> bool:
    """Whether ``path`` is a folder holding at least one of a run's files."""
    p = Path(path)
    try:
        return p.is_dir() and any((p / name).exists() for name in RUN_FILES)
    except OSError:
        return False


@dataclass(frozen=True)
class RunRecord:
    """One run folder, as read (see :func:`read_run`)."""

    path: Path
    status: RunStatus
    config: dict[str, Any] = field(default_factory=dict)  # config.json's known settings ({} when unreadable)
    differs: dict[str, Any] = field(default_factory=dict)  # settings that differ from the paper's and the recipe's
    steps: int = 0
    total_steps: int | None = None
    epochs: int = 0  # epochs completed
    best_top1_error: float | None = None  # the best validation top-1 error, and the top-5 error with it
    best_top5_error: float | None = None
    started: float | None = None  # time.time() the run started
    updated: float | None = None  # time.time() of the newest write to metrics.jsonl
    end_reason: str | None = None  # the TrainEnd reason of the newest end record
    end_message: str | None = None
    holder: LockHolder | None = None  # the live process training into it
    checkpoints: dict[str, Path] = field(default_factory=dict)  # "last" / "best": the files present
    has_kernels: bool = False
    problems: tuple[str, ...] = ()  # what could not be read, one sentence each
    size: int = 0  # bytes on disk: the run's files (an experiment's arms, runs of their own, not counted)
    checkpoints_removed: bool = False  # its checkpoints were removed on purpose (remove_checkpoints)

    @property
    def checkpoint_bytes(self) -> int:
        """The bytes its checkpoints (last.pt, best.pt) take: what :func:`remove_checkpoints` frees."""
        total = 0
        for path in self.checkpoints.values():
            try:
                total += path.stat().st_size
            except OSError:
                pass
        return total

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def recipe(self) -> str | None:
        return self.config.get("recipe")

    @property
    def dataset(self) -> str | None:
        return self.config.get("dataset")

    @property
    def model(self) -> str | None:
        return self.config.get("model")

    @property
    def batch_size(self) -> int | None:
        bs = self.config.get("batch_size")
        return bs if isinstance(bs, int) and bs > 0 else None

    @property
    def last_checkpoint(self) -> Path | None:
        return self.checkpoints.get("last")

    @property
    def best_checkpoint(self) -> Path | None:
        return self.checkpoints.get("best")

    def differs_text(self) -> str:
        """``differs`` as ``key=value`` words (``-`` when the run is the paper's and its recipe's)."""
        return ", ".join(f"{k}={_word(v)}" for k, v in self.differs.items()) or "-"

    def train_config(self):
        """config.json as a :class:`~train_backend.recipes.TrainConfig` (unknown settings left out), or None when
        it cannot make one."""
        from ..config import ConfigError, TrainConfig

        if not self.config:
            return None
        try:
            return TrainConfig.from_dict(self.config)
        except (ConfigError, TypeError, ValueError):
            return None

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able values (``alexnet-gui runs --json``)."""
        return {"path": str(self.path), "name": self.name, "status": self.status.value, "recipe": self.recipe,
                "dataset": self.dataset, "model": self.model, "differs": self.differs, "steps": self.steps,
                "total_steps": self.total_steps, "epochs": self.epochs, "best_top1_error": self.best_top1_error,
                "best_top5_error": self.best_top5_error, "started": self.started, "updated": self.updated,
                "end_reason": self.end_reason, "end_message": self.end_message,
                "holder": self.holder.to_dict() if self.holder else None,
                "checkpoints": {k: str(v) for k, v in self.checkpoints.items()}, "has_kernels": self.has_kernels,
                "problems": list(self.problems), "size_bytes": self.size,
                "checkpoints_removed": self.checkpoints_removed}


def human_size(n: int | None) -> str:
    """Bytes as a person reads them: ``455 MB``, ``1.2 GB``, ``12 kB`` (decimal units, as file managers show)."""
    if n is None:
        return "—"
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n >= scale:
            v = n / scale
            return f"{v:.1f} {unit}" if v < 10 else f"{v:,.0f} {unit}"
    return f"{n} B"


def run_size(path: str | os.PathLike) -> int:
    """The bytes a run folder's files take on disk, its sub-folders' too (TensorBoard's events) except those that
    are runs of their own (an experiment's arms: listed, and sized, by themselves).  Links are not followed."""
    total = 0
    stack = [Path(path)]
    while stack:
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for e in entries:
            try:
                if e.is_symlink():
                    continue
                if e.is_dir():
                    if not is_run_folder(e.path):
                        stack.append(Path(e.path))
                    continue
                total += e.stat().st_size
            except OSError:
                continue
    return total


def _word(v: Any) -> str:
    if isinstance(v, bool):
        return "on" if v else "off"
    if isinstance(v, (list, tuple)):
        return ",".join(str(x) for x in v)
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)


# ------------------------------------------------------------------------------------------ config
def read_config(path: str | os.PathLike) -> tuple[dict[str, Any], list[str]]:
    """``config.json`` (the file or its run folder) as the settings this version knows, and the problems: a
    missing or damaged file, a newer format version, settings this version does not know (left out)."""
    from ..config import TrainConfig

    p = Path(path)
    if p.is_dir():
        p = p / CONFIG_FILE
    try:
        raw = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}, [QT_TRANSLATE_NOOP("Runs", "there is no {file}: the run's settings are unknown").format(file=CONFIG_FILE)]
    except (OSError, ValueError) as err:
        why = err.strerror if isinstance(err, OSError) and err.strerror else QT_TRANSLATE_NOOP("Runs", "not valid JSON")
        return {}, [QT_TRANSLATE_NOOP("Runs", "{file} cannot be read ({why}): the run's settings are unknown").format(
            file=CONFIG_FILE, why=why)]
    if not isinstance(raw, dict):
        return {}, [QT_TRANSLATE_NOOP("Runs", "{file} is not a JSON object: the run's settings are unknown").format(file=CONFIG_FILE)]
    problems = []
    version = raw.pop("version", CONFIG_VERSION)
    raw.pop("distributed", None)  # a torchrun run's world size and global batch (engine/distributed.py), not a setting
    if not isinstance(version, int) or version > CONFIG_VERSION:
        problems.append(QT_TRANSLATE_NOOP("Runs", "{file} was written by a newer alexnet-gui (format version {version}; this version "
                                  "reads {ours}): what it knows is read, the rest left out").format(
            file=CONFIG_FILE, version=version, ours=CONFIG_VERSION))
    known = {f.name for f in fields(TrainConfig)}
    unknown = sorted(k for k in raw if k not in known)
    if unknown:
        problems.append(QT_TRANSLATE_NOOP("Runs", "{file} has settings this version does not know, left out (written by a newer "
                                  "alexnet-gui?): {keys}").format(file=CONFIG_FILE, keys=", ".join(unknown)))
    config = {k: v for k, v in raw.items() if k in known}
    if "model_options" in config and not isinstance(config["model_options"], dict):
        problems.append(QT_TRANSLATE_NOOP("Runs", "{file}'s model_options is not an object; left out").format(file=CONFIG_FILE))
        config.pop("model_options")
    return config, problems


def config_differences(config: dict[str, Any]) -> dict[str, Any]:
    """The settings of ``config`` that differ from the paper's (the model and its options: LRN, pooling, towers,
    activation, dropout, ...) and from the values of its recipe (lr, batch size, seed, ...); bookkeeping such as
    the device or the data folder is left out.  Keys are setting names, values the run's."""
    from ..models import MODELS, model_option_defaults
    from ..recipes import RECIPES

    out: dict[str, Any] = {}
    model = config.get("model")
    if model is not None and model != "paper":
        out["model"] = model
    options = config.get("model_options") or {}
    if model in MODELS:
        defaults = model_option_defaults(model)
        for k, v in options.items():
            if k in defaults and _plain(defaults[k]) != _plain(v):
                out[k] = v
    base_fn = RECIPES.get(config.get("recipe") or "")
    if base_fn is not None:
        base, bookkeeping = base_fn().to_dict(), bookkeeping_keys()
        for k, v in config.items():
            if k in bookkeeping or k == "model" or k not in base:
                continue
            if _plain(base[k]) != _plain(v):
                out[k] = v
    return out


def _plain(v: Any) -> Any:
    if isinstance(v, tuple):
        return [_plain(x) for x in v]
    if isinstance(v, list):
        return [_plain(x) for x in v]
    return v


def full_settings(config: dict[str, Any]) -> dict[str, Any]:
    """Every setting of ``config`` with the model's option defaults filled in, flat (for comparing runs)."""
    from ..models import MODELS, model_option_defaults

    flat = {k: _plain(v) for k, v in config.items() if k != "model_options"}
    model = config.get("model")
    options = dict(model_option_defaults(model)) if model in MODELS else {}
    options.update(config.get("model_options") or {})
    flat.update({k: _plain(v) for k, v in options.items()})
    return flat


def legend_labels(records: Sequence[RunRecord]) -> list[str]:
    """A label per run for a legend: the settings whose values differ between ``records`` (``lrn=off, seed=1``),
    the folder name where nothing differs (or the settings are unknown)."""
    settings = [full_settings(r.config) for r in records]
    keys: list[str] = []
    bookkeeping = bookkeeping_keys()  # the settings table's bookkeeping rows
    for s in settings:
        for k in s:
            if k not in keys and k not in bookkeeping:
                keys.append(k)
    varying = [k for k in keys if len({json.dumps(s.get(k), sort_keys=True, default=str) for s in settings}) > 1]
    labels = []
    for r, s in zip(records, settings):
        text = ", ".join(f"{k}={_word(s.get(k))}" for k in varying if k in s)
        labels.append(text if r.config and text else r.name)
    if len(set(labels)) < len(labels):  # the same settings twice: tell them apart by their folders
        labels = [f"{label} ({r.name})" if label != r.name else label for label, r in zip(labels, records)]
    return labels


# ------------------------------------------------------------------------------------------ reading
def _started(path: Path, curves: RunCurves) -> float | None:
    if curves.started is not None:
        return curves.started
    m = _STAMP.match(path.name)
    if m:
        try:
            return time.mktime(time.strptime(m.group(1), "%Y%m%d-%H%M%S"))
        except ValueError:
            pass
    for name in (CONFIG_FILE, METRICS_FILE):
        try:
            return (path / name).stat().st_mtime
        except OSError:
            continue
    return None


def read_run(path: str | os.PathLike) -> RunRecord:
    """Read a run folder: its settings, progress, best validation errors, state and what it cannot read.  Raises
    :class:`NotARunFolder` for a folder with none of a run's files (or no folder).  Reads every line of
    ``metrics.jsonl`` but parses only validations, ends and the newest step (fast on long runs)."""
    p = Path(path)
    if not p.is_dir():
        raise NotARunFolder(f"'{p}' is not a folder" if p.exists() else f"'{p}' does not exist")
    if not is_run_folder(p):
        raise NotARunFolder(f"'{p}' is not a run folder (it has none of {', '.join(RUN_FILES)})")
    config, problems = read_config(p)
    curves = RunCurves(max_points=4, batch_size=None)
    updated = None
    try:
        updated = (p / METRICS_FILE).stat().st_mtime
        read_metrics_into(curves, p / METRICS_FILE, summary=True)
    except FileNotFoundError:
        problems.append(QT_TRANSLATE_NOOP("Runs", "there is no {file}: nothing was logged").format(file=METRICS_FILE))
    except OSError as err:
        problems.append(QT_TRANSLATE_NOOP("Runs", "{file} cannot be read ({why})").format(file=METRICS_FILE, why=err.strerror or err))
    problems += curves.problems
    holder = lock_holder(p)
    status = RunStatus.RUNNING if holder is not None else RunStatus.of(p, curves.end, curves.records)
    checkpoints = {kind: p / name for kind, name in CHECKPOINTS.items() if (p / name).is_file()}
    removed = (p / CHECKPOINTS_REMOVED).is_file()
    if status is not RunStatus.RUNNING and curves.steps and "last" not in checkpoints and not removed:
        problems.append(QT_TRANSLATE_NOOP("Runs", "last.pt is missing: the run cannot be resumed or its last weights opened"))
    if curves.validated_epochs and "best" not in checkpoints and status is not RunStatus.RUNNING and not removed:
        problems.append(QT_TRANSLATE_NOOP("Runs", "best.pt is missing: the best weights cannot be opened"))
    end = curves.end or {}
    return RunRecord(
        path=p, status=status, config=config, differs=config_differences(config) if config else {},
        steps=curves.steps, total_steps=curves.total_steps, epochs=curves.epochs,
        best_top1_error=curves.best_top1_error, best_top5_error=curves.best_top5_error,
        started=_started(p, curves), updated=updated, end_reason=end.get("reason"),
        end_message=end.get("message"), holder=holder, checkpoints=checkpoints,
        has_kernels=(p / KERNELS_FILE).is_file(), problems=tuple(problems), size=run_size(p),
        checkpoints_removed=removed and not checkpoints)


def run_folders(root: str | os.PathLike, depth: int = 2) -> list[Path]:
    """``root`` when it is a run folder, else the run folders under it up to ``depth`` folders down (an experiment's
    arms sit one level below its folder), by name; hidden and unreadable folders are left out."""
    root = Path(root)
    if is_run_folder(root):
        return [root]
    return list(_candidates(root, depth))


def _candidates(root: Path, depth: int) -> Iterable[Path]:
    try:
        children = sorted(c for c in root.iterdir() if not c.name.startswith("."))
    except OSError:
        return
    for child in children:
        try:
            if not child.is_dir():
                continue
        except OSError:
            continue
        if is_run_folder(child):
            yield child
        elif depth > 1:
            yield from _candidates(child, depth - 1)


def list_runs(root: str | os.PathLike | None = None, depth: int = 2) -> list[RunRecord]:
    """The runs under ``root`` (default :func:`runs_root`; ``root`` itself when it is one), up to ``depth``
    folders down (an experiment's arms sit one level below its folder), newest first.  A missing root has no
    runs; a folder that cannot be read is left out."""
    base = Path(root) if root is not None else runs_root()
    paths = run_folders(base, depth)
    records = []
    for p in paths:
        try:
            records.append(read_run(p))
        except (NotARunFolder, OSError):
            continue
    records.sort(key=lambda r: (r.started or 0.0, r.name), reverse=True)
    return records


def delete_run(path: str | os.PathLike) -> None:
    """Delete a run folder and everything in it.  Refuses a folder that is not a run's
    (:class:`NotARunFolder`) and a run a process trains into (:class:`~.lock.RunLocked`): the lock is taken for
    the deletion, so no training can start into the folder meanwhile."""
    p = Path(path)
    if p.is_symlink():
        raise NotARunFolder(f"'{p}' is a link; delete the folder it points to instead")
    if not is_run_folder(p):
        raise NotARunFolder(f"'{p}' is not a run folder: nothing deleted")
    lock = RunLock(p).acquire()  # raises RunLocked while it trains
    try:
        shutil.rmtree(p)
    finally:
        lock.release()


def remove_checkpoints(path: str | os.PathLike) -> int:
    """Remove a run's checkpoints (``last.pt``, ``best.pt``) and keep the rest: its curves (``metrics.jsonl``),
    ``config.json`` and kernels.  Returns the bytes freed.  The run can no longer be resumed nor its weights
    opened; a note in the folder (``checkpoints-removed.txt``) says so, and that it was done on purpose (the run is
    then not listed as missing them).  Refuses what :func:`delete_run` refuses: a folder that is not a run's, a
    link, a run a process trains into (the lock is held meanwhile)."""
    p = Path(path)
    if p.is_symlink():
        raise NotARunFolder(f"'{p}' is a link; use the folder it points to instead")
    if not is_run_folder(p):
        raise NotARunFolder(f"'{p}' is not a run folder: nothing removed")
    lock = RunLock(p).acquire()  # raises RunLocked while it trains
    try:
        freed, removed = 0, []
        for name in CHECKPOINTS.values():
            f = p / name
            try:
                size = f.stat().st_size
                f.unlink()
            except FileNotFoundError:
                continue
            freed += size
            removed.append(name)
        if removed:
            note = (f"{', '.join(removed)} removed {time.strftime('%Y-%m-%d %H:%M:%S')} "
                    f"({human_size(freed)} freed); the curves, config and kernels are kept.\n")
            with open(p / CHECKPOINTS_REMOVED, "a", encoding="utf-8") as out:
                out.write(note)
        return freed
    finally:
        lock.release()
