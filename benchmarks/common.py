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

#: ``--isa avx2``: this process's kernels limited to AVX2 (no AVX-512, so no bf16 arithmetic), as on the CPUs of
#: many laptops and cloud VMs: ATen's dispatch and oneDNN's ISA, both read once, when torch starts
ISA_LIMITS = {"avx2": {"ATEN_CPU_CAPABILITY": "avx2", "ONEDNN_MAX_CPU_ISA": "AVX2"}, "native": {}}


def limit_isa(argv: list[str] | None = None) -> str:
    """Apply ``--isa NAME`` (``native``, the default, or ``avx2``) from the command line to this process: set the
    variables before torch starts, re-starting the script once if torch was imported before they were set."""
    argv = sys.argv if argv is None else argv
    name = "native"
    for i, arg in enumerate(argv):
        if arg == "--isa" and i + 1 < len(argv):
            name = argv[i + 1]
        elif arg.startswith("--isa="):
            name = arg.split("=", 1)[1]
    if name not in ISA_LIMITS:
        sys.exit(f"--isa must be one of {', '.join(ISA_LIMITS)}, not {name!r}")
    wanted = ISA_LIMITS[name]
    if any(os.environ.get(k) != v for k, v in wanted.items()):
        os.environ.update(wanted)
        if "torch" in sys.modules:  # too late for this process: run the script again with the limits set
            os.execv(sys.executable, [sys.executable, *sys.argv])
    return name


def add_isa_argument(parser) -> None:
    parser.add_argument("--isa", choices=tuple(ISA_LIMITS), default="native",
                        help="limit this process's CPU kernels: avx2 sets ATEN_CPU_CAPABILITY=avx2 and "
                             "ONEDNN_MAX_CPU_ISA=AVX2 (no AVX-512, no bf16), as on many students' CPUs")


ISA = limit_isa()

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
    from train_backend.devices import cpu_computes_bf16

    capability = torch.backends.cpu.get_cpu_capability()
    limit = f", limited by --isa {ISA}" if ISA != "native" else ""
    return (f"{platform.node()}: {os.cpu_count()} CPU cores ({cpu}), CPU capability {capability}{limit}, "
            f"bf16 {'computed' if cpu_computes_bf16() else 'not computed'}, torch {torch.__version__} "
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
