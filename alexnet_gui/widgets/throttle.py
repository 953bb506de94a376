"""Coalescing redraws: draw the latest data at most N times a second, and never drop the last update."""

from __future__ import annotations

import time
from typing import Any, Callable

from PySide6.QtCore import QObject, QTimer

_NOTHING = object()


class Throttle(QObject):
    """``submit(value)`` calls ``draw(value)`` at once if the last draw is ``interval_s`` old, otherwise
    once when that interval has passed, with the newest value submitted meanwhile (older ones are dropped).

    While training streams payloads, each panel repaints at a bounded rate: the GUI thread stays free
    (``benchmarks/gui_latency.py``) and takes less CPU from training (``benchmarks/viz_overhead.py``).
    """

    def __init__(self, interval_s: float, draw: Callable[[Any], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.interval_s = interval_s
        self._draw = draw
        self._pending: Any = _NOTHING
        self._last = 0.0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.flush)

    @property
    def pending(self) -> bool:
        return self._pending is not _NOTHING

    def submit(self, value: Any = None, now: bool = False) -> None:
        """Queue ``value``; ``now=True`` (or an interval already passed) draws it at once."""
        self._pending = value
        wait = self.interval_s - (time.monotonic() - self._last)
        if now or wait <= 0:
            self.flush()
        elif not self._timer.isActive():
            self._timer.start(int(wait * 1000) + 1)

    def flush(self) -> None:
        """Draw the pending value now, if there is one."""
        self._timer.stop()
        if self._pending is _NOTHING:
            return
        value, self._pending = self._pending, _NOTHING
        self._last = time.monotonic()
        self._draw(value)
