"""What watching costs: engine images/s with the GUI attached and every panel live ÷ headless images/s.

    python3 benchmarks/viz_overhead.py [--steps 60] [--rounds 8] [--toggle-steps 480] [--block 20]

Same config (quick recipe, synthetic data, 83 px, batch 32), same process; median images/s of the step
reports after the first 5 steps; runs alternate headless/GUI in ABBA order (runs on this 2-core VM vary by
+-5 % from one to the next, so one pair is not enough) and the ratio is of the medians over the runs.  One
window serves every GUI run (Start pressed again, as a user does); it exists, idle, during the headless runs
too, so both kinds run in the same process state.
The GUI run re-classifies the current image (activations, LRN, top-5) at every validation (every 20
steps, as in a real session), and its event loop is Qt's own, looking at the run's end every
``POLL_MS`` (gui_common.py).  Budget (issue 5): >= 0.95.

Besides the ratio it prints each round's GUI / headless ratio (their spread is the measurement's noise on
this machine) and the GUI thread's own CPU time per second of training (``time.thread_time``), the part of
the cost that does not depend on the machine's noise.

Then a second, tighter measurement: this VM's speed drifts by +-15 % over tens of seconds, more than the
effect measured, so separate runs pair badly.  One GUI run of ``--toggle-steps`` steps switches the
worker's payloads to the window off and on every ``--block`` steps (the engine side of the bridge is
gated; the window, its timers and the engine's thread are the same throughout): each "live" block (every
panel drawing, re-classifications after validations) is paired with the "quiet" block next to it, a few
seconds apart, and the ratio is the median over the pairs.
"""

from __future__ import annotations

import argparse
import gc
import time

import numpy as np

from common import machine, step_rates, verdict
from gui_common import POLL_MS, make_window

from alexnet_gui.app import wait_for


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--steps", type=int, default=60)
    p.add_argument("--rounds", type=int, default=8)
    p.add_argument("--toggle-steps", type=int, default=480, help="steps of the toggled run (0: skip it)")
    p.add_argument("--block", type=int, default=20, help="steps per live / quiet block in the toggled run "
                   "(with validations every 20 steps, each live block starts with one re-classification)")
    args = p.parse_args()
    from train_backend.engine import Trainer
    from train_backend.recipes import recipe

    changes = dict(dataset="synthetic", max_steps=args.steps, val_every_steps=20, val_subset=64, epochs=100)

    app, win = make_window("synthetic", **{k: v for k, v in changes.items() if k != "dataset"})
    ends = []
    win.lab.run_finished.connect(ends.append)

    gui_cpu = []  # the GUI thread's CPU seconds per wall second of each GUI run

    def gui_run():
        rec, n_ends = [], len(ends)
        conn = win.lab.worker.sig_steps.connect(lambda steps: rec.extend(m.images_per_sec for m in steps))
        cpu0, wall0 = time.thread_time(), time.perf_counter()  # this is the GUI thread
        win.lab.start_training(fresh=True)
        wait_for(app, lambda: len(ends) > n_ends, 3600, poll_ms=POLL_MS)
        gui_cpu.append((time.thread_time() - cpu0) / (time.perf_counter() - wall0))
        wait_for(app, lambda: False, 0.5, poll_ms=POLL_MS)
        win.lab.worker.sig_steps.disconnect(conn)
        return rec

    def headless_run():
        r = step_rates()
        Trainer(recipe("quick", **changes), [r]).run()
        return r.ips

    results = {"headless": [], "gui": []}
    for r in range(args.rounds):  # ABBA: both orders, against drift
        for kind in (("headless", "gui") if r % 2 == 0 else ("gui", "headless")):
            ips = headless_run() if kind == "headless" else gui_run()
            gc.collect()  # each run's garbage is collected here, untimed, not during the next run
            results[kind].append(float(np.median(ips[5:])))
    print(f"viz_overhead: quick recipe, synthetic data; {machine()}")
    if args.rounds:
        h, g = np.median(results["headless"]), np.median(results["gui"])
        print(f"separate runs: {args.steps} steps each, {args.rounds} headless and {args.rounds} with the GUI (ABBA)")
        print(f"  headless {h:.1f} img/s  (runs {', '.join(f'{x:.1f}' for x in results['headless'])})")
        print(f"  with GUI {g:.1f} img/s  (runs {', '.join(f'{x:.1f}' for x in results['gui'])})")
        pairs = np.array(results["gui"]) / np.array(results["headless"])
        print(f"  each round's GUI / headless: {', '.join(f'{x:.3f}' for x in pairs)} "
              f"(median {np.median(pairs):.3f}, range {pairs.min():.3f}-{pairs.max():.3f})")
        print(f"  GUI thread while training: {1000 * np.mean(gui_cpu):.1f} ms of CPU per second "
              f"({100 * np.mean(gui_cpu):.1f} % of one core; runs {', '.join(f'{1000 * x:.0f}' for x in gui_cpu)} ms/s)")
        print(f"budget (separate runs): GUI / headless = {g / h:.3f} >= 0.95 -> {verdict(g / h, 0.95)}")
    if args.toggle_steps:
        toggled(app, win, ends, args.toggle_steps, args.block)
    win.close()


