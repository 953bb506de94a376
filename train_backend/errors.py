"""The errors a user reads: one family, :class:`AlexNetGuiError`, each with a message (one line, ``str(err)``) and
the exit code a command ends with.  The command line handles the family in one place (``cli.run``) and the window's
worker catches it where it runs the core's work; everything else (a bug, a KeyboardInterrupt) is not of the family.

Each module keeps its own exceptions (``ConfigError`` in ``recipes``, ``DataError`` in ``data``, ...), derived from
this base and from the built-in exception they always were (``ValueError``, ``RuntimeError``), so an ``except
ValueError`` written before still catches them.  This module imports nothing of the app: it is the core's bottom layer.
"""

from __future__ import annotations


class AlexNetGuiError(Exception):
    """An error to say to the user as it is: ``message`` (one line) and the process's ``exit_code``."""

    #: 2: the request cannot work (a setting, a file, a folder); 1: the work was tried and failed; 130: cancelled
    exit_code: int = 2

    @property
    def message(self) -> str:
        """What the user reads (``str(err)``; the command line joins its lines into one). A message given as a
        marked text (``train_backend.i18n``) is returned as it is, so the window can translate it."""
        if len(self.args) == 1 and isinstance(self.args[0], str) and self.args[0]:
            return self.args[0]
        return str(self) or type(self).__name__


class Cancelled(AlexNetGuiError):
    """Work was cancelled (an analysis's ``cancelled()`` said so, or Ctrl+C); it wrote nothing (no cache file, no
    output)."""

    exit_code = 130


class UsageError(AlexNetGuiError, ValueError):
    """A command's arguments that cannot work (together), said as argparse says its own errors."""


class WriteError(AlexNetGuiError, OSError):
    """An output could not be written (a full disk, a folder that cannot be written): the work was done, exit 1."""

    exit_code = 1

    def __init__(self, path, err: OSError | str, verb: str = "write") -> None:
        why = err if isinstance(err, str) else (err.strerror or str(err))
        super().__init__(f"cannot {verb} '{path}': {why}")
