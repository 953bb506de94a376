"""Helpers shared by the benchmark scripts (each script prints its figures and ratios from one process)."""

from __future__ import annotations

import atexit
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from train_backend.engine.runtime import tune_cpu_allocator  # noqa: E402  (as the app does, before any tensor)

ALLOCATOR_TUNED = tune_cpu_allocator()


def step_rates():
    """An engine callback that keeps every step report's images/s in ``.ips`` (the engine's own figure)."""
    from train_backend.engine import Callback

    class StepRates(Callback):
        def __init__(self) -> None:
            self.ips: list[float] = []

        def on_batch_end(self, trainer, m) -> None:
            self.ips.append(m.images_per_sec)

    return StepRates()


def scratch_dir(prefix: str) -> str:
    """A temporary folder removed when the script exits (GUI runs write ~700 MB of checkpoints each)."""
    path = tempfile.mkdtemp(prefix=prefix)
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


def machine() -> str:
    import torch

    cpu = platform.processor() or platform.machine()
    gpu = torch.cuda.get_device_name(0) if torch.cuda.is_available() else "no GPU"
    return (f"{platform.node()}: {os.cpu_count()} CPU cores ({cpu}), torch {torch.__version__} "
            f"({torch.get_num_threads()} threads), {gpu}, allocator tuning {'on' if ALLOCATOR_TUNED else 'off'}")


def median(xs):
    return statistics.median(xs)


def timeit(fn, repeat: int = 5, warmup: int = 1) -> list[float]:
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def verdict(value: float, budget: float, higher_is_better: bool = True) -> str:
    ok = value >= budget if higher_is_better else value <= budget
    return "PASS" if ok else "FAIL"
