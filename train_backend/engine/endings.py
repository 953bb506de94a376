"""How a training run ends: the :class:`~train_backend.payloads.TrainEnd` of each way it can end, with what the user
reads (where the last checkpoint is, the advice after a divergence, running out of memory or losing a process), and
the wind-up every run goes through however it ended (:func:`wind_up`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import torch

from ..data import DataError
from ..data.images import ImageLoadError
from ..models.lrn import compile_lrn
from ..i18n import QT_TRANSLATE_NOOP
from ..payloads import TrainEnd
from .distributed import peer_failure, peer_message

if TYPE_CHECKING:
    from .host import TrainingRun


def stopped(trainer: "TrainingRun") -> TrainEnd:
    """A stop was requested: ``last.pt`` is written first."""
    path = trainer.save_last("stop")
    step = trainer.state.step
    if path:
        message = QT_TRANSLATE_NOOP("Engine", "stopped at step {step}; checkpoint {path}").format(step=step, path=path)
    elif trainer.save_error:
        message = QT_TRANSLATE_NOOP("Engine", "stopped at step {step}; {error}").format(step=step,
                                                                                       error=trainer.save_error)
    else:
        message = QT_TRANSLATE_NOOP("Engine", "stopped at step {step}").format(step=step)
    return TrainEnd("stopped", message, trainer.state.step, trainer.state.epoch, path or trainer.last_checkpoint)


def finished(trainer: "TrainingRun", reason: str, message: str) -> TrainEnd:
    """The run did what it was asked (its epochs, ``max_steps``, its time budget): ``last.pt`` is written first."""
    path = trainer.save_last()
    if path is None and trainer.save_error:
        message = QT_TRANSLATE_NOOP("Engine", "{message}; {error}").format(message=message, error=trainer.save_error)
    return TrainEnd(reason, message, trainer.state.step, trainer.state.epoch, path or trainer.last_checkpoint)


def diverged(trainer: "TrainingRun", loss: float) -> TrainEnd:
    """The reported loss is not finite; nothing is written (the last checkpoint is the last good one)."""
    lr = trainer.current_lr()
    msg = QT_TRANSLATE_NOOP("Engine", "loss diverged at step {step} (loss = {loss}); try a lower learning rate (now "
                                      "{lr:g}, e.g. {lower:g})").format(step=trainer.state.step, loss=loss, lr=lr,
                                                                        lower=lr / 10)
    if trainer.last_checkpoint:
        msg = QT_TRANSLATE_NOOP("Engine", "{message}; the last good checkpoint is {path}").format(
            message=msg, path=trainer.last_checkpoint)
    return TrainEnd("diverged", msg, trainer.state.step, trainer.state.epoch, trainer.last_checkpoint)


def failed(trainer: "TrainingRun", err: Exception) -> TrainEnd:
    """The end of a run that ``err`` broke off: out of memory, another process gone, bad data, anything else."""
    step = trainer.state.step
    if isinstance(err, torch.cuda.OutOfMemoryError):  # type: ignore[attr-defined]
        reason, message = "oom", _oom_message(trainer.config.batch_size)
    elif isinstance(err, RuntimeError) and trainer.dist is not None and peer_failure(err):
        reason, message = "error", peer_message(err, step, trainer.world_size, trainer.last_checkpoint)
    elif isinstance(err, RuntimeError) and "out of memory" in str(err).lower():
        reason, message = "oom", _oom_message(trainer.config.batch_size)
    elif isinstance(err, RuntimeError):
        reason, message = "error", QT_TRANSLATE_NOOP("Engine", "training failed at step {step}: {error}").format(
            step=step, error=err)
    elif isinstance(err, (DataError, ImageLoadError)):
        reason, message = "error", QT_TRANSLATE_NOOP("Engine", "data error at step {step}: {error}").format(
            step=step, error=err.message)
    else:
        reason, message = "error", QT_TRANSLATE_NOOP("Engine", "training failed at step {step}: {error}").format(
            step=step, error=f"{type(err).__name__}: {err}")
    return TrainEnd(reason, message, step, trainer.state.epoch, trainer.last_checkpoint)


def _oom_message(batch_size: int) -> str:
    return QT_TRANSLATE_NOOP("Engine", "the GPU ran out of memory at batch size {batch}; try --batch-size {half} or a "
                                       "smaller input size").format(batch=batch_size, half=max(1, batch_size // 2))


def wind_up(trainer: "TrainingRun", end: TrainEnd) -> TrainEnd:
    """Every run's last act: the model leaves the run as it came, the listeners hear ``end``, a distributed run
    leaves its process group."""
    if trainer.model is not None:
        compile_lrn(trainer.model, None)  # the model leaves the run (probes, the next run's weights) eager
        if getattr(trainer.model, "_tower_devices", None):  # and on one device, its layers grouped again
            from ..models.towers import unplace_towers

            unplace_towers(trainer.model)
    trainer.emit("on_train_end", end)  # the metrics log writes the end record first and closes the file
    if trainer.group is not None:  # only a run that ended as planned waits for the others (one that failed may
        # be waiting alone, and a process refused at setup never reaches the loop's collectives)
        trainer.group.close(wait=end.reason in ("finished", "max_steps", "time_budget", "stopped"))
        trainer.group = None
    return end
