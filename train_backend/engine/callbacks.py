"""What the training loop does besides training, as callbacks the Trainer attaches by default.

Lightning's ModelCheckpoint / CSVLogger style: :class:`MetricsLog` writes ``metrics.jsonl``,
:class:`LastCheckpoint` writes ``last.pt`` at each epoch's end and every ``checkpoint_interval_s``,
:class:`BestCheckpoint` writes ``best.pt`` on a validation at least as good as the best so far,
:class:`KernelSnapshots` sends conv1's kernels to the listeners every ``kernel_interval_s``, and
:class:`KernelFile` writes them to ``kernels.npz`` every few seconds, for a process that follows the run from disk.

The Trainer puts :class:`MetricsLog` first (a record is in the file before the listeners hear of it,
as for notes, validations, epochs and the end) and the others after the caller's listeners (they hear
of an epoch's end before its checkpoints are written, and of the run's start before the first kernels).
"""

from __future__ import annotations

import json
import os
import socket
import time
from typing import TYPE_CHECKING, Any

from ..i18n import QT_TRANSLATE_NOOP
from ..runs.files import METRICS_FILE
from ..runs.kernels_file import write_kernel_file
from .hooks import Callback

if TYPE_CHECKING:
    from .host import TrainingRun
    from ..payloads import EpochMetrics, StepMetrics, TrainEnd, ValidationResult


class CheckpointWriteError(OSError):
    """A checkpoint could not be written (reported through ``on_exception``; training goes on)."""


class BuiltinCallback(Callback):
    """One of the engine's own callbacks (not a listener the caller attached)."""

    builtin = True


class MetricsLog(BuiltinCallback):
    """``metrics.jsonl`` in the run folder: one JSON record per start (a resume starts again), step report,
    validation, epoch, note and end."""

    def __init__(self) -> None:
        self._file = None

    def log(self, record: dict[str, Any]) -> None:
        if self._file is not None:
            self._file.write(json.dumps(record, default=float) + "\n")
            self._file.flush()

    def on_setup(self, trainer: "TrainingRun") -> None:
        if trainer.run_dir is not None:
            self._file = open(trainer.run_dir / METRICS_FILE, "a", encoding="utf-8")

    def on_train_start(self, trainer: "TrainingRun", info) -> None:
        self.log({"kind": "start", "time": time.time(), "step": info.start_step, "epoch": info.start_epoch,
                  "pid": os.getpid(), "host": socket.gethostname()})

    def on_note(self, trainer: "TrainingRun", text: str) -> None:
        self.log({"kind": "note", "text": text})

    def on_batch_end(self, trainer: "TrainingRun", metrics: "StepMetrics") -> None:
        self.log({"kind": "step", **metrics.__dict__})

    def on_validation_end(self, trainer: "TrainingRun", result: "ValidationResult") -> None:
        self.log({"kind": "validation", **{k: v for k, v in result.__dict__.items() if k != "confusion"}})

    def on_epoch_end(self, trainer: "TrainingRun", metrics: "EpochMetrics") -> None:
        self.log({"kind": "epoch", **metrics.__dict__})

    def on_train_end(self, trainer: "TrainingRun", end: "TrainEnd") -> None:
        self.log({"kind": "end", **end.__dict__})
        if self._file is not None:
            self._file.close()
            self._file = None


class KernelSnapshots(BuiltinCallback):
    """conv1's kernels to the listeners: at the start, then at most every ``kernel_interval_s`` seconds.

    Nothing is computed when only the engine's own callbacks listen."""

    def __init__(self) -> None:
        self._last_t = 0.0

    def _send(self, trainer: "TrainingRun", force: bool = False) -> None:
        now = time.monotonic()
        if force or now - self._last_t >= trainer.config.kernel_interval_s:
            self._last_t = now
            if any(not getattr(cb, "builtin", False) for cb in trainer.callbacks):
                trainer.emit("on_kernels", trainer.kernel_snapshot())

    def on_train_start(self, trainer: "TrainingRun", info) -> None:
        self._send(trainer, force=True)

    def on_step(self, trainer: "TrainingRun") -> None:
        self._send(trainer)


