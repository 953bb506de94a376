"""The Qt binding must not leak references to True/False (PySide6 6.12.0 did, on every signal emit,
and Python 3.11 aborts when True's count reaches zero — mid-session, after some ten thousand emits)."""

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    sig = Signal(object)


def test_signal_emits_keep_bool_refcounts():
    e = _Emitter()
    received = []
    e.sig.connect(received.append)
    before = (sys.getrefcount(True), sys.getrefcount(False))
    for i in range(20_000):
        e.sig.emit(i)
    after = (sys.getrefcount(True), sys.getrefcount(False))
    assert len(received) == 20_000
    assert abs(after[0] - before[0]) < 100 and abs(after[1] - before[1]) < 100, (before, after)
