"""``alexnet-gui runs [DIR] [--json]``: the run folders, one line each, with their size on disk;
``alexnet-gui runs --remove-checkpoints RUN``: free a run's checkpoints, keeping its curves and config."""

from __future__ import annotations

import argparse
import json
import time

from .command import Command
from .common import AlexNetGuiError, UsageError, print_error

COLUMNS = ("name", "state", "recipe", "dataset", "differs", "steps", "top-1", "top-5", "size", "started")


def _arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("dir", nargs="?", metavar="DIR", help="a folder of runs, or one run folder")
    p.add_argument("--json", action="store_true", help="one JSON list, a full record per run")
    p.add_argument("--remove-checkpoints", metavar="RUN", action="append", default=[],
                   help="remove the run RUN's last.pt and best.pt (a run folder, or the name of one in DIR), keeping "
                        "its curves, config and kernels: it can no longer be resumed or its weights loaded "
                        "(repeatable; never a running run)")


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

    from ..runs import human_size, list_runs, runs_root

    root = Path(args.dir) if args.dir else runs_root()
    if args.dir and not root.is_dir():
        raise UsageError(f"'{root}' is not a folder" if root.exists() else f"'{root}' does not exist")
    if args.remove_checkpoints:
        return _remove_checkpoints(root, args.remove_checkpoints)
    records = list_runs(root)
    if args.json:
        print(json.dumps([r.to_dict() for r in records], indent=2))
        return 0
    if not records:
        print(f"no runs in {root}")
        return 0
    rows = [(r.name, r.status.value + (f" (pid {r.holder.pid})" if r.holder and r.holder.pid else ""),
             r.recipe or "?", r.dataset or "?", _clip(r.differs_text(), 48), _steps(r), _pct(r.best_top1_error),
             _pct(r.best_top5_error), human_size(r.size), _started(r.started)) for r in records]
    widths = [max(len(c), *(len(row[i]) for row in rows)) for i, c in enumerate(COLUMNS)]
    right = {5, 6, 7, 8}
    for row in (COLUMNS, *rows):
        print("  ".join(cell.rjust(w) if i in right else cell.ljust(w)
                        for i, (cell, w) in enumerate(zip(row, widths))).rstrip())
    problems = [(r.name, p) for r in records for p in r.problems]
    if problems:
        print()
        for name, p in problems:
            print(f"{name}: {p}")
    total = sum(r.size for r in records)
    print(f"{len(records)} run(s) in {root}, {human_size(total)} on disk"
          + (f" ({human_size(sum(r.checkpoint_bytes for r in records))} of it checkpoints: "
             "'alexnet-gui runs --remove-checkpoints RUN' frees a run's)" if any(r.checkpoints for r in records)
             else ""))
    return 0


def _remove_checkpoints(root, names: list[str]) -> int:
    from pathlib import Path

    from ..runs import human_size, is_run_folder, remove_checkpoints

    code = 0
    for name in names:
        path = Path(name)
        if not path.is_dir() and (root / name).is_dir():  # a run's name in DIR (or the runs folder)
            path = root / name
        if not path.exists():
            print_error(f"'{name}': no such run folder (in {root} or here)")
            code = 2
            continue
        if not is_run_folder(path):
            print_error(f"'{path}' is not a run folder: nothing removed")
            code = 2
            continue
        try:
            freed = remove_checkpoints(path)
        except AlexNetGuiError as err:  # not a run folder, or one in use: said, and the next name is tried
            print_error(err.message)
            code = err.exit_code
            continue
        except OSError as err:
            print_error(f"'{path}': {err.strerror or err}")
            code = 1
            continue
        print(f"{path}: {'removed last.pt / best.pt, ' + human_size(freed) + ' freed' if freed else 'no checkpoints'}"
              " (its curves, config and kernels are kept)")
    return code


COMMANDS = (
    Command("runs",
            help="list the run folders: state, recipe, data set, what differs, steps, best errors",
            description="List the runs in DIR (default: $ALEXNET_GUI_RUNS, else ~/alexnet-gui-runs), "
                        "newest first, and the runs one folder further down (an experiment's arms). "
                        "State: running (a live process holds train.lock), finished, stopped, "
                        "diverged, failed (ended with an error) or crashed (no end was logged: killed). "
                        "'differs': the model options that differ from the paper's and the settings "
                        "that differ from the recipe's. top-1 / top-5: the best validation error. "
                        "size: the run's files on disk (a run of the paper's net writes a 488 MB last.pt, "
                        "weights and momentum, and a 244 MB best.pt); --remove-checkpoints frees them.",
            arguments=_arguments, run=cmd_runs),
)
