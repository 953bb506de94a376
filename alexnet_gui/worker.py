"""The engine's Qt side: a worker ``QObject`` that lives in its own ``QThread`` and owns the model.

The GUI never touches the model.  It starts training with a queued signal; while the worker's
thread is inside ``Trainer.run`` (no event loop), pause/resume/stop go straight to the engine's
thread-safe :class:`~train_backend.engine.TrainControl`, and other work (probes of the current
image, saving a checkpoint) is queued with :meth:`EngineWorker.request`, which runs it on the
worker thread at the next batch boundary, or at once when idle.  Everything the worker emits is
a frozen dataclass of Python scalars and NumPy copies, throttled at the source.
"""

from __future__ import annotations

import threading
import time
import traceback
from dataclasses import dataclass
from typing import Any, Callable

from PySide6.QtCore import QObject, Signal, Slot

from train_backend.io.checkpoints import CheckpointError, LoadedWeights, resolve_weights, save_checkpoint, \
    untrained_weights
from train_backend.engine import Callback, Trainer, TrainControl
from train_backend.models import WEIGHTS_ALIASES
from train_backend.payloads import CheckpointInfo, EpochMetrics, RunInfo, StepMetrics, TrainEnd, \
    ValidationProgress, ValidationResult
from train_backend.analysis.probes import KernelSnapshot, kernel_snapshot, probe_image
from train_backend.recipes import TrainConfig, untrained_for_config

STEP_EMIT_INTERVAL_S = 0.5  # at most two step batches a second reach the GUI (status line 2 Hz, curves 1 Hz)
PROGRESS_EMIT_INTERVAL_S = 0.1

STATES = ("idle", "starting", "running", "paused", "stopping", "finished", "error")


@dataclass(frozen=True)
class WeightsInfo:
    """What the GUI needs to know about the model the worker holds."""

    description: str
    variant: str
    trained: bool
    source: str
    classes: tuple[str, ...]
    input_size: int
    towers: int


def weights_info(w: LoadedWeights) -> WeightsInfo:
    return WeightsInfo(w.description, w.model.variant, w.trained, w.source, tuple(w.classes), w.input.size,
                       int(getattr(w.model, "towers", 1)))


class _Bridge(Callback):
    """Engine hooks → Qt signals, throttled (runs on the worker thread)."""

    def __init__(self, worker: "EngineWorker") -> None:
        self.w = worker
        self.steps: list[StepMetrics] = []
        self.last_steps_t = 0.0
        self.last_progress_t = 0.0

    def flush_steps(self) -> None:
        if self.steps:
            self.w.sig_steps.emit(tuple(self.steps))
            self.steps = []
            self.last_steps_t = time.monotonic()

    def on_train_start(self, trainer, info: RunInfo) -> None:
        self.w.sig_run_info.emit(info)
        self.w._set_state("running")

    def on_batch_end(self, trainer, m: StepMetrics) -> None:
        self.steps.append(m)
        if time.monotonic() - self.last_steps_t >= STEP_EMIT_INTERVAL_S or m.step >= m.total_steps:
            self.flush_steps()

    def on_kernels(self, trainer, snap: KernelSnapshot) -> None:
        self.w.sig_kernels.emit(snap)

    def on_validation_start(self, trainer, total: int) -> None:
        self.flush_steps()
        self.w.sig_progress.emit("validation", 0, total)

    def on_validation_progress(self, trainer, p: ValidationProgress) -> None:
        now = time.monotonic()
        if now - self.last_progress_t >= PROGRESS_EMIT_INTERVAL_S or p.done == p.total:
            self.last_progress_t = now
            self.w.sig_progress.emit("validation", p.done, p.total)

    def on_validation_end(self, trainer, r: ValidationResult) -> None:
        self.w.sig_validation.emit(r)
        self.w.sig_weights_changed.emit()

    def on_epoch_end(self, trainer, e: EpochMetrics) -> None:
        self.flush_steps()
        self.w.sig_epoch.emit(e)

    def on_checkpoint(self, trainer, c: CheckpointInfo) -> None:
        self.w.sig_checkpoint.emit(c)

    def on_pause(self, trainer) -> None:
        self.flush_steps()
        self.w._set_state("paused")

    def on_resume(self, trainer) -> None:
        if not trainer.control.stop_requested:
            self.w._set_state("running")

    def on_note(self, trainer, text: str) -> None:
        self.w.sig_message.emit("info", text)

    def on_exception(self, trainer, error: BaseException) -> None:
        self.w.sig_message.emit("error", f"{type(error).__name__}: {error}")


