"""The main window: the lab's view. It builds the lab (:class:`~alexnet_gui.lab.Lab`: the session and the engine's
worker), the registered panels (each binds to the lab itself), their docks, the toolbar, menus and status bar; it
keeps what only a window has: dialogs, drag and drop, the layout and settings it remembers, and closing."""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox

from train_backend.data.images import ImageLoadError
from train_backend.io.checkpoints import CAFFE_SUFFIX, TORCH_SUFFIXES, WEIGHT_SUFFIXES
from train_backend.recipes import RECIPES
from train_backend.runs import is_run_folder
from train_backend.session import StartPlan, initial_config, runs_root

from . import resources_path
from .actions import build_actions, build_toolbar_and_menus, update_actions
from .docks import build_docks, build_panels
from .i18n import LANGUAGES, current_language, save_language, tr_core
from .image_input import clipboard_image, local_files
from .lab import Lab
from .status_bar import StatusBar
from .style import configure_pyqtgraph
from .widgets import file_dialogs
from .widgets.settings_dialog import SettingsDialog, read_only_dialog


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


class MainWindow(QMainWindow):
    """alexnet-gui's window; ``self.lab`` is everything it shows and does (see the module docstring)."""

    def __init__(self, options: LaunchOptions | None = None, settings: QSettings | None = None) -> None:
        super().__init__()
        configure_pyqtgraph()
        self.options = o = options or LaunchOptions()
        self.settings = settings or QSettings("alexnet-gui", "alexnet-gui")
        self.setWindowTitle(self.tr("alexnet-gui — ImageNet Classification with Deep CNNs (2012), in the lab"))
        self.setAcceptDrops(True)
        self.setDockNestingEnabled(True)
        s = self.settings
        self.lab = lab = Lab(initial_config(o.recipe or s.value("recipe", "quick"), o.dataset or s.value("dataset"),
                                            o.data_root or (s.value("data_root") if not o.dataset else None),
                                            o.model, o.device), self)
        lab.ask_start_choice = self.ask_start_choice
        self.panels = build_panels()
        self.docks = build_docks(self, self.panels)
        self._default_state = self.saveState()
        for name in ("curves", "kernels", "activations", "lrn", "predictions", "runs"):
            setattr(self, name, self.panels[name])  # the panels the window's menus and tests name
        for panel in self.panels.values():
            if callable(getattr(panel, "bind", None)):
                panel.bind(lab)
        build_actions(self, lab, self.panels)
        build_toolbar_and_menus(self, lab, self.docks)
        if "paper" in self.panels:  # the tour's buttons are the window's actions; its check marks, its settings
            self.panels["paper"].set_actions(self.tour_actions)
            self.panels["paper"].use_settings(self.settings)
        self.status = StatusBar(self.statusBar())
        self.status.bind(lab)
        st = self.status
        self.lbl_message, self.lbl_progress, self.lbl_weights, self.lbl_device = (
            st.lbl_message, st.lbl_progress, st.lbl_weights, st.lbl_device)
        for signal in (lab.state_changed, lab.plan_changed, lab.config_changed, lab.watch_changed, lab.run_shown):
            signal.connect(lambda *_: update_actions(self, lab))
        lab.message.connect(self._error_box)
        lab.session.class_selected.connect(lambda _i: self.docks["explain"].raise_() if "explain" in self.docks
                                           else None)
        if "architecture" in self.panels and "activations" in self.docks:  # a layer clicked in Figure 2: its maps
            self.panels["architecture"].layer_clicked.connect(lambda _name: self.docks["activations"].raise_())
        lab.watch_changed.connect(lambda watched: self.docks["curves"].raise_() if watched else None)
        self._restore_settings()
        update_actions(self, lab)
        if o.continue_last and not (o.weights or o.recipe or o.dataset or o.model or o.open_run):
            lab.offer_last_unfinished_run()
        lab.load_weights(o.weights) if o.weights else lab.build_untrained()
        first = o.image or str(resources_path("samples", "sample-shapes.png"))
        QTimer.singleShot(0, lambda: self.open_images([first]))
        if o.open_run:
            lab.open_run(o.open_run)
        for folder in o.runs_folders:
            self.runs.add_folder(folder, select=True)
        if o.runs_folders:
            self.docks["runs"].raise_()

    # ================================================================== remembered between sessions
    def _restore_settings(self) -> None:
        o, s = self.options, self.settings
        geo = None if o.default_layout else s.value("geometry")
        self.restoreGeometry(geo) if isinstance(geo, (QByteArray, bytes)) and geo else self.resize(1280, 800)
        state = None if o.default_layout else s.value("windowState")
        if isinstance(state, (QByteArray, bytes)) and state:
            self.restoreState(state)
        if not (o.recipe or o.dataset or o.model):
            self.lab.session.restore_overrides(s.value("config_overrides"), o.device)
        try:
            speeds = json.loads(s.value("speeds") or "{}")
        except (TypeError, ValueError):
            speeds = {}
        for key, value in (speeds.items() if isinstance(speeds, dict) else ()):
            if isinstance(value, (int, float)) and value > 0:
                self.lab.session.speeds[str(key)] = float(value)
        folders = s.value("runs_folders") or []
        for folder in [folders] if isinstance(folders, str) else folders:  # a one-item list reads back as a string
            if isinstance(folder, str) and os.path.isdir(folder):  # the Runs panel's folders of the last session
                self.runs.add_folder(folder)

    def save_settings(self) -> None:
        s, cfg = self.settings, self.lab.config
        s.setValue("geometry", self.saveGeometry())
        s.setValue("windowState", self.saveState())
        for key, value in (("recipe", cfg.recipe), ("dataset", cfg.dataset), ("data_root", cfg.data_root or ""),
                           ("config_overrides", cfg.to_json()), ("speeds", json.dumps(self.lab.session.speeds)),
                           ("runs_folders", [str(r) for r in self.runs.extra_roots])):
            s.setValue(key, value)
        s.sync()

    def choose_language(self, language: str) -> None:
        """View ▸ Language: remembered (QSettings ``language``); the window is translated when it is next built, so
        a language other than the one shown says so."""
        if language not in LANGUAGES:
            return
        save_language(self.settings, language)
        for code, action in getattr(self, "act_languages", {}).items():
            action.setChecked(code == language)
        if language == current_language():
            return
        text = self.tr("The window will be in {language} the next time alexnet-gui starts.").format(
            language=LANGUAGES[language])
        self.lab.notify("info", text)
        box = QMessageBox(QMessageBox.Icon.Information, self.tr("Language"), text, QMessageBox.StandardButton.Ok,
                          self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.language_box = box
        box.open()

    def restore_default_layout(self) -> None:
        self.restoreState(self._default_state)
        for dock in self.docks.values():
            dock.setVisible(True)
            dock.setFloating(False)

    # ================================================================== dialogs
    def ask_start_choice(self, plan: StartPlan, answer) -> None:
        """Ask the plan's question (window-modal, not blocking the event loop); ``answer(choice)`` gets the
        choice, "cancel" when the box is closed."""
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("alexnet-gui — what should Start do?"),
                          tr_core(plan.question), QMessageBox.StandardButton.NoButton, self)
        buttons = {}
        for choice, text in plan.choices:
            role = QMessageBox.ButtonRole.RejectRole if choice == "cancel" else QMessageBox.ButtonRole.AcceptRole
            buttons[box.addButton(tr_core(text), role)] = choice
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(lambda _r: answer(buttons.get(box.clickedButton(), "cancel")))
        self.start_question = box
        box.open()

    def open_settings(self) -> None:
        """The settings dialog; while a run trains it shows that run's settings, read-only."""
        busy = self.lab.state.busy
        dlg = SettingsDialog(self.lab.session.run_config() if busy else self.lab.config,
                             self.lab.session.device_choices(), self)
        if busy:
            read_only_dialog(dlg, self.tr("read-only while training: stop the run to change them"))
        dlg.setModal(True)
        dlg.finished.connect(lambda result: self.lab.apply_settings(dlg.config()) if result and not busy else None)
        dlg.open()
        self._settings_dialog = dlg

    def show_recipe_settings(self, name: str) -> None:
        """A recipe's settings as the settings dialog shows them, read-only (the current settings unchanged)."""
        dlg = SettingsDialog(RECIPES[name](), self.lab.session.device_choices(), self)
        read_only_dialog(dlg, self.tr("read-only: choose it in the toolbar's Recipe box to train with it"))
        dlg.setModal(True)
        dlg.open()
        self._recipe_dialog = dlg

    def open_image_dialog(self) -> None:
        paths = file_dialogs.open_files(self, "images", self.tr("Open images"), file_dialogs.image_filter())
        if paths:
            self.open_images(paths)

    def open_dataset_dialog(self) -> None:
        path = file_dialogs.existing_folder(
            self, "dataset", self.tr("Open dataset folder (one sub-folder per class, or files named <class>.<n>.jpg)"))
        if path:
            self.lab.open_dataset_folder(path)

    def open_run_dialog(self) -> None:
        path = file_dialogs.existing_folder(
            self, "runs", self.tr("Open a run folder to watch (one a training process writes)"), runs_root())
        if path:
            self.lab.open_run(path)

    def load_weights_dialog(self) -> None:
        path = file_dialogs.open_file(self, "weights", self.tr("Load weights"),
                                      self.tr("Weights ({weights});;PyTorch weights ({torch});;Caffe models ({caffe});;"
                                              "All files (*)").format(
                                          weights=" ".join("*" + s for s in WEIGHT_SUFFIXES),
                                          torch=" ".join("*" + s for s in TORCH_SUFFIXES), caffe="*" + CAFFE_SUFFIX))
        if path:
            self.lab.load_weights(path)

    def save_checkpoint_dialog(self) -> None:
        path = file_dialogs.save_file(self, "weights", self.tr("Save checkpoint"), "alexnet.pt",
                                      self.tr("PyTorch checkpoint (*.pt)"))
        if path:
            self.lab.save_checkpoint(path)

    def show_run_folder(self) -> None:
        info = self.lab.run_info
        if info and info.run_dir:
            QDesktopServices.openUrl(QUrl.fromLocalFile(info.run_dir))

    def _error_box(self, level: str, text: str, quiet: bool) -> None:
        """An error is also said in a non-blocking message box (unless quiet, or the window is closing)."""
        if level == "error" and not quiet and not self.lab.session.closing and self.isVisible():
            box = QMessageBox(QMessageBox.Icon.Warning, "alexnet-gui", text, QMessageBox.StandardButton.Ok, self)
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()

    # ================================================================== images: files, the clipboard, drops
    def open_images(self, paths: list[str]) -> None:
        """Load files (a drop, Open image…, paste, --image); the unreadable ones are said in Predictions."""
        errors = self.lab.open_images(paths)
        if errors:
            self.predictions.show_error("\n".join(errors))

    def paste_image(self) -> None:
        """Classify the clipboard's image files, or its image."""
        mime = QGuiApplication.clipboard().mimeData()
        files = local_files(mime) if mime is not None else []
        if files:
            self.open_images(files)
        elif mime is not None and mime.hasImage():
            try:
                self.lab.show_image(clipboard_image(), self.tr("clipboard image"))
            except ImageLoadError as err:
                self.predictions.show_error(str(err))
        else:
            self.lab.notify("warning", self.tr("the clipboard holds no image"))

    def open_dropped(self, files: list[str]) -> None:
        """What a drop holds, each to its place: weights (``WEIGHT_SUFFIXES``) are loaded, a run folder is watched,
        everything else is opened as images."""
        weights = [f for f in files if Path(f).suffix.lower() in WEIGHT_SUFFIXES]
        runs = [f for f in files if Path(f).is_dir() and is_run_folder(f)]
        images = [f for f in files if f not in weights and f not in runs]
        if weights:
            self.lab.load_weights(weights[0])
        if runs:
            self.lab.open_run(runs[0])
        if images:
            self.open_images(images)
        if len(weights) > 1 or len(runs) > 1:
            self.lab.notify("warning", self.tr("one weights file and one run folder are opened from a drop: {name} "
                                               "was, the others were not").format(
                name=Path(weights[0] if len(weights) > 1 else runs[0]).name))

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
                self.predictions.show_error(self.tr("only local files can be dropped (not web addresses)"))
            event.ignore()

    # ================================================================== closing
    def shutdown(self, timeout_s: float = 60.0) -> bool:
        """Stop training (writing its checkpoint), end the worker thread and the panels' file reads, and wait."""
        done = self.lab.shutdown(timeout_s)
        for panel in self.panels.values():
            if callable(getattr(panel, "shutdown", None)):
                panel.shutdown(int(timeout_s * 1000))
        return done

    def closeEvent(self, event) -> None:  # noqa: N802
        t0 = time.monotonic()
        training = self.lab.training
        if training:
            self.lab.notify("info", self.tr("stopping training and writing a checkpoint…"))
            QApplication.processEvents()
        if not self.shutdown():
            self.lab.notify("error", self.tr("the training thread did not stop in time"))
            event.ignore()
            self.lab.session.closing = False
            return
        self.save_settings()
        if training:
            print(f"alexnet-gui: training stopped on close in {time.monotonic() - t0:.1f} s", flush=True)
        event.accept()
