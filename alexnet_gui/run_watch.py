"""Watching a run from disk, live: the window's Training curves and Conv1 kernels follow a run folder that another
process writes (a headless ``alexnet-gui train --out DIR``, a cluster job on a shared file system).

The session holds the fact (:attr:`Session.watched <train_backend.session.Session.watched>`, a
:class:`~train_backend.session.WatchedRun`) and the rules (refused while this window trains, dropped when training
starts or another run is opened); this object does the reading. A timer polls: each poll reads the new complete lines
of ``metrics.jsonl`` (:class:`~train_backend.runs.MetricsFollower`, at most 256 KiB a poll: the first read of a huge
file is spread over several polls), ``kernels.npz`` when it changed (:func:`~train_backend.runs.read_kernel_file`)
and whether a process still holds the run's lock, all on a background thread; the GUI thread only draws what came
back. A partial last line waits for its newline; a file truncated or replaced starts the curves again; a folder that
disappears is said in the status bar, and following goes on when it comes back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from train_backend.payloads import RunShown
from train_backend.session import Session
from train_backend.runs import METRICS_FILE, FollowUpdate, MetricsFollower, RunStatus, group_events, record_payload

from .i18n import tr_core
from .widgets.background import BackgroundCalls


POLL_MS = 1000  # while the run is running
IDLE_POLL_MS = 5000  # a run that has ended (it may be continued)
READ_LIMIT = 256 << 10  # bytes of metrics.jsonl a poll reads (~1,200 step records): each poll's drawing is short

@dataclass
class News:
    """What one poll read (on the background thread), as the payloads the panels draw."""

    update: FollowUpdate
    events: list[tuple[str, Any]] = field(default_factory=list)  # ("steps", tuple) / ("validation", r) / ("epoch", e)
    unreadable: int = 0  # records of a known kind with missing or wrong fields
    folder_gone: bool = False


def read_news(follower: MetricsFollower) -> News:
    """One poll of a followed run, turned into payloads (runs on the background thread; never raises for what the
    files hold: a record with missing or wrong fields is counted)."""
    update = follower.poll()
    news = News(update, folder_gone=update.missing and not follower.run_dir.is_dir())
    items = []
    for rec in update.records:
        try:
            item = record_payload(rec)
        except (KeyError, TypeError, ValueError):
            news.unreadable += 1
            continue
        if item is not None:
            items.append(item)
    news.events = group_events(items)
    return news


class RunWatcher(QObject):
    """Follows the session's watched run and says what it read through the same kinds of signals as the app's own run
    (the lab forwards them: module docstring)."""

    run_shown = Signal(object)  # RunShown
    steps = Signal(object)  # tuple[StepMetrics, ...]
    validation = Signal(object, bool)  # ValidationResult, drawn now
    epoch = Signal(object, bool)  # EpochMetrics, drawn now
    kernels = Signal(object)  # KernelSnapshot
    message = Signal(str, str, bool)  # level, text, quiet

    def __init__(self, session: Session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.background = BackgroundCalls(self)
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.poll)
        self.path: Path | None = None
        self.follower: MetricsFollower | None = None
        self._last_problem: str | None = None
        self._unreadable = 0
        self._titled = False  # the run's settings were read and shown
        self.polls = 0  # polls drawn (tests wait on it)
        self.resets = 0  # times the curves started again (a truncated, replaced or deleted file)
        self.session.watch_changed.connect(self._on_watch_changed)

    @property
    def active(self) -> bool:
        return self.path is not None

    def _on_watch_changed(self, watched) -> None:
        if watched is None:
            self.stop()
        elif self.path is None or str(self.path) != watched.path:
            self.open(Path(watched.path))

    def open(self, path: Path) -> None:
        self.stop()
        self.path = path
        self.follower = MetricsFollower(path, read_limit=READ_LIMIT)
        self._last_problem = None
        self._unreadable = 0
        self._titled = False
        self._restart_panels({})
        self.timer.setInterval(POLL_MS)
        self.timer.start()
        self.poll()

    def stop(self) -> None:
        self.timer.stop()
        self.background.forget("watch")
        self.path = None
        self.follower = None

    def poll(self) -> None:
        if self.path is None or self.background.busy("watch"):
            return
        follower = self.follower
        self.background.call("watch", lambda: read_news(follower), self._on_news, self._on_failed)

    def _restart_panels(self, config: dict, restart: bool = True) -> None:
        self.run_shown.emit(RunShown(self.path.name, config, watched=True, restart=restart))

    def _on_failed(self, text: str) -> None:
        self.session.watch_update(problem=self.tr("could not read the run: {error}").format(error=text))

    def _on_news(self, news: News) -> None:
        if self.path is None:
            return
        self.polls += 1
        u = news.update
        if u.reset:
            self.resets += 1
            self._unreadable = 0
            self._restart_panels(self.follower.config if self.follower else {})
            self._titled = False
            if not u.missing:
                self.message.emit("warning", self.tr("{file} of {name} was truncated or replaced: its curves are read "
                                                     "again from the start").format(file=METRICS_FILE,
                                                                                    name=self.path.name), False)
        if u.config is not None and not self._titled:  # the run's recipe: title and reference
            self._titled = True
            self._restart_panels(u.config, restart=False)
        last = None
        for kind, payload in news.events:
            if kind == "steps":
                self.steps.emit(payload)
                last = payload[-1]
            elif kind == "validation":  # drawn with the next coalesced redraw (at most one a second)
                self.validation.emit(payload, False)
            elif kind == "epoch":
                self.epoch.emit(payload, False)
        if u.kernels is not None:
            self.kernels.emit(u.kernels)
        self._unreadable += news.unreadable
        problems = [tr_core(p) for p in u.problems]
        if news.folder_gone:
            problems.insert(0, self.tr("the run folder is gone (following it again when it comes back)"))
        elif u.missing:
            problems.insert(0, self.tr("there is no {file} yet").format(file=METRICS_FILE))
        if self._unreadable:
            problems.append(self.tr("{count:,} record(s) of {file} lack fields and were skipped").format(
                count=self._unreadable, file=METRICS_FILE))
        if self.follower is not None and self.follower.curves.bad_lines:
            problems.append(self.tr("{count:,} line(s) of {file} are not records and were skipped").format(
                count=self.follower.curves.bad_lines, file=METRICS_FILE))
        problem = "; ".join(problems) or None
        state = u.status.value if u.status is not None else "missing"
        changes: dict[str, Any] = {"problem": problem, "state": state}
        if last is not None:
            changes.update(step=last.step, epoch=last.epoch)
        elif u.reset:
            changes.update(step=0, epoch=0)
        self.session.watch_update(**changes)
        if problem and problem != self._last_problem:
            self.message.emit("warning", f"{self.path.name}: {problem}", True)
        self._last_problem = problem
        running = u.status == RunStatus.RUNNING
        self.timer.setInterval(POLL_MS if running or u.missing else IDLE_POLL_MS)
        if not u.caught_up:
            QTimer.singleShot(0, self.poll)  # catching up with a long file: the next slice now
