"""The main window: toolbar, dock panels, status bar, drag-and-drop, and the engine worker's thread."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image
from PySide6.QtCore import QByteArray, QSettings, QThread, QTimer, Qt, QUrl, Signal, Slot
from PySide6.QtGui import QAction, QDesktopServices, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (QApplication, QComboBox, QDockWidget, QFileDialog, QLabel, QMainWindow, QMessageBox,
                               QProgressBar, QSizePolicy, QStyle, QToolButton, QWidget, QMenu)

from train_backend.io.checkpoints import CheckpointError, read_checkpoint_file
from train_backend.data import DATASET_NAMES, default_dataset
from train_backend.data.images import ImageLoadError, decode_image, load_image
from train_backend.models import WEIGHTS_ALIASES
from train_backend.payloads import RunInfo, TrainEnd
from train_backend.recipes import RECIPES, REFERENCES, ConfigError, TrainConfig, recipe

from . import resources_path
from .collector import collect_on_gui_thread
from .livetext import LiveText
from .panels import ActivationsPanel, CurvesPanel, KernelsPanel, LRNPanel, PredictionsPanel
from .settings_dialog import SettingsDialog
from .style import configure_pyqtgraph
from .throttle import Throttle
from .worker import EngineWorker, WeightsInfo

MAX_DROPPED = 64  # thumbnails in the strip
KERNEL_REDRAW_INTERVAL_S = 1.0  # while training
STATUS_INTERVAL_S = 0.5  # the status bar's step / loss / img/s line while training
PREVIEW_SHORT_SIDE = 512  # big JPEGs are decoded at reduced scale: the model needs 256, the preview no more


@dataclass
class LaunchOptions:
    dataset: str | None = None
    data_root: str | None = None
    recipe: str | None = None
    model: str | None = None
    weights: str | None = None
    device: str | None = None
    image: str | None = None
    default_layout: bool = False  # ignore the saved window geometry and dock layout (screenshots, tests)


@dataclass
class DroppedImage:
    path: str
    image: Image.Image | None
    error: str | None = None


@dataclass
class _Probe:
    token: int = 0
    in_flight: bool = False
    dirty: bool = False
    received: list = field(default_factory=list)


class MainWindow(QMainWindow):
    """alexnet-gui's window. Start/pause/resume/stop go to the engine's thread-safe control; the
    worker lives in ``self.thread`` and owns the model."""

    sig_start = Signal(object, object)  # TrainConfig, resume path | None  → worker.start_training
    sig_load_weights = Signal(str)  # → worker.load_weights
    sig_build_untrained = Signal(object)  # TrainConfig → worker.build_untrained
    sig_state_changed = Signal(str)  # the worker's state, after the window has reacted to it
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
        self.state = "idle"
        self.last_end: TrainEnd | None = None
        self.run_info: RunInfo | None = None
        self.weights_info: WeightsInfo | None = None
        self.loaded_weights_spec: str | None = None
        self.resume_path: str | None = None
        self.messages: list[tuple[str, str]] = []
        self.images: list[DroppedImage] = []
        self.current = -1
        self._probe = _Probe()
        self._closing = False
        self._panel_failures: set[str] = set()
        self._kernel_draws = Throttle(KERNEL_REDRAW_INTERVAL_S, self._draw_kernels, self)
        self._status_draws = Throttle(STATUS_INTERVAL_S, self._show_step, self)
        self._step_line = ""  # the current run's last step figures, for the status bar

        self.config = self._initial_config()
        self._build_panels()
        self._show_recipe_reference()
        self._build_actions()
        self._build_toolbar_and_menus()
        self._build_status_bar()
        self._start_worker()
        self._restore_settings()
        self._update_actions()
        if self.options.weights:
            self.load_weights(self.options.weights)
        else:
            self.sig_build_untrained.emit(self.config.replace())
        first = self.options.image or str(resources_path("samples", "sample-shapes.png"))
        QTimer.singleShot(0, lambda: self.open_images([first]))

    # ================================================================== construction
    def _initial_config(self) -> TrainConfig:
        o = self.options
        name = o.recipe or self.settings.value("recipe", "quick")
        if name not in RECIPES:
            name = "quick"
        cfg = recipe(name)
        dataset = o.dataset or self.settings.value("dataset", None)
        if dataset not in DATASET_NAMES:
            dataset = None
        if dataset is None and name in ("quick", "paper", "finetune"):
            dataset = cfg.dataset if cfg.dataset != "folder" else None
            if dataset == "fashion-mnist" or dataset is None:
                dataset = default_dataset()
        if dataset:
            cfg.dataset = dataset
        cfg.data_root = o.data_root or (self.settings.value("data_root", None) if not o.dataset else None) or None
        if cfg.dataset in ("synthetic",):
            cfg.data_root = None
        if o.model and o.model != cfg.model:
            from train_backend.models import MODELS, model_problems

            cfg.model = o.model
            cfg.model_options = {}  # the recipe's options are another network's
            if model_problems(cfg.model, {}, cfg.input_size):  # e.g. d2l's net takes 224 px only
                cfg.input_size = MODELS[cfg.model].native_size
            if o.model == "d2l":
                cfg.channels = 1
        if o.device:
            cfg.device = o.device
        return cfg

    def _build_panels(self) -> None:
        self.curves = CurvesPanel()
        self.kernels = KernelsPanel()
        self.activations = ActivationsPanel()
        self.lrn = LRNPanel()
        self.predictions = PredictionsPanel()
        self.docks: dict[str, QDockWidget] = {}
        specs = [("curves", "Training curves", self.curves, Qt.DockWidgetArea.LeftDockWidgetArea),
                 ("kernels", "Conv1 kernels by GPU group", self.kernels, Qt.DockWidgetArea.LeftDockWidgetArea),
                 ("predictions", "Predictions", self.predictions, Qt.DockWidgetArea.RightDockWidgetArea),
                 ("activations", "Activation maps", self.activations, Qt.DockWidgetArea.RightDockWidgetArea),
                 ("lrn", "LRN effect", self.lrn, Qt.DockWidgetArea.RightDockWidgetArea)]
        placeholder = QWidget()
        placeholder.setMaximumSize(0, 0)
        self.setCentralWidget(placeholder)
        for key, title, widget, area in specs:
            dock = QDockWidget(title, self)
            dock.setObjectName(f"dock_{key}")
            dock.setWidget(widget)
            dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable |
                             QDockWidget.DockWidgetFeature.DockWidgetFloatable |
                             QDockWidget.DockWidgetFeature.DockWidgetClosable)
            self.addDockWidget(area, dock)
            self.docks[key] = dock
        self.tabifyDockWidget(self.docks["activations"], self.docks["lrn"])
        self.docks["activations"].raise_()
        self.resizeDocks([self.docks["curves"], self.docks["predictions"]], [700, 560], Qt.Orientation.Horizontal)
        self.resizeDocks([self.docks["curves"], self.docks["kernels"]], [420, 380], Qt.Orientation.Vertical)
        self.resizeDocks([self.docks["predictions"], self.docks["activations"]], [330, 470], Qt.Orientation.Vertical)
        self._default_state = self.saveState()
        for panel in (self.curves, self.kernels):
            panel.sig_message.connect(self.notify)
        self.predictions.sig_open_requested.connect(self._on_open_image)
        self.predictions.sig_ten_crop_changed.connect(lambda _on: self.request_probe())
        self.predictions.sig_image_chosen.connect(self.show_image)

    def _icon(self, sp: QStyle.StandardPixmap):
        return self.style().standardIcon(sp)

    def _action(self, text: str, slot, shortcut=None, icon=None, tip: str = "") -> QAction:
        a = QAction(text, self)
        if icon is not None:
            a.setIcon(self._icon(icon))
        if shortcut:
            a.setShortcut(QKeySequence(shortcut))
            a.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        tip = tip or text.replace("…", "")
        if shortcut:
            tip += f" ({QKeySequence(shortcut).toString(QKeySequence.SequenceFormat.NativeText)})"
        a.setToolTip(tip)
        a.setStatusTip(tip)
        a.triggered.connect(slot)
        self.addAction(a)
        return a

    def _build_actions(self) -> None:
        SP = QStyle.StandardPixmap
        self.act_start = self._action("Start", self.toggle_start_pause, Qt.Key.Key_Space, SP.SP_MediaPlay,
                                      "Start, pause or resume training")
        self.act_stop = self._action("Stop", self.stop_training, "Ctrl+.", SP.SP_MediaStop,
                                     "Stop training after this batch and write a checkpoint")
        self.act_new_run = self._action("Start new run", lambda: self.start_training(fresh=True), "Ctrl+N", None,
                                        "Start a new run from the current settings (not from the last stop)")
        self.act_open_image = self._action("Open image…", self._on_open_image, QKeySequence.StandardKey.Open,
                                           SP.SP_FileIcon, "Open images to classify and probe")
        self.act_paste = self._action("Paste image", self.paste_image, QKeySequence.StandardKey.Paste, None,
                                      "Classify the image (or image files) on the clipboard")
        self.act_open_dataset = self._action("Open dataset…", self._on_open_dataset, "Ctrl+Shift+O", SP.SP_DirOpenIcon,
                                             "Train on a folder of images (one sub-folder per class, or Kaggle's "
                                             "cat.0.jpg, dog.0.jpg, ... in one folder)")
        self.act_load = self._action("Load weights…", self._on_load_weights_file, "Ctrl+L", SP.SP_DialogOpenButton,
                                     "Load a checkpoint of this app or a torchvision AlexNet .pth")
        self.act_tv = self._action("torchvision ImageNet weights", lambda: self.load_weights("torchvision"), None, None,
                                   "Download torchvision's ImageNet AlexNet weights (needs the network once)")
        self.act_untrained = self._action("Fresh untrained model", self._on_reset_weights, None, None,
                                          "Replace the model with a newly initialised one for the current settings")
        self.act_save = self._action("Save checkpoint…", self._on_save_checkpoint, QKeySequence.StandardKey.Save,
                                     SP.SP_DialogSaveButton, "Save the current weights (and training state)")
        self.act_export = self._action("Export kernels…", self.kernels._on_export, "Ctrl+E", SP.SP_DriveFDIcon,
                                       "Export conv1's kernels as PNG, SVG or PDF")
        self.act_settings = self._action("Training settings…", self.open_settings, "Ctrl+,",
                                         SP.SP_FileDialogDetailedView, "Edit every value of the recipe")
        self.act_export_curves = self._action("Export curves (PNG)…", self.curves._on_export_png, None, None)
        self.act_export_csv = self._action("Export curves (CSV)…", self.curves._on_export_csv, None, None)
        self.act_quit = self._action("Quit", self.close, QKeySequence.StandardKey.Quit, None)
        self.act_reset_layout = self._action("Restore default layout", self.restore_default_layout, None, None)
        self.act_about = self._action("About alexnet-gui", self.show_about, None, None)
        self.act_keys = self._action("Keyboard shortcuts", self.show_keys, "F1", None)
        self.act_open_run = self._action("Open run folder", self._on_open_run_folder, None, None)

    def _build_toolbar_and_menus(self) -> None:
        tb = self.addToolBar("Training")
        tb.setObjectName("toolbar_main")
        tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        tb.addAction(self.act_start)
        tb.addAction(self.act_stop)
        tb.addSeparator()
        tb.addAction(self.act_open_image)
        tb.addAction(self.act_open_dataset)
        load_btn = QToolButton()
        load_btn.setDefaultAction(self.act_load)
        load_menu = QMenu(load_btn)
        load_menu.addAction(self.act_load)
        load_menu.addAction(self.act_tv)
        load_menu.addAction(self.act_untrained)
        load_btn.setMenu(load_menu)
        load_btn.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        load_btn.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        tb.addWidget(load_btn)
        tb.addAction(self.act_save)
        tb.addAction(self.act_export)
        tb.addSeparator()
        tb.addWidget(QLabel(" Recipe "))
        self.recipe_box = QComboBox()
        for name, fn in RECIPES.items():
            self.recipe_box.addItem(name, name)
            self.recipe_box.setItemData(self.recipe_box.count() - 1, (fn.__doc__ or "").strip().split("\n")[0],
                                        Qt.ItemDataRole.ToolTipRole)
        self.recipe_box.setCurrentText(self.config.recipe)
        self.recipe_box.setToolTip("Training recipe (paper, d2l, finetune, quick)")
        self.recipe_box.currentTextChanged.connect(self.set_recipe)
        tb.addWidget(self.recipe_box)
        tb.addAction(self.act_settings)
        self.toolbar = tb

        mb = self.menuBar()
        m = mb.addMenu("&File")
        for a in (self.act_open_image, self.act_paste, self.act_open_dataset, None, self.act_load, self.act_tv,
                  self.act_untrained, self.act_save, None, self.act_export, self.act_export_curves,
                  self.act_export_csv, self.act_open_run, None, self.act_quit):
            m.addSeparator() if a is None else m.addAction(a)
        m = mb.addMenu("&Train")
        for a in (self.act_start, self.act_stop, self.act_new_run, None, self.act_settings):
            m.addSeparator() if a is None else m.addAction(a)
        self.menu_view = mb.addMenu("&View")
        for key, dock in self.docks.items():
            act = dock.toggleViewAction()
            act.setText(dock.windowTitle())
            self.menu_view.addAction(act)
        self.menu_view.addSeparator()
        self.menu_view.addAction(self.act_reset_layout)
        m = mb.addMenu("&Help")
        m.addAction(self.act_keys)
        m.addAction(self.act_about)

    def _build_status_bar(self) -> None:
        sb = self.statusBar()
        # the lines that change while training are LiveText: a new text repaints them without re-laying out
        # the window (livetext.py)
        self.lbl_message = LiveText("", chars=50)
        self.lbl_device = QLabel("device: —")
        self.lbl_weights = QLabel("")
        self.lbl_progress = LiveText("idle", chars=60)
        self.progress = QProgressBar()
        self.progress.setFixedWidth(160)
        self.progress.setTextVisible(True)
        self.progress.setVisible(False)
        for label in (self.lbl_message, self.lbl_progress, self.lbl_weights):  # long texts must not widen the window
            label.setMinimumWidth(60)
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        # widths for 1280 px: a run's ending on the left, a step line in the middle, "weights: paper, 8 classes,
        # trained" on the right, each whole (tests/test_gui.py)
        sb.addWidget(self.lbl_message, 6)  # notifications (never a temporary message: it would hide the rest)
        sb.addPermanentWidget(self.lbl_progress, 8)
        sb.addPermanentWidget(self.progress)
        sb.addPermanentWidget(self.lbl_weights, 5)
        sb.addPermanentWidget(self.lbl_device)

    def _start_worker(self) -> None:
        self.thread = QThread(self)
        self.thread.setObjectName("alexnet-gui engine")
        self.worker = EngineWorker()
        self.worker.moveToThread(self.thread)
        self.thread.finished.connect(self.worker.deleteLater)
        w = self.worker
        w.sig_state.connect(self._on_worker_state)
        w.sig_run_info.connect(self._on_run_info)
        w.sig_steps.connect(self._on_steps)
        w.sig_validation.connect(self._on_validation)
        # every connection to the worker goes to a method of this window (a QObject living in the GUI
        # thread), so Qt queues the call into the GUI thread: never a plain function, which would run
        # in the worker's thread and touch widgets from there
        w.sig_epoch.connect(self._on_epoch)
        w.sig_kernels.connect(self._on_kernels)
        w.sig_checkpoint.connect(self._on_checkpoint)
        w.sig_finished.connect(self._on_finished)
        w.sig_probe.connect(self._on_probe)
        w.sig_probe_failed.connect(self._on_probe_failed)
        w.sig_weights.connect(self._on_weights)
        w.sig_weights_changed.connect(self.request_probe)
        w.sig_progress.connect(self._on_progress)
        w.sig_message.connect(self.notify)
        w.sig_saved.connect(self._on_saved)
        self.sig_start.connect(w.start_training)
        self.sig_load_weights.connect(w.load_weights)
        self.sig_build_untrained.connect(w.build_untrained)
        self.thread.start()
        self.lbl_device.setText(f"device: {_device_label(self.config.device)}")

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
        overrides = self.settings.value("config_overrides")
        if overrides and not (self.options.recipe or self.options.dataset or self.options.model):
            try:
                saved = TrainConfig.from_dict(json.loads(overrides))
                if saved.recipe == self.config.recipe:
                    saved.dataset, saved.data_root = self.config.dataset, self.config.data_root
                    if self.options.device:
                        saved.device = self.options.device
                    saved.validate()
                    self.config = saved
            except (ValueError, TypeError, ConfigError):
                pass

    def save_settings(self) -> None:
        s = self.settings
        s.setValue("geometry", self.saveGeometry())
        s.setValue("windowState", self.saveState())
        s.setValue("recipe", self.config.recipe)
        s.setValue("dataset", self.config.dataset)
        s.setValue("data_root", self.config.data_root or "")
        s.setValue("config_overrides", self.config.to_json())
        if self.loaded_weights_spec:
            s.setValue("weights", self.loaded_weights_spec)
        s.sync()

    def restore_default_layout(self) -> None:
        self.restoreState(self._default_state)
        for dock in self.docks.values():
            dock.setVisible(True)
            dock.setFloating(False)

    # ================================================================== training
    @Slot()
    def toggle_start_pause(self) -> None:
        if self.state in ("idle", "finished", "error"):
            self.start_training()
        elif self.state == "running":
            self.worker.pause()
        elif self.state == "paused":
            self.worker.resume()
        # "starting" / "stopping": a second press changes nothing

    def start_training(self, fresh: bool = False) -> bool:
        if self.state in ("starting", "running", "paused", "stopping"):
            return False
        cfg = self.config.replace()
        resume = None
        if not fresh and self.last_end is not None and self.last_end.reason == "stopped" and self.last_end.checkpoint:
            resume = self.last_end.checkpoint
        elif not fresh and self.resume_path:
            resume = self.resume_path
        elif self.loaded_weights_spec and self.weights_info is not None and self.weights_info.trained:
            cfg.init_weights = self.loaded_weights_spec
            cfg.model = self.weights_info.variant
        try:
            cfg.validate()
        except ConfigError as err:
            self.notify("error", f"cannot start: {err}")
            return False
        self.resume_path = None
        self._set_state("starting")
        if resume:
            self.notify("info", f"resuming from {resume}")
        self.sig_start.emit(cfg, resume)
        return True

    @Slot()
    def stop_training(self) -> None:
        if self.state in ("running", "paused", "starting"):
            self.worker.stop()

    def set_recipe(self, name: str) -> None:
        if name not in RECIPES or name == self.config.recipe:
            return
        cfg = recipe(name)
        keep_data = self.config.dataset if cfg.dataset != "folder" or self.config.data_root else cfg.dataset
        if name in ("d2l",):
            keep_data = "fashion-mnist" if self.config.dataset != "folder" else keep_data
        cfg.dataset, cfg.data_root = keep_data, self.config.data_root
        if cfg.dataset == "fashion-mnist" and default_dataset() != "fashion-mnist" and not cfg.data_root:
            cfg.dataset = "synthetic"
        cfg.device = self.config.device
        self.config = cfg
        if self.recipe_box.currentText() != name:
            self.recipe_box.setCurrentText(name)
        self.notify("info", f"recipe '{name}': {_describe(cfg)}")
        self._show_recipe_reference()

    def _show_recipe_reference(self) -> None:
        """Before a run, the curves take the chosen recipe's form (d2l's per-epoch plot and its published figure);
        the curves of a run already drawn stay as they are until the next run starts."""
        if self.curves.loss.total_added == 0:
            self.curves.set_reference(REFERENCES.get(self.config.recipe))

    def open_settings(self) -> None:
        dlg = SettingsDialog(self.config, _devices(), self)
        dlg.setModal(True)
        dlg.finished.connect(lambda result: self._on_settings_done(dlg, result))
        dlg.open()
        self._settings_dialog = dlg

    def _on_settings_done(self, dlg: SettingsDialog, result: int) -> None:
        if result:
            self.config = dlg.config()
            self.lbl_device.setText(f"device: {_device_label(self.config.device)}")
            self.notify("info", f"settings: {_describe(self.config)}")
            if not self.worker.training and (self.weights_info is None or not self.weights_info.trained):
                self.sig_build_untrained.emit(self.config.replace())

    # ================================================================== worker → window
    def _set_state(self, state: str) -> None:
        self.state = state
        self._update_actions()

    @Slot(str)
    def _on_worker_state(self, state: str) -> None:
        self._set_state(state)
        if state == "paused":
            self._status_draws.flush()
            self.lbl_progress.setText(self.lbl_progress.text().split(" — ")[0] + " — paused")
        self.sig_state_changed.emit(state)

    def _update_actions(self) -> None:
        st = self.state
        SP = QStyle.StandardPixmap
        if st == "running":
            self.act_start.setText("Pause")
            self.act_start.setIcon(self._icon(SP.SP_MediaPause))
        elif st == "paused":
            self.act_start.setText("Resume")
            self.act_start.setIcon(self._icon(SP.SP_MediaPlay))
        else:
            resume = self.last_end is not None and self.last_end.reason == "stopped" and self.last_end.checkpoint
            self.act_start.setText("Continue" if resume and st != "starting" else "Start")
            self.act_start.setIcon(self._icon(SP.SP_MediaPlay))
        busy = st in ("starting", "running", "paused", "stopping")
        self.act_start.setEnabled(st not in ("starting", "stopping"))
        self.act_stop.setEnabled(st in ("running", "paused", "starting"))
        self.act_new_run.setEnabled(not busy)
        for a in (self.act_load, self.act_tv, self.act_untrained, self.act_open_dataset, self.act_settings):
            a.setEnabled(not busy)
        self.recipe_box.setEnabled(not busy)
        self.act_open_run.setEnabled(self.run_info is not None and bool(self.run_info.run_dir))

    @Slot(object)
    def _on_run_info(self, info: RunInfo) -> None:
        self.run_info = info
        self._step_line = ""
        self._panel_failures.clear()
        self._guard("Training curves", self.curves.start_run)(info)
        self._guard("Conv1 kernels", self.kernels.start_run)(info.start_step > 0)
        amp = f", AMP {info.amp_dtype}" if info.amp_dtype else ""
        self.lbl_device.setText(f"device: {info.device_name}{amp}")
        self.notify("info", f"training {info.model} AlexNet ({info.parameters:,} parameters) on {info.dataset} "
                            f"({info.train_size:,} images, {len(info.classes)} classes); run folder {info.run_dir}")
        self.progress.setVisible(True)
        self.progress.setRange(0, max(1, info.total_steps))
        self.progress.setValue(info.start_step)
        self.progress.setFormat("%v / %m steps")
        self.lbl_weights.setText(f"weights: {info.model}, {len(info.classes)} classes, training")
        self._update_actions()

    def _guard(self, panel: str, fn):
        """Run a panel's drawing code; an exception there is reported once and changes nothing else."""
        def guarded(*args):
            try:
                return fn(*args)
            except Exception as err:  # noqa: BLE001 - a drawing bug must not take down the window or training
                if panel not in self._panel_failures:
                    self._panel_failures.add(panel)
                    self.notify("error", f"the {panel} panel could not draw ({type(err).__name__}: {err}); "
                                         "training and the other panels go on")
                return None
        return guarded

    @Slot(str)
    def _on_saved(self, path: str) -> None:
        self.notify("info", f"saved checkpoint {path}")

    @Slot(object)
    def _on_epoch(self, e) -> None:
        self._guard("Training curves", self.curves.add_epoch)(e)

    @Slot(object)
    def _on_kernels(self, snap) -> None:
        """Kernels: drawn at once when idle, at most once a second while training (the latest one wins)."""
        self._kernel_draws.submit(snap, now=not self.worker.training)

    def _draw_kernels(self, snap) -> None:
        self._guard("Conv1 kernels", self.kernels.set_snapshot)(snap)

    @Slot(object)
    def _on_steps(self, steps) -> None:
        self._guard("Training curves", self.curves.add_steps)(steps)
        self._status_draws.submit(steps[-1])

    def _show_step(self, m) -> None:
        self._set_progress(m.step, m.total_steps, "%v / %m steps")
        eta = _fmt_duration(m.eta_s)
        self._step_line = (f"epoch {m.epoch + 1} · step {m.step:,}/{m.total_steps:,} · loss {m.loss:.4f} · "
                           f"{m.images_per_sec:.0f} img/s")
        self.lbl_progress.setText(f"{self._step_line} · ETA {eta}")

    def _set_progress(self, value: int, maximum: int, fmt: str) -> None:
        """The progress bar, repainted with the next frame: QProgressBar.setValue repaints at once (a
        synchronous paint and flush, ~10 % of the GUI thread's time while training), so updates are off
        while it is set and switching them back on schedules an ordinary, coalesced update."""
        bar = self.progress
        bar.setUpdatesEnabled(False)
        try:
            bar.setRange(0, max(1, maximum))
            bar.setValue(value)
            bar.setFormat(fmt)
        finally:
            bar.setUpdatesEnabled(True)

    @Slot(object)
    def _on_validation(self, r) -> None:
        self._guard("Training curves", self.curves.add_validation)(r)
        self._set_progress(r.step, self.run_info.total_steps if self.run_info else 1, "%v / %m steps")
        self.notify("info", f"validation at step {r.step:,}: top-1 error {100 * r.top1_error:.2f}%, "
                            f"top-5 error {100 * r.top5_error:.2f}% ({r.images:,} images"
                            f"{', ten-crop' if r.ten_crop else ''})", quiet=True)

    @Slot(str, int, int)
    def _on_progress(self, kind: str, done: int, total: int) -> None:
        self.progress.setVisible(True)
        if kind == "validation":
            self._set_progress(done, total, "validation %v/%m")
        elif kind == "download":
            if done < total or total == 0:
                self.progress.setRange(0, 0)  # busy
                self.progress.setFormat("downloading…")
                self.lbl_progress.setText("downloading torchvision's ImageNet weights…")
            else:
                self.progress.setRange(0, 1)
                self.progress.setValue(1)
                self.progress.setVisible(self.state in ("running", "paused"))

    @Slot(object)
    def _on_checkpoint(self, c) -> None:
        if c.kind in ("stop", "best", "manual"):
            self.notify("info", f"{c.kind} checkpoint written: {c.path}", quiet=True)

    @Slot(object)
    def _on_finished(self, end: TrainEnd) -> None:
        self.last_end = end
        self._status_draws.flush()  # the last step's figures, then the ending below
        self._kernel_draws.flush()
        level = "info" if end.ok else "error"
        self.notify(level, f"training ended ({end.reason}): {end.message}")
        # the ending's text is the notification's (once, on the left); here the last figures and one word
        word = "stopped" if end.reason == "stopped" else "done" if end.ok else "failed"
        self.lbl_progress.setText(f"{self._step_line} — {word}" if self._step_line else word)
        self._update_actions()
        self.request_probe()
        self.sig_run_finished.emit(end)

    @Slot(object)
    def _on_weights(self, info: WeightsInfo) -> None:
        self.weights_info = info
        state = "trained" if info.trained else "UNTRAINED"
        self.lbl_weights.setText(f"weights: {info.variant}, {len(info.classes)} classes, {state}")
        self.lbl_weights.setToolTip(info.description)
        self.predictions.set_trained(info.trained, info.source)
        self.request_probe()

    # ================================================================== images and probes
    def open_images(self, paths: list[str]) -> None:
        """Load files (a drop, Open image…, paste, --image): the first readable one becomes current."""
        paths = [str(p) for p in paths][:MAX_DROPPED]
        if not paths:
            return
        loaded = []
        for p in paths:
            try:
                loaded.append(DroppedImage(p, load_image(p, min_short_side=PREVIEW_SHORT_SIDE)))
            except ImageLoadError as err:
                loaded.append(DroppedImage(p, None, str(err)))
        good = [i for i, d in enumerate(loaded) if d.image is not None]
        if not good:
            msg = "\n".join(d.error for d in loaded)
            self.predictions.show_error(msg)
            self.notify("warning", msg, quiet=True)
            return
        self.images = loaded
        self.predictions.set_strip([(d.path, d.image) for d in loaded], good[0])
        self.show_image(good[0])
        bad = [d.error for d in loaded if d.error]
        if bad:
            self.predictions.show_error("\n".join(bad))

    def show_image(self, index: int) -> None:
        if not (0 <= index < len(self.images)):
            return
        d = self.images[index]
        if d.image is None:
            self.predictions.show_error(d.error or "unreadable image")
            return
        self.current = index
        self.predictions.set_image(d.image, Path(d.path).name)
        self.request_probe()

    def set_pil_image(self, image: Image.Image, name: str) -> None:
        self.images = [DroppedImage(name, image)]
        self.predictions.set_strip([(name, image)], 0)
        self.show_image(0)

    def current_image(self) -> Image.Image | None:
        if 0 <= self.current < len(self.images):
            return self.images[self.current].image
        return None

    @Slot()
    def request_probe(self) -> None:
        """Ask the worker for predictions, activations and LRN views of the current image.

        One request is in flight at a time; requests meanwhile are coalesced into one more.
        """
        image = self.current_image()
        if image is None or self._closing:
            return
        if self._probe.in_flight:
            self._probe.dirty = True
            return
        self._probe.token += 1
        self._probe.in_flight = True
        self._probe.dirty = False
        self.worker.request_probe(self._probe.token, image.copy(), self.predictions.ten_crop.isChecked())

    def probe_idle(self) -> bool:
        """No probe of the current image in flight or queued: the panels show the latest one there is."""
        return not self._probe.in_flight and not self._probe.dirty

    @Slot(object)
    def _on_probe(self, probe) -> None:
        self._probe.in_flight = False
        if probe.token == self._probe.token and not self._probe.dirty:
            self._guard("Predictions", self.predictions.set_prediction)(probe.prediction)
            self._guard("Activation maps", self.activations.set_activations)(probe.activations)
            self._guard("LRN effect", self.lrn.set_snapshots)(probe.lrn)
            self.sig_probe_shown.emit(probe.token)
        if self._probe.dirty:
            self.request_probe()

    @Slot(int, str)
    def _on_probe_failed(self, token: int, message: str) -> None:
        self._probe.in_flight = False
        self.predictions.show_error(message)
        if self._probe.dirty:
            self.request_probe()

    def _on_open_image(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "Open images", "", "Images (*.png *.jpg *.jpeg *.bmp *.gif "
                                                "*.tif *.tiff *.webp *.ppm);;All files (*)")
        if paths:
            self.open_images(paths)

    def paste_image(self) -> None:
        mime = QGuiApplication.clipboard().mimeData()
        if mime is None:
            return
        if mime.hasUrls():
            files = [u.toLocalFile() for u in mime.urls() if u.isLocalFile()]
            if files:
                self.open_images(files)
                return
        if mime.hasImage():
            from PySide6.QtCore import QBuffer, QIODevice

            qimg = QGuiApplication.clipboard().image()
            buf = QBuffer()
            buf.open(QIODevice.OpenModeFlag.WriteOnly)
            qimg.save(buf, "PNG")
            try:
                self.set_pil_image(decode_image(bytes(buf.data()), "clipboard image"), "clipboard image")
            except ImageLoadError as err:
                self.predictions.show_error(str(err))
            return
        self.notify("warning", "the clipboard holds no image")

    # drag and drop anywhere on the window
    def dragEnterEvent(self, event) -> None:  # noqa: N802
        if event.mimeData().hasUrls() or event.mimeData().hasImage():
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:  # noqa: N802
        self.dragEnterEvent(event)

    def dropEvent(self, event) -> None:  # noqa: N802
        mime = event.mimeData()
        files = [u.toLocalFile() for u in mime.urls() if u.isLocalFile()] if mime.hasUrls() else []
        if files:
            event.acceptProposedAction()
            self.open_images(files)
        elif mime.hasUrls():
            self.predictions.show_error("only local files can be dropped (not web addresses)")
            event.ignore()
        else:
            event.ignore()

    # ================================================================== weights
    def _on_load_weights_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Load weights", "", "PyTorch weights (*.pt *.pth *.ckpt);;"
                                              "All files (*)")
        if path:
            self.load_weights(path)

    def load_weights(self, spec: str) -> None:
        if self.worker.training:
            self.notify("warning", "stop training before loading other weights")
            return
        self.loaded_weights_spec = spec
        self.resume_path = None
        self.last_end = None
        if spec not in WEIGHTS_ALIASES:
            try:  # a resumable checkpoint of this app: Start continues it
                ck = read_checkpoint_file(spec)
                if isinstance(ck, dict) and "optimizer" in ck and isinstance(ck.get("config"), dict):
                    self.resume_path = spec
                    try:
                        saved = TrainConfig.from_dict(ck["config"])
                        saved.device = self.config.device
                        self.config = saved
                        self.recipe_box.blockSignals(True)
                        self.recipe_box.setCurrentText(saved.recipe)
                        self.recipe_box.blockSignals(False)
                    except (ConfigError, TypeError):
                        pass
            except CheckpointError:
                pass  # the worker reports it
        self.sig_load_weights.emit(spec)

    def _on_reset_weights(self) -> None:
        self.loaded_weights_spec = None
        self.resume_path = None
        self.last_end = None
        self.sig_build_untrained.emit(self.config.replace())
        self._update_actions()

    def _on_save_checkpoint(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save checkpoint", "alexnet.pt", "PyTorch checkpoint (*.pt)")
        if path:
            self.save_checkpoint(path)

    def save_checkpoint(self, path: str) -> None:
        self.worker.request_save(path)

    def _on_open_dataset(self) -> None:
        path = QFileDialog.getExistingDirectory(
            self, "Open dataset folder (one sub-folder per class, or files named <class>.<n>.jpg)")
        if path:
            self.set_dataset("folder", path)

    def set_dataset(self, name: str, root: str | None = None) -> None:
        self.config.dataset = name
        self.config.data_root = root
        self.last_end = None
        self.resume_path = None
        self.notify("info", f"dataset: {name}" + (f" in {root}" if root else "") + " (loaded when training starts)")
        self._update_actions()

    def _on_open_run_folder(self) -> None:
        if self.run_info and self.run_info.run_dir:
            QDesktopServices.openUrl(QUrl.fromLocalFile(self.run_info.run_dir))

    # ================================================================== messages, help
    @Slot(str, str)
    def notify(self, level: str, text: str, quiet: bool = False) -> None:
        """Tell the user: the status bar always; errors also in a non-blocking message box."""
        self.messages.append((level, text))
        del self.messages[:-200]
        first = text.splitlines()[0] if text else ""
        colour = {"error": "#a01020", "warning": "#8a5a00"}.get(level, "#303030")
        self.lbl_message.setColour(colour)
        self.lbl_message.setText(first)
        self.lbl_message.setToolTip(text)
        if level == "error" and not quiet and not self._closing and self.isVisible():
            box = QMessageBox(QMessageBox.Icon.Warning, "alexnet-gui", text, QMessageBox.StandardButton.Ok, self)
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()

    def show_about(self) -> None:
        QMessageBox.about(self, "About alexnet-gui", ABOUT)

    def show_keys(self) -> None:
        rows = "".join(f"<tr><td><b>{a.shortcut().toString(QKeySequence.SequenceFormat.NativeText)}</b></td>"
                       f"<td>{a.toolTip().split(' (')[0]}</td></tr>"
                       for a in self.actions() if not a.shortcut().isEmpty())
        box = QMessageBox(QMessageBox.Icon.Information, "Keyboard shortcuts", f"<table>{rows}</table>",
                          QMessageBox.StandardButton.Ok, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    # ================================================================== closing
    def shutdown(self, timeout_s: float = 60.0) -> bool:
        """Stop training (writing its checkpoint), end the worker thread and wait for it."""
        self._closing = True
        if self.worker.training:
            self.worker.stop()
        self.thread.quit()
        ok = self.thread.wait(int(timeout_s * 1000))
        return ok

    def closeEvent(self, event) -> None:  # noqa: N802
        t0 = time.monotonic()
        training = self.worker.training
        if training:
            self.notify("info", "stopping training and writing a checkpoint…")
            QApplication.processEvents()
        if not self.shutdown():
            self.notify("error", "the training thread did not stop in time")
            event.ignore()
            self._closing = False
            return
        self.save_settings()
        if training:
            print(f"alexnet-gui: training stopped on close in {time.monotonic() - t0:.1f} s", flush=True)
        event.accept()


def _devices() -> list[str]:
    import torch

    devs = ["auto", "cpu"]
    if torch.cuda.is_available():
        devs += ["cuda"] + [f"cuda:{i}" for i in range(torch.cuda.device_count())]
    mps = getattr(torch.backends, "mps", None)
    if mps and mps.is_available():
        devs.append("mps")
    return devs


def _device_label(device: str) -> str:
    """``auto (MPS)``: what the engine would pick (its own rule, CUDA > MPS > CPU), before a run says more."""
    from train_backend.engine import ConfigError, resolve_device

    name = device or "auto"
    try:
        picked = resolve_device(name).type.upper()
    except ConfigError:
        return f"{name} (not available here)"
    return f"auto ({picked})" if name == "auto" else name


def _describe(cfg: TrainConfig) -> str:
    return (f"{cfg.model} model, {cfg.dataset}, {cfg.input_size}px, batch {cfg.batch_size}, lr {cfg.lr:g}, "
            f"momentum {cfg.momentum:g}, {cfg.schedule} schedule, {cfg.epochs} epochs")


def _fmt_duration(s: float | None) -> str:
    if s is None or s != s:
        return "—"
    s = int(s)
    return f"{s // 3600}h{s % 3600 // 60:02d}m" if s >= 3600 else f"{s // 60}m{s % 60:02d}s"


ABOUT = """<h3>alexnet-gui</h3>
<p>A desktop laboratory for Krizhevsky, Sutskever &amp; Hinton (2012), <i>ImageNet Classification with Deep
Convolutional Neural Networks</i>: train the paper's network, watch it learn, and probe its ideas — the two GPU
towers, local response normalisation, overlapping pooling, dropout, PCA colour augmentation and ten-crop testing.</p>
<p>The paper says 224×224 inputs; conv1's arithmetic (and Caffe's reference model) needs 227 for its 55×55 maps.</p>"""
