"""The engine's Qt side: a worker ``QObject`` that lives in its own ``QThread`` and owns the model.

The GUI never touches the model.  Every piece of work is a :class:`Job` handed to
:meth:`EngineWorker.submit` (from any thread): one queue, run in order on the worker thread.  Training
is a long job; while it runs the worker's thread is inside ``Trainer.run`` (no event loop), so
pause/resume/stop go straight to the engine's thread-safe :class:`~train_backend.engine.TrainControl`,
and jobs that use the model (a probe of the current image, an analysis, a data-set pass, an evaluation, saving a
checkpoint) go to that control too, to run at the next batch boundary (see ``LIVE_JOBS`` for why each does); only
loading other weights and other runs wait for the run to end.
Everything the worker emits is a frozen dataclass of Python scalars and NumPy copies, throttled at
the source.
"""

from __future__ import annotations

import enum
import inspect
import threading
import time
import traceback
from collections import deque
from dataclasses import dataclass
from typing import Any, Callable

from PySide6.QtCore import QObject, Signal, Slot

from train_backend.analysis import ANALYSES, Cancelled, run_analysis
from train_backend.io.checkpoints import LoadedWeights, save_checkpoint, is_caffemodel, untrained_weights
from train_backend.io.weights import resolve_weights
from train_backend.errors import AlexNetGuiError
from train_backend.engine import Callback, ConfigError, Trainer, TrainControl
from train_backend.engine.evaluate import evaluate_on, evaluation_bundle, open_evaluation
from train_backend.experiments.events import ExperimentEvent
from train_backend.experiments.runner import ExperimentCallback, run_experiment
from train_backend.models import WEIGHTS_ALIASES
from train_backend.payloads import CheckpointInfo, EpochMetrics, RunInfo, StepMetrics, TrainEnd, \
    ValidationProgress, ValidationResult
from train_backend.analysis.probes import KernelSnapshot, kernel_snapshot, probe_image
from train_backend.config import TrainConfig, untrained_for_config
from train_backend.runs import run_history
from train_backend.session import RunState, WeightsInfo, config_run_dir, resumable_checkpoint

from .i18n import tr_core, translate

STEP_EMIT_INTERVAL_S = 0.5  # at most two step batches a second reach the GUI (status line 2 Hz, curves 1 Hz)
PROGRESS_EMIT_INTERVAL_S = 0.1



class JobKind(str, enum.Enum):
    TRAIN = "train"
    PROBE = "probe"
    ANALYSE = "analyse"
    ANALYSE_DATASET = "analyse a data set"  # a pass over a data set (see LIVE_JOBS: it holds a run's batch boundary)
    EVALUATE = "evaluate"
    LOAD = "load"
    UNTRAINED = "untrained"
    WEIGHTS = "weights"
    SAVE = "save"
    KERNELS = "kernels"
    EXPERIMENT = "experiment"  # one of the paper's ablations: its arms one after another


#: jobs that run against the live model at a batch boundary while a run trains (also while it is paused: the
#: engine's control runs submitted work then too). Nothing the user asks of the model waits in silence for a run to
#: end, which can be hours away:
#:
#: - a probe, an analysis of the image, the kernels, a save: a forward pass or less; training does not notice;
#: - EVALUATE (the Evaluation panel) and ANALYSE_DATASET (Figure 4's grid and neighbours, Top patches, a data set's
#:   thumbnails) are passes over a data set: training waits at the batch boundary while one runs, the way it waits
#:   for its own validation pass. The user pressed the button to see the live weights' figures now, and a pass
#:   reports its progress and stops between its own batches when asked (its panel's Stop / Cancel), so the run is
#:   never held without the user seeing why and being able to end it. Refusing them instead would make the user
#:   stop a run to look at it; pausing and looking is what Pause is for.
#:
#: Loading or building other weights (LOAD, UNTRAINED, WEIGHTS) and runs (TRAIN, EXPERIMENT) wait for the run.
LIVE_JOBS = frozenset({JobKind.PROBE, JobKind.ANALYSE, JobKind.ANALYSE_DATASET, JobKind.EVALUATE, JobKind.SAVE,
                       JobKind.KERNELS})


@dataclass(frozen=True)
class Job:
    """One piece of work for the worker thread: ``run(weights)`` with the model it holds (the live one
    while training)."""

    kind: JobKind
    run: Callable[[LoadedWeights | None], None]

    @property
    def live(self) -> bool:
        return self.kind in LIVE_JOBS


