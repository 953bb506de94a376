"""A row of captioned thumbnails (data-set images, neighbours): one line that scrolls sideways, or a wrapping grid;
a click says which one (``sig_chosen``)."""

from __future__ import annotations

from typing import Sequence

import numpy as np
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QAbstractItemView, QListView, QListWidget, QListWidgetItem, QWidget

from ..style import rgb_to_pixmap


class ThumbStrip(QListWidget):
    """Thumbnails with a caption of up to ``lines`` lines under each; ``set_items`` replaces them all."""

    sig_chosen = Signal(int)  # the row clicked

    def __init__(self, icon: int = 56, lines: int = 2, wrap: bool = False, caption_width: int = 0,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(wrap)
        self.setMovement(QListView.Movement.Static)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setIconSize(QSize(icon, icon))
        self.setWordWrap(False)  # a caption's lines are its "\n"s, each elided to the thumbnail's width
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setUniformItemSizes(True)
        line = self.fontMetrics().height()
        width = max(icon + 8, caption_width)
        self.setGridSize(QSize(width, icon + lines * line + 10))
        self.setSpacing(2)
        if not wrap:
            self.setFixedHeight(icon + lines * line + 10 + self.horizontalScrollBar().sizeHint().height() + 6)
            self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.itemClicked.connect(self._on_clicked)

    def set_items(self, items: Sequence[tuple[np.ndarray, str, str]]) -> None:
        """``(uint8 RGB image, caption, tooltip)`` for each thumbnail, in order."""
        self.clear()
        for rgb, caption, tip in items:
            item = QListWidgetItem(QIcon(rgb_to_pixmap(rgb)), caption)
            item.setToolTip(tip)
            item.setTextAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
            self.addItem(item)

    def choose(self, row: int) -> None:
        """As a click on thumbnail ``row``."""
        self.setCurrentRow(row)
        self.sig_chosen.emit(row)

    def _on_clicked(self, item: QListWidgetItem) -> None:
        self.sig_chosen.emit(self.row(item))