class EngineWorker(QObject):
    """Owns the model and the trainer; lives in a QThread. See the module docstring."""

    sig_state = Signal(str)
    sig_run_info = Signal(object)  # RunInfo
    sig_steps = Signal(object)  # tuple[StepMetrics, ...]
    sig_validation = Signal(object)  # ValidationResult
    sig_epoch = Signal(object)  # EpochMetrics
    sig_kernels = Signal(object)  # KernelSnapshot
    sig_checkpoint = Signal(object)  # CheckpointInfo
    sig_finished = Signal(object)  # TrainEnd
    sig_probe = Signal(object)  # ImageProbe
    sig_probe_failed = Signal(int, str)  # token, message
    sig_weights = Signal(object)  # WeightsInfo
    sig_weights_changed = Signal()  # the live weights moved on (validation/epoch end): re-probe
    sig_progress = Signal(str, int, int)  # kind, done, total (total 0: busy, unknown length)
    sig_message = Signal(str, str)  # level ("info", "warning", "error"), text
    sig_saved = Signal(str)  # path of a checkpoint saved on request

    _sig_call = Signal(object)  # internal: run a callable on the worker thread

    def __init__(self, weights: LoadedWeights | None = None) -> None:
        super().__init__()
        self.control = TrainControl()
        self.weights: LoadedWeights | None = weights  # built on this thread by build_untrained / load_weights
        self.trainer: Trainer | None = None
        self._lock = threading.Lock()
        self._training = False
        self.state = "idle"
        self._sig_call.connect(self._on_call)

    # ------------------------------------------------------------ any thread
    @property
    def training(self) -> bool:
        return self._training

    def request(self, fn: Callable[[LoadedWeights], None]) -> None:
        """Run ``fn(current_weights)`` on the worker thread, exactly once, whatever the state."""
        with self._lock:
            if self._training:
                self.control.submit(lambda trainer: fn(trainer.as_weights()))
                return
        self._sig_call.emit(fn)

    def pause(self) -> None:
        if self._training:
            self.control.pause()

    def resume(self) -> None:
        if self._training:
            self.control.resume()

    def stop(self) -> None:
        if self._training:
            self._set_state("stopping")
            self.control.stop()

    # ------------------------------------------------------------ worker thread
    def _set_state(self, state: str) -> None:
        if state != self.state:
            self.state = state
            self.sig_state.emit(state)

    @Slot(object)
    def _on_call(self, fn) -> None:
        if self.weights is None:
            self.build_untrained(TrainConfig())
        try:
            fn(self.weights)
        except Exception as err:  # noqa: BLE001 - the worker must survive any request
            self.sig_message.emit("error", f"{type(err).__name__}: {err}")

    @Slot(object, object)
    def start_training(self, config: TrainConfig, resume_from: str | None = None) -> None:
        """Run a training session (blocks this thread until it ends; controls arrive via TrainControl)."""
        if self._training:
            self.sig_message.emit("warning", "training is already running")
            return
        self.control.reset()
        with self._lock:
            self.trainer = None  # the last run's optimizer state goes before this run builds its own
        self._set_state("starting")
        bridge = _Bridge(self)
        trainer = Trainer(config, [bridge], self.control, run_dir=config_run_dir(config))
        with self._lock:
            self._training = True
            self.trainer = trainer
        end: TrainEnd | None = None
        try:
            end = trainer.run(resume_from=resume_from)
        except BaseException as err:  # run() never raises; this is a last resort
            end = TrainEnd("error", f"{type(err).__name__}: {err}\n{traceback.format_exc()}", trainer.state.step,
                           trainer.state.epoch)
        finally:
            bridge.flush_steps()
            with self._lock:
                self._training = False
                if trainer.model is not None:
                    self.weights = trainer.as_weights()
                    self.weights.model.eval()
                    for p in self.weights.model.parameters():  # the last batch's gradients: as big as the model
                        p.grad = None
            self.control.run_pending(trainer)  # requests that arrived while the run was ending
        if trainer.model is not None:
            self.sig_weights.emit(weights_info(self.weights))
            self.sig_kernels.emit(kernel_snapshot(self.weights.model, trainer.state.step, trainer.state.epoch))
        self._set_state("finished" if end.ok else "error")
        self.sig_finished.emit(end)

    @Slot(str)
    def load_weights(self, spec: str) -> None:
        if self._training:
            self.sig_message.emit("warning", "stop training before loading other weights")
            return
        busy = spec in WEIGHTS_ALIASES
        if busy:
            self.sig_progress.emit("download", 0, 0)
        try:
            w = resolve_weights(spec)
        except CheckpointError as err:
            self.sig_message.emit("error", str(err))
            return
        finally:
            if busy:
                self.sig_progress.emit("download", 1, 1)
        self.weights = w
        self.trainer = None
        self.sig_weights.emit(weights_info(w))
        self.sig_kernels.emit(kernel_snapshot(w.model))
        self.sig_message.emit("info", f"loaded {w.description}")

    @Slot(object)
    def build_untrained(self, config: TrainConfig) -> None:
        """A fresh model shaped for ``config`` (built here, off the GUI thread)."""
        try:
            w = untrained_for_config(config)
        except (ValueError, TypeError) as err:
            self.sig_message.emit("error", f"cannot build the model for these settings: {err}")
            if self.weights is not None:
                return
            w = untrained_weights()
        self.set_weights(w)

    @Slot(object)
    def set_weights(self, weights: LoadedWeights) -> None:
        self.weights = weights
        self.trainer = None
        self.sig_weights.emit(weights_info(weights))
        self.sig_kernels.emit(kernel_snapshot(weights.model))

    # ------------------------------------------------------------ requests (GUI → worker)
    def request_probe(self, token: int, image: Any, ten_crop: bool) -> None:
        def work(w: LoadedWeights) -> None:
            try:
                self.sig_probe.emit(probe_image(w, image, ten_crop=ten_crop, token=token))
            except Exception as err:  # noqa: BLE001
                self.sig_probe_failed.emit(token, f"could not run the network on this image: {err}")
        self.request(work)

    def request_kernels(self) -> None:
        self.request(lambda w: self.sig_kernels.emit(kernel_snapshot(w.model)))

    def request_save(self, path: str) -> None:
        def work(w: LoadedWeights) -> None:
            try:
                trainer = self.trainer
                if trainer is not None and trainer.model is w.model and trainer.optimizer is not None:
                    trainer.save(path, "manual", full=True)
                else:
                    save_checkpoint(path, w.model, w.classes, w.input)
            except OSError as err:
                self.sig_message.emit("error", f"could not save '{path}': {err.strerror or err}; "
                                               "the previous file, if any, is unchanged")
                return
            self.sig_saved.emit(path)
        self.request(work)


def config_run_dir(config: TrainConfig) -> str | None:
    """A fresh run folder under the runs directory ($ALEXNET_GUI_RUNS, else ~/alexnet-gui-runs)."""
    import os
    from pathlib import Path

    base = Path(os.environ.get("ALEXNET_GUI_RUNS") or Path.home() / "alexnet-gui-runs")
    stamp = time.strftime("%Y%m%d-%H%M%S")
    path = base / f"{stamp}-{config.recipe}-{config.dataset}"
    n = 1
    while path.exists():
        n += 1
        path = base / f"{stamp}-{config.recipe}-{config.dataset}-{n}"
    return str(path)
