"""What ``--tensorboard`` costs a training step: the paper model at 227 px, batch 32, on this machine's CPU.

    python3 benchmarks/tensorboard_overhead.py [--steps 12] [--every 5] [--rounds 1] [--size 227] [--batch 32]

Two measurements from one process:

* **direct**: the time spent inside the TensorBoard callback's hooks on the training thread (every hook timed):
  per step (scalars, four a step), and per visual write (conv1's kernel images and a histogram of every weight and
  gradient, every ``tensorboard_histogram_every`` steps), then amortised over the default 100-step interval;
* **end to end**: the wall time from the end of the first step to the end of the last, divided by the steps in
  between (the callback's writes on the training thread included), for runs without and with the option, ABBA
  (off, on, on, off per round), so a drift of the machine's speed cancels.

The writer's background thread (protobuf encoding, the file) runs beside the loop; the end-to-end figure includes
its share of the cores, the direct figure does not.
"""

from __future__ import annotations

import argparse
import statistics
import time

from common import machine, scratch_dir

from train_backend.data import load_dataset
from train_backend.engine import Callback, Trainer
from train_backend.engine.tensorboard_log import TensorBoardLog
from train_backend.config import TrainConfig


class TimedTensorBoardLog(TensorBoardLog):
    """The callback with its hooks' time on the training thread added up."""

    def __init__(self) -> None:
        super().__init__()
        self.scalar_s: list[float] = []
        self.visual_s: list[float] = []

    def on_batch_end(self, trainer, m) -> None:
        t = time.perf_counter()
        super().on_batch_end(trainer, m)
        self.scalar_s.append(time.perf_counter() - t)

    def _visuals(self, trainer) -> None:
        t = time.perf_counter()
        super()._visuals(trainer)
        self.visual_s.append(time.perf_counter() - t)


class StepClock(Callback):
    """The wall time at the end of every step (after every other callback's on_step)."""

    def __init__(self) -> None:
        self.t: list[float] = []

    def on_step(self, trainer) -> None:
        self.t.append(time.perf_counter())


def run(bundle, tb: bool, args, out: str):
    cfg = TrainConfig(recipe="bench", model="paper", dataset="synthetic", input_size=args.size, batch_size=args.batch,
                      epochs=1, max_steps=args.steps, lr=0.01, schedule="constant", num_workers=0, device="cpu",
                      val_every_steps=None, tensorboard=False, tensorboard_histogram_every=args.every,
                      checkpoint_interval_s=1e7)
    clock = StepClock()
    trainer = Trainer(cfg, run_dir=out, bundle=bundle)
    timed = None
    if tb:
        timed = TimedTensorBoardLog()
        trainer.callbacks.append(timed)
    trainer.callbacks.append(clock)  # last: the step's end includes the TensorBoard writes
    end = trainer.run()
    assert end.reason == "max_steps", end
    step_s = (clock.t[-1] - clock.t[0]) / (len(clock.t) - 1)
    return step_s, timed


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--steps", type=int, default=12)
    p.add_argument("--every", type=int, default=5, help="tensorboard_histogram_every in the timed runs")
    p.add_argument("--rounds", type=int, default=1)
    p.add_argument("--size", type=int, default=227)
    p.add_argument("--batch", type=int, default=32)
    args = p.parse_args()
    print(machine())
    bundle = load_dataset("synthetic", n_train=args.batch * (args.steps + 1), n_val=0, size=256)
    off, on, scalar_s, visual_s = [], [], [], []
    for r in range(args.rounds):
        for tb in (False, True, True, False):
            step_s, timed = run(bundle, tb, args, scratch_dir("tb-bench-"))
            (on if tb else off).append(step_s)
            if timed is not None:
                scalar_s += timed.scalar_s
                visual_s += timed.visual_s[1:]  # the first is at step 0 (no gradients yet)
            print(f"round {r + 1}: tensorboard {'on ' if tb else 'off'}: {1000 * step_s:.0f} ms a step", flush=True)
    step = statistics.median(off)
    sc, vis = statistics.median(scalar_s), statistics.median(visual_s)
    print(f"\npaper model, {args.size} px, batch {args.batch}: step {1000 * step:.0f} ms without TensorBoard")
    print(f"direct: scalars {1000 * sc:.2f} ms a step ({100 * sc / step:.3f} %); kernel images + "
          f"weight/gradient histograms {1000 * vis:.0f} ms each time ({len(visual_s)} timed)")
    for every in (args.every, 100):
        per = sc + vis / every
        print(f"  every {every} steps: {1000 * per:.1f} ms a step = {100 * per / step:.2f} % of a step")
    print(f"end to end (ABBA, {args.rounds} round(s), {args.steps} steps a run, histograms every {args.every}): "
          f"without {1000 * statistics.median(off):.0f} ms, with {1000 * statistics.median(on):.0f} ms a step "
          f"(ratio {statistics.median(on) / statistics.median(off):.3f})")


if __name__ == "__main__":
    main()
