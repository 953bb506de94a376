"""``train.lock``: one process trains into a run folder at a time.

The lock is an advisory ``flock`` on ``train.lock``, held for as long as the training process lives: the kernel
drops it when the process ends, however it ends (``kill -9`` included), so a lock left by a killed process is never
in the way (the file stays, with the dead holder's pid, and the next trainer takes it over and says so).  The file
names the holder (pid, host, start time, command) so a refusal can say who holds it.  ``flock`` works across the
machines of a cluster on NFS (Linux emulates it with POSIX locks there); where it is not available at all (not
POSIX) the lock falls back to the pid in the file and whether that process is alive on this host.

A forked child (a DataLoader worker) would share the lock and keep it after its parent was killed: children close
their copy at once (``os.register_at_fork``), so the lock lives exactly as long as the process that took it.
"""

from __future__ import annotations

import json
import os
import socket
import sys
import time
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import AlexNetGuiError
from .files import LOCK_FILE
from ..i18n import QT_TRANSLATE_NOOP

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

#: how long an acquisition retries when the lock is busy but its file names no live holder (another process
#: probing whether the run is running holds it for a moment)
_PROBE_GRACE_S = 1.0


@dataclass(frozen=True)
class LockHolder:
    """Who holds (or held) a run folder's lock, as its ``train.lock`` says."""

    pid: int | None
    host: str = ""
    started: float | None = None  # time.time() when it took the lock
    command: str = ""

    @property
    def here(self) -> bool:
        """The holder is (was) a process of this machine."""
        return not self.host or self.host == socket.gethostname()

    def describe(self) -> str:
        who = QT_TRANSLATE_NOOP("Runs", "process {pid}").format(pid=self.pid) if self.pid is not None else QT_TRANSLATE_NOOP("Runs", "another process")
        if self.host and not self.here:
            who = QT_TRANSLATE_NOOP("Runs", "{who} on {host}").format(who=who, host=self.host)
        if self.started:
            who = QT_TRANSLATE_NOOP("Runs", "{who} (since {time})").format(
                who=who, time=time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(self.started)))
        return who

    def to_dict(self) -> dict[str, Any]:
        return {"pid": self.pid, "host": self.host, "started": self.started, "command": self.command}

    @classmethod
    def from_text(cls, text: str) -> "LockHolder":
        """The holder a lock file's text names (an unreadable one names nobody: pid None)."""
        try:
            d = json.loads(text)
        except ValueError:
            return cls(None)
        if not isinstance(d, dict):
            return cls(None)
        pid = d.get("pid")
        started = d.get("started")
        return cls(pid if isinstance(pid, int) else None, str(d.get("host") or ""),
                   float(started) if isinstance(started, (int, float)) else None, str(d.get("command") or ""))


class RunLocked(AlexNetGuiError, RuntimeError):
    """Another process trains into this run folder (the message names its pid)."""

    def __init__(self, run_dir: str | os.PathLike, holder: LockHolder) -> None:
        self.run_dir = Path(run_dir)
        self.holder = holder
        super().__init__(f"the run folder '{self.run_dir}' is in use: {holder.describe()} is training into it "
                         f"(its lock is {self.run_dir / LOCK_FILE}); wait for it to end, stop it, or train into "
                         "another folder")


_HELD: "weakref.WeakSet[RunLock]" = weakref.WeakSet()


def _close_in_child() -> None:
    for lock in list(_HELD):
        fd, lock._fd = lock._fd, None
        if fd is not None:
            try:
                os.close(fd)  # the parent's descriptor still holds the lock
            except OSError:
                pass


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_close_in_child)


def _read_holder(path: Path) -> LockHolder | None:
    try:
        return LockHolder.from_text(path.read_text(encoding="utf-8", errors="replace"))
    except OSError:
        return None


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, someone else's
        return True
    except OSError:
        return False
    return True


