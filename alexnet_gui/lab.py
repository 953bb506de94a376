"""The lab behind the window: one Qt object that owns the Qt-free :class:`~train_backend.session.Session` and the
engine's worker (in its own thread), turns what they report into typed signals, and takes the user's intents.

Panels bind to it one way (``panel.bind(lab)``): they connect to its signals with :meth:`Lab.listen` and ask for
work through its methods; they never see the window or the worker. The app's own run and a run followed from disk
(:class:`~alexnet_gui.run_watch.RunWatcher`) arrive through the same signals (``run_shown``, ``steps``,
``validation``, ``epoch``, ``kernels``), so a view draws both the same way.

Signals (all emitted on the GUI thread):

- ``run_shown(RunShown)``: a run's curves begin (the app's own run starting or continuing, or a run on disk);
  ``history(list)``: a continued run's past, before its next steps; ``steps(tuple[StepMetrics, ...])``;
  ``validation(ValidationResult, bool now)``; ``epoch(EpochMetrics, bool now)``; ``kernels(KernelSnapshot)``;
  ``run_finished(TrainEnd)``, after the session has taken it;
- ``probe_shown(ImageProbe)``: the current image's answer, the one to draw; ``probe_failed(str)``;
- ``state_changed(RunState)``, ``plan_changed(StartPlan)``, ``config_changed(TrainConfig, TrainConfig)``,
  ``weights_changed(WeightsInfo)``, ``images_changed(list, int)``, ``current_changed(int, SessionImage)``,
  ``watch_changed(WatchedRun | None)``;
- ``message(level, text, quiet)``: a notification (the status bar; an error also in a box unless quiet);
- the worker's answers to requests: ``analysis_done(token, name, payload)``, ``analysis_failed(token, name,
  text)``, ``analysis_progress(token, done, total)``, ``evaluated(path, ValidationResult)``,
  ``evaluation_failed(text)``, ``progress(kind, done, total)``, ``experiment_event(ExperimentEvent)``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from PIL import Image
from PySide6.QtCore import QObject, QThread, Signal, Slot

from train_backend.data import load_dataset
from train_backend.i18n import QT_TRANSLATE_NOOP
from train_backend.engine.sampling import dataset_options
from train_backend.payloads import RunInfo, RunShown, TrainEnd
from train_backend.config import TrainConfig
from train_backend.runs import run_history
from train_backend.session import RunState, RunTarget, Session, SessionImage, StartPlan, WeightsInfo, \
    config_run_dir, last_unfinished_run

from .collector import collect_on_gui_thread
from .i18n import tr_core, translate
from .run_watch import RunWatcher
from .widgets.background import BackgroundCalls
from .worker import EngineWorker

MAX_MESSAGES = 200
#: how a run ended (``TrainEnd.reason``), as the window says it
END_REASONS = {"finished": QT_TRANSLATE_NOOP("Lab", "finished"), "max_steps": QT_TRANSLATE_NOOP("Lab", "max steps"),
               "time_budget": QT_TRANSLATE_NOOP("Lab", "time budget"), "stopped": QT_TRANSLATE_NOOP("Lab", "stopped"),
               "diverged": QT_TRANSLATE_NOOP("Lab", "diverged"), "oom": QT_TRANSLATE_NOOP("Lab", "out of memory"),
               "error": QT_TRANSLATE_NOOP("Lab", "error"), "config": QT_TRANSLATE_NOOP("Lab", "settings"),
               "locked": QT_TRANSLATE_NOOP("Lab", "locked")}


def end_reason(reason: str) -> str:
    """A run's ending reason in words (English: the reason itself, as the log and the command line say it)."""
    words = END_REASONS.get(reason)
    return reason if words is None or translate("Lab", words) == words else translate("Lab", words)


