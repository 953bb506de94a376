"""A run folder's file names, and where the app keeps its run folders (no imports: the session model uses it)."""

from __future__ import annotations

import os
from pathlib import Path

CONFIG_FILE = "config.json"
METRICS_FILE = "metrics.jsonl"
KERNELS_FILE = "kernels.npz"
LOCK_FILE = "train.lock"
CHECKPOINTS = {"last": "last.pt", "best": "best.pt"}
#: written where a run's checkpoints were removed on purpose (its curves and config kept): no "missing" problem
CHECKPOINTS_REMOVED = "checkpoints-removed.txt"
#: a folder with any of these is a run folder
RUN_FILES = (CONFIG_FILE, METRICS_FILE, KERNELS_FILE, LOCK_FILE, *CHECKPOINTS.values())


def runs_root() -> Path:
    """Where the app keeps its runs: ``$ALEXNET_GUI_RUNS``, else ``~/alexnet-gui-runs``."""
    return Path(os.environ.get("ALEXNET_GUI_RUNS") or Path.home() / "alexnet-gui-runs")
