"""LRN forward+backward: this app's paper LRN vs PyTorch's nn.LocalResponseNorm (alpha x n: the same maths).

    python3 benchmarks/lrn.py [--batch 32] [--rounds 7]

Shapes are the paper model's conv1 / conv2 outputs at 227 px.  Budget (issue 5): >= 2x faster on both.
"""

from __future__ import annotations

import argparse

import torch
from torch import nn

from common import machine, median, timeit, verdict

from train_backend.models.lrn import LocalResponseNorm


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--rounds", type=int, default=7)
    args = p.parse_args()
    fast = LocalResponseNorm()
    ref = nn.LocalResponseNorm(5, alpha=5e-4, beta=0.75, k=2.0)
    print(f"lrn: forward+backward, batch {args.batch}; {machine()}")
    worst = float("inf")
    for name, shape in (("conv1 (96x55x55)", (args.batch, 96, 55, 55)), ("conv2 (256x27x27)", (args.batch, 256, 27, 27))):
        x = (torch.randn(shape) * 20).relu().requires_grad_()
        g = torch.randn(shape)
        torch.testing.assert_close(fast(x), ref(x), rtol=1e-5, atol=1e-5)

        def run(m):
            x.grad = None
            m(x).backward(g)

        times = {"fast": [], "ref": []}
        for _ in range(args.rounds):  # interleaved
            times["fast"] += timeit(lambda: run(fast), repeat=1, warmup=0)
            times["ref"] += timeit(lambda: run(ref), repeat=1, warmup=0)
        tf, tr = median(times["fast"]), median(times["ref"])
        worst = min(worst, tr / tf)
        print(f"  {name:<18} paper LRN {1000 * tf:7.1f} ms   nn.LocalResponseNorm {1000 * tr:7.1f} ms   "
              f"speed-up x{tr / tf:.2f}")
    print(f"budget: speed-up >= 2.0 on both shapes (worst x{worst:.2f}) -> {verdict(worst, 2.0)}")


if __name__ == "__main__":
    main()