class KernelFile(BuiltinCallback):
    """``kernels.npz`` in the run folder (:mod:`train_backend.runs.kernels_file`): conv1's weights, replaced
    atomically at the start, at most every ``max(kernel_interval_s, MIN_INTERVAL_S)`` seconds and at the end, so
    another process can watch the kernels learn.  About half a millisecond a write for the paper's net
    (96 x 3 x 11 x 11 weights; ``benchmarks/kernel_file.py``, figures in benchmarks/README.md).  A failed write
    is noted once; training goes on."""

    MIN_INTERVAL_S = 2.0

    def __init__(self) -> None:
        self._last_t = 0.0
        self._started = False
        self._failed = False

    def _write(self, trainer: "TrainingRun", force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last_t < max(trainer.config.kernel_interval_s, self.MIN_INTERVAL_S):
            return
        self._last_t = now
        model = trainer.model
        try:
            weights = (model.first_conv if hasattr(type(model), "first_conv") else model.conv1).weight.detach().float().cpu().numpy()
            write_kernel_file(trainer.run_dir, weights, towers=int(getattr(model, "towers", 1)),
                              step=trainer.state.step, epoch=trainer.state.epoch)
        except Exception as err:  # noqa: BLE001 - a view of the run must never end it (disk full, a lost GPU)
            if not self._failed:
                self._failed = True
                why = err.strerror if isinstance(err, OSError) and err.strerror else f"{type(err).__name__}: {err}"
                trainer.emit("on_note", QT_TRANSLATE_NOOP("Engine", "could not write the kernel snapshot {path} ({why}); "
                                                                    "training goes on without it").format(
                    path=f"{trainer.run_dir}/kernels.npz", why=why))

    def on_train_start(self, trainer: "TrainingRun", info) -> None:
        self._started = trainer.run_dir is not None and trainer.model is not None
        if self._started:
            self._write(trainer, force=True)

    def on_step(self, trainer: "TrainingRun") -> None:
        if self._started:
            self._write(trainer)

    def on_train_end(self, trainer: "TrainingRun", end: "TrainEnd") -> None:
        if self._started:  # a run refused or failed before it started leaves the folder alone
            self._write(trainer, force=True)
            self._started = False


class LastCheckpoint(BuiltinCallback):
    """``last.pt`` (resumable) at each epoch's end and when ``checkpoint_interval_s`` has passed since the
    last checkpoint of any kind; a failed write is reported and training goes on."""

    def on_train_start(self, trainer: "TrainingRun", info) -> None:
        trainer.last_save_time = time.monotonic()

    def on_batch_boundary(self, trainer: "TrainingRun") -> None:
        if time.monotonic() - trainer.last_save_time > trainer.config.checkpoint_interval_s:
            trainer.save_last()
            trainer.restart_clock()  # the write is not training time

    def on_epoch_end(self, trainer: "TrainingRun", metrics: "EpochMetrics") -> None:
        trainer.save_last()


class BestCheckpoint(BuiltinCallback):
    """``best.pt`` (weights only) after an epoch whose validation top-1 error is the best so far (or equal)."""

    def on_epoch_end(self, trainer: "TrainingRun", metrics: "EpochMetrics") -> None:
        st, err = trainer.state, metrics.val_top1_error
        if err is None or trainer.run_dir is None:
            return
        if st.best_val_top1_error is None or err <= st.best_val_top1_error:
            st.best_val_top1_error = err
            try:
                trainer.save(trainer.run_dir / "best.pt", "best", full=False)
            except OSError as error:
                trainer.notify_exception(CheckpointWriteError(
                    f"could not write '{trainer.run_dir / 'best.pt'}': {error.strerror or error}"))


def default_callbacks(listeners, config=None) -> list[Callback]:
    """The metrics log, the caller's listeners, then kernel snapshots (for listeners and on disk) and the
    checkpointers (and TensorBoard's event files after them when ``config.tensorboard``: a run without it never
    imports TensorBoard)."""
    callbacks = [MetricsLog(), *listeners, KernelSnapshots(), KernelFile(), LastCheckpoint(), BestCheckpoint()]
    if config is not None and getattr(config, "tensorboard", False):
        from .tensorboard_log import TensorBoardLog

        callbacks.append(TensorBoardLog())
    return callbacks
