"""One panel's long job at a time, asked through the lab (alexnet_gui.lab.Lab): keep only the newest request's answer, drive a
progress bar and a Cancel / Stop button while it runs, and hand back the payload or why there is none.

:class:`JobRequest` is the one request / progress / cancel implementation; :class:`AnalysisRequest` asks for a
registered analysis (answers matched by token), :class:`EvaluationRequest` for an evaluation of the weights held.

While a run trains, the worker runs these jobs at the run's next batch boundary (``worker.LIVE_JOBS``), so the wait
for an answer is one training batch; until the job reports progress the bar says what it waits for. A cancel reaches
a running job between its own batches; one that has not started yet is answered at once (the worker's
``cancel_analysis`` / ``cancel_evaluation``): either way the panel is idle again within one batch.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QProgressBar, QPushButton

from train_backend.i18n import QT_TRANSLATE_NOOP

if TYPE_CHECKING:
    from ..lab import Lab


from ..i18n import translate

#: the bar's text until the job's first progress report, and while it stops
WAITING = QT_TRANSLATE_NOOP("JobRequest", "waiting for the worker…")
STOPPING = QT_TRANSLATE_NOOP("JobRequest", "stopping…")


class JobRequest(QObject):
    """The progress bar, the cancel button and the busy state of one kind of job; subclasses ask and listen."""

    done = Signal(object)  # the payload of the newest request
    failed = Signal(str)  # why it gave none: the cancel's word ("cancelled", "evaluation stopped"), or the message

    def __init__(self, progress: QProgressBar | None = None, cancel: QPushButton | None = None, what: str = "",
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.progress, self.cancel_button, self.what = progress, cancel, what
        self.stopping = False
        self._busy = False
        if cancel is not None:
            cancel.setEnabled(False)
            cancel.clicked.connect(self.cancel)
        if progress is not None:
            progress.setVisible(False)

    @property
    def busy(self) -> bool:
        return self._busy

    def cancel(self) -> None:
        """Stop the job under way: it answers within one batch (``failed``), the panel then goes idle."""
        if not self._busy or self.stopping:
            return
        self.stopping = True
        if self.cancel_button is not None:
            self.cancel_button.setEnabled(False)
        if self.progress is not None:
            self.progress.setFormat(translate("JobRequest", STOPPING))
        self._send_cancel()

    # ------------------------------------------------------------ for subclasses
    def _send_cancel(self) -> None:
        raise NotImplementedError

    def _started(self, show_progress: bool = True) -> None:
        self._busy = True
        self.stopping = False
        if show_progress and self.progress is not None:
            self.progress.setRange(0, 0)  # busy until the first progress report
            self.progress.setFormat(translate("JobRequest", WAITING))
            self.progress.setVisible(True)
        if show_progress and self.cancel_button is not None:
            self.cancel_button.setEnabled(True)

    def _finish(self) -> None:
        self._busy = False
        self.stopping = False
        if self.progress is not None:
            self.progress.setVisible(False)
        if self.cancel_button is not None:
            self.cancel_button.setEnabled(False)

    def _report(self, done: int, total: int) -> None:
        if self.progress is None or self.stopping or total <= 0:
            return
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat(f"{self.what}{done:,} / {total:,}")

    def _answer(self, payload: Any) -> None:
        self._finish()
        self.done.emit(payload)

    def _fail(self, message: str) -> None:
        self._finish()
        self.failed.emit(message)


class AnalysisRequest(JobRequest):
    """A registered analysis (``lab.request_analysis``); the newest request wins."""

    def __init__(self, lab: "Lab", progress: QProgressBar | None = None, cancel: QPushButton | None = None,
                 what: str = "", parent: QObject | None = None) -> None:
        super().__init__(progress, cancel, what, parent)
        self.lab = lab
        self.token: int | None = None
        lab.analysis_done.connect(self._on_done)
        lab.analysis_failed.connect(self._on_failed)
        lab.analysis_progress.connect(self._on_progress)

    def ask(self, name: str, show_progress: bool = True, **options: Any) -> int:
        """Request ``name`` with ``options``; a request still running is cancelled (the newest wins)."""
        old, self.token = self.token, None
        if old is not None:
            self.lab.cancel_analysis(old)  # its answer (perhaps at once) is no longer this request's
        self.token = self.lab.request_analysis(name, **options)
        self._started(show_progress)
        return self.token

    def _send_cancel(self) -> None:
        if self.token is not None:
            self.lab.cancel_analysis(self.token)

    def _finish(self) -> None:
        self.token = None
        super()._finish()

    def _on_progress(self, token: int, done: int, total: int) -> None:
        if token == self.token:
            self._report(done, total)

    def _on_failed(self, token: int, _name: str, message: str) -> None:
        if token == self.token:
            self._fail(message)

    def _on_done(self, token: int, _name: str, payload: Any) -> None:
        if token == self.token:
            self._answer(payload)


class EvaluationRequest(JobRequest):
    """An evaluation of the weights held (``lab.request_evaluation``), one at a time: its progress is
    ``progress("evaluate", …)``; a stop answers ``failed("evaluation stopped")``."""

    def __init__(self, lab: "Lab", progress: QProgressBar | None = None, cancel: QPushButton | None = None,
                 what: str = "", parent: QObject | None = None) -> None:
        super().__init__(progress, cancel, what, parent)
        self.lab = lab
        lab.evaluated.connect(self._on_evaluated)
        lab.evaluation_failed.connect(self._on_failed)
        lab.progress.connect(self._on_progress)

    def ask(self, **options: Any) -> bool:
        """Evaluate with ``options`` (dataset, data_root, limit, ten_crop, keep_wrong); False while one runs."""
        if self.busy:
            return False
        self._started()
        self.lab.request_evaluation(None, **options)
        return True

    def _send_cancel(self) -> None:
        self.lab.cancel_evaluation()

    def _on_progress(self, kind: str, done: int, total: int) -> None:
        if kind == "evaluate" and self.busy:
            self._report(done, total)

    def _on_failed(self, message: str) -> None:
        if self.busy:
            self._fail(message)

    def _on_evaluated(self, _path: str, result: Any) -> None:
        if self.busy:  # else another asker's evaluation
            self._answer(result)
