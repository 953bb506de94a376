"""Process-level speed settings for CPU training.

PyTorch's CPU tensors come from ``malloc``.  glibc serves large blocks (the activations of a
batch: tens of MB each) with fresh ``mmap`` calls and hands them back on free, so every training
step page-faults its way through gigabytes of new zeroed memory.  On a 2-core machine that was
half of the paper model's step time (the LRN layers, being pure memory traffic, suffered most).
:func:`tune_cpu_allocator` asks glibc to keep freed memory and reuse it, which made the paper's
AlexNet train several times faster on a 2-core CPU (``benchmarks/train_step.py``; figures in benchmarks/README.md).  The cost: the process keeps
its peak memory instead of returning it to the system between steps.

Set ``ALEXNET_GUI_NO_MALLOC_TUNING=1`` to leave the allocator alone.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys

M_TRIM_THRESHOLD = -1
M_TOP_PAD = -2
M_MMAP_MAX = -4
M_ARENA_MAX = -8

_done: bool | None = None


def set_up_process() -> None:
    """Everything a process of this app sets up before its first tensor, in one place: the CPU allocator
    (:func:`tune_cpu_allocator`).  The entry points call it once: ``alexnet-gui`` (:mod:`alexnet_gui.cli`) and
    ``python -m train_backend`` (:func:`train_backend.cli.main`)."""
    tune_cpu_allocator()


def tune_cpu_allocator() -> bool:
    """Make glibc reuse freed memory instead of unmapping it. Idempotent; False where not applicable."""
    global _done
    if _done is not None:
        return _done
    _done = False
    if os.environ.get("ALEXNET_GUI_NO_MALLOC_TUNING") or not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # musl and other libcs: nothing to tune
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    # one arena: a training thread (the GUI's worker) otherwise gets its own small mmap'd heaps, which glibc
    # trims and refaults (measured: 35% slower than training on the main thread)
    ok = (mallopt(M_MMAP_MAX, 0) == 1 and mallopt(M_TRIM_THRESHOLD, 1 << 30) == 1
          and mallopt(M_TOP_PAD, 256 << 20) == 1 and mallopt(M_ARENA_MAX, 1) == 1)
    _done = bool(ok)
    return _done
