"""A panel's one-line error: hidden until there is one, red on pink, selectable, wrapped."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from ..style import ERROR_BG


class ErrorLabel(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.setWordWrap(True)
        self.setVisible(False)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setStyleSheet(f"QLabel {{ background: {ERROR_BG}; color: #8a1020; padding: 4px; border-radius: 4px; }}")

    def show_message(self, message: str) -> None:
        self.setText(message)
        self.setVisible(True)

    def clear_message(self) -> None:
        self.setVisible(False)
        self.setText("")
