"""``alexnet-gui experiment NAME``: one of the paper's ablations, every arm one after another, and its report."""

from __future__ import annotations

import argparse
import signal
import sys
import time

from ..experiments import EXPERIMENTS
from .command import Command

#: with neither --steps nor --time-budget: five minutes of training per arm and seed (two arms: ten minutes)
DEFAULT_TIME_BUDGET_S = 300.0


def _whole_number(minimum: int, what: str):
    """An argparse type: a whole number of at least ``minimum`` (``what`` names it in the message)."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"{what} must be at least {minimum}, got {value}")
        return value
    return parse


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds, got {text}")
    return value


def _arguments(p: argparse.ArgumentParser) -> None:
    from ..data import DATASET_NAMES

    p.add_argument("name", choices=tuple(EXPERIMENTS), metavar="NAME",
                   help="the experiment: " + ", ".join(EXPERIMENTS))
    p.add_argument("--dataset", choices=DATASET_NAMES, help="data set (default: cifar10, else fashion-mnist, "
                                                            "else synthetic, whichever is here first)")
    p.add_argument("--data-root", help="folder of the data set")
    budget = p.add_mutually_exclusive_group()
    budget.add_argument("--steps", type=_whole_number(1, "--steps"), help="training steps per arm and seed")
    budget.add_argument("--time-budget", type=_seconds, metavar="S",
                        help=f"seconds of training per arm and seed, validation excluded (default "
                             f"{DEFAULT_TIME_BUDGET_S:g} when --steps is not given)")
    p.add_argument("--seeds", type=_whole_number(0, "a seed"), nargs="+", default=[0], metavar="K",
                   help="seeds; every arm runs once per seed (default: 0)")
    p.add_argument("--device", choices=("auto", "cpu", "cuda", "mps"), default="auto")
    p.add_argument("--paper-setup", action="store_true",
                   help="the paper's initialisation (N(0, 0.01), its biases), optimizer settings (batch 128, lr 0.01 "
                        "on a plateau, momentum 0.9, weight decay 5e-4) and fp32, for the experiments on its network: "
                        "hours per arm on a CPU")
    p.add_argument("--out", required=True, metavar="DIR", help="folder for the runs and the report (created)")


def cmd_experiment(args: argparse.Namespace) -> int:
    from ..engine import TrainControl
    from ..experiments.report import budget_text, comparison_text, verdict_text
    from ..experiments.runner import ExperimentCallback, run_experiment

    time_budget = args.time_budget if args.steps is None else None
    if args.steps is None and time_budget is None:
        time_budget = DEFAULT_TIME_BUDGET_S
    control = TrainControl()

    class Progress(ExperimentCallback):
        last = 0.0
        run = None

        def on_experiment_start(self, plan):
            budget = f"{plan.steps} steps" if plan.steps else f"{plan.time_budget_s:g} s"
            print(f"experiment {plan.experiment}: {len(plan.runs)} run(s) of {budget} each on {plan.dataset} "
                  f"({plan.dataset_note})", file=sys.stderr, flush=True)

        def on_arm_start(self, run):
            self.run = run
            print(f"[{run.index + 1}/{run.total}] {run.label}, seed {run.seed} -> {run.run_dir}", file=sys.stderr,
                  flush=True)

        def on_batch_end(self, trainer, m):
            now = time.monotonic()
            if now - self.last >= 5 or m.step == 1:
                self.last = now
                print(f"  {self.run.arm} step {m.step} loss {m.loss:.4f} train error {100 * (1 - m.top1):5.1f}% "
                      f"{m.images_per_sec:6.1f} img/s {m.elapsed_s:6.1f} s", file=sys.stderr, flush=True)

        def on_validation_end(self, trainer, r):
            print(f"  {self.run.arm} validation @ step {r.step}: top-1 error {100 * r.top1_error:.2f}%, top-5 "
                  f"error {100 * r.top5_error:.2f}%", file=sys.stderr, flush=True)

        def on_arm_end(self, run, result, report):
            print(f"  {run.label}, seed {run.seed}: {result.reason} ({result.message})", file=sys.stderr,
                  flush=True)

    def on_sigint(signum, frame):
        if control.stop_requested:
            raise KeyboardInterrupt
        print("\nstopping after this batch and writing the report (Ctrl+C again to abort)...", file=sys.stderr,
              flush=True)
        control.stop()

    old = signal.signal(signal.SIGINT, on_sigint)
    report = None
    try:
        report = run_experiment(args.name, args.out, dataset=args.dataset, data_root=args.data_root, steps=args.steps,
                                time_budget_s=time_budget, seeds=args.seeds, device=args.device,
                                listeners=[Progress()], control=control, paper_setup=args.paper_setup)
    except KeyboardInterrupt:  # the second Ctrl+C: the report is abandoned (files are written whole or not at all)
        pass
    finally:
        signal.signal(signal.SIGINT, old)
    if report is None:
        from pathlib import Path

        had = (Path(args.out) / "report.json").is_file()
        print("abandoned: " + (f"{args.out}/report.json is an earlier report, unchanged" if had else
                               f"no report was written in {args.out}") + "; each arm's run folder keeps its "
              "checkpoint (last.pt) if one was written", file=sys.stderr, flush=True)
        return 130
    measured, paper = comparison_text(report)
    print(f"{report['title']} on {report['data']['dataset']}, {budget_text(report)}")
    for a in report["arms"]:
        t1, t5 = a["top1_error"], a["top5_error"]
        text = "no finished run" if t1["mean"] is None else \
            f"top-1 error {100 * t1['mean']:.2f}%, top-5 error {100 * t5['mean']:.2f}%"
        print(f"  {a['label']:<16} {text}")
    print(f"measured: {measured}; the paper: {paper}; direction agrees: {verdict_text(report['comparison'])}")
    print(f"report: {args.out}/report.md, report.json, curves.png")
    if not report["complete"]:
        print("stopped early: the report covers the runs that finished", file=sys.stderr)
        return 130 if control.stop_requested else 1
    return 0


COMMANDS = (
    Command("experiment",
            help="one of the paper's ablations, reported beside the paper's figure",
            description="Run every arm of one of the paper's experiments ("
                        + "; ".join(f"{e.name}: {e.description}" for e in EXPERIMENTS.values())
                        + ") with the same data, order, "
                        "augmentation, seeds and budget, each into DIR/<arm>-seed<k>/, then write report.md, report.json "
                        "and curves.png into DIR. Data: CIFAR-10 when present, else Fashion-MNIST, else the synthetic "
                        "set. Progress goes to stderr; Ctrl+C stops cleanly and leaves a report of what finished.",
            arguments=_arguments, run=cmd_experiment),
)
