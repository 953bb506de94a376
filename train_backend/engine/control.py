"""The training run's control: pause, resume, stop and work for the training thread, safe from any thread.

Built on ``threading.Event`` (ignite's flags read at batch boundaries): the GUI thread calls it directly,
since the worker thread has no running event loop while it trains.
"""

from __future__ import annotations

import threading
from typing import Any



class TrainControl:
    """Pause / resume / stop, and work to run on the training thread; safe to call from any thread.

    ``submit(fn)`` queues ``fn(trainer)`` to run on the training thread at the next batch boundary
    (or at once while paused): the way a GUI asks for probes of the live model without sharing it.
    """

    def __init__(self) -> None:
        self._running = threading.Event()
        self._running.set()
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._lock = threading.Lock()
        self._pending: list[Any] = []

    def pause(self) -> None:
        self._running.clear()

    def resume(self) -> None:
        self._running.set()
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._running.set()  # wake a paused loop so it can stop
        self._wake.set()

    def reset(self) -> None:
        self._stop.clear()
        self._running.set()
        with self._lock:
            self._pending.clear()

    def submit(self, fn) -> None:
        with self._lock:
            self._pending.append(fn)
        self._wake.set()

    def run_pending(self, trainer: Any) -> None:  # an EngineHost (engine/host.py), or None
        with self._lock:
            todo, self._pending = self._pending, []
        for fn in todo:
            try:
                fn(trainer)
            except Exception as err:  # noqa: BLE001 - a failed probe must not end the run
                trainer.notify_exception(err)

    @property
    def paused(self) -> bool:
        return not self._running.is_set() and not self._stop.is_set()

    @property
    def stop_requested(self) -> bool:
        return self._stop.is_set()

    def hold(self, host) -> None:
        """Block ``host``'s thread while paused, running submitted work; its listeners hear ``on_pause`` and
        ``on_resume``."""
        host.emit("on_pause")
        while self.paused:
            self.run_pending(host)
            if self.paused:
                self.wait_for_work(0.5)
        self.run_pending(host)
        host.emit("on_resume")

    def wait_for_work(self, timeout: float) -> None:
        """Sleep until resumed, stopped or given work (or the timeout)."""
        self._wake.wait(timeout)
        self._wake.clear()
