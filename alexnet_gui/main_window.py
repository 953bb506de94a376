"""The main window: renders the :class:`~train_backend.session.Session` in dock panels, toolbar and status bar,
sends it the user's intents, and runs the engine's worker in its own thread."""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

from PIL import Image
from PySide6.QtCore import QByteArray, QSettings, QThread, QTimer, Qt, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QAbstractButton, QAbstractSpinBox, QApplication, QComboBox, QDialog, \
    QDialogButtonBox, QLineEdit, QMainWindow, QMessageBox, QWidget

from train_backend.data import load_dataset
from train_backend.data.images import ImageLoadError
from train_backend.engine.sampling import dataset_options
from train_backend.io.checkpoints import CAFFE_SUFFIX, TORCH_SUFFIXES, WEIGHT_SUFFIXES
from train_backend.payloads import RunInfo, TrainEnd
from train_backend.recipes import REFERENCES, TrainConfig
from train_backend.runs import is_run_folder, run_history
from train_backend.session import RunState, Session, SessionImage, WeightsInfo, initial_config, \
    last_unfinished_run, runs_root

from . import resources_path
from .actions import build_actions, build_toolbar_and_menus, update_actions
from .collector import collect_on_gui_thread
from .docks import build_docks, build_panels
from .help import show_about, show_keys
from .image_input import clipboard_image, local_files
from .panels import ActivationsPanel, CurvesPanel, KernelsPanel, LRNPanel, PanelContext, PredictionsPanel, \
    RunsPanel
from .run_view import RunView
from .run_watch import RunWatcher
from .status_bar import StatusBar
from .style import configure_pyqtgraph
from .widgets.background import BackgroundCalls
from .widgets import file_dialogs
from .widgets.settings_dialog import SettingsDialog
from .worker import EngineWorker



@dataclass
class LaunchOptions:
    dataset: str | None = None
    data_root: str | None = None
    recipe: str | None = None
    model: str | None = None
    weights: str | None = None
    device: str | None = None
    image: str | None = None
    open_run: str | None = None  # a run folder to follow live (launch --open-run DIR)
    runs_folders: tuple[str, ...] = ()  # folders whose runs the Runs panel lists and overlays (launch --runs DIR)
    default_layout: bool = False  # ignore the saved window geometry and dock layout (screenshots, tests)
    continue_last: bool = True  # Start continues the newest run when it was left unfinished (not for screenshots)


def read_only_dialog(dlg: QDialog, why: str) -> None:
    """Every editor of ``dlg`` disabled, OK hidden, and ``why`` in its title: a dialog to look at, not to change."""
    for editor in dlg.findChildren(QWidget):
        if isinstance(editor, (QAbstractSpinBox, QComboBox, QLineEdit, QAbstractButton)) and \
                not isinstance(editor.parent(), QDialogButtonBox):
            editor.setEnabled(False)
    for box in dlg.findChildren(QDialogButtonBox):
        for button in box.buttons():
            if box.buttonRole(button) != QDialogButtonBox.ButtonRole.RejectRole:
                button.setVisible(False)
            else:
                button.setText("Close")
    dlg.setWindowTitle(f"{dlg.windowTitle()} ({why})")


def _read_speeds(text) -> dict[str, float]:
    """Training speeds measured here in earlier sessions (QSettings keeps them as JSON)."""
    try:
        data = json.loads(text) if isinstance(text, str) and text else {}
    except ValueError:
        return {}
    return {str(k): float(v) for k, v in data.items() if isinstance(v, (int, float)) and v > 0} \
        if isinstance(data, dict) else {}


