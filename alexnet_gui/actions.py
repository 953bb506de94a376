"""The window's actions, toolbar and menus, and which of them the session's state enables: each action is one of
the lab's intents, a dialog of the window, or a panel's public export."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QComboBox, QDockWidget, QLabel, QMainWindow, QMenu, QStyle, QToolButton, QWidget

from train_backend.experiments import EXPERIMENTS
from train_backend.models.lrn import PAPER_ALPHA, PAPER_BETA, PAPER_K, PAPER_N
from train_backend.paper_tour import budget_for
from train_backend.recipes import RECIPES
from train_backend.session import RunState, Session

from .help import show_about, show_keys

if TYPE_CHECKING:
    from .lab import Lab

SP = QStyle.StandardPixmap


def _action(win: QMainWindow, text: str, slot, shortcut=None, icon=None, tip: str = "") -> QAction:
    a = QAction(text, win)
    if icon is not None:
        a.setIcon(win.style().standardIcon(icon))
    if shortcut:
        a.setShortcut(QKeySequence(shortcut))
        a.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    tip = tip or text.replace("…", "")
    if shortcut:
        tip += f" ({QKeySequence(shortcut).toString(QKeySequence.SequenceFormat.NativeText)})"
    a.setToolTip(tip)  # no status tip: it would be the same text, in the status bar over the notifications
    a.triggered.connect(slot)
    win.addAction(a)
    return a


def build_actions(win: QMainWindow, lab: "Lab", panels: dict[str, QWidget]) -> None:
    """``win.act_*``: each one command, with its shortcut and tooltip: the lab's intents, the window's dialogs and
    the panels' public exports."""
    w, std, kernels, curves, runs = win, QKeySequence.StandardKey, panels["kernels"], panels["curves"], panels["runs"]
    w.act_start = _action(w, "Start", lab.toggle_start_pause, Qt.Key.Key_Space, SP.SP_MediaPlay,
                          "Start, pause or resume training")
    w.act_stop = _action(w, "Stop", lab.stop_training, "Ctrl+.", SP.SP_MediaStop,
                         "Stop training after this batch and write a checkpoint")
    w.act_new_run = _action(w, "Start new run", lambda: lab.start_training(fresh=True), "Ctrl+N", None,
                            "Start a new run from the current settings (not from the last stop)")
    w.act_open_image = _action(w, "Open image…", w.open_image_dialog, std.Open, SP.SP_FileIcon,
                               "Open images to classify and probe")
    w.act_paste = _action(w, "Paste image", w.paste_image, std.Paste, None,
                          "Classify the image (or image files) on the clipboard")
    w.act_open_dataset = _action(w, "Open dataset…", w.open_dataset_dialog, "Ctrl+Shift+O", SP.SP_DirOpenIcon,
                                 "Train on a folder of images (one sub-folder per class, or Kaggle's "
                                 "cat.0.jpg, dog.0.jpg, ... in one folder)")
    w.act_load = _action(w, "Load weights…", w.load_weights_dialog, "Ctrl+L", SP.SP_DialogOpenButton,
                         "Load a checkpoint of this app or a torchvision AlexNet .pth")
    w.act_tv = _action(w, "torchvision ImageNet weights", lambda: lab.load_weights("torchvision"), None, None,
                       "Download torchvision's ImageNet AlexNet weights (needs the network once)")
    w.act_untrained = _action(w, "Fresh untrained model", lab.reset_weights, None, None,
                              "Replace the model with a newly initialised one for the current settings")
    w.act_save = _action(w, "Save checkpoint…", w.save_checkpoint_dialog, std.Save, SP.SP_DialogSaveButton,
                         "Save the current weights (and training state)")
    w.act_export = _action(w, "Export kernels…", kernels.export_dialog, "Ctrl+E", SP.SP_DriveFDIcon,
                           "Export conv1's kernels as PNG, SVG or PDF")
    w.act_settings = _action(w, "Training settings…", w.open_settings, "Ctrl+,", SP.SP_FileDialogDetailedView,
                             "Edit every value of the recipe")
    w.act_export_curves = _action(w, "Export curves (PNG)…", curves.export_png_dialog)
    w.act_export_csv = _action(w, "Export curves (CSV)…", curves.export_csv_dialog)
    w.act_quit = _action(w, "Quit", w.close, std.Quit)
    w.act_reset_layout = _action(w, "Restore default layout", w.restore_default_layout)
    w.act_about = _action(w, "About alexnet-gui", lambda: show_about(w))
    w.act_keys = _action(w, "Keyboard shortcuts", lambda: show_keys(w), "F1")
    w.act_open_run = _action(w, "Show run folder", w.show_run_folder, None, None,
                             "Open the current run's folder in the file manager")
    w.act_watch_run = _action(w, "Open run…", w.open_run_dialog, "Ctrl+Shift+R", None,
                              "Watch a run folder that another process trains into (alexnet-gui train --out DIR): "
                              "its curves and conv1 kernels, live")
    w.act_add_runs = _action(w, "Add runs folder…", runs.add_folder_dialog, None, None,
                             "List the runs of another folder in the Runs panel")
    build_show_actions(w, lab)