class Lab(QObject):
    """See the module docstring. ``ask_start_choice(plan, answer)`` is how a plan's question reaches the user (the
    window sets it; without one, such a start is refused with the question as the reason)."""

    run_shown = Signal(object)
    history = Signal(object)
    steps = Signal(object)
    validation = Signal(object, bool)
    epoch = Signal(object, bool)
    kernels = Signal(object)
    run_finished = Signal(object)
    probe_shown = Signal(object)
    probe_failed = Signal(str)
    state_changed = Signal(object)
    plan_changed = Signal(object)
    config_changed = Signal(object, object)
    weights_changed = Signal(object)
    images_changed = Signal(object, int)
    current_changed = Signal(int, object)
    watch_changed = Signal(object)
    message = Signal(str, str, bool)
    analysis_done = Signal(int, str, object)
    analysis_failed = Signal(int, str, str)
    analysis_progress = Signal(int, int, int)
    evaluated = Signal(str, object)
    evaluation_failed = Signal(str)
    progress = Signal(str, int, int)
    experiment_event = Signal(object)

    def __init__(self, config: TrainConfig, parent: QObject | None = None) -> None:
        super().__init__(parent)
        collect_on_gui_thread()  # before the worker thread exists: see collector.py
        self.session = Session(config)
        self.messages: list[tuple[str, str]] = []
        self.ask_start_choice: Callable[[StartPlan, Callable[[str], None]], None] | None = None
        self._analysis_token = 0
        self._failures: set[str] = set()
        self._speed = 0.0  # the run's latest images/s: the next plan's time estimate
        self.background = BackgroundCalls(self)  # file reads: the run left unfinished, its history, a data folder
        self._bridge_session()
        self.thread = QThread(self)
        self.thread.setObjectName("alexnet-gui engine")
        self.worker = EngineWorker()
        self.worker.moveToThread(self.thread)
        self.thread.finished.connect(self.worker.deleteLater)
        self._bridge_worker()
        self.watcher = w = RunWatcher(self.session, self)  # a run another process writes, followed from disk
        for sig, slot in ((w.run_shown, self.run_shown), (w.steps, self.steps), (w.validation, self.validation),
                          (w.epoch, self.epoch), (w.kernels, self.kernels), (w.message, self.notify)):
            sig.connect(slot)
        self.thread.start()

    # ------------------------------------------------------------------ the session's facts
    @property
    def config(self) -> TrainConfig:
        return self.session.config

    @config.setter
    def config(self, cfg: TrainConfig) -> None:
        self.session.config = cfg

    @property
    def state(self) -> RunState:
        return self.session.state

    @property
    def last_end(self) -> TrainEnd | None:
        return self.session.last_end

    @property
    def run_info(self) -> RunInfo | None:
        return self.session.run_info

    def weights(self) -> WeightsInfo | None:
        """The weights the worker holds (their classes, where they come from), or None before the first."""
        return self.session.weights

    @property
    def training(self) -> bool:
        return self.worker.training

    # ------------------------------------------------------------------ wiring
    def _bridge_session(self) -> None:
        s = self.session
        s.state_changed.connect(self.state_changed.emit)
        s.plan_changed.connect(self.plan_changed.emit)
        s.config_changed.connect(self.config_changed.emit)
        s.weights_changed.connect(self.weights_changed.emit)
        s.images_changed.connect(self.images_changed.emit)
        s.current_changed.connect(self.current_changed.emit)
        s.watch_changed.connect(self.watch_changed.emit)
        s.notice.connect(self.notify)
        s.probe_requested.connect(lambda r: self.worker.request_probe(r.token, r.image, r.ten_crop))

    def _bridge_worker(self) -> None:
        """Every connection from the worker goes to this object (in the GUI thread): Qt queues the call there."""
        w = self.worker
        for sig, slot in ((w.sig_state, self._on_worker_state), (w.sig_weights, self._on_worker_weights),
                          (w.sig_resumable, self._on_resumable), (w.sig_weights_changed, self.request_probe),
                          (w.sig_message, self._on_worker_message), (w.sig_run_info, self._on_run_info),
                          (w.sig_history, self.history), (w.sig_steps, self._on_steps),
                          (w.sig_validation, self._on_validation), (w.sig_epoch, self._on_epoch),
                          (w.sig_kernels, self.kernels), (w.sig_checkpoint, self._on_checkpoint),
                          (w.sig_finished, self._on_finished), (w.sig_probe, self._on_probe),
                          (w.sig_probe_failed, self._on_probe_failed), (w.sig_saved, self._on_saved),
                          (w.sig_load_failed, self._on_load_failed), (w.sig_analysis, self.analysis_done),
                          (w.sig_analysis_failed, self.analysis_failed),
                          (w.sig_analysis_progress, self.analysis_progress), (w.sig_evaluated, self.evaluated),
                          (w.sig_evaluation_failed, self.evaluation_failed), (w.sig_progress, self.progress),
                          (w.sig_experiment, self.experiment_event)):
            sig.connect(slot)

    def listen(self, signal, slot: Callable[..., Any], view: str) -> None:
        """Connect ``slot`` (a view's drawing) to one of this lab's signals, guarded: an exception there is reported
        once and stops nothing else (training and the other views go on)."""
        signal.connect(self.guarded(slot, view))

    def guarded(self, slot: Callable[..., Any], view: str) -> Callable[..., Any]:
        """``slot`` with :meth:`listen`'s guard, for a view's drawing that runs later (a throttled redraw)."""
        def guarded(*args):
            try:
                return slot(*args)
            except Exception as err:  # noqa: BLE001 - a drawing bug must not take down the window or training
                if view not in self._failures:
                    self._failures.add(view)
                    self.notify("error", self.tr("the {view} panel could not draw ({error}); training and the other "
                                                 "panels go on").format(view=translate("Panels", view),
                                                                        error=f"{type(err).__name__}: {err}"))
                return None
        return guarded

    # ------------------------------------------------------------------ messages
    @Slot(str, str, bool)
    def notify(self, level: str, text: str, quiet: bool = False) -> None:
        """Tell the user (``message``), in the window's language (a text the core wrote is translated here); the
        last 200 are kept in :attr:`messages`."""
        text = tr_core(text)
        self.messages.append((level, text))
        del self.messages[:-MAX_MESSAGES]
        self.message.emit(level, text, quiet)

    @Slot(str, str)
    def _on_worker_message(self, level: str, text: str) -> None:
        self.notify(level, text)

    # ------------------------------------------------------------------ the worker's news
    @Slot(str)
    def _on_worker_state(self, state: str) -> None:
        self.session.set_run_state(state)

    @Slot(object)
    def _on_worker_weights(self, info: WeightsInfo) -> None:
        self.session.weights_changed_to(info)

    @Slot(object)
    def _on_resumable(self, found: RunTarget) -> None:
        self.session.checkpoint_resumes(found)

    @Slot(str)
    def _on_load_failed(self, spec: str) -> None:
        self.session.weights_failed(spec)

    @Slot(object)
    def _on_run_info(self, info: RunInfo) -> None:
        self.session.run_began(info)
        self._failures.clear()
        self._speed = 0.0
        name = Path(info.run_dir).name if info.run_dir else info.model
        self.run_shown.emit(RunShown(name, info.config, info.start_step, info))
        what = self.tr("training {model} AlexNet ({parameters:,} parameters) on {dataset} ({images:,} images, "
                       "{classes} classes); run folder {folder}").format(
            model=info.model, parameters=info.parameters, dataset=info.dataset, images=info.train_size,
            classes=len(info.classes), folder=info.run_dir)
        if info.start_step:
            what = self.tr("continuing at step {step:,}: {what}").format(step=info.start_step, what=what)
        self.notify("info", what)

    @Slot(object)
    def _on_steps(self, steps) -> None:
        self._speed = steps[-1].images_per_sec or self._speed
        self.steps.emit(steps)

    @Slot(object)
    def _on_validation(self, r) -> None:
        self.validation.emit(r, True)
        template = self.tr("validation at step {step:,}: top-1 error {top1:.2f}%, top-5 error {top5:.2f}% ({images:,} "
                           "images, ten-crop)") if r.ten_crop else \
            self.tr("validation at step {step:,}: top-1 error {top1:.2f}%, top-5 error {top5:.2f}% ({images:,} images)")
        self.notify("info", template.format(step=r.step, top1=100 * r.top1_error, top5=100 * r.top5_error,
                                            images=r.images), quiet=True)

    @Slot(object)
    def _on_epoch(self, e) -> None:
        self.epoch.emit(e, True)

    @Slot(object)
    def _on_checkpoint(self, c) -> None:
        kinds = {"stop": self.tr("stop checkpoint written: {path}"), "best": self.tr("best checkpoint written: {path}"),
                 "manual": self.tr("manual checkpoint written: {path}")}
        if c.kind in kinds:
            self.notify("info", kinds[c.kind].format(path=c.path), quiet=True)

    @Slot(str)
    def _on_saved(self, path: str) -> None:
        self.notify("info", self.tr("saved checkpoint {path}").format(path=path))

    @Slot(object)
    def _on_finished(self, end: TrainEnd) -> None:
        self.notify("info" if end.ok else "error", self.tr("training ended ({reason}): {message}").format(
            reason=end_reason(end.reason), message=tr_core(end.message)))
        if self._speed and self.session.run_info is not None:
            self.session.remember_speed(self.session.run_info.config, self._speed)
        self.session.run_finished(end)
        self.run_finished.emit(end)

    @Slot(object)
    def _on_probe(self, probe) -> None:
        if self.session.probe_answered(probe.token):
            self.probe_shown.emit(probe)

    @Slot(int, str)
    def _on_probe_failed(self, token: int, message: str) -> None:
        self.session.probe_answered(token, ok=False)
        self.probe_failed.emit(message)

    # ------------------------------------------------------------------ intents: training
    def toggle_start_pause(self) -> None:
        intent = self.session.toggle_intent()  # starting, pausing, stopping: a second press changes nothing
        if intent == "start":
            self.start_training()
        elif intent == "pause":
            self.session.pause_requested()  # "Pausing…" until the batch under way ends
            self.worker.pause()
        elif intent == "resume":
            self.worker.resume()

    def start_training(self, fresh: bool = False, choice: str | None = None) -> bool:
        """Start what the plan says (``fresh``: Train ▸ Start new run). A plan that would change a run's meaning
        asks first (:attr:`ask_start_choice`); nothing is written before the answer."""
        if self.worker.experimenting:
            self.notify("warning", self.tr("an experiment is running (Experiments panel): stop it or let it finish "
                                           "before training here"))
            return False
        plan = self.session.plan(fresh)
        if plan.question and choice is None:
            if self.ask_start_choice is None:
                self.notify("warning", self.tr("not started: {question}").format(question=tr_core(plan.question)))
            else:
                self.ask_start_choice(plan, lambda answer: self.start_training(fresh, answer))
            return False
        plan = self.session.start(fresh, choice)
        if plan is None:
            return False
        self.worker.start_training(plan.config, plan.resume_from, plan.run_dir)
        return True

    @Slot()
    def stop_training(self) -> None:
        if self.session.state.can_stop:
            self.worker.stop()

    def offer_last_unfinished_run(self) -> None:
        """Look (off the GUI thread) for the newest run left unfinished; Start then continues it, and its weights and
        curve are shown meanwhile."""
        self.background.call("last run", last_unfinished_run, self._on_last_unfinished_run)

    def _on_last_unfinished_run(self, target: RunTarget | None) -> None:
        if not self.session.offer_target(target):
            return
        self.notify("info", self.tr("{name} was left unfinished at step {step:,}: Start continues it in its folder "
                                    "(Train ▸ Start new run for a new one)").format(name=target.name, step=target.step))
        self.worker.load_weights(target.checkpoint)  # to look at (the session keeps it the run to continue)
        if target.run_dir:
            self.background.call("history", lambda: run_history(target.run_dir, target.step),
                                 lambda events: self._show_past_run(target, events))

    def _show_past_run(self, target: RunTarget, events) -> None:
        if self.session.target is not target or not self.session.state.can_start:
            return  # the plan changed meanwhile
        config = target.config.to_dict() if target.config is not None else {}
        self.run_shown.emit(RunShown(target.name, config, target.step, None, stopped=True))
        self.history.emit(events)

    def start_experiment(self, name: str, **options) -> str | None:
        """Run one of the paper's experiments on the worker (its arms one after another) into a fresh folder under
        the runs directory; None, or why it cannot start (the app's own training and an experiment never run
        together)."""
        if self.worker.training or not self.session.state.can_start:
            return self.tr("training is running: stop it before starting an experiment")
        if self.worker.experimenting:
            return self.tr("an experiment is already running")
        out = config_run_dir(TrainConfig(recipe=f"experiment-{name}", dataset=options.get("dataset") or "auto"))
        self.worker.start_experiment(name, out, **options)
        self.notify("info", self.tr("experiment {name} started: runs and report in {folder}").format(name=name,
                                                                                                   folder=out))
        return None

    def experiment_control(self, action: str) -> None:
        """Pause, resume or stop the experiment under way (the engine's control is thread-safe)."""
        {"pause": self.worker.pause_experiment, "resume": self.worker.resume_experiment,
         "stop": self.worker.stop_experiment}[action]()

    # ------------------------------------------------------------------ intents: settings and data
    def set_recipe(self, name: str) -> None:
        self.session.set_recipe(name)

    def set_dataset(self, name: str, root: str | None = None) -> None:
        self.session.set_dataset(name, root)

    def apply_settings(self, cfg: TrainConfig) -> None:
        """The settings dialog's config (idle): an untrained model is rebuilt for it."""
        if not self.session.state.busy and self.session.apply_settings(cfg):
            self.worker.build_untrained(self.config.replace())

    def open_dataset_folder(self, path: str) -> None:
        """Train on the folder ``path`` once it reads as a data set (its classes and images listed off the GUI
        thread); a folder that does not is said at once and the current data set stays."""
        self.notify("info", self.tr("reading {path}…").format(path=path))
        config = self.config.replace(dataset="folder")

        def check():
            bundle = load_dataset("folder", path, verify=False, **dataset_options(config))
            return len(bundle.classes), len(bundle.train) + len(bundle.val)

        def done(found) -> None:
            classes, images = found
            self.set_dataset("folder", path)
            self.notify("info", self.tr("dataset: folder {name}: {classes} classes, {images:,} images (Start trains on "
                                        "it)").format(name=Path(path).name, classes=classes, images=images))

        def failed(text: str) -> None:
            why = text.split(": ", 1)[1] if text.startswith("DataError: ") else text
            self.notify("error", self.tr("'{path}' cannot be trained on: {why}; the data set stays {dataset}").format(
                path=path, why=why, dataset=self.config.dataset))

        self.background.call("dataset", check, done, failed)

    def open_run(self, path: str) -> bool:
        """Follow the run folder ``path`` that another process writes (File ▸ Open run…, --open-run, the Runs panel's
        Watch live): the curves and kernels follow it as it grows."""
        folder = Path(path).expanduser()
        if not folder.is_dir():
            self.notify("error", self.tr("cannot open run '{path}': no such folder").format(path=path))
            return False
        if self.session.watch(str(folder.resolve())) is None:
            return False
        self.notify("info", self.tr("watching run {folder} (it is read from disk as its process writes it)").format(
            folder=folder.resolve()))
        return True

    # ------------------------------------------------------------------ intents: weights
    def build_untrained(self) -> None:
        """A fresh model for the current settings, on the worker."""
        self.worker.build_untrained(self.config.replace())

    def load_weights(self, spec: str) -> None:
        """Load a checkpoint or alias on the worker; one that resumes a run becomes the run Start continues."""
        if self.session.load_weights(spec):
            self.worker.load_weights(spec)

    def reset_weights(self) -> None:
        self.worker.build_untrained(self.session.reset_weights())

    def save_checkpoint(self, path: str) -> None:
        self.worker.request_save(path)

    # ------------------------------------------------------------------ intents: images, probes, analyses
    def open_images(self, paths: list[str]) -> list[str]:
        """Load files (a drop, Open image…, paste, --image): the first readable one becomes current. Returns the
        errors of the unreadable ones (all of them failing is also said in the status bar)."""
        loaded = self.session.open_images(paths)
        errors = [d.error for d in loaded if d.error]
        if loaded and len(errors) == len(loaded):
            self.notify("warning", "\n".join(errors), quiet=True)
        return errors

    def show_image(self, image: Image.Image, name: str) -> None:
        """Make a picture (not a file: a data set's image, the clipboard's) the current image."""
        self.session.set_images([SessionImage(name, image)], 0)

    def select_image(self, index: int) -> str | None:
        return self.session.select(index)

    def current_image(self) -> Image.Image | None:
        return self.session.current_image()

    @Slot()
    def request_probe(self) -> None:
        """Predictions, activations and LRN views of the current image (coalesced by the session)."""
        self.session.request_probe()

    def probe_idle(self) -> bool:
        return self.session.probe_idle

    def request_analysis(self, name: str, **options) -> int:
        """Run the registered analysis ``name`` on the current image with the current weights; the answer comes as
        ``analysis_done(token, name, payload)``. Returns the token."""
        self._analysis_token += 1
        self.worker.request_analysis(self._analysis_token, name, self.session.current_image(), **options)
        return self._analysis_token

    def cancel_analysis(self, token: int) -> None:
        self.worker.cancel_analysis(token)

    def request_evaluation(self, path: str | None = None, **options) -> None:
        self.worker.request_evaluation(path, **options)

    def cancel_evaluation(self) -> None:
        self.worker.cancel_evaluation()

    # ------------------------------------------------------------------ closing
    def shutdown(self, timeout_s: float = 60.0) -> bool:
        """Stop training (writing its checkpoint) and any experiment, end the worker thread and wait for it and
        for the file reads under way."""
        self.session.closing = True
        self.watcher.stop()
        if self.worker.training:
            self.worker.stop()
        if self.worker.experimenting:  # the run under way stops with its checkpoint; the report says what finished
            self.worker.stop_experiment()
        self.thread.quit()
        done = self.thread.wait(int(timeout_s * 1000))
        for calls in (self.watcher.background, self.background):
            calls.wait(int(timeout_s * 1000))
        return done

