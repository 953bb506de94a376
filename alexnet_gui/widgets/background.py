"""Short file reads off the GUI thread: a private one-thread :class:`QThreadPool` whose answers come back on the
GUI thread, the newest call of a kind winning.

The engine's worker is busy for a whole run (its thread is inside the training loop), so reading run folders
(listing runs, their curves, a followed ``metrics.jsonl``) cannot wait for it; these reads touch files only, never
the model. One thread keeps them in order and leaves the second core to training.
"""

from __future__ import annotations

import itertools
from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot


class _Answer(QObject):
    """Lives in the GUI thread: a signal emitted from the pool reaches :meth:`BackgroundCalls._answered` queued."""

    done = Signal(int, bool, object)  # token, ok, result or error text


class _Call(QRunnable):
    def __init__(self, token: int, fn: Callable[[], Any], answer: _Answer) -> None:
        super().__init__()
        self.token, self.fn, self.answer = token, fn, answer
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result, ok = self.fn(), True
        except Exception as err:  # noqa: BLE001 - said to the caller, the pool lives on
            result, ok = f"{type(err).__name__}: {err}", False
        try:
            self.answer.done.emit(self.token, ok, result)
        except RuntimeError:  # the answering object was deleted with its window: nobody is waiting
            pass


class BackgroundCalls(QObject):
    """``call(kind, fn, on_done, on_error)``: ``fn()`` runs on the pool's thread; ``on_done(result)`` (or
    ``on_error(text)``) then runs on the GUI thread, unless a newer call of the same ``kind`` was made meanwhile
    or :meth:`forget` dropped the kind."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self.pool.setExpiryTimeout(5000)
        self._answer = _Answer(self)
        self._answer.done.connect(self._answered)
        self._tokens = itertools.count(1)
        self._latest: dict[str, int] = {}
        self._handlers: dict[int, tuple[str, Callable[[Any], None], Callable[[str], None] | None]] = {}

    def call(self, kind: str, fn: Callable[[], Any], on_done: Callable[[Any], None],
             on_error: Callable[[str], None] | None = None) -> int:
        token = next(self._tokens)
        self._latest[kind] = token
        self._handlers[token] = (kind, on_done, on_error)
        self.pool.start(_Call(token, fn, self._answer))
        return token

    def busy(self, kind: str) -> bool:
        """A call of ``kind`` is queued or running and its answer still wanted."""
        token = self._latest.get(kind)
        return token is not None and token in self._handlers

    def forget(self, kind: str) -> None:
        """Drop the answers of ``kind``'s calls under way."""
        self._latest.pop(kind, None)

    def wait(self, timeout_ms: int = 10_000) -> bool:
        return self.pool.waitForDone(timeout_ms)

    @Slot(int, bool, object)
    def _answered(self, token: int, ok: bool, result: Any) -> None:
        kind, on_done, on_error = self._handlers.pop(token, (None, None, None))
        if kind is None or self._latest.get(kind) != token:
            return
        del self._latest[kind]
        if ok:
            on_done(result)
        elif on_error is not None:
            on_error(result)