def show_docks(win: QMainWindow, *keys: str) -> None:
    """Show the docks ``keys`` (opened again if closed) and bring each to the front of its tabs."""
    for key in keys:
        dock = win.docks.get(key)
        if dock is not None:
            dock.show()
            dock.raise_()


def on_gpu(lab: "Lab") -> bool:
    """Whether the lab's device is a GPU (an experiment's budget fits the machine)."""
    from train_backend.devices import resolve_device

    try:
        return resolve_device(lab.config.device or "auto").type == "cuda"
    except Exception:  # noqa: BLE001 - an unknown device: budget as for a CPU
        return False


def select_experiment(win: QMainWindow, lab: "Lab", name: str) -> None:
    """Experiments ▸ NAME: that experiment chosen in the Experiments panel with a budget that fits the machine
    (``paper_tour.budget_for``), the panel shown; Start there runs it."""
    panel = win.panels.get("experiments")
    if panel is None:
        return
    seconds = budget_for(name, gpu=on_gpu(lab))
    if panel.select_experiment(name, seconds):
        lab.notify("info", f"{EXPERIMENTS[name].title}: {seconds} s per arm chosen; press Start in the Experiments "
                           "panel to run it")
    else:
        lab.notify("warning", "an experiment is running: its choices are locked until it ends")
    show_docks(win, "experiments")


def show_lrn_paper(win: QMainWindow) -> None:
    """The LRN panel with the paper's constants (k, n, α, β) on the current image."""
    lrn = win.panels.get("lrn")
    if lrn is not None:
        lrn.reset_params()
    show_docks(win, "lrn")


def build_show_actions(win: QMainWindow, lab: "Lab") -> None:
    """The actions that show one idea of the paper (the View menu's "Show", the Experiments menu, Train ▸ the
    paper's recipe, Help ▸ Paper tour); ``win.tour_actions`` names them for the Paper tour's buttons
    (``train_backend.paper_tour``'s action names)."""
    w = win
    w.act_experiments = {}
    for name, e in EXPERIMENTS.items():
        w.act_experiments[name] = _action(w, e.title, lambda _=False, n=name: select_experiment(w, lab, n), None,
                                          None, f"Choose the {name} experiment in the Experiments panel, with a "
                                                "budget that fits this machine")
    w.act_show_towers = _action(w, "Two towers: Figure 2 and conv1's kernels", lambda: show_docks(
        w, "architecture", "kernels"), None, None, "The Architecture panel (Figure 2) and conv1's kernels per tower "
                                                   "(Figure 3, with their colour selectivity)")
    w.act_show_architecture = _action(w, "Architecture (Figure 2)", lambda: show_docks(w, "architecture"), None,
                                      None, "The network as the paper draws it, live")
    w.act_show_lrn = _action(w, "LRN with the paper's constants", lambda: show_lrn_paper(w), None, None,
                             f"The LRN panel with k = {PAPER_K:g}, n = {PAPER_N}, α = {PAPER_ALPHA:g}, "
                             f"β = {PAPER_BETA:g} on the current image")
    w.act_show_evaluation = _action(w, "Evaluation (Tables 1 and 2)", lambda: show_docks(w, "evaluation"), None,
                                    None, "The Evaluation view; with ImageNet weights the paper's tables beside it")
    w.act_show_figure4 = _action(w, "Figure 4", lambda: show_docks(w, "figure4"), None, None,
                                 "Top-5 labels and nearest training images (the paper's Figure 4)")
    w.act_paper_recipe = _action(w, "The paper's recipe (section 5)…", lambda: w.show_recipe_settings("paper"),
                                 None, None, "The paper recipe's settings, read-only: the update rule, the schedule")
    w.act_tour = _action(w, "Paper tour", lambda: show_docks(w, "paper"), None, None,
                         "The paper, section by section, with what shows each")
    w.tour_actions = {f"experiment:{n}": a for n, a in w.act_experiments.items()}
    w.tour_actions.update({"show:towers": w.act_show_towers, "show:architecture": w.act_show_architecture,
                           "show:lrn": w.act_show_lrn, "show:evaluation": w.act_show_evaluation,
                           "show:figure4": w.act_show_figure4, "show:paper-recipe": w.act_paper_recipe,
                           "show:tour": w.act_tour})


def _fill(menu: QMenu, actions) -> None:
    for a in actions:
        menu.addSeparator() if a is None else menu.addAction(a)


