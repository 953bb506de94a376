"""What every command shares."""

from __future__ import annotations

import sys


def print_error(msg: str) -> None:
    """One line on stderr, as argparse words its own errors."""
    print(f"alexnet-gui: error: {msg}", file=sys.stderr)


def weights_or_error(spec: str | None):
    """The weights ``spec`` names (:func:`~train_backend.io.checkpoints.resolve_weights`), or None after saying on
    stderr, in one line, why they cannot be loaded (the command then exits 2)."""
    from ..io.checkpoints import CheckpointError, resolve_weights

    try:
        return resolve_weights(spec)
    except CheckpointError as err:
        print_error(str(err))
        return None
