"""What every command shares."""

from __future__ import annotations

import sys


def print_error(msg: str) -> None:
    """One line on stderr, as argparse words its own errors."""
    print(f"alexnet-gui: error: {msg}", file=sys.stderr)