def build_toolbar_and_menus(win: QMainWindow, lab: "Lab", docks: dict[str, QDockWidget]) -> None:
    """The Training toolbar (with the recipe box, ``win.recipe_box``) and the File, Train, View, Help menus."""
    w = win
    tb = w.addToolBar("Training")
    tb.setObjectName("toolbar_main")
    tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    for a in (w.act_start, w.act_stop, None, w.act_open_image, w.act_open_dataset):
        tb.addSeparator() if a is None else tb.addAction(a)
    fix_start_width(tb.widgetForAction(w.act_start))
    load_btn = QToolButton()
    load_btn.setDefaultAction(w.act_load)
    load_menu = QMenu(load_btn)
    _fill(load_menu, (w.act_load, w.act_tv, w.act_untrained))
    load_btn.setMenu(load_menu)
    load_btn.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
    load_btn.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    tb.addWidget(load_btn)
    tb.addAction(w.act_save)
    tb.addAction(w.act_export)
    tb.addSeparator()
    tb.addWidget(QLabel(" Recipe "))
    w.recipe_box = QComboBox()
    for name, fn in RECIPES.items():
        w.recipe_box.addItem(name, name)
        w.recipe_box.setItemData(w.recipe_box.count() - 1, fn.description,
                                 Qt.ItemDataRole.ToolTipRole)
    w.recipe_box.setCurrentText(lab.config.recipe)
    w.recipe_box.setToolTip("Training recipe (paper, d2l, finetune, quick)")
    w.recipe_box.currentTextChanged.connect(lab.set_recipe)
    tb.addWidget(w.recipe_box)
    tb.addAction(w.act_settings)
    # the less used actions as icons (their tooltips name them; the File and Train menus spell them out): the
    # toolbar fits a 1024 px window with room left for Start's text
    for a in (w.act_save, w.act_export, w.act_settings):
        tb.widgetForAction(a).setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
    w.toolbar = tb

    mb = w.menuBar()
    _fill(mb.addMenu("&File"), (w.act_open_image, w.act_paste, w.act_open_dataset, None, w.act_load, w.act_tv,
                                w.act_untrained, w.act_save, None, w.act_watch_run, w.act_add_runs, None, w.act_export, w.act_export_curves,
                                w.act_export_csv, w.act_open_run, None, w.act_quit))
    _fill(mb.addMenu("&Train"), (w.act_start, w.act_stop, w.act_new_run, None, w.act_settings, w.act_paper_recipe))
    w.menu_experiments = mb.addMenu("E&xperiments")
    _fill(w.menu_experiments, tuple(w.act_experiments.values()))
    w.menu_view = mb.addMenu("&View")
    for dock in docks.values():
        act = dock.toggleViewAction()
        act.setText(dock.windowTitle())
        w.menu_view.addAction(act)
    show = w.menu_view.addMenu("Show")
    _fill(show, (w.act_show_architecture, w.act_show_towers, w.act_show_lrn, w.act_show_evaluation,
                 w.act_show_figure4))
    _fill(w.menu_view, (None, w.act_reset_layout))
    _fill(mb.addMenu("&Help"), (w.act_tour, None, w.act_keys, w.act_about))


def fix_start_width(button) -> None:
    """The Start button as wide as its widest text (Session.START_LABELS): pressing it never moves the toolbar."""
    if button is None:
        return
    metrics = button.fontMetrics()
    widest = max(metrics.horizontalAdvance(text) for text in Session.START_LABELS)
    icon = button.iconSize().width()
    button.setFixedWidth(widest + icon + 24)


def update_actions(win: QMainWindow, lab: "Lab") -> None:
    """Start's text, tooltip and icon, the recipe shown, and what is enabled, from the session's state and plan."""
    session, w = lab.session, win
    if w.recipe_box.currentText() != session.config.recipe:
        w.recipe_box.blockSignals(True)
        w.recipe_box.setCurrentText(session.config.recipe)
        w.recipe_box.blockSignals(False)
    st = session.state
    w.act_start.setText(session.start_label)
    w.act_start.setIconText(session.start_label)  # the toolbar's text: Qt would drop the "…" of "Pausing…"
    space = QKeySequence(Qt.Key.Key_Space).toString(QKeySequence.SequenceFormat.NativeText)
    if st.can_start:
        tip = session.plan().describe()
    elif session.pausing:
        tip = "Pausing: the batch under way ends first"
    else:
        tip = {RunState.RUNNING: "Pause training after this batch", RunState.PAUSED: "Resume training"}.get(
            st, "Wait: the run is starting or stopping")
    w.act_start.setToolTip(f"{tip} ({space})")
    w.act_start.setStatusTip("")
    w.act_start.setIcon(w.style().standardIcon(SP.SP_MediaPause if st == RunState.RUNNING else SP.SP_MediaPlay))
    w.act_start.setEnabled(st not in (RunState.STARTING, RunState.STOPPING) and not session.pausing)
    w.act_stop.setEnabled(st.can_stop)
    if st.can_start:
        w.act_new_run.setToolTip(f"{session.plan(fresh=True).describe()} (Ctrl+N)")
    for a in (w.act_new_run, w.act_load, w.act_tv, w.act_untrained, w.act_open_dataset):
        a.setEnabled(not st.busy)
    w.act_settings.setEnabled(True)  # read-only while training
    w.act_settings.setToolTip("Edit every value of the recipe" if not st.busy else
                              "The run's settings, read-only while it trains")
    w.recipe_box.setEnabled(not st.busy)
    w.act_watch_run.setEnabled(not st.busy)
    w.act_open_run.setEnabled(session.run_info is not None and bool(session.run_info.run_dir))
