"""A run's checkpoints, for the :class:`~.trainer.Trainer`: reading the one a run resumes from
(:func:`read_resumable`) and taking up its progress (:func:`restore_run`), the checkpoint of the run as it stands
(:func:`run_checkpoint`), and writing it (:func:`save_checkpoint`; :func:`save_last` for ``last.pt``, whose failed
write is reported, not fatal)."""

from __future__ import annotations

import os
import time
from typing import TYPE_CHECKING, Any

from ..io.checkpoints import FORMAT, VERSION, CheckpointError, atomic_save, read_checkpoint_file
from ..payloads import CheckpointInfo
from .callbacks import CheckpointWriteError
from .distributed import distributed_info
from .run_state import restore_training, training_checkpoint

if TYPE_CHECKING:
    from .host import TrainingRun


def read_resumable(path: str | os.PathLike) -> dict[str, Any]:
    """The training checkpoint at ``path``; CheckpointError when a run cannot resume from it."""
    ckpt = read_checkpoint_file(path)
    if not isinstance(ckpt, dict) or ckpt.get("format") != FORMAT or "optimizer" not in ckpt:
        raise CheckpointError(f"'{path}' is not a resumable training checkpoint of this app "
                              "(it has no optimizer state); load it as weights instead")
    if ckpt.get("version", 0) > VERSION:
        raise CheckpointError(f"'{path}' was written by a newer alexnet-gui")
    return ckpt


def restore_run(trainer: "TrainingRun", ckpt: dict[str, Any]) -> None:
    """The trainer (its model, optimiser, schedule and scaler built) continues where ``ckpt`` stopped."""
    if not getattr(trainer.model, "_tower_devices", None):  # placed towers stay where they are
        trainer.model.to(trainer.device)
    st = trainer.state = restore_training(ckpt, trainer.optimizer, trainer.scheduler, trainer.scaler)
    # progress counts global batches: a run resumed with another number of processes continues at the same image
    cfg, global_batch = trainer.config, trainer.global_batch_size
    saved_world = int((ckpt.get("distributed") or {}).get("world_size", 1))
    saved_batch = int((ckpt.get("config") or {}).get("batch_size", cfg.batch_size))
    if saved_world * saved_batch != global_batch and st.batch_in_epoch:
        seen = st.batch_in_epoch * saved_world * saved_batch
        if seen % global_batch:
            raise CheckpointError(f"this checkpoint stopped after {seen} images of epoch {st.epoch + 1}, "
                                  f"not a whole number of global batches of {global_batch} "
                                  f"({cfg.batch_size} x {trainer.world_size} processes); resume with a "
                                  f"global batch that divides {seen}, or from the end of an epoch")
        st.batch_in_epoch = seen // global_batch
    # a batch offset at the very end of an epoch means the next epoch
    if st.batch_in_epoch >= trainer.batches_per_epoch:
        st.epoch += 1
        st.batch_in_epoch = 0


def run_checkpoint(trainer: "TrainingRun", full: bool = True) -> dict[str, Any]:
    """The run as a checkpoint: weights and progress, and with ``full`` what resuming needs."""
    ckpt = training_checkpoint(trainer.model, trainer.bundle, trainer.input_spec, trainer.config, trainer.state,
                               (trainer.optimizer, trainer.scheduler, trainer.scaler) if full else None)
    if trainer.dist is not None:
        ckpt["distributed"] = distributed_info(trainer.dist, trainer.config.batch_size, trainer.group)
    return ckpt


def save_checkpoint(trainer: "TrainingRun", path: str | os.PathLike, kind: str = "last", full: bool = True) -> str:
    """Write the run's checkpoint to ``path`` (atomically) and tell the listeners; raises OSError."""
    atomic_save(run_checkpoint(trainer, full=full), path)
    if full:  # the newest checkpoint a run can resume from
        trainer.last_checkpoint = str(path)
    trainer.last_save_time = time.monotonic()
    trainer.emit("on_checkpoint", CheckpointInfo(str(path), kind, trainer.state.step, trainer.state.epoch))
    return str(path)


def save_last(trainer: "TrainingRun", kind: str = "last") -> str | None:
    """Write ``last.pt``; a failed write (disk full, read-only folder) is reported, not fatal:
    training state stays in memory and the previous checkpoint stays intact (writes are atomic)."""
    if trainer.run_dir is None:
        return None
    try:
        return trainer.save(trainer.run_dir / "last.pt", kind)
    except OSError as err:
        trainer.save_error = (f"could not write a checkpoint to '{trainer.run_dir / 'last.pt'}': "
                              f"{err.strerror or err}; the previous checkpoint is unchanged")
        trainer.notify_exception(CheckpointWriteError(trainer.save_error))
        trainer.last_save_time = time.monotonic()
        return None
