"""The cost of ``kernels.npz`` on the training thread: conv1 of the paper's net to NumPy, written atomically.

    python3 benchmarks/kernel_file.py [--writes 300] [--dir DIR]

The engine's ``KernelFile`` callback does this at most every 2 s (``max(kernel_interval_s, 2 s)``).  Write it where
runs go (``--dir``: a run folder's file system).  Also times reading it back as a viewer does.
"""

from __future__ import annotations

import argparse
import tempfile
import time

import numpy as np

from common import machine

from train_backend.models import build_model
from train_backend.runs import read_kernel_file, write_kernel_file


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--writes", type=int, default=300)
    p.add_argument("--dir", help="where to write (default: a temporary folder)")
    args = p.parse_args()
    folder = args.dir or tempfile.mkdtemp()
    model = build_model("paper", num_classes=1000)
    writes, reads = [], []
    for i in range(args.writes):
        t = time.perf_counter()
        w = model.conv1.weight.detach().float().cpu().numpy()  # what KernelFile does
        write_kernel_file(folder, w, towers=model.towers, step=i)
        writes.append(time.perf_counter() - t)
        if i % 5 == 0:
            t = time.perf_counter()
            read_kernel_file(folder)
            reads.append(time.perf_counter() - t)
    print(f"kernel_file: paper conv1 {tuple(w.shape)}, {args.writes} writes into {folder}; {machine()}")
    for name, ts in (("write", writes[10:]), ("read (display-ready)", reads[2:])):
        ms = np.array(ts) * 1e3
        print(f"  {name}: median {np.median(ms):.3f} ms, p95 {np.percentile(ms, 95):.3f} ms, max {ms.max():.3f} ms")
    print(f"  every 2 s that is {np.median(writes) / 2 * 100:.3f} % of the training thread's time")


if __name__ == "__main__":
    main()
