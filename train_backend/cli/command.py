"""How a headless command is registered: one :class:`Command` record per command, in its module's ``COMMANDS``.

Every command module of this package has the same shape: the functions that add its arguments and run it, and a
``COMMANDS`` tuple at the end naming them.  :mod:`train_backend.cli` builds the parser and dispatches from those
records alone, so a new command is a module plus its name in :data:`train_backend.cli.MODULES`.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class Command:
    """One subcommand of ``alexnet-gui``: its name, its one-line help (the command list), its description (its own
    ``--help``), the function that adds its arguments to its parser, and the function that runs it (returning the
    exit code; refusals are :class:`~train_backend.errors.AlexNetGuiError`, which :func:`train_backend.cli.run`
    prints)."""

    name: str
    help: str
    description: str
    arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]

    def add_to(self, sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
        parser = sub.add_parser(self.name, help=self.help, description=self.description)
        self.arguments(parser)
        return parser
