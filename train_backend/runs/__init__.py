"""Runs on disk: the run folders the engine writes, read back without Qt (and without the engine).

A run folder holds ``config.json`` (the exact :class:`~train_backend.recipes.TrainConfig`), ``metrics.jsonl`` (one
JSON record per line), ``kernels.npz`` (conv1's weights, replaced atomically every few seconds), ``train.lock``
(held while a process trains into the folder), ``last.pt`` and ``best.pt``.

- :mod:`.folder`: one folder as a :class:`RunRecord` (state, recipe, data set, what differs, best errors),
  :func:`list_runs`, :func:`delete_run`, :func:`remove_checkpoints` (keeping the curves), :func:`run_size`;
- :mod:`.curves`: ``metrics.jsonl`` as bounded curves (:class:`RunCurves`, :func:`read_curves`);
- :mod:`.follow`: :class:`MetricsFollower` follows a run another process writes;
- :mod:`.lock`: :class:`RunLock`, one trainer per folder;
- :mod:`.kernels_file`: ``kernels.npz``;
- :mod:`.files`: the files' names, and :func:`runs_root`, where the app keeps its runs.

The engine imports :mod:`.lock` and :mod:`.kernels_file`; nothing here imports the engine.
"""

from __future__ import annotations

from .curves import X_AXES, Y_METRICS, RunCurves, parse_metrics_line, read_curves
from .files import CONFIG_FILE, KERNELS_FILE, LOCK_FILE, METRICS_FILE, runs_root
from .folder import CONFIG_VERSION, NotARunFolder, RunRecord, RunStatus, delete_run, human_size, is_run_folder, \
    legend_labels, list_runs, read_run, remove_checkpoints, run_folders, run_size
from .follow import FollowUpdate, MetricsFollower
from .history import group_events, record_payload, run_history
from .kernels_file import KernelFileError, read_kernel_file, write_kernel_file
from .lock import LockHolder, RunLock, RunLocked, lock_holder

__all__ = ["group_events", "record_payload", "run_history", "CONFIG_FILE", "CONFIG_VERSION", "FollowUpdate", "KERNELS_FILE", "KernelFileError", "LOCK_FILE",
           "LockHolder", "METRICS_FILE", "MetricsFollower", "NotARunFolder", "RunCurves", "RunLock", "RunLocked",
           "RunRecord", "RunStatus", "X_AXES", "Y_METRICS", "delete_run", "human_size", "is_run_folder",
           "legend_labels", "list_runs", "lock_holder", "parse_metrics_line", "read_curves", "read_kernel_file",
           "read_run", "remove_checkpoints", "run_folders", "run_size", "runs_root", "write_kernel_file"]
