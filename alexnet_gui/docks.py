"""The window's five dock panels and their default layout: curves and kernels on the left, predictions above
activation maps (tabbed with the LRN effect) on the right."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow, QWidget

LEFT, RIGHT = Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea


def build_docks(win: QMainWindow, curves: QWidget, kernels: QWidget, predictions: QWidget, activations: QWidget,
                lrn: QWidget) -> dict[str, QDockWidget]:
    """Dock each panel in ``win`` (movable, floatable, closable) under the title it has on screen."""
    docks: dict[str, QDockWidget] = {}
    specs = [("curves", "Training curves", curves, LEFT), ("kernels", "Conv1 kernels by GPU group", kernels, LEFT),
             ("predictions", "Predictions", predictions, RIGHT), ("activations", "Activation maps", activations, RIGHT),
             ("lrn", "LRN effect", lrn, RIGHT)]
    placeholder = QWidget()
    placeholder.setMaximumSize(0, 0)
    win.setCentralWidget(placeholder)
    for key, title, widget, area in specs:
        dock = QDockWidget(title, win)
        dock.setObjectName(f"dock_{key}")
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable |
                         QDockWidget.DockWidgetFeature.DockWidgetFloatable |
                         QDockWidget.DockWidgetFeature.DockWidgetClosable)
        win.addDockWidget(area, dock)
        docks[key] = dock
    win.tabifyDockWidget(docks["activations"], docks["lrn"])
    docks["activations"].raise_()
    win.resizeDocks([docks["curves"], docks["predictions"]], [700, 560], Qt.Orientation.Horizontal)
    win.resizeDocks([docks["curves"], docks["kernels"]], [420, 380], Qt.Orientation.Vertical)
    win.resizeDocks([docks["predictions"], docks["activations"]], [330, 470], Qt.Orientation.Vertical)
    return docks
