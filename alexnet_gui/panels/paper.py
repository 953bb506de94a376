"""Paper tour: the paper's sections (``train_backend.paper_tour``) in short words, each with its numbers, what the
lab shows of it, and buttons that are the window's own actions (a button triggers exactly the QAction its menu item
does: the tour adds no second way of doing anything), and a check mark per section once it was seen, remembered.

The window hands the panel what only it has: :meth:`PaperPanel.set_actions` (action name -> QAction) and
:meth:`PaperPanel.use_settings` (its QSettings); the panel imports neither the window nor the lab."""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (QCheckBox, QFrame, QHBoxLayout, QLabel, QScrollArea, QToolButton,
                               QVBoxLayout, QWidget)

from train_backend.paper_tour import TourSection, tour_sections

from train_backend.i18n import QT_TRANSLATE_NOOP

from ..i18n import tr_core
from .registry import register_panel

if TYPE_CHECKING:
    from ..lab import Lab

#: where the sections seen are remembered (the window's QSettings): their numbers, comma-separated
SEEN_KEY = "tour/seen"


def _rich(text: str) -> str:
    """Plain text as rich text, `names` in a fixed-width font."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(text))


@register_panel("paper", QT_TRANSLATE_NOOP("Panels", "Paper tour"), area="right", tab_with="predictions")
class PaperPanel(QWidget):
    """One block per section: title with its check mark, the text, "what you will see", the buttons."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("PaperPanel")
        self.sections: tuple[TourSection, ...] = tour_sections()
        self.checks: dict[str, QCheckBox] = {}
        self.buttons: dict[str, list[QToolButton]] = {}
        self._button_rows: dict[str, QHBoxLayout] = {}
        self._settings: QSettings | None = None

        self.header = QLabel()
        self.header.setWordWrap(True)
        body = QWidget()
        col = QVBoxLayout(body)
        col.setContentsMargins(4, 4, 4, 4)
        for s in self.sections:
            col.addWidget(self._section_block(s))
        col.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(body)
        self.scroll = scroll
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        lay.addWidget(self.header)
        lay.addWidget(scroll, 1)
        self._update_header()

    def _section_block(self, s: TourSection) -> QWidget:
        box = QFrame()
        box.setFrameShape(QFrame.Shape.StyledPanel)
        v = QVBoxLayout(box)
        v.setContentsMargins(6, 4, 6, 4)
        v.setSpacing(3)
        check = QCheckBox(f"{s.number}  {tr_core(s.title)}")
        font = check.font()
        font.setBold(True)
        check.setFont(font)
        check.setToolTip(self.tr("Seen: ticked when its button (or its menu item) was used; tick or untick it yourself"))
        check.toggled.connect(self._save_seen)
        self.checks[s.key] = check
        text = QLabel(self.tr("{text}<br><i>What you will see:</i> {see}").format(text=_rich(tr_core(s.text)),
                                                                                   see=_rich(tr_core(s.see))))
        text.setTextFormat(Qt.TextFormat.RichText)
        text.setWordWrap(True)
        text.setObjectName(f"tour_text_{s.key}")
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Show it:")))
        row.addStretch(1)
        self._button_rows[s.key] = row
        for w in (check, text):
            v.addWidget(w)
        v.addLayout(row)
        return box

    # ------------------------------------------------------------------ what the window hands over
    def bind(self, lab: "Lab") -> None:
        """Nothing to listen to: the tour's buttons are the window's actions (:meth:`set_actions`)."""

    def set_actions(self, actions: dict[str, QAction]) -> None:
        """One button per action name of each section, bound to that QAction (its text, tooltip, enabled state;
        a press triggers it); triggering it, from here or its menu, ticks the section."""
        for s in self.sections:
            row = self._button_rows[s.key]
            for name in s.actions:
                action = actions.get(name)
                if action is None:
                    continue
                button = QToolButton()
                button.setDefaultAction(action)
                button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
                row.insertWidget(row.count() - 1, button)
                self.buttons.setdefault(s.key, []).append(button)
                action.triggered.connect(lambda _checked=False, key=s.key: self.mark_seen(key))

    def use_settings(self, settings: QSettings) -> None:
        """Remember the check marks in ``settings`` (the window's), and show those remembered there."""
        self._settings = None  # no writes while restoring
        seen = set(str(settings.value(SEEN_KEY, "") or "").split(","))
        for key, check in self.checks.items():
            check.setChecked(key in seen)
        self._settings = settings
        self._update_header()

    # ------------------------------------------------------------------ seen
    def mark_seen(self, key: str) -> None:
        if key in self.checks:
            self.checks[key].setChecked(True)

    def seen(self) -> list[str]:
        return [key for key, check in self.checks.items() if check.isChecked()]

    def _save_seen(self, *_: object) -> None:
        self._update_header()
        if self._settings is not None:
            self._settings.setValue(SEEN_KEY, ",".join(self.seen()))
            self._settings.sync()

    def _update_header(self) -> None:
        self.header.setText(self.tr("Krizhevsky, Sutskever and Hinton (2012), section by section: each button does what "
                                    "its menu item does. Seen {seen} of {count}.").format(seen=len(self.seen()),
                                                                                         count=len(self.sections)))
