"""Python's cyclic garbage collector, run on the GUI thread only.

Python collects cycles in whichever thread happens to allocate when its counters overflow; while
training that is usually the engine's worker thread.  If a collection there frees a Qt object caught
in a reference cycle (a closed dialog, an action, an old window), PySide destroys it on that thread
while the GUI thread may be destroying a neighbour, and the two wait on each other: one for Qt's
connection lock, the other for Python's GIL.  The window then hangs for good.  This project's test
suite hit it: the worker in ``gc_collect_main`` → ``~QObject`` waiting for the GIL, the GUI thread in
``~QAction`` waiting for the lock.

pyqtgraph's ``GarbageCollector`` is the known cure: automatic collection off, a GUI-thread timer
collects instead, generation by generation at Python's own thresholds.  Everything alive when it
starts (torch, Qt, pyqtgraph: ~390,000 objects, none of them garbage) is first frozen out of the
collector, so a full collection on the GUI thread walks only the objects made since (a pause of a few
milliseconds, not a visible freeze; benchmarks/README.md).
"""

from __future__ import annotations

import gc

INTERVAL_S = 0.5

_collector = None


def collect_on_gui_thread() -> None:
    """Switch to GUI-thread collection (once per process; call on the GUI thread with a QApplication)."""
    global _collector
    if _collector is not None:
        return
    from pyqtgraph.util.garbage_collector import GarbageCollector

    gc.collect()
    gc.freeze()
    _collector = GarbageCollector(interval=INTERVAL_S)

