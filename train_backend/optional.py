"""Optional dependencies: whether one is installed, and how to get it when it is not.

Torch-free and cheap (a module search, no import): :meth:`TrainConfig.problems` asks it for a run that wants
TensorBoard event files, so the command line refuses at once (exit code 2) and the window's settings dialog and
Start say the same sentence before anything trains.
"""

from __future__ import annotations

import importlib.util

TENSORBOARD_HINT = ("TensorBoard event files need the 'tensorboard' package, which is not installed: "
                    "pip install 'alexnet-gui[tensorboard]' (or: python3 -m pip install tensorboard), "
                    "or turn the tensorboard setting off")


def module_available(name: str) -> bool:
    """``name`` can be imported (found on the path, or already imported; a module set to None is not)."""
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def tensorboard_problem() -> str | None:
    """Why TensorBoard event files cannot be written here (None when they can)."""
    return None if module_available("tensorboard") else TENSORBOARD_HINT