def _holder_alive(holder: LockHolder) -> bool:
    """Without flock: whether the holder a file names still lives (one of another host is taken as alive)."""
    if holder.pid is None:
        return False
    return _pid_alive(holder.pid) if holder.here else True


class RunLock:
    """The lock on one run folder.  ``with RunLock(dir):`` or :meth:`acquire` / :meth:`release`.

    :meth:`acquire` raises :class:`RunLocked` while another process holds it; a stale lock (its process ended
    without releasing it: killed, crashed) is taken over, and :attr:`recovered` then names that process.
    Releasing removes ``train.lock``.  Not re-entrant: one RunLock object per training run.
    """

    def __init__(self, run_dir: str | os.PathLike) -> None:
        self.run_dir = Path(run_dir)
        self.path = self.run_dir / LOCK_FILE
        self.recovered: LockHolder | None = None  # the stale holder this lock replaced
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> "RunLock":
        """Take the lock (creating the folder); raises :class:`RunLocked` when a live process holds it."""
        if self._fd is not None:
            return self
        self.run_dir.mkdir(parents=True, exist_ok=True)
        deadline = time.monotonic() + _PROBE_GRACE_S
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o666)
            try:
                if self._try_lock(fd):
                    if self._same_file(fd):
                        break
                    os.close(fd)  # released and removed between our open and lock: take the new file
                    continue
                holder = _read_holder(self.path) or LockHolder(None)
            except BaseException:
                os.close(fd)
                raise
            os.close(fd)
            if fcntl is None or holder.pid is not None and _holder_alive(holder) or time.monotonic() > deadline:
                raise RunLocked(self.run_dir, holder)
            time.sleep(0.05)  # busy, but with no live holder named: a reader probing it, or a holder starting
        previous = _read_holder(self.path)
        if previous is not None and previous.pid is not None:
            self.recovered = previous
        me = LockHolder(os.getpid(), socket.gethostname(), time.time(), " ".join(sys.argv)[:500])
        data = (json.dumps(me.to_dict()) + "\n").encode()
        os.ftruncate(fd, 0)
        os.pwrite(fd, data, 0)
        self._fd = fd
        _HELD.add(self)
        return self

    def _try_lock(self, fd: int) -> bool:
        if fcntl is None:  # pragma: no cover - without flock, the pid in the file decides
            holder = _read_holder(self.path)
            return holder is None or holder.pid is None or holder.pid == os.getpid() or not _holder_alive(holder)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        except OSError:  # a file system without locks: fall back to the pid in the file
            holder = _read_holder(self.path)
            return holder is None or holder.pid is None or not _holder_alive(holder)
        return True

    def _same_file(self, fd: int) -> bool:
        try:
            return os.stat(self.path).st_ino == os.fstat(fd).st_ino
        except OSError:
            return False

    def release(self) -> None:
        """Remove ``train.lock`` and let it go (nothing happens when it is not held)."""
        fd, self._fd = self._fd, None
        _HELD.discard(self)
        if fd is None:
            return
        try:
            if self._same_file(fd):
                os.unlink(self.path)  # unlinked while still held: a waiting process then re-opens a fresh file
        except OSError:
            pass
        finally:
            os.close(fd)

    def __enter__(self) -> "RunLock":
        return self.acquire()

    def __exit__(self, *exc: Any) -> None:
        self.release()

    def __del__(self) -> None:
        if self._fd is not None:
            try:
                os.close(self._fd)
            except OSError:
                pass


def lock_holder(run_dir: str | os.PathLike) -> LockHolder | None:
    """The live process training into ``run_dir``, or None when nobody holds its lock (a stale ``train.lock``
    left by a killed process is nobody).  Reads, never creates or removes anything."""
    path = Path(run_dir) / LOCK_FILE
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    try:
        holder = _read_holder(path) or LockHolder(None)
        if fcntl is None:  # pragma: no cover
            return holder if _holder_alive(holder) else None
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return holder
        except OSError:  # no locks on this file system
            return holder if _holder_alive(holder) else None
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)