@dataclass
class _Pending:
    """A cancellable request: its stop, and whether its job has started (before that, a cancel answers at once)."""

    name: str
    stop: Callable[[], None]
    started: bool = False
    answered: bool = False  # cancelled before it started, and told so: its job does nothing


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
        if info.start_step > 0 and info.run_dir:  # a continued run: its curve so far, before its next steps
            self.w.sig_history.emit(run_history(info.run_dir, info.start_step))
        self.w._set_state(RunState.RUNNING)

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
        self.w._set_state(RunState.PAUSED)

    def on_resume(self, trainer) -> None:
        if not trainer.control.stop_requested:
            self.w._set_state(RunState.RUNNING)

    def on_note(self, trainer, text: str) -> None:
        self.w.sig_message.emit("info", tr_core(text))

    def on_exception(self, trainer, error: BaseException) -> None:
        self.w.sig_message.emit("error", f"{type(error).__name__}: {error}")


class _EvalProgress(Callback):
    """An evaluation's progress, to the window's progress bar (at most ten updates a second)."""

    def __init__(self, worker: "EngineWorker") -> None:
        self.worker = worker
        self.last = 0.0

    def on_validation_progress(self, trainer, p: ValidationProgress) -> None:
        now = time.monotonic()
        if now - self.last >= PROGRESS_EMIT_INTERVAL_S or p.done == p.total:
            self.last = now
            self.worker.sig_progress.emit("evaluate", p.done, p.total)


class _ExperimentBridge(ExperimentCallback):
    """An experiment's events → ``sig_experiment`` (:class:`ExperimentEvent`), step points throttled."""

    def __init__(self, worker: "EngineWorker", name: str, out: str) -> None:
        self.w, self.name, self.out = worker, name, out
        self.run = None
        self.points: list[tuple[int, float]] = []
        self.last_t = 0.0

    def emit(self, kind: str, **fields: Any) -> None:
        run = self.run
        where = dict(arm=run.arm, label=run.label, seed=run.seed, index=run.index, total=run.total) if run else {}
        self.w.sig_experiment.emit(ExperimentEvent(kind, self.name, out=self.out, **{**where, **fields}))

    def flush(self, step: int = 0, total_steps: int = 0) -> None:
        if self.points:
            self.emit("steps", points=tuple(self.points), step=step, total_steps=total_steps)
            self.points = []
            self.last_t = time.monotonic()

    def on_experiment_start(self, plan) -> None:
        self.w.sig_experiment.emit(ExperimentEvent("start", self.name, total=len(plan.runs), out=self.out,
                                                   message=f"{plan.dataset}: {tr_core(plan.dataset_note)}"))

    def on_arm_start(self, run) -> None:
        self.run = run
        self.points = []
        self.emit("arm")

    def on_batch_end(self, trainer, m: StepMetrics) -> None:
        self.points.append((m.step, 1.0 - m.top1))
        if time.monotonic() - self.last_t >= STEP_EMIT_INTERVAL_S:
            self.flush(m.step, m.total_steps)

    def on_validation_end(self, trainer, r: ValidationResult) -> None:
        self.flush(r.step)
        self.emit("validation", points=((r.step, r.top1_error),), step=r.step)

    def on_pause(self, trainer) -> None:
        self.flush()
        self.emit("paused")

    def on_resume(self, trainer) -> None:
        self.emit("resumed")

    def on_arm_end(self, run, result, report) -> None:
        self.flush(result.steps)
        self.emit("arm_end", result=result, report=report, step=result.steps)

    def on_experiment_end(self, report) -> None:
        self.run = None
        self.emit("finished", report=report)


