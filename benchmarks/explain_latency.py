"""Explain from the window: click a class in the top-5 -> its Grad-CAM drawn, and occlusion from its button, on the
paper model at 227 px, with a GUI-thread heartbeat running throughout.

    python3 benchmarks/explain_latency.py [--trials 10]

Budgets (issue 14): Grad-CAM <= 300 ms from click to overlay; occlusion at stride 16 <= 5 s; the window stays
responsive (heartbeat p99 <= 20 ms, max <= 100 ms, as gui_latency's budget).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from common import machine, verdict
from gui_common import Heartbeat, make_window

from alexnet_gui.app import wait_for

SAMPLE = Path(__file__).resolve().parents[1] / "resources" / "samples" / "sample-shapes.png"


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--trials", type=int, default=10)
    args = p.parse_args()

    from PIL import Image

    app, win = make_window("synthetic", input_size=227)
    win.lab.show_image(Image.open(SAMPLE).convert("RGB"), SAMPLE.name)
    wait_for(app, lambda: win.predictions.prediction is not None and win.lab.probe_idle(), 120, poll_ms=5)
    win.docks["explain"].raise_()
    panel = win.panels["explain"]
    wait_for(app, lambda: panel.result is not None, 60, poll_ms=5)  # the first map (warm-up)
    beat = Heartbeat(10)
    beat.start()
    pred = win.predictions.prediction
    clicks = []
    for t in range(args.trials):
        row = (t + 1) % len(pred.indices)
        want = pred.indices[row]
        t0 = time.perf_counter()
        win.predictions._on_class_clicked(row)  # what a click on the row does
        wait_for(app, lambda: panel.result is not None and panel.result.class_index == want and panel.token is None,
                 60, poll_ms=1)
        app.processEvents()  # the overlay painted
        clicks.append(time.perf_counter() - t0)
    panel.method.setCurrentText("Occlusion")
    panel.patch.setValue(32)
    panel.stride.setValue(16)
    t0 = time.perf_counter()
    panel.explain()
    wait_for(app, lambda: panel.result.method == "occlusion", 120, poll_ms=5)
    occl = time.perf_counter() - t0
    beat.stop()
    win.close()
    c = np.array(clicks) * 1000
    s = np.array(beat.stalls) * 1000
    print(f"explain_latency: paper model at 227 px, untrained, {SAMPLE.name}; {machine()}")
    print(f"  Grad-CAM conv5, click -> overlay, {len(c)} clicks: median {np.median(c):.0f} ms, "
          f"max {c.max():.0f} ms")
    print(f"  occlusion 32 px / stride 16 ({len(panel.result.offsets) ** 2} positions), button -> overlay: "
          f"{occl:.2f} s")
    print(f"  GUI heartbeat throughout: {len(s)} beats, stall p99 {np.percentile(s, 99):.1f} ms, max {s.max():.1f} ms")
    print(f"budget: Grad-CAM median {np.median(c):.0f} <= 300 ms -> {verdict(np.median(c), 300, False)}; occlusion "
          f"{occl:.2f} <= 5 s -> {verdict(occl, 5, False)}; stalls p99 {np.percentile(s, 99):.1f} <= 20 ms -> "
          f"{verdict(np.percentile(s, 99), 20, False)}, max {s.max():.1f} <= 100 ms -> {verdict(s.max(), 100, False)}")


if __name__ == "__main__":
    main()
