"""Explanations on the paper model at 227 px, CPU, 2 threads: Grad-CAM, guided backprop, occlusion at stride 16.

    python3 benchmarks/explain.py [--rounds 5] [--threads 2]

Each figure is the median of ``--rounds`` calls of the analysis as the GUI will call it (a PIL image in, the
payload out: crop, forward, backward or the occlusion forwards, map), against a reference measured in the same
process: one plain forward pass of the same crop (``evaluating``, batch of one).  Occlusion uses a 32 px grey
square every 16 px (14 x 14 = 196 positions at 227 px, the last flush with the edge), batches of 32, and is also
timed without its first-stage shortcut (every forward whole) to show what the shortcut buys.  Untrained weights:
the work is the same.  Budget (issue 14): Grad-CAM <= 300 ms, occlusion at stride 16 <= 5 s.
"""

from __future__ import annotations

import argparse
from unittest import mock

import numpy as np
import torch
from PIL import Image

from common import machine, median, timeit, verdict

from train_backend.analysis import explain as ex
from train_backend.io.checkpoints import untrained_weights
from train_backend.models.modes import evaluating


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--threads", type=int, default=2)
    args = p.parse_args()
    torch.set_num_threads(args.threads)

    weights = untrained_weights("paper")
    rng = np.random.default_rng(0)
    image = Image.fromarray(rng.integers(0, 255, (300, 400, 3), dtype=np.uint8))
    x, _ = ex.network_view(weights, image)

    def forward() -> None:
        with evaluating(weights.model):
            weights.model(x)

    def whole_forwards() -> None:
        with mock.patch.object(ex._FirstStage, "plan", staticmethod(lambda model: 0)):
            ex.occlusion(weights, image, patch=32, stride=16)

    cases = [("one forward (reference)", forward, args.rounds),
             ("gradcam conv5", lambda: ex.gradcam(weights, image), args.rounds),
             ("saliency (guided backprop)", lambda: ex.saliency(weights, image), args.rounds),
             ("occlusion 32 px / 16 px", lambda: ex.occlusion(weights, image, patch=32, stride=16), 3),
             ("occlusion, every forward whole", whole_forwards, 3)]
    figures = {}
    for name, fn, rounds in cases:
        figures[name] = median(timeit(fn, repeat=rounds))
    ref = figures["one forward (reference)"]
    print(f"explain: paper model at 227 px, {args.threads} threads; {machine()}")
    for name, _, rounds in cases:
        s = figures[name]
        print(f"  {name:<32} {1000 * s:8.0f} ms  (median of {rounds})  = {s / ref:6.1f} x one forward")
    cam, occ = figures["gradcam conv5"], figures["occlusion 32 px / 16 px"]
    print(f"budget: gradcam {1000 * cam:.0f} <= 300 ms -> {verdict(cam, 0.3, False)}; occlusion stride 16 "
          f"{occ:.2f} <= 5 s -> {verdict(occ, 5.0, False)}; the first-stage shortcut "
          f"{figures['occlusion, every forward whole'] / occ:.2f}x faster than whole forwards")


if __name__ == "__main__":
    main()