class EngineWorker(QObject):
    """Owns the model and the trainer; lives in a QThread. See the module docstring."""

    sig_state = Signal(str)  # a RunState's value
    sig_run_info = Signal(object)  # RunInfo
    sig_history = Signal(object)  # list of ("steps" | "validation" | "epoch", payload): a continued run's past
    sig_steps = Signal(object)  # tuple[StepMetrics, ...]
    sig_validation = Signal(object)  # ValidationResult
    sig_epoch = Signal(object)  # EpochMetrics
    sig_kernels = Signal(object)  # KernelSnapshot
    sig_checkpoint = Signal(object)  # CheckpointInfo
    sig_finished = Signal(object)  # TrainEnd
    sig_probe = Signal(object)  # ImageProbe
    sig_probe_failed = Signal(int, str)  # token, message
    sig_analysis = Signal(int, str, object)  # token, analysis name, its payload
    sig_analysis_failed = Signal(int, str, str)  # token, analysis name, what went wrong ("cancelled" if it was)
    sig_analysis_progress = Signal(int, int, int)  # token, done, total
    sig_evaluated = Signal(str, object)  # weights path, ValidationResult
    sig_evaluation_failed = Signal(str)  # why an evaluation gave no result ("evaluation stopped" when stopped)
    sig_weights = Signal(object)  # WeightsInfo
    sig_resumable = Signal(object)  # session.Resumable: the weights just loaded continue a run
    sig_load_failed = Signal(str)  # the weights spec that could not be loaded (the model held is unchanged)
    sig_weights_changed = Signal()  # the live weights moved on (validation/epoch end): re-probe
    sig_progress = Signal(str, int, int)  # kind, done, total (total 0: busy, unknown length)
    sig_message = Signal(str, str)  # level ("info", "warning", "error"), text
    sig_saved = Signal(str)  # path of a checkpoint saved on request
    sig_experiment = Signal(object)  # ExperimentEvent

    _sig_wake = Signal()  # internal: the queue has jobs (delivered on the worker thread)

    def __init__(self, weights: LoadedWeights | None = None) -> None:
        super().__init__()
        self.control = TrainControl()
        self.weights: LoadedWeights | None = weights  # built on this thread by build_untrained / load_weights
        self.trainer: Trainer | None = None
        self._lock = threading.Lock()
        self._jobs: deque[Job] = deque()
        self._training = False
        self.state = RunState.IDLE
        self._cancels: dict[int, _Pending] = {}
        self._evaluation: _Pending | None = None
        self.experiment_control = TrainControl()
        self._experimenting = False
        self._experiment_running = False
        self._sig_wake.connect(self._run_queued)

    # ------------------------------------------------------------ any thread
    @property
    def training(self) -> bool:
        return self._training

    @property
    def experimenting(self) -> bool:
        """An experiment is queued or running (the window's own training must wait for it to end)."""
        return self._experimenting

    def submit(self, job: Job) -> None:
        """Queue ``job``; it runs on the worker thread after the jobs before it, or, while a run trains and the
        job can use the live model, at the run's next batch boundary."""
        with self._lock:
            if self._training and job.live:
                self.control.submit(lambda trainer: self._run_live(job, trainer))
                return
            if self._experimenting and self._experiment_running and job.live:  # the window's own weights, meanwhile
                self.experiment_control.submit(lambda trainer: self._run(job, self.weights))
                return
            self._jobs.append(job)
        self._sig_wake.emit()

    def pause(self) -> None:
        if self._training:
            self.control.pause()

    def resume(self) -> None:
        if self._training:
            self.control.resume()

    def stop(self) -> None:
        if self._training:
            self._set_state(RunState.STOPPING)
            self.control.stop()

    def start_experiment(self, name: str, out: str, **options: Any) -> None:
        """Run the experiment ``name`` (train_backend.experiments) into ``out`` with ``options`` (dataset, steps,
        time_budget_s, seeds, overrides); its events come through ``sig_experiment``; pause, resume and stop go
        to :attr:`experiment_control`."""
        with self._lock:
            self._experimenting = True
            self._experiment_running = False
        self.experiment_control.reset()
        self.submit(Job(JobKind.EXPERIMENT, lambda _w: self._experiment(name, out, options)))

    def pause_experiment(self) -> None:
        if self._experimenting:
            self.experiment_control.pause()

    def resume_experiment(self) -> None:
        if self._experimenting:
            self.experiment_control.resume()

    def stop_experiment(self) -> None:
        if self._experimenting:
            self.experiment_control.stop()

    # ------------------------------------------------------------ jobs (any thread)
    def start_training(self, config: TrainConfig, resume_from: str | None = None, run_dir: str | None = None) -> None:
        """Train ``config`` (from the checkpoint ``resume_from``) into ``run_dir``: a run continued in its own
        folder; None, a new folder under the runs directory."""
        self.submit(Job(JobKind.TRAIN, lambda _w: self._train(config, resume_from, run_dir)))

    def load_weights(self, spec: str) -> None:
        self.submit(Job(JobKind.LOAD, lambda _w: self._load(spec)))

    def build_untrained(self, config: TrainConfig) -> None:
        """A fresh model shaped for ``config`` (built on the worker thread)."""
        self.submit(Job(JobKind.UNTRAINED, lambda _w: self._build_untrained(config)))

    def set_weights(self, weights: LoadedWeights) -> None:
        self.submit(Job(JobKind.WEIGHTS, lambda _w: self._adopt(weights)))

    def request_probe(self, token: int, image: Any, ten_crop: bool) -> None:
        def work(w: LoadedWeights) -> None:
            try:
                self.sig_probe.emit(probe_image(w, image, ten_crop=ten_crop, token=token))
            except Exception as err:  # noqa: BLE001
                self.sig_probe_failed.emit(token, self.tr("could not run the network on this image: {error}").format(
                    error=tr_core(err.message) if isinstance(err, AlexNetGuiError) else err))
        self.submit(Job(JobKind.PROBE, work))

    def request_analysis(self, token: int, name: str, image: Any, **options: Any) -> None:
        """Run a registered analysis (train_backend.analysis) of ``image`` with the current weights; its payload
        comes back through ``sig_analysis``, a failure (a bad option, an image the network cannot take) through
        ``sig_analysis_failed``. An analysis that takes ``progress`` and ``cancelled`` gets them: its progress
        comes through ``sig_analysis_progress`` and :meth:`cancel_analysis` stops it. While a run trains, it runs
        at the run's next batch boundary (one over a whole data set holds the run there, with its progress and its
        cancel: see ``LIVE_JOBS``)."""
        spec = ANALYSES.get(name)
        cancel = threading.Event()
        pending = _Pending(name, cancel.set)
        with self._lock:
            self._cancels[token] = pending
        params = inspect.signature(spec.run).parameters.values() if spec is not None else ()
        takes = {p.name for p in params}
        if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params):  # passes its options on: a data-set pass
            takes |= {"progress", "cancelled"} if spec.cost == "dataset" else set()
        if "progress" in takes:
            options.setdefault("progress", lambda done, total: self.sig_analysis_progress.emit(token, done, total))
        if "cancelled" in takes:
            options.setdefault("cancelled", cancel.is_set)

        def work(w: LoadedWeights) -> None:
            if not self._start(pending):
                return  # cancelled before it started: answered then
            try:
                if cancel.is_set():
                    raise Cancelled("cancelled")
                payload = run_analysis(name, w, image, **options)
            except Cancelled:
                self.sig_analysis_failed.emit(token, name, "cancelled")
                return
            except Exception as err:  # noqa: BLE001 - the asker is told, the worker lives on
                self.sig_analysis_failed.emit(token, name, tr_core(err.message) if isinstance(err, AlexNetGuiError)
                                              else str(err))
                return
            finally:
                with self._lock:
                    self._cancels.pop(token, None)
            self.sig_analysis.emit(token, name, payload)
        dataset_pass = spec is not None and spec.cost == "dataset"
        self.submit(Job(JobKind.ANALYSE_DATASET if dataset_pass else JobKind.ANALYSE, work))

    def cancel_analysis(self, token: int) -> None:
        """Stop the analysis ``token``: one running stops between its batches and answers "cancelled"; one not started
        yet (waiting for a batch boundary or for the job before it) answers "cancelled" now and never runs."""
        with self._lock:
            pending = self._cancels.get(token)
            if pending is None:
                return
            pending.stop()
            now = pending.answered = not pending.started
            if now:
                del self._cancels[token]
        if now:
            self.sig_analysis_failed.emit(token, pending.name, "cancelled")

    def _start(self, pending: _Pending) -> bool:
        """On the worker thread, as ``pending``'s job begins: False when it was cancelled (and answered) before."""
        with self._lock:
            pending.started = not pending.answered
            return pending.started

    def request_evaluation(self, path: str | None = None, *, dataset: str | None = None, data_root: str | None = None,
                           keep_wrong: int = 32, **options: Any) -> None:
        """Evaluate the checkpoint at ``path`` (None: the weights held now) on a validation split (``dataset``, or
        the one the weights were trained on), with the confusion matrix and the ``keep_wrong`` most confidently wrong
        images; progress comes through ``sig_progress("evaluate", done, total)``, the answer through
        ``sig_evaluated(path or "", result)``, a stop through :meth:`cancel_evaluation`."""
        control = TrainControl()
        pending = _Pending("evaluate", control.stop)
        with self._lock:
            self._evaluation = pending

        def work(w: LoadedWeights | None) -> None:
            if not self._start(pending):
                return  # stopped before it started: answered then
            try:
                live = self._training and self.trainer is not None and w is not None and w.model is self.trainer.model
                if live:  # the running model stays where it trains ("auto" could move it to another device)
                    options.setdefault("device", str(next(w.model.parameters()).device))
                if path is not None:
                    loaded, bundle = open_evaluation(path, dataset, data_root)
                else:
                    if w is None:
                        raise ConfigError(self.tr("no weights to evaluate: load some or build the untrained model"))
                    loaded, bundle = w, evaluation_bundle(w, dataset, data_root)
                result = evaluate_on(loaded, bundle, keep_wrong=keep_wrong, callbacks=[_EvalProgress(self)],
                                     control=control, **options)
            except Cancelled:
                self._evaluation_ended("info", "evaluation stopped")
                return
            except AlexNetGuiError as err:
                self._evaluation_ended("error", err.message)
                return
            except Exception as err:  # noqa: BLE001 - the asker hears of it, the worker lives on
                self._evaluation_ended("error", f"{type(err).__name__}: {err}")
                return
            finally:
                with self._lock:
                    if self._evaluation is pending:
                        self._evaluation = None
            if result is None:
                self._evaluation_ended("warning", self.tr("the validation split is empty"))
                return
            self.sig_evaluated.emit(path or "", result)
        self.submit(Job(JobKind.EVALUATE, work))

    def _evaluation_ended(self, level: str, text: str) -> None:
        """An evaluation that gives no result: the status bar hears why (``sig_message``), the asker too (a stop as
        "evaluation stopped", untranslated: the asker says it in its words)."""
        self.sig_message.emit(level, translate("EngineWorker", "evaluation stopped") if text == "evaluation stopped"
                              else tr_core(text))
        text = text if text == "evaluation stopped" else tr_core(text)
        self.sig_evaluation_failed.emit(text)

    def cancel_evaluation(self) -> None:
        """Stop the evaluation under way between its batches; one not started yet (waiting for a batch boundary or
        the job before it) is answered "evaluation stopped" now and never runs."""
        with self._lock:
            pending = self._evaluation
            if pending is None:
                return
            pending.stop()
            now = pending.answered = not pending.started
            if now:
                self._evaluation = None
        if now:
            self._evaluation_ended("info", "evaluation stopped")

    def request_save(self, path: str) -> None:
        def work(w: LoadedWeights) -> None:
            try:
                trainer = self.trainer
                if trainer is not None and trainer.model is w.model and trainer.optimizer is not None:
                    trainer.save(path, "manual", full=True)
                else:
                    save_checkpoint(path, w.model, w.classes, w.input)
            except OSError as err:
                self.sig_message.emit("error", self.tr("could not save '{path}': {error}; the previous file, if any, "
                                                       "is unchanged").format(path=path, error=err.strerror or err))
                return
            self.sig_saved.emit(path)
        self.submit(Job(JobKind.SAVE, work))

    # ------------------------------------------------------------ worker thread
    def _set_state(self, state: RunState) -> None:
        if state != self.state:
            self.state = state
            self.sig_state.emit(state.value)

    @Slot()
    def _run_queued(self) -> None:
        while True:
            with self._lock:
                if not self._jobs:
                    return
                job = self._jobs.popleft()
            self._run(job, self.weights)

    def _run(self, job: Job, weights: LoadedWeights | None) -> None:
        if weights is None and job.kind not in (JobKind.TRAIN, JobKind.LOAD, JobKind.UNTRAINED, JobKind.WEIGHTS,
                                                JobKind.EVALUATE):
            self._build_untrained(TrainConfig())
            weights = self.weights
        try:
            job.run(weights)
        except Exception as err:  # noqa: BLE001 - the worker must survive any job
            self.sig_message.emit("error", f"{type(err).__name__}: {err}")

    def _run_live(self, job: Job, trainer: Trainer) -> None:
        """A job at a run's batch boundary, with the live model (the one held before, if the run built none), in eval
        mode (a data-set pass must not see dropout); the loop's training mode is restored after."""
        model = trainer.model
        if model is None:
            self._run(job, self.weights)
            return
        was_training = model.training
        model.eval()
        try:
            self._run(job, trainer.as_weights())
        finally:
            model.train(was_training)

    def _train(self, config: TrainConfig, resume_from: str | None = None, run_dir: str | None = None) -> None:
        """Run a training session (blocks this thread until it ends; controls arrive via TrainControl)."""
        self.control.reset()
        with self._lock:
            self.trainer = None  # the last run's optimizer state goes before this run builds its own
        self._set_state(RunState.STARTING)
        bridge = _Bridge(self)
        trainer = Trainer(config, [bridge], self.control, run_dir=run_dir or config_run_dir(config))
        with self._lock:
            self._training = True
            self.trainer = trainer
            while self._jobs and self._jobs[0].live:  # probes asked for as the run started: answered by it
                job = self._jobs.popleft()
                self.control.submit(lambda t, job=job: self._run_live(job, t))
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
                    self.weights = trainer.as_weights(ended=True)
                    self.weights.model.eval()
                    for p in self.weights.model.parameters():  # the last batch's gradients: as big as the model
                        p.grad = None
            self.control.run_pending(trainer)  # requests that arrived while the run was ending
        if trainer.model is not None:
            self.sig_weights.emit(weights_info(self.weights))
            self.sig_kernels.emit(kernel_snapshot(self.weights.model, trainer.state.step, trainer.state.epoch))
        self._set_state(RunState.FINISHED if end.ok else RunState.ERROR)
        self.sig_finished.emit(end)

    def _experiment(self, name: str, out: str, options: dict) -> None:
        """Run an experiment (blocks this thread until it ends; pause and stop arrive via experiment_control)."""
        bridge = _ExperimentBridge(self, name, out)
        with self._lock:
            self._experiment_running = True
            while self._jobs and self._jobs[0].live:  # probes asked for meanwhile: answered at batch boundaries
                job = self._jobs.popleft()
                self.experiment_control.submit(lambda t, job=job: self._run(job, self.weights))
        try:
            if self.experiment_control.stop_requested:
                raise ConfigError(self.tr("the experiment was stopped before it started"))
            run_experiment(name, out, listeners=[bridge], control=self.experiment_control, **options)
        except AlexNetGuiError as err:
            bridge.run = None
            bridge.emit("failed", message=tr_core(err.message))
        except Exception as err:  # noqa: BLE001 - the worker lives on
            bridge.run = None
            bridge.emit("failed", message=f"{type(err).__name__}: {err}")
        finally:
            with self._lock:
                self._experimenting = False
                self._experiment_running = False
            self.experiment_control.run_pending(None)  # requests that arrived as it ended

    def _load(self, spec: str) -> None:
        busy = "download" if spec in WEIGHTS_ALIASES else "import" if is_caffemodel(spec) else None
        if busy:
            self.sig_progress.emit(busy, 0, 0)
        try:
            w = resolve_weights(spec)
        except Exception as err:  # noqa: BLE001 - CheckpointError, or a Caffe import's own: the model stays
            self.sig_load_failed.emit(spec)
            self.sig_message.emit("error", tr_core(err.message) if isinstance(err, AlexNetGuiError)
                                  else self.tr("could not load {spec}: {error}").format(
                                      spec=spec, error=f"{type(err).__name__}: {err}"))
            return
        finally:
            if busy:
                self.sig_progress.emit(busy, 1, 1)
        found = resumable_checkpoint(spec)
        if found is not None:
            self.sig_resumable.emit(found)
        self._adopt(w)
        self.sig_message.emit("info", self.tr("loaded {weights}").format(weights=tr_core(w.description)))

    def _build_untrained(self, config: TrainConfig) -> None:
        try:
            w = untrained_for_config(config)
        except (ValueError, TypeError) as err:
            self.sig_message.emit("error", self.tr("cannot build the model for these settings: {error}").format(
                error=err))
            if self.weights is not None:
                return
            w = untrained_weights()
        self._adopt(w)

    def _adopt(self, weights: LoadedWeights) -> None:
        self.weights = weights
        self.trainer = None
        self.sig_weights.emit(weights_info(weights))
        self.sig_kernels.emit(kernel_snapshot(weights.model))
