"""The ``alexnet-gui`` command: the window (``launch``, the default) and the core's headless subcommands.

The core (:mod:`train_backend.cli`) owns the headless commands and knows nothing of the GUI; this module adds
``launch`` to its parser and is the console script, so the dependency runs one way: GUI -> core.  Headless
commands still never import Qt: Qt is imported only when the window is opened.
"""

from __future__ import annotations

import argparse
import sys
from typing import Sequence

from train_backend import cli as core


def add_launch_arguments(p: argparse.ArgumentParser) -> None:
    from train_backend.data import DATASET_NAMES
    from train_backend.models import MODEL_NAMES
    from train_backend.recipes import RECIPES

    p.add_argument("--dataset", help=f"{', '.join(DATASET_NAMES)} (default: Fashion-MNIST when found, else synthetic)")
    p.add_argument("--data-root", help="folder of the dataset")
    p.add_argument("--recipe", help=f"training recipe: {', '.join(RECIPES)} (default: quick)")
    p.add_argument("--model", choices=MODEL_NAMES, help="network (default: the recipe's)")
    p.add_argument("--weights", help="checkpoint or torchvision .pth to load, or 'torchvision'")
    p.add_argument("--device", help="auto, cpu, cuda or mps (default: auto)")
    p.add_argument("--image", help="an image to show and classify at start")
    p.add_argument("--open-run", metavar="DIR", help="watch the run folder DIR that another process trains into "
                   "(alexnet-gui train --out DIR): its curves and conv1 kernels, live")
    p.add_argument("--runs", metavar="DIR", action="append", default=[],
                   help="list the runs in DIR (a folder of runs or a run folder) in the Runs panel and overlay them "
                        "(repeatable)")
    p.add_argument("--train-steps", type=int, default=0, help="with --screenshot: train this many steps first (into a "
                   "temporary runs folder, removed afterwards, unless --keep-run)")
    p.add_argument("--keep-run", action="store_true", help="with --screenshot --train-steps: write the run into the "
                   "runs folder ($ALEXNET_GUI_RUNS, else ~/alexnet-gui-runs) and keep it")
    p.add_argument("--screenshot", help="build the window, do the above, save a PNG of it and exit")


def _add_launch(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("launch", help="open the desktop application (the default)",
                       description="Open the alexnet-gui window.")
    add_launch_arguments(p)


def build_parser() -> argparse.ArgumentParser:
    parser = core.build_parser(extra=_add_launch)
    parser.description += " Without a subcommand it opens the window."
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0].startswith("-") and argv[0] not in ("-h", "--help"):
        argv = ["launch"] + argv
    args = build_parser().parse_args(argv)
    if args.command in (None, "launch"):
        from train_backend.engine.runtime import tune_cpu_allocator

        tune_cpu_allocator()
        from .app import main as launch

        return launch(args)
    return core.run(args)


if __name__ == "__main__":
    raise SystemExit(main())
