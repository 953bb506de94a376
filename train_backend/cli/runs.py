"""``alexnet-gui runs [DIR] [--json]``: the run folders, one line each."""

from __future__ import annotations

import argparse
import json
import time

from .common import print_error

COLUMNS = ("name", "state", "recipe", "dataset", "differs", "steps", "top-1", "top-5", "started")


def add_runs_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("runs", help="list the run folders: state, recipe, data set, what differs, steps, best errors",
                       description="List the runs in DIR (default: $ALEXNET_GUI_RUNS, else ~/alexnet-gui-runs), "
                                   "newest first, and the runs one folder further down (an experiment's arms). "
                                   "State: running (a live process holds train.lock), finished, stopped, "
                                   "diverged, failed (ended with an error) or crashed (no end was logged: killed). "
                                   "'differs': the model options that differ from the paper's and the settings "
                                   "that differ from the recipe's. top-1 / top-5: the best validation error.")
    p.add_argument("dir", nargs="?", metavar="DIR", help="a folder of runs, or one run folder")
    p.add_argument("--json", action="store_true", help="one JSON list, a full record per run")


def _pct(v: float | None) -> str:
    return "-" if v is None else f"{100 * v:.2f}%"


def _steps(record) -> str:
    return f"{record.steps}/{record.total_steps}" if record.total_steps else str(record.steps)


def _started(t: float | None) -> str:
    return "-" if t is None else time.strftime("%Y-%m-%d %H:%M", time.localtime(t))


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


def cmd_runs(args: argparse.Namespace) -> int:
    from pathlib import Path

    from ..runs import list_runs, runs_root

    root = Path(args.dir) if args.dir else runs_root()
    if args.dir and not root.is_dir():
        print_error(f"'{root}' is not a folder" if root.exists() else f"'{root}' does not exist")
        return 2
    records = list_runs(root)
    if args.json:
        print(json.dumps([r.to_dict() for r in records], indent=2))
        return 0
    if not records:
        print(f"no runs in {root}")
        return 0
    rows = [(r.name, r.status.value + (f" (pid {r.holder.pid})" if r.holder and r.holder.pid else ""),
             r.recipe or "?", r.dataset or "?", _clip(r.differs_text(), 48), _steps(r), _pct(r.best_top1_error),
             _pct(r.best_top5_error), _started(r.started)) for r in records]
    widths = [max(len(c), *(len(row[i]) for row in rows)) for i, c in enumerate(COLUMNS)]
    right = {5, 6, 7}
    for row in (COLUMNS, *rows):
        print("  ".join(cell.rjust(w) if i in right else cell.ljust(w)
                        for i, (cell, w) in enumerate(zip(row, widths))).rstrip())
    problems = [(r.name, p) for r in records for p in r.problems]
    if problems:
        print()
        for name, p in problems:
            print(f"{name}: {p}")
    print(f"{len(records)} run(s) in {root}")
    return 0


HANDLERS = {"runs": cmd_runs}
