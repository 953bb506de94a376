"""One panel's long analysis at a time: ask for it through the panel's context, keep only the newest request's
answer, drive a progress bar and a Cancel button while it runs, and hand back the payload or why there is none."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QProgressBar, QPushButton


class AnalysisRequest(QObject):
    done = Signal(object)  # the payload of the newest request
    failed = Signal(str)  # why it gave none: "cancelled", or the analysis' one-line message

    def __init__(self, context: Any, progress: QProgressBar, cancel: QPushButton, what: str = "",
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.context, self.progress, self.cancel_button, self.what = context, progress, cancel, what
        self.token: int | None = None
        cancel.setEnabled(False)
        cancel.clicked.connect(self.cancel)
        progress.setVisible(False)
        context.analysis_done.connect(self._on_done)
        context.analysis_failed.connect(self._on_failed)
        context.analysis_progress.connect(self._on_progress)

    @property
    def busy(self) -> bool:
        return self.token is not None

    def ask(self, name: str, show_progress: bool = True, **options: Any) -> int:
        """Request ``name`` with ``options``; a request still running is cancelled (the newest wins)."""
        if self.token is not None:
            self.context.cancel_analysis(self.token)
        self.token = self.context.request_analysis(name, **options)
        if show_progress:
            self.progress.setRange(0, 0)  # busy until the first progress report
            self.progress.setVisible(True)
            self.cancel_button.setEnabled(True)
        return self.token

    def cancel(self) -> None:
        if self.token is not None:
            self.context.cancel_analysis(self.token)

    def _finish(self) -> None:
        self.token = None
        self.progress.setVisible(False)
        self.cancel_button.setEnabled(False)

    def _on_progress(self, token: int, done: int, total: int) -> None:
        if token == self.token:
            self.progress.setRange(0, max(total, 1))
            self.progress.setValue(done)
            self.progress.setFormat(f"{self.what}{done:,} / {total:,}")

    def _on_failed(self, token: int, _name: str, message: str) -> None:
        if token == self.token:
            self._finish()
            self.failed.emit(message)

    def _on_done(self, token: int, _name: str, payload: Any) -> None:
        if token == self.token:
            self._finish()
            self.done.emit(payload)
