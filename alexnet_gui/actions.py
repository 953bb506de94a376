"""The window's actions, toolbar and menus, and which of them the session's state enables: each action is one of
the lab's intents, a dialog of the window, or a panel's public export."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QComboBox, QDockWidget, QLabel, QMainWindow, QMenu, QStyle, QToolButton, QWidget

from train_backend.experiments import EXPERIMENTS
from train_backend.models.lrn import PAPER_ALPHA, PAPER_BETA, PAPER_K, PAPER_N
from train_backend.paper_tour import budget_for
from train_backend.recipes import RECIPES
from train_backend.session import RunState, Session

from .help import show_about, show_keys
from .i18n import LANGUAGES, current_language, tr_core, translate

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
    w.act_start = _action(w, translate("Actions", "Start"), lab.toggle_start_pause, Qt.Key.Key_Space,
                          SP.SP_MediaPlay, translate("Actions", "Start, pause or resume training"))
    w.act_stop = _action(w, translate("Actions", "Stop"), lab.stop_training, "Ctrl+.", SP.SP_MediaStop,
                         translate("Actions", "Stop training after this batch and write a checkpoint"))
    w.act_new_run = _action(w, translate("Actions", "Start new run"), lambda: lab.start_training(fresh=True),
                            "Ctrl+N", None,
                            translate("Actions", "Start a new run from the current settings (not from the last stop)"))
    w.act_open_image = _action(w, translate("Actions", "Open image…"), w.open_image_dialog, std.Open, SP.SP_FileIcon,
                               translate("Actions", "Open images to classify and probe"))
    w.act_paste = _action(w, translate("Actions", "Paste image"), w.paste_image, std.Paste, None,
                          translate("Actions", "Classify the image (or image files) on the clipboard"))
    w.act_open_dataset = _action(w, translate("Actions", "Open dataset…"), w.open_dataset_dialog, "Ctrl+Shift+O",
                                 SP.SP_DirOpenIcon,
                                 translate("Actions", "Train on a folder of images (one sub-folder per class, or "
                                                      "Kaggle's cat.0.jpg, dog.0.jpg, ... in one folder)"))
    w.act_load = _action(w, translate("Actions", "Load weights…"), w.load_weights_dialog, "Ctrl+L",
                         SP.SP_DialogOpenButton,
                         translate("Actions", "Load a checkpoint of this app or a torchvision AlexNet .pth"))
    w.act_tv = _action(w, translate("Actions", "torchvision ImageNet weights"), lambda: lab.load_weights("torchvision"),
                       None, None,
                       translate("Actions", "Download torchvision's ImageNet AlexNet weights (needs the network once)"))
    w.act_untrained = _action(w, translate("Actions", "Fresh untrained model"), lab.reset_weights, None, None,
                              translate("Actions", "Replace the model with a newly initialised one for the current "
                                                   "settings"))
    w.act_save = _action(w, translate("Actions", "Save checkpoint…"), w.save_checkpoint_dialog, std.Save,
                         SP.SP_DialogSaveButton, translate("Actions", "Save the current weights (and training state)"))
    w.act_export = _action(w, translate("Actions", "Export kernels…"), kernels.export_dialog, "Ctrl+E",
                           SP.SP_DriveFDIcon, translate("Actions", "Export conv1's kernels as PNG, SVG or PDF"))
    w.act_settings = _action(w, translate("Actions", "Training settings…"), w.open_settings, "Ctrl+,",
                             SP.SP_FileDialogDetailedView, translate("Actions", "Edit every value of the recipe"))
    w.act_export_curves = _action(w, translate("Actions", "Export curves (PNG)…"), curves.export_png_dialog)
    w.act_export_csv = _action(w, translate("Actions", "Export curves (CSV)…"), curves.export_csv_dialog)
    w.act_quit = _action(w, translate("Actions", "Quit"), w.close, std.Quit)
    w.act_reset_layout = _action(w, translate("Actions", "Restore default layout"), w.restore_default_layout)
    w.act_about = _action(w, translate("Actions", "About alexnet-gui"), lambda: show_about(w))
    w.act_keys = _action(w, translate("Actions", "Keyboard shortcuts"), lambda: show_keys(w), "F1")
    w.act_open_run = _action(w, translate("Actions", "Show run folder"), w.show_run_folder, None, None,
                             translate("Actions", "Open the current run's folder in the file manager"))
    w.act_watch_run = _action(w, translate("Actions", "Open run…"), w.open_run_dialog, "Ctrl+Shift+R", None,
                              translate("Actions", "Watch a run folder that another process trains into (alexnet-gui "
                                                   "train --out DIR): its curves and conv1 kernels, live"))
    w.act_add_runs = _action(w, translate("Actions", "Add runs folder…"), runs.add_folder_dialog, None, None,
                             translate("Actions", "List the runs of another folder in the Runs panel"))
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
        lab.notify("info", translate("Actions", "{title}: {seconds} s per arm chosen; press Start in the Experiments "
                                                "panel to run it").format(title=tr_core(EXPERIMENTS[name].title),
                                                                          seconds=seconds))
    else:
        lab.notify("warning", translate("Actions", "an experiment is running: its choices are locked until it ends"))
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
        w.act_experiments[name] = _action(w, tr_core(e.title), lambda _=False, n=name: select_experiment(w, lab, n),
                                          None, None,
                                          translate("Actions", "Choose the {name} experiment in the Experiments panel, "
                                                               "with a budget that fits this machine").format(name=name))
    w.act_show_towers = _action(w, translate("Actions", "Two towers: Figure 2 and conv1's kernels"), lambda: show_docks(
        w, "architecture", "kernels"), None, None,
        translate("Actions", "The Architecture panel (Figure 2) and conv1's kernels per tower (Figure 3, with their "
                             "colour selectivity)"))
    w.act_show_architecture = _action(w, translate("Actions", "Architecture (Figure 2)"),
                                      lambda: show_docks(w, "architecture"), None, None,
                                      translate("Actions", "The network as the paper draws it, live"))
    w.act_show_lrn = _action(w, translate("Actions", "LRN with the paper's constants"), lambda: show_lrn_paper(w),
                             None, None,
                             translate("Actions", "The LRN panel with k = {k}, n = {n}, α = {alpha}, β = {beta} on the "
                                                  "current image").format(k=f"{PAPER_K:g}", n=PAPER_N,
                                                                          alpha=f"{PAPER_ALPHA:g}",
                                                                          beta=f"{PAPER_BETA:g}"))
    w.act_show_evaluation = _action(w, translate("Actions", "Evaluation (Tables 1 and 2)"),
                                    lambda: show_docks(w, "evaluation"), None, None,
                                    translate("Actions", "The Evaluation view; with ImageNet weights the paper's tables "
                                                         "beside it"))
    w.act_show_figure4 = _action(w, translate("Actions", "Figure 4"), lambda: show_docks(w, "figure4"), None, None,
                                 translate("Actions", "Top-5 labels and nearest training images (the paper's Figure 4)"))
    w.act_paper_recipe = _action(w, translate("Actions", "The paper's recipe (section 5)…"),
                                 lambda: w.show_recipe_settings("paper"), None, None,
                                 translate("Actions", "The paper recipe's settings, read-only: the update rule, the "
                                                      "schedule"))
    w.act_tour = _action(w, translate("Actions", "Paper tour"), lambda: show_docks(w, "paper"), None, None,
                         translate("Actions", "The paper, section by section, with what shows each"))
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
    tb = w.addToolBar(translate("Actions", "Training"))
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
    tb.addWidget(QLabel(" " + translate("Actions", "Recipe") + " "))
    w.recipe_box = QComboBox()
    for name, fn in RECIPES.items():
        w.recipe_box.addItem(name, name)
        w.recipe_box.setItemData(w.recipe_box.count() - 1, tr_core(fn.description),
                                 Qt.ItemDataRole.ToolTipRole)
    w.recipe_box.setCurrentText(lab.config.recipe)
    w.recipe_box.setToolTip(translate("Actions", "Training recipe ({names})").format(names=", ".join(RECIPES)))
    w.recipe_box.currentTextChanged.connect(lab.set_recipe)
    tb.addWidget(w.recipe_box)
    tb.addAction(w.act_settings)
    # the less used actions as icons (their tooltips name them; the File and Train menus spell them out): the
    # toolbar fits a 1024 px window with room left for Start's text
    for a in (w.act_save, w.act_export, w.act_settings):
        tb.widgetForAction(a).setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
    w.toolbar = tb

    mb = w.menuBar()
    _fill(mb.addMenu(translate("Actions", "&File")), (w.act_open_image, w.act_paste, w.act_open_dataset, None, w.act_load, w.act_tv,
                                w.act_untrained, w.act_save, None, w.act_watch_run, w.act_add_runs, None, w.act_export, w.act_export_curves,
                                w.act_export_csv, w.act_open_run, None, w.act_quit))
    _fill(mb.addMenu(translate("Actions", "&Train")), (w.act_start, w.act_stop, w.act_new_run, None, w.act_settings, w.act_paper_recipe))
    w.menu_experiments = mb.addMenu(translate("Actions", "E&xperiments"))
    _fill(w.menu_experiments, tuple(w.act_experiments.values()))
    w.menu_view = mb.addMenu(translate("Actions", "&View"))
    for dock in docks.values():
        act = dock.toggleViewAction()
        act.setText(dock.windowTitle())
        w.menu_view.addAction(act)
    show = w.menu_view.addMenu(translate("Actions", "Show"))
    _fill(show, (w.act_show_architecture, w.act_show_towers, w.act_show_lrn, w.act_show_evaluation,
                 w.act_show_figure4))
    _fill(w.menu_view, (None, w.act_reset_layout))
    build_language_menu(w)
    _fill(mb.addMenu(translate("Actions", "&Help")), (w.act_tour, None, w.act_keys, w.act_about))


def build_language_menu(win: QMainWindow) -> None:
    """View ▸ Language: each language named in itself, the one in use ticked; a choice is remembered
    (``win.choose_language``) and applies when the window is next built."""
    w = win
    w.menu_language = w.menu_view.addMenu(translate("Actions", "Language"))
    w.language_group = QActionGroup(w)
    w.language_group.setExclusive(True)
    w.act_languages = {}
    for code, name in LANGUAGES.items():
        a = QAction(name, w)
        a.setCheckable(True)
        a.setChecked(code == current_language())
        a.setData(code)
        a.triggered.connect(lambda _checked=False, c=code: w.choose_language(c))
        w.language_group.addAction(a)
        w.menu_language.addAction(a)
        w.act_languages[code] = a


def fix_start_width(button) -> None:
    """The Start button as wide as its widest text (Session.START_LABELS): pressing it never moves the toolbar."""
    if button is None:
        return
    metrics = button.fontMetrics()
    widest = max(metrics.horizontalAdvance(tr_core(text)) for text in Session.START_LABELS)
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
    label = tr_core(session.start_label)
    w.act_start.setText(label)
    w.act_start.setIconText(label)  # the toolbar's text: Qt would drop the "…" of "Pausing…"
    space = QKeySequence(Qt.Key.Key_Space).toString(QKeySequence.SequenceFormat.NativeText)
    if st.can_start:
        tip = tr_core(session.plan().describe())
    elif session.pausing:
        tip = translate("Actions", "Pausing: the batch under way ends first")
    elif st == RunState.RUNNING:
        tip = translate("Actions", "Pause training after this batch")
    elif st == RunState.PAUSED:
        tip = translate("Actions", "Resume training")
    else:
        tip = translate("Actions", "Wait: the run is starting or stopping")
    w.act_start.setToolTip(f"{tip} ({space})")
    w.act_start.setStatusTip("")
    w.act_start.setIcon(w.style().standardIcon(SP.SP_MediaPause if st == RunState.RUNNING else SP.SP_MediaPlay))
    w.act_start.setEnabled(st not in (RunState.STARTING, RunState.STOPPING) and not session.pausing)
    w.act_stop.setEnabled(st.can_stop)
    if st.can_start:
        w.act_new_run.setToolTip(f"{tr_core(session.plan(fresh=True).describe())} (Ctrl+N)")
    for a in (w.act_new_run, w.act_load, w.act_tv, w.act_untrained, w.act_open_dataset):
        a.setEnabled(not st.busy)
    w.act_settings.setEnabled(True)  # read-only while training
    w.act_settings.setToolTip(translate("Actions", "Edit every value of the recipe") if not st.busy else
                              translate("Actions", "The run's settings, read-only while it trains"))
    w.recipe_box.setEnabled(not st.busy)
    w.act_watch_run.setEnabled(not st.busy)
    w.act_open_run.setEnabled(session.run_info is not None and bool(session.run_info.run_dir))
