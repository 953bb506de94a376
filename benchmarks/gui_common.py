"""Building the real main window offscreen for the GUI benchmarks."""

from __future__ import annotations

import os
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from common import scratch_dir  # noqa: E402

if "ALEXNET_GUI_RUNS" not in os.environ:
    os.environ["ALEXNET_GUI_RUNS"] = scratch_dir("alexnet-gui-bench-runs-")

# How often the benchmarks' event loops (``wait_for``) look at their exit condition.  A user's
# ``app.exec()`` polls nothing; a 10 ms Python timer on the GUI thread is ~150 extra wake-ups a second,
# each of which preempts one of the engine's two compute threads, so the benchmarks look rarely.
POLL_MS = 250


def make_window(dataset: str = "synthetic", **config_changes):
    from PySide6.QtCore import QSettings

    from alexnet_gui.app import create_app, wait_for
    from alexnet_gui.main_window import LaunchOptions, MainWindow

    app = create_app()
    settings = QSettings(str(Path(scratch_dir("alexnet-gui-bench-settings-")) / "s.ini"), QSettings.Format.IniFormat)
    win = MainWindow(LaunchOptions(dataset=dataset, default_layout=True), settings=settings)
    win.resize(1280, 800)
    win.show()
    if config_changes:
        win.lab.config = win.lab.config.replace(**config_changes)
        win.lab.build_untrained()
    wait_for(app, lambda: win.lab.session.weights is not None and win.lab.probe_idle(), 120)
    return app, win


class Heartbeat:
    """A GUI-thread timer every `interval_ms`; a stall is how late each beat came."""

    def __init__(self, interval_ms: int = 10) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.interval = interval_ms / 1000
        self.stalls: list[float] = []
        self._last = None
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._beat)

    def _beat(self) -> None:
        now = time.perf_counter()
        if self._last is not None:
            self.stalls.append(max(0.0, now - self._last - self.interval))
        self._last = now

    def start(self) -> None:
        self._last = None
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