def toggled(app, win, ends, steps: int, block: int) -> None:
    """One run, the window's payloads gated off and on every ``block`` steps; live / quiet per pair of blocks."""
    import alexnet_gui.worker as worker_mod

    real_bridge = worker_mod._Bridge
    steps_seen = []  # (step, images/s, block index), recorded on the worker thread

    class GatedBridge(real_bridge):
        """The worker's bridge, silent in odd blocks: the engine and the window otherwise as in any run."""

        block_index = 0

        def quiet(self) -> bool:
            return self.block_index % 2 == 1

        def on_batch_end(self, trainer, m):
            steps_seen.append((m.step, m.images_per_sec, self.block_index))
            self.block_index = m.step // block  # the block the next step runs in
            if not self.quiet():
                super().on_batch_end(trainer, m)

    for hook in ("on_kernels", "on_validation_start", "on_validation_progress", "on_validation_end",
                 "on_epoch_end"):
        def gated(self, *a, _hook=hook):
            if not self.quiet():
                getattr(real_bridge, _hook)(self, *a)
        setattr(GatedBridge, hook, gated)

    worker_mod._Bridge = GatedBridge
    try:
        win.lab.config = win.lab.config.replace(max_steps=steps)
        n_ends = len(ends)
        cpu0, wall0 = time.thread_time(), time.perf_counter()
        win.lab.start_training(fresh=True)
        wait_for(app, lambda: len(ends) > n_ends, 3600, poll_ms=POLL_MS)
        cpu = (time.thread_time() - cpu0) / (time.perf_counter() - wall0)
    finally:
        worker_mod._Bridge = real_bridge
    by_block: dict[int, list[float]] = {}
    for step, ips, b in steps_seen:
        if step - 1 != b * block:  # the first step of a block carries the switch: left out
            by_block.setdefault(b, []).append(ips)
    med = {b: float(np.median(v)) for b, v in by_block.items() if b > 0 and len(v) >= block // 2}
    pairs = [(med[b], med[b + 1]) for b in sorted(med) if b % 2 == 0 and b + 1 in med]
    ratios = [live / quiet for live, quiet in pairs]
    live, quiet = [p[0] for p in pairs], [p[1] for p in pairs]
    r = float(np.median(ratios))
    print(f"toggled: one run of {steps} steps, the window's payloads off and on every {block} steps "
          f"({len(ratios)} live / quiet pairs, the first block and each block's first step left out)")
    print(f"  live {np.median(live):.1f} img/s, quiet {np.median(quiet):.1f} img/s; each pair's live / quiet: "
          f"{', '.join(f'{x:.3f}' for x in ratios)}")
    print(f"  median {r:.3f} (quartiles {np.percentile(ratios, 25):.3f}-{np.percentile(ratios, 75):.3f}); "
          f"GUI thread {1000 * cpu:.1f} ms of CPU per second over the whole run")
    print(f"budget (toggled): live / quiet = {r:.3f} >= 0.95 -> {verdict(r, 0.95)}")


if __name__ == "__main__":
    main()
