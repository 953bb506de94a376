"""The window's dock panels, built from the panel registry (:data:`~alexnet_gui.panels.PANELS`), and their default
layout: curves and kernels on the left, predictions above activation maps (tabbed with the LRN effect) on the
right; a registered panel that names ``tab_with`` shares that panel's area as a tab."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow, QWidget

from .i18n import tr_core
from .panels import PANELS

AREAS = {"left": Qt.DockWidgetArea.LeftDockWidgetArea, "right": Qt.DockWidgetArea.RightDockWidgetArea,
         "bottom": Qt.DockWidgetArea.BottomDockWidgetArea}


def build_panels() -> dict[str, QWidget]:
    """One instance of every registered panel, by key, in registration order."""
    return {key: spec.cls() for key, spec in PANELS.items()}


def build_docks(win: QMainWindow, panels: dict[str, QWidget]) -> dict[str, QDockWidget]:
    """Dock each panel in ``win`` (movable, floatable, closable) under the title it has on screen."""
    docks: dict[str, QDockWidget] = {}
    placeholder = QWidget()
    placeholder.setMaximumSize(0, 0)
    win.setCentralWidget(placeholder)
    for key, widget in panels.items():
        spec = PANELS[key]
        dock = QDockWidget(tr_core(spec.title), win)
        dock.setObjectName(f"dock_{key}")
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable |
                         QDockWidget.DockWidgetFeature.DockWidgetFloatable |
                         QDockWidget.DockWidgetFeature.DockWidgetClosable)
        win.addDockWidget(AREAS[spec.area], dock)
        docks[key] = dock
        if spec.tab_with in docks:  # tabbed at once: stacked in the area, the docks' minimum heights would add up
            win.tabifyDockWidget(docks[spec.tab_with], dock)  # and stretch the window past the screen
    for key, dock in docks.items():
        other = PANELS[key].tab_with
        if other in docks:
            if dock not in win.tabifiedDockWidgets(docks[other]):  # a panel registered before the one it tabs with
                win.tabifyDockWidget(docks[other], dock)
            docks[other].raise_()
    _sizes(win, docks)
    return docks


def _sizes(win: QMainWindow, docks: dict[str, QDockWidget]) -> None:
    """The default layout's proportions, for the panels that are there."""
    def resize(keys: tuple[str, str], sizes: list[int], orientation: Qt.Orientation) -> None:
        if all(k in docks for k in keys):
            win.resizeDocks([docks[k] for k in keys], sizes, orientation)

    resize(("curves", "predictions"), [700, 560], Qt.Orientation.Horizontal)
    resize(("curves", "kernels"), [420, 380], Qt.Orientation.Vertical)
    resize(("predictions", "activations"), [330, 470], Qt.Orientation.Vertical)
