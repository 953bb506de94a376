"""``kernels.npz``: conv1's weights, small and replaced atomically, so a run can be watched from another process.

The engine writes it every few seconds while it trains (the 230 MB checkpoint is far too big for that); a viewer
reads it whenever its modification time or inode changes.  A plain ``.npz`` of arrays (no pickles)::

    version  int      1
    weights  float32  (out, in, kh, kw): conv1's weights as they are
    towers   int      the GPU groups conv1's kernels split into (2 for the paper's net)
    step     int      the optimisation steps done when they were taken
    epoch    int
    time     float64  time.time() of the write
"""

from __future__ import annotations

import io
import os
import time
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ..errors import AlexNetGuiError
from ..io.atomic import write_atomic
from .files import KERNELS_FILE

if TYPE_CHECKING:
    from ..analysis.probes import KernelSnapshot

KERNELS_VERSION = 1


class KernelFileError(AlexNetGuiError, ValueError):
    """A kernels file that cannot be read (damaged, foreign or from a newer version); the message says which."""


def kernel_file_path(path: str | os.PathLike) -> Path:
    """``path`` itself, or ``path/kernels.npz`` when it is a folder."""
    p = Path(path)
    return p / KERNELS_FILE if p.is_dir() else p


def write_kernel_file(path: str | os.PathLike, weights: np.ndarray, *, towers: int = 1, step: int = 0,
                      epoch: int = 0) -> Path:
    """Replace ``path`` (a run folder or a file) with conv1's ``weights`` atomically: a reader sees the previous
    file or this one, never part of one.  Not fsynced: it is a view of the run, not a record (a crash may cost
    the newest snapshot, never the previous one or the checkpoints)."""
    target = kernel_file_path(path)
    arrays = {"version": np.int64(KERNELS_VERSION), "weights": np.ascontiguousarray(weights, dtype=np.float32),
              "towers": np.int64(towers), "step": np.int64(step), "epoch": np.int64(epoch),
              "time": np.float64(time.time())}

    buf = io.BytesIO()
    np.savez(buf, **arrays)  # in memory, then one write: a zip written to a file seeks and writes piecemeal
    data = buf.getvalue()
    return write_atomic(target, lambda tmp: Path(tmp).write_bytes(data), fsync=False)


def read_kernel_file(path: str | os.PathLike, mode: str = "global") -> "KernelSnapshot":
    """The snapshot in ``path`` (a run folder or a file), display-ready.  Raises :class:`FileNotFoundError` when
    there is none and :class:`KernelFileError` when it cannot be read."""
    from ..analysis.probes import kernel_snapshot_of

    target = kernel_file_path(path)
    data = target.read_bytes()  # all at once: a replacement during the read cannot mix two files
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as npz:
            version = int(npz["version"]) if "version" in npz.files else 1
            if version > KERNELS_VERSION:
                raise KernelFileError(f"'{target}' was written by a newer alexnet-gui (kernels file version "
                                      f"{version}; this version reads up to {KERNELS_VERSION})")
            w = np.asarray(npz["weights"], dtype=np.float32)
            towers = int(npz["towers"]) if "towers" in npz.files else 1
            step = int(npz["step"]) if "step" in npz.files else 0
            epoch = int(npz["epoch"]) if "epoch" in npz.files else 0
    except KernelFileError:
        raise
    except (ValueError, KeyError, OSError, EOFError, zipfile.BadZipFile) as err:
        raise KernelFileError(f"'{target}' is damaged or not a kernels file ({type(err).__name__}: {err})") \
            from None
    if w.ndim != 4 or w.shape[0] < 1 or w.shape[1] not in (1, 3):
        raise KernelFileError(f"'{target}' holds weights of shape {w.shape}, not conv1's (out, 1 or 3, kh, kw)")
    return kernel_snapshot_of(w, towers, step, epoch, mode)
