"""Memory over a long session: resident memory after 200 and after 2,000 training steps with the GUI.

    python3 benchmarks/memory.py [--steps 2000]

The real window trains on the synthetic data set with every panel live; to fit 2,000 steps in minutes on a
CPU the network is the paper's at 67 px with 1/4 of the kernels and fc6/fc7 of 256 (the histories, panels,
payloads and checkpoints are what is measured, not the weights).  Also counts threads and open files.
Budget (issue 5): growth <= 50 MB between step 200 and step 2,000.
"""

from __future__ import annotations

import argparse
import os
import threading

from common import machine, verdict
from gui_common import POLL_MS, make_window

from alexnet_gui.app import wait_for


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def open_files() -> int:
    return len(os.listdir("/proc/self/fd"))


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--steps", type=int, default=2000)
    args = p.parse_args()

    app, win = make_window("synthetic", model_options={"width": 0.25, "hidden": 256, "init": "kaiming"},
                           input_size=67, batch_size=16, val_every_steps=100, val_subset=64,
                           max_steps=args.steps, epochs=1000, num_workers=0)
    marks = {}
    win.lab.start_training(fresh=True)

    def check():
        n = win.curves.loss.total_added
        if n >= 200 and 200 not in marks:
            marks[200] = (rss_mb(), threading.active_count(), open_files())
        return win.lab.last_end is not None

    wait_for(app, check, 7200, poll_ms=POLL_MS)
    wait_for(app, lambda: False, 1.0, poll_ms=POLL_MS)
    marks[args.steps] = (rss_mb(), threading.active_count(), open_files())
    win.close()
    (r0, t0, f0), (r1, t1, f1) = marks[200], marks[args.steps]
    print(f"memory: {args.steps} steps with the GUI (tiny paper model, synthetic data); {machine()}")
    print(f"  step 200: RSS {r0:.0f} MB, {t0} Python threads, {f0} open files")
    print(f"  step {args.steps}: RSS {r1:.0f} MB, {t1} Python threads, {f1} open files")
    print(f"budget: growth {r1 - r0:+.1f} MB <= 50 MB -> {verdict(r1 - r0, 50, False)}; threads {t1 - t0:+d}, "
          f"open files {f1 - f0:+d}")


if __name__ == "__main__":
    main()
