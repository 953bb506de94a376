"""What every command shares."""

from __future__ import annotations

import sys

from ..errors import AlexNetGuiError, UsageError, WriteError

__all__ = ["AlexNetGuiError", "UsageError", "WriteError", "print_error"]


def print_error(msg: str) -> None:
    """One line on stderr, as argparse words its own errors."""
    print(f"alexnet-gui: error: {msg}", file=sys.stderr)
