"""Help: the About box and the keyboard shortcuts, read from the window's actions."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMainWindow, QMessageBox

from .i18n import translate


def show_about(win: QMainWindow) -> None:
    QMessageBox.about(win, translate("Help", "About alexnet-gui"), about_text())


def show_keys(win: QMainWindow) -> None:
    """Every action with a shortcut, as a table (non-blocking)."""
    rows = "".join(f"<tr><td><b>{a.shortcut().toString(QKeySequence.SequenceFormat.NativeText)}</b></td>"
                   f"<td>{_without_shortcut(a)}</td></tr>"
                   for a in win.actions() if not a.shortcut().isEmpty())
    box = QMessageBox(QMessageBox.Icon.Information, translate("Help", "Keyboard shortcuts"), f"<table>{rows}</table>",
                      QMessageBox.StandardButton.Ok, win)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()


def _without_shortcut(action) -> str:
    """An action's tooltip without the shortcut it ends with (actions.py adds " (Ctrl+N)")."""
    tip = action.toolTip()
    suffix = f" ({action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)})"
    return tip[:-len(suffix)] if tip.endswith(suffix) else tip


def about_text() -> str:
    return "<h3>alexnet-gui</h3>" + translate(
        "Help", "<p>A desktop laboratory for Krizhevsky, Sutskever &amp; Hinton (2012), <i>ImageNet Classification "
                "with Deep Convolutional Neural Networks</i>: train the paper's network, watch it learn, and probe its "
                "ideas — the two GPU towers, local response normalisation, overlapping pooling, dropout, PCA colour "
                "augmentation and ten-crop testing.</p><p>The paper says 224×224 inputs; conv1's arithmetic (and "
                "Caffe's reference model) needs 227 for its 55×55 maps.</p>")
