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

from .app import add_launch_arguments, main as launch


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
    from train_backend.engine.runtime import set_up_process

    set_up_process()  # the window's process and the headless commands' alike, once
    if args.command in (None, "launch"):
        return launch(args)
    return core.run(args)


if __name__ == "__main__":
    raise SystemExit(main())
