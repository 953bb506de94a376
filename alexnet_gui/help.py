"""Help: the About box and the keyboard shortcuts, read from the window's actions."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMainWindow, QMessageBox


def show_about(win: QMainWindow) -> None:
    QMessageBox.about(win, "About alexnet-gui", ABOUT)


def show_keys(win: QMainWindow) -> None:
    """Every action with a shortcut, as a table (non-blocking)."""
    rows = "".join(f"<tr><td><b>{a.shortcut().toString(QKeySequence.SequenceFormat.NativeText)}</b></td>"
                   f"<td>{a.toolTip().split(' (')[0]}</td></tr>"
                   for a in win.actions() if not a.shortcut().isEmpty())
    box = QMessageBox(QMessageBox.Icon.Information, "Keyboard shortcuts", f"<table>{rows}</table>",
                      QMessageBox.StandardButton.Ok, win)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()


ABOUT = """<h3>alexnet-gui</h3>
<p>A desktop laboratory for Krizhevsky, Sutskever &amp; Hinton (2012), <i>ImageNet Classification with Deep
Convolutional Neural Networks</i>: train the paper's network, watch it learn, and probe its ideas — the two GPU
towers, local response normalisation, overlapping pooling, dropout, PCA colour augmentation and ten-crop testing.</p>
<p>The paper says 224×224 inputs; conv1's arithmetic (and Caffe's reference model) needs 227 for its 55×55 maps.</p>"""