class MainWindow(QMainWindow):
    """alexnet-gui's window: the view of ``self.session``. Start/pause/resume/stop go to the engine's thread-safe
    control; the worker lives in ``self.thread``, owns the model and runs one job queue."""

    sig_build_untrained = Signal(object)  # TrainConfig → a fresh model on the worker
    sig_state_changed = Signal(str)  # the run's state (a RunState's value), after the window has shown it
    sig_probe_shown = Signal(int)  # token of the probe now drawn in the panels
    sig_run_finished = Signal(object)  # TrainEnd, after the window has shown it

    def __init__(self, options: LaunchOptions | None = None, settings: QSettings | None = None) -> None:
        super().__init__()
        collect_on_gui_thread()  # before the worker thread exists: see collector.py
        configure_pyqtgraph()
        self.options = options or LaunchOptions()
        self.settings = settings or QSettings("alexnet-gui", "alexnet-gui")
        self.setWindowTitle("alexnet-gui — ImageNet Classification with Deep CNNs (2012), in the lab")
        self.setAcceptDrops(True)
        self.setDockNestingEnabled(True)
        self.session = Session(self._initial_config())
        self.messages: list[tuple[str, str]] = []
        self._analysis_token = 0

        self._build_panels()
        self._show_recipe_reference()
        build_actions(self)
        build_toolbar_and_menus(self)
        self.status = StatusBar(self.statusBar())
        s = self.status
        self.lbl_message, self.lbl_progress, self.lbl_weights, self.lbl_device, self.progress = (
            s.lbl_message, s.lbl_progress, s.lbl_weights, s.lbl_device, s.progress)
        self._connect_session()
        self._start_worker()
        self._restore_settings()
        self._update_actions()
        self._on_plan(self.session.plan())
        o = self.options
        if o.continue_last and not (o.weights or o.recipe or o.dataset or o.model or o.open_run):
            self.run_finder = BackgroundCalls(self)  # reads one run folder and a checkpoint's header
            self.run_finder.call("last run", last_unfinished_run, self._on_last_unfinished_run)
        if self.options.weights:
            self.load_weights(self.options.weights)
        else:
            self.sig_build_untrained.emit(self.config.replace())
        first = self.options.image or str(resources_path("samples", "sample-shapes.png"))
        QTimer.singleShot(0, lambda: self.open_images([first]))
        if self.options.open_run:
            self.open_run(self.options.open_run)
        for folder in self.options.runs_folders:
            self.runs.add_folder(folder, select=True)
        if self.options.runs_folders:
            self.docks["runs"].raise_()

    # ================================================================== the session's facts, as before
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

    @property
    def weights_info(self) -> WeightsInfo | None:
        return self.session.weights

    # ================================================================== construction
    def _initial_config(self) -> TrainConfig:
        o, s = self.options, self.settings
        return initial_config(o.recipe or s.value("recipe", "quick"), o.dataset or s.value("dataset", None),
                              o.data_root or (s.value("data_root", None) if not o.dataset else None),
                              o.model, o.device)

    def _build_panels(self) -> None:
        self.panels = build_panels()  # every registered panel; the five below are wired by name
        self.curves: CurvesPanel = self.panels["curves"]
        self.kernels: KernelsPanel = self.panels["kernels"]
        self.activations: ActivationsPanel = self.panels["activations"]
        self.lrn: LRNPanel = self.panels["lrn"]
        self.predictions: PredictionsPanel = self.panels["predictions"]
        self.runs: RunsPanel = self.panels["runs"]
        self.docks = build_docks(self, self.panels)
        self._default_state = self.saveState()
        for panel in (self.curves, self.kernels, self.runs):
            panel.sig_message.connect(self.notify)
        self.runs.sig_load_weights.connect(self.load_weights)
        self.runs.sig_watch.connect(self.open_run)
        self.predictions.sig_open_requested.connect(self._on_open_image)
        self.predictions.sig_ten_crop_changed.connect(self.session.set_ten_crop)
        self.predictions.sig_image_chosen.connect(self.show_image)
        self.session.ten_crop = self.predictions.ten_crop.isChecked()

    def _connect_session(self) -> None:
        """The session's events, each to the method that shows it (all on the GUI thread)."""
        s = self.session
        s.state_changed.connect(self._on_state)
        s.config_changed.connect(self._on_config)
        s.weights_changed.connect(self._on_weights)
        s.images_changed.connect(lambda images, current: self.predictions.set_strip(
            [(d.path, d.image) for d in images], current))
        s.current_changed.connect(lambda index, d: self.predictions.set_image(d.image, d.name))
        s.probe_requested.connect(lambda r: self.worker.request_probe(r.token, r.image, r.ten_crop))
        s.notice.connect(self.notify)
        s.watch_changed.connect(self._on_watched)
        s.class_selected.connect(lambda _index: self.docks["explain"].raise_() if "explain" in self.docks else None)
        s.plan_changed.connect(self._on_plan)

    def _start_worker(self) -> None:
        self.thread = QThread(self)
        self.thread.setObjectName("alexnet-gui engine")
        self.worker = w = EngineWorker()
        self.worker.moveToThread(self.thread)
        self.thread.finished.connect(self.worker.deleteLater)
        # every connection from the worker goes to a method of this window or of its RunView (QObjects in the GUI
        # thread), so Qt queues the call into the GUI thread: never a plain function, which would run
        # in the worker's thread and touch widgets from there
        for sig, slot in ((w.sig_state, self._on_worker_state), (w.sig_weights, self._on_worker_weights),
                          (w.sig_resumable, self._on_resumable), (w.sig_weights_changed, self.request_probe),
                          (w.sig_message, self.notify)):
            sig.connect(slot)
        self.run_view = RunView(self, w)  # the run's payloads and the probes' answers, drawn
        self.watcher = RunWatcher(self)  # a run another process writes, followed from disk
        self._bind_panels()
        self.sig_build_untrained.connect(self._build_untrained)
        self.thread.start()
        self.status.show_device(self.session.device_label)

    def _bind_panels(self) -> None:
        """Hand every panel that has a ``bind`` what it may use of the app (panels never import the window)."""
        w = self.worker
        context = PanelContext(self.session, self.request_analysis, w.cancel_analysis, w.sig_analysis,
                               w.sig_analysis_failed, w.sig_analysis_progress, self.sig_probe_shown, self.notify,
                               w.request_evaluation, w.sig_evaluated, lambda: self.session.weights,
                               w.cancel_evaluation, w.sig_progress, self.set_pil_image, w.sig_evaluation_failed,
                               self.start_experiment, self.control_experiment, w.sig_experiment)
        for panel in self.panels.values():
            bind = getattr(panel, "bind", None)
            if callable(bind):
                bind(context)

    def request_analysis(self, name: str, **options) -> int:
        """Run the registered analysis ``name`` on the current image with the current weights, on the worker; the
        answer comes as ``worker.sig_analysis(token, name, payload)``. Returns the token."""
        self._analysis_token += 1
        self.worker.request_analysis(self._analysis_token, name, self.session.current_image(), **options)
        return self._analysis_token

    # ================================================================== settings
    def _restore_settings(self) -> None:
        geo = None if self.options.default_layout else self.settings.value("geometry")
        if isinstance(geo, (QByteArray, bytes)) and geo:
            self.restoreGeometry(geo)
        else:
            self.resize(1280, 800)
        state = None if self.options.default_layout else self.settings.value("windowState")
        if isinstance(state, (QByteArray, bytes)) and state:
            self.restoreState(state)
        if not (self.options.recipe or self.options.dataset or self.options.model):
            self.session.restore_overrides(self.settings.value("config_overrides"), self.options.device)
        self.session.speeds.update(_read_speeds(self.settings.value("speeds")))
        folders = self.settings.value("runs_folders") or []
        for folder in [folders] if isinstance(folders, str) else folders:  # a one-item list reads back as a string
            if isinstance(folder, str) and os.path.isdir(folder):  # the Runs panel's folders of the last session
                self.runs.add_folder(folder)

    def save_settings(self) -> None:
        s = self.settings
        s.setValue("geometry", self.saveGeometry())
        s.setValue("windowState", self.saveState())
        s.setValue("recipe", self.config.recipe)
        s.setValue("dataset", self.config.dataset)
        s.setValue("data_root", self.config.data_root or "")
        s.setValue("config_overrides", self.config.to_json())
        if self.session.weights_spec:
            s.setValue("weights", self.session.weights_spec)
        s.setValue("runs_folders", [str(r) for r in self.runs.extra_roots])
        s.setValue("speeds", json.dumps(self.session.speeds))
        s.sync()

    def restore_default_layout(self) -> None:
        self.restoreState(self._default_state)
        for dock in self.docks.values():
            dock.setVisible(True)
            dock.setFloating(False)

    # ================================================================== intents: training and config
    @Slot()
    def toggle_start_pause(self) -> None:
        intent = self.session.toggle_intent()  # starting, pausing, stopping: a second press changes nothing
        if intent == "start":
            self.start_training()
        elif intent == "pause":
            self.session.pause_requested()  # "Pausing…" until the batch under way ends
            self._update_actions()
            self.worker.pause()
        elif intent == "resume":
            self.worker.resume()

    def start_training(self, fresh: bool = False, choice: str | None = None) -> bool:
        """Start what the plan says (``fresh``: Train ▸ Start new run). A plan that would change a run's meaning
        asks first (:meth:`ask_start_choice`); nothing is written before the answer."""
        if self.worker.experimenting:
            self.notify("warning", "an experiment is running (Experiments panel): stop it or let it finish before "
                                   "training here")
            return False
        plan = self.session.plan(fresh)
        if plan.question and choice is None:
            self.ask_start_choice(plan, lambda answer: self.start_training(fresh, answer))
            return False
        plan = self.session.start(fresh, choice)
        if plan is None:
            return False
        self.worker.start_training(plan.config, plan.resume_from, plan.run_dir)
        return True

    def ask_start_choice(self, plan, answer) -> None:
        """Ask the plan's question (window-modal, not blocking the event loop); ``answer(choice)`` gets the
        choice, "cancel" when the box is closed."""
        box = QMessageBox(QMessageBox.Icon.Question, "alexnet-gui — what should Start do?", plan.question,
                          QMessageBox.StandardButton.NoButton, self)
        buttons = {}
        for choice, text in plan.choices:
            role = QMessageBox.ButtonRole.RejectRole if choice == "cancel" else QMessageBox.ButtonRole.AcceptRole
            buttons[box.addButton(text, role)] = choice
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(lambda _r: answer(buttons.get(box.clickedButton(), "cancel")))
        self.start_question = box
        box.open()

    def _on_plan(self, plan) -> None:
        """What Start will do: the button, its tooltip, the status line (while nothing trains or is watched)."""
        self._update_actions()
        if self.session.state.can_start and self.session.watched is None:
            self.status.show_plan(plan.describe())

    def _on_last_unfinished_run(self, target) -> None:
        """The newest run was left unfinished: Start continues it; meanwhile its weights and its curve are shown."""
        if not self.session.offer_target(target):
            return
        self.notify("info", f"{target.name} was left unfinished at step {target.step:,}: Start continues it "
                            "in its folder (Train ▸ Start new run for a new one)")
        self.worker.load_weights(target.checkpoint)  # to look at (the session keeps it the run to continue)
        if target.run_dir:
            self.run_finder.call("history", lambda: run_history(target.run_dir, target.step),
                                 lambda events: self._show_past_run(target, events))

    def _show_past_run(self, target, events) -> None:
        if self.session.target is not target or not self.session.state.can_start:
            return  # the plan changed meanwhile: the curves stay as they are
        self.curves.clear()
        self.curves.plot_loss.setTitle(f"Training loss — {target.name} (stopped at step {target.step:,})")
        self.run_view.show_history(events)

    def start_experiment(self, name: str, **options) -> str | None:
        """Run one of the paper's experiments on the worker (its arms one after another) into a fresh folder under
        the runs directory; None, or why it cannot start (the window's own training and an experiment never run
        together)."""
        if self.worker.training or not self.session.state.can_start:
            return "training is running: stop it before starting an experiment"
        if self.worker.experimenting:
            return "an experiment is already running"
        from train_backend.recipes import TrainConfig
        from train_backend.session import config_run_dir

        out = config_run_dir(TrainConfig(recipe=f"experiment-{name}", dataset=options.get("dataset") or "auto"))
        self.worker.start_experiment(name, out, **options)
        self.notify("info", f"experiment {name} started: runs and report in {out}")
        return None

    def control_experiment(self, action: str) -> None:
        """Pause, resume or stop the experiment under way (called on the GUI thread; the engine's control is
        thread-safe)."""
        {"pause": self.worker.pause_experiment, "resume": self.worker.resume_experiment,
         "stop": self.worker.stop_experiment}[action]()

    @Slot()
    def stop_training(self) -> None:
        if self.session.state.can_stop:
            self.worker.stop()

    def set_recipe(self, name: str) -> None:
        self.session.set_recipe(name)

    def set_dataset(self, name: str, root: str | None = None) -> None:
        self.session.set_dataset(name, root)

    def open_settings(self) -> None:
        """The settings dialog; while a run trains it shows that run's settings, read-only."""
        busy = self.session.state.busy
        cfg = self.session.run_config() if busy else self.config
        dlg = SettingsDialog(cfg, self.session.device_choices(), self)
        if busy:
            read_only_dialog(dlg, "read-only while training: stop the run to change them")
        dlg.setModal(True)
        dlg.finished.connect(lambda result: self._on_settings_done(dlg, result))
        dlg.open()
        self._settings_dialog = dlg

    def _on_settings_done(self, dlg: "SettingsDialog", result: int) -> None:
        if result and self.session.state.busy:
            return
        if result and self.session.apply_settings(dlg.config()):
            self.worker.build_untrained(self.config.replace())

    def _show_recipe_reference(self) -> None:
        """Before a run, the curves take the chosen recipe's form (d2l's per-epoch plot and its published figure);
        the curves of a run already drawn stay as they are until the next run starts."""
        if self.curves.loss.total_added == 0:
            self.curves.set_reference(REFERENCES.get(self.config.recipe))

    def _on_open_dataset(self) -> None:
        path = file_dialogs.existing_folder(
            self, "dataset", "Open dataset folder (one sub-folder per class, or files named <class>.<n>.jpg)")
        if path:
            self.open_dataset_folder(path)

    def open_dataset_folder(self, path: str) -> None:
        """Train on the folder ``path`` once it reads as a data set (its classes and images listed off the GUI
        thread); a folder that does not is said at once and the current data set stays."""
        self.notify("info", f"reading {path}…")
        self.data_checker = getattr(self, "data_checker", None) or BackgroundCalls(self)

        def check():
            bundle = load_dataset("folder", path, verify=False, **dataset_options(self.config.replace(
                dataset="folder")))
            return len(bundle.classes), len(bundle.train) + len(bundle.val)

        def done(found) -> None:
            classes, images = found
            self.set_dataset("folder", path)
            self.notify("info", f"dataset: folder {Path(path).name}: {classes} classes, {images:,} images "
                                "(Start trains on it)")

        def failed(text: str) -> None:
            why = text.split(": ", 1)[1] if text.startswith("DataError: ") else text
            self.notify("error", f"'{path}' cannot be trained on: {why}; the data set stays "
                                 f"{self.config.dataset}")

        self.data_checker.call("dataset", check, done, failed)

    def open_run(self, path: str) -> bool:
        """Follow the run folder ``path`` that another process writes (File > Open run…, --open-run, the Runs
        panel's Watch live): the curves and kernels panels show it as it grows."""
        folder = Path(path).expanduser()
        if not folder.is_dir():
            self.notify("error", f"cannot open run '{path}': no such folder")
            return False
        if self.session.watch(str(folder.resolve())) is None:
            return False
        self.docks["curves"].raise_()
        self.notify("info", f"watching run {folder.resolve()} (it is read from disk as its process writes it)")
        return True

    def _on_open_run(self) -> None:
        path = file_dialogs.existing_folder(self, "runs", "Open a run folder to watch (one a training process writes)",
                                            runs_root())
        if path:
            self.open_run(path)

    def _on_watched(self, watched) -> None:
        self.status.show_watched(watched)
        self._update_actions()

    def _on_open_run_folder(self) -> None:
        if self.run_info and self.run_info.run_dir:
            QDesktopServices.openUrl(QUrl.fromLocalFile(self.run_info.run_dir))

    # ================================================================== session → window
    def _on_state(self, state: RunState) -> None:
        self._update_actions()
        if state == RunState.PAUSED:
            self.status.show_paused()
        self.sig_state_changed.emit(state.value)

    def _on_config(self, cfg: TrainConfig, old: TrainConfig) -> None:
        if self.recipe_box.currentText() != cfg.recipe:
            self.recipe_box.blockSignals(True)
            self.recipe_box.setCurrentText(cfg.recipe)
            self.recipe_box.blockSignals(False)
        if cfg.recipe != old.recipe:
            self._show_recipe_reference()
        if cfg.device != old.device:
            self.status.show_device(self.session.device_label)
        self._update_actions()

    def _on_weights(self, info: WeightsInfo) -> None:
        self.status.show_weights(info)
        self.predictions.set_trained(info.trained, info.source)

    def _update_actions(self) -> None:
        update_actions(self)

    # ================================================================== worker → session (runs and probes: RunView)
    @Slot(str)
    def _on_worker_state(self, state: str) -> None:
        self.session.set_run_state(state)

    @Slot(object)
    def _on_worker_weights(self, info: WeightsInfo) -> None:
        self.session.weights_changed_to(info)

    @Slot(object)
    def _on_resumable(self, found) -> None:
        self.session.checkpoint_resumes(found)

    @Slot(object)
    def _build_untrained(self, cfg: TrainConfig) -> None:
        self.worker.build_untrained(cfg)

    # ================================================================== images and probes
    def open_images(self, paths: list[str]) -> None:
        """Load files (a drop, Open image…, paste, --image): the first readable one becomes current."""
        loaded = self.session.open_images(paths)
        errors = [d.error for d in loaded if d.error]
        if loaded and len(errors) == len(loaded):
            self.predictions.show_error("\n".join(errors))
            self.notify("warning", "\n".join(errors), quiet=True)
        elif errors:
            self.predictions.show_error("\n".join(errors))

    def show_image(self, index: int) -> None:
        error = self.session.select(index)
        if error:
            self.predictions.show_error(error)

    def set_pil_image(self, image: Image.Image, name: str) -> None:
        self.session.set_images([SessionImage(name, image)], 0)

    def current_image(self) -> Image.Image | None:
        return self.session.current_image()

    @Slot()
    def request_probe(self) -> None:
        """Ask the worker for predictions, activations and LRN views of the current image (the session
        coalesces: one request in flight, the newest one waiting)."""
        self.session.request_probe()

    def probe_idle(self) -> bool:
        """No probe of the current image in flight or queued: the panels show the latest one there is."""
        return self.session.probe_idle

    def _on_open_image(self) -> None:
        paths = file_dialogs.open_files(self, "images", "Open images", "Images (*.png *.jpg *.jpeg *.bmp *.gif "
                                                "*.tif *.tiff *.webp *.ppm);;All files (*)")
        if paths:
            self.open_images(paths)

    def paste_image(self) -> None:
        """Classify the clipboard's image files, or its image."""
        mime = QGuiApplication.clipboard().mimeData()
        if mime is None:
            return
        files = local_files(mime)
        if files:
            self.open_images(files)
        elif mime.hasImage():
            try:
                self.set_pil_image(clipboard_image(), "clipboard image")
            except ImageLoadError as err:
                self.predictions.show_error(str(err))
        else:
            self.notify("warning", "the clipboard holds no image")

    # drag and drop anywhere on the window
    def open_dropped(self, files: list[str]) -> None:
        """What a drop holds, each to its place: weights (``WEIGHT_SUFFIXES``) are loaded, a run folder is watched,
        everything else is opened as images."""
        weights = [f for f in files if Path(f).suffix.lower() in WEIGHT_SUFFIXES]
        runs = [f for f in files if Path(f).is_dir() and is_run_folder(f)]
        images = [f for f in files if f not in weights and f not in runs]
        if weights:
            self.load_weights(weights[0])
        if runs:
            self.open_run(runs[0])
        if images:
            self.open_images(images)
        if len(weights) > 1 or len(runs) > 1:
            self.notify("warning", "one weights file and one run folder are opened from a drop: "
                                   f"{Path(weights[0] if len(weights) > 1 else runs[0]).name} was, the others were not")

    def dragEnterEvent(self, event) -> None:  # noqa: N802
        if event.mimeData().hasUrls() or event.mimeData().hasImage():
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:  # noqa: N802
        self.dragEnterEvent(event)

    def dropEvent(self, event) -> None:  # noqa: N802
        files = local_files(event.mimeData())
        if files:
            event.acceptProposedAction()
            self.open_dropped(files)
        else:
            if event.mimeData().hasUrls():
                self.predictions.show_error("only local files can be dropped (not web addresses)")
            event.ignore()

    # ================================================================== weights
    def _on_load_weights_file(self) -> None:
        path = file_dialogs.open_file(self, "weights", "Load weights",
                                              f"Weights ({' '.join('*' + s for s in WEIGHT_SUFFIXES)});;"
                                              f"PyTorch weights ({' '.join('*' + s for s in TORCH_SUFFIXES)});;"
                                              f"Caffe models (*{CAFFE_SUFFIX});;All files (*)")
        if path:
            self.load_weights(path)

    def load_weights(self, spec: str) -> None:
        """Load a checkpoint or alias on the worker; one that resumes a run brings its settings (sig_resumable)."""
        if self.session.load_weights(spec):
            self.worker.load_weights(spec)

    def _on_reset_weights(self) -> None:
        self.worker.build_untrained(self.session.reset_weights())
        self._update_actions()

    def _on_save_checkpoint(self) -> None:
        path = file_dialogs.save_file(self, "weights", "Save checkpoint", "alexnet.pt", "PyTorch checkpoint (*.pt)")
        if path:
            self.save_checkpoint(path)

    def save_checkpoint(self, path: str) -> None:
        self.worker.request_save(path)

    # ================================================================== messages, help
    @Slot(str, str)
    def notify(self, level: str, text: str, quiet: bool = False) -> None:
        """Tell the user: the status bar always; errors also in a non-blocking message box."""
        self.messages.append((level, text))
        del self.messages[:-200]
        self.status.show_message(level, text)
        if level == "error" and not quiet and not self.session.closing and self.isVisible():
            box = QMessageBox(QMessageBox.Icon.Warning, "alexnet-gui", text, QMessageBox.StandardButton.Ok, self)
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()

    def show_about(self) -> None:
        show_about(self)

    def show_keys(self) -> None:
        show_keys(self)

    # ================================================================== closing
    def shutdown(self, timeout_s: float = 60.0) -> bool:
        """Stop training (writing its checkpoint), end the worker thread and wait for it."""
        self.session.closing = True
        self.watcher.stop()
        self.runs.timer.stop()
        if self.worker.training:
            self.worker.stop()
        if self.worker.experimenting:  # the run under way stops with its checkpoint; the report says what finished
            self.worker.stop_experiment()
        self.thread.quit()
        done = self.thread.wait(int(timeout_s * 1000))
        extra = tuple(c for c in (getattr(self, "run_finder", None), getattr(self, "data_checker", None)) if c)
        for calls in (self.watcher.background, self.runs.background) + extra:
            calls.wait(int(timeout_s * 1000))
        return done

    def closeEvent(self, event) -> None:  # noqa: N802
        t0 = time.monotonic()
        training = self.worker.training
        if training:
            self.notify("info", "stopping training and writing a checkpoint…")
            QApplication.processEvents()
        if not self.shutdown():
            self.notify("error", "the training thread did not stop in time")
            event.ignore()
            self.session.closing = False
            return
        self.save_settings()
        if training:
            print(f"alexnet-gui: training stopped on close in {time.monotonic() - t0:.1f} s", flush=True)
        event.accept()
