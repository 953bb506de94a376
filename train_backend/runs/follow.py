"""Following a run that another process writes: ``tail -F`` for ``metrics.jsonl`` and ``kernels.npz``.

:meth:`MetricsFollower.poll` reads what was appended since the last poll and returns it as records.  It survives
what happens to files on a live system, and says what happened:

- a partial last line (the writer has not finished it, or flushed it in pieces) is kept until its newline comes;
- a file truncated under it, or replaced by another one (a new inode, or the same inode with other first bytes),
  is read again from its start, and the update says ``reset``: whatever was drawn from it goes;
- a folder (or file) that disappears makes updates say ``missing`` until it is back, then it is read from the start.

Polling costs a ``stat`` of each file, a probe of the lock and a read of the new bytes: at most ``read_limit`` per
poll, so a huge file is caught up with over several polls (``caught_up`` is False meanwhile) instead of one long
stall; parsing runs at roughly 15 MB/s on a 2-core VM, so opening a long run's 100 MB file takes several polls of
half a second: poll from a worker thread, or lower ``read_limit`` on the GUI thread.  Not thread-safe: poll from
one thread.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .curves import MAX_LINE_BYTES, RunCurves
from .files import CONFIG_FILE, KERNELS_FILE, METRICS_FILE
from .folder import RunStatus, read_config
from .kernels_file import KernelFileError, read_kernel_file
from ..i18n import QT_TRANSLATE_NOOP

if TYPE_CHECKING:
    from ..analysis.probes import KernelSnapshot

#: bytes compared to tell the same file from a new one that took its inode
_HEAD_BYTES = 256


@dataclass(frozen=True)
class FollowUpdate:
    """What one :meth:`MetricsFollower.poll` found."""

    records: tuple[dict[str, Any], ...] = ()  # the new complete records, in order
    reset: bool = False  # the file was truncated, replaced or re-created: start over (records are from its start)
    missing: bool = False  # the folder or its metrics.jsonl is not there (now)
    caught_up: bool = True  # everything written so far was read (False: poll again soon for the rest)
    kernels: "KernelSnapshot | None" = None  # a newer kernels.npz, when there is one
    config: dict[str, Any] | None = None  # config.json's settings when they appeared or changed
    status: RunStatus | None = None  # the run's state now (None while the folder is missing)
    problems: tuple[str, ...] = ()  # what could not be read in this poll

    @property
    def changed(self) -> bool:
        return bool(self.records or self.reset or self.kernels is not None or self.config is not None)


@dataclass
class _FileState:
    stamp: tuple[int, int, int, int] | None = None  # dev, inode, size, mtime_ns at the last look
    offset: int = 0
    head: bytearray = field(default_factory=bytearray)  # the file's first bytes, as read
    partial: bytearray = field(default_factory=bytearray)


class MetricsFollower:
    """Follows ``run_dir``'s ``metrics.jsonl`` (and ``kernels.npz``, ``config.json``, its lock) as another process
    writes them.  :attr:`curves` holds everything read since the last reset, bounded to ``max_points`` a curve."""

    def __init__(self, run_dir: str | os.PathLike, max_points: int = 4096, read_limit: int = 8 << 20) -> None:
        self.run_dir = Path(run_dir)
        self.max_points = max_points
        self.read_limit = read_limit
        self.config: dict[str, Any] = {}
        self.curves = RunCurves(max_points)
        self._metrics = _FileState()
        self._kernels_stamp: tuple | None = None
        self._config_stamp: tuple | None = None
        self._missing = False
        self._end: dict[str, Any] | None = None

    # ------------------------------------------------------------------ public
    def poll(self) -> FollowUpdate:
        """Read what changed since the last poll (see the module docstring)."""
        if not self.run_dir.is_dir():
            was_missing, self._missing = self._missing, True
            reset = not was_missing and (self._metrics.stamp is not None or self.curves.records > 0)
            self._forget()
            return FollowUpdate(reset=reset, missing=True)
        if self._missing:  # back again: read it from the start
            self._missing = False
            self._forget()
        problems: list[str] = []
        config = self._poll_config(problems)
        records, reset, missing, caught_up = self._poll_metrics(problems)
        kernels = self._poll_kernels(problems)
        return FollowUpdate(tuple(records), reset, missing, caught_up, kernels, config, self.status(),
                            tuple(problems))

    def status(self) -> RunStatus:
        """The run's state as read so far: running while a live process holds its lock, else from its end."""
        return RunStatus.of(self.run_dir, self.curves.end, self.curves.records)

    # ------------------------------------------------------------------ files
    def _forget(self) -> None:
        self._metrics = _FileState()
        self._kernels_stamp = None
        self._config_stamp = None
        self.config = {}
        self.curves = RunCurves(self.max_points)

    def _poll_config(self, problems: list[str]) -> dict[str, Any] | None:
        path = self.run_dir / CONFIG_FILE
        stamp = _stamp(path)
        if stamp is None or stamp == self._config_stamp:
            return None
        self._config_stamp = stamp
        config, config_problems = read_config(path)
        problems += config_problems
        if config == self.config:
            return None
        self.config = config
        bs = config.get("batch_size")
        if isinstance(bs, int) and bs > 0 and self.curves.batch_size is None and self.curves.records == 0:
            self.curves.batch_size = bs
        return config

    def _poll_kernels(self, problems: list[str]):
        path = self.run_dir / KERNELS_FILE
        stamp = _stamp(path)
        if stamp is None or stamp == self._kernels_stamp:
            return None
        try:
            snapshot = read_kernel_file(path)
        except FileNotFoundError:
            return None
        except (KernelFileError, OSError) as err:
            problems.append(str(err))
            return None
        self._kernels_stamp = stamp
        return snapshot

    def _poll_metrics(self, problems: list[str]) -> tuple[list[dict[str, Any]], bool, bool, bool]:
        path = self.run_dir / METRICS_FILE
        st = self._metrics
        try:
            f = open(path, "rb")
        except FileNotFoundError:
            reset = st.stamp is not None  # it was there: deleted (a new one will be read from its start)
            if reset:
                self._restart()
            return [], reset, True, True
        except OSError as err:
            problems.append(QT_TRANSLATE_NOOP("Runs", "could not read {file}: {why}").format(file=METRICS_FILE, why=err.strerror or err))
            return [], False, False, True
        with f:
            s = os.fstat(f.fileno())
            stamp = (s.st_dev, s.st_ino, s.st_size, s.st_mtime_ns)
            reset = False
            if st.stamp is not None and (stamp[:2] != st.stamp[:2] or s.st_size < st.offset
                                         or not self._same_head(f, s.st_size)):
                self._restart()  # replaced, truncated, or rewritten in place
                st = self._metrics
                reset = True
            st.stamp = stamp
            if s.st_size == st.offset:
                return [], reset, False, True
            f.seek(st.offset)
            data = f.read(min(self.read_limit, s.st_size - st.offset))
        if len(st.head) < _HEAD_BYTES:  # reads run on from offset 0: the file's first bytes
            st.head += data[:_HEAD_BYTES - len(st.head)]
        st.offset += len(data)
        records = self._lines(data)
        return records, reset, False, st.offset >= stamp[2]

    def _same_head(self, f, size: int) -> bool:
        head = self._metrics.head
        if size < len(head):
            return False
        f.seek(0)
        return f.read(len(head)) == head

    def _restart(self) -> None:
        self._metrics = _FileState()
        self.curves = RunCurves(self.max_points, self.curves.batch_size)

    def _lines(self, data: bytes) -> list[dict[str, Any]]:
        st = self._metrics
        buf = st.partial
        buf += data
        records = []
        start = 0
        while True:
            nl = buf.find(b"\n", start)
            if nl < 0:
                break
            line = bytes(buf[start:nl])
            start = nl + 1
            record = self.curves.add_line(line)
            if record is not None:
                records.append(record)
        del buf[:start]
        if len(buf) > MAX_LINE_BYTES:  # no newline in sight: not a record of this app
            self.curves.lines += 1
            self.curves.bad_line()
            buf.clear()
        return records


def _stamp(path: Path) -> tuple[int, int, int, int] | None:
    try:
        s = path.stat()
    except OSError:
        return None
    return s.st_dev, s.st_ino, s.st_size, s.st_mtime_ns
