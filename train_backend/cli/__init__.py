"""The headless subcommands of ``alexnet-gui``.  None of them imports Qt, and this package imports nothing of the GUI:
the ``alexnet-gui`` command itself lives in :mod:`alexnet_gui.cli`, which adds ``launch`` (the window) to this
parser.  ``python -m train_backend COMMAND`` runs the headless commands without the GUI package.

Every command is registered the same way: its module ends with a ``COMMANDS`` tuple of
:class:`~train_backend.cli.command.Command` records (name, help, description, arguments, run), and the module's
name is in :data:`MODULES`.  The parser, the dispatch and the list of commands are built from those records alone.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from typing import Callable, Sequence

from .command import Command
from .common import AlexNetGuiError, print_error

#: the command modules, in the order ``alexnet-gui --help`` lists their commands
MODULES = ("summary", "listing", "classify", "kernels", "augment", "explain", "train", "neighbours", "runs",
           "experiment", "convert")


def commands() -> dict[str, Command]:
    """Every headless command, by name, from its module's ``COMMANDS``."""
    found: dict[str, Command] = {}
    for module in MODULES:
        for command in importlib.import_module(f"{__name__}.{module}").COMMANDS:
            if command.name in found:
                raise RuntimeError(f"the command {command.name!r} is registered twice")
            found[command.name] = command
    return found


def headless_names() -> tuple[str, ...]:
    """The headless commands' names (what the window's start-up messages offer when there is no display)."""
    return tuple(commands())


def build_parser(extra: Callable[[argparse._SubParsersAction], None] | None = None) -> argparse.ArgumentParser:
    """The parser of the headless subcommands; ``extra`` adds more (the GUI package adds ``launch``)."""
    parser = argparse.ArgumentParser(
        prog="alexnet-gui",
        description="A desktop laboratory for AlexNet (Krizhevsky, Sutskever & Hinton, 2012).")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    if extra is not None:
        extra(sub)
    for command in commands().values():
        command.add_to(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m train_backend COMMAND``: the headless commands (the window is ``alexnet-gui``)."""
    from ..engine.runtime import set_up_process

    set_up_process()
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    return run(args)


def run(args: argparse.Namespace) -> int:
    """Run a parsed headless subcommand: the one place a refusal (any :class:`AlexNetGuiError`) becomes one line on
    stderr and the error's exit code, and an interrupt exit 130."""
    command = commands()[args.command]
    try:
        return command.run(args)
    except AlexNetGuiError as err:  # every refusal a user reads: one line on stderr, the error's exit code
        print_error(" ".join(err.message.split()))
        return err.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
