"""The validation pass, the training loop's (each epoch, every ``val_every_steps``) and ``evaluate()``'s.

:func:`validation_pass` runs the model in evaluation mode over the validation split, or the run's seeded subset of it
(:func:`validation_subset`), serving pauses, stops and submitted work between batches, and returns the
:class:`~train_backend.payloads.ValidationResult` of its :class:`~.tally.ValidationTally`.  In a distributed run each
process validates its shard and the tallies are summed over the processes (:func:`sum_tallies`), so that every
process holds the whole pass's result.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import torch
import torch.nn.functional as F

from ..models.modes import evaluating
from ..payloads import ValidationProgress, ValidationResult
from ..config import TrainConfig
from .distributed import ProcessGroup
from .sampling import EvalDataset, shard_positions
from .tally import ValidationTally

if TYPE_CHECKING:
    from .trainer import Trainer


class ValidationStopped(Exception):
    """A stop was requested in the middle of validation."""


def validation_subset(cfg: TrainConfig, n: int) -> list[int] | None:
    """The positions of the ``n`` validation images a run validates on: the config's seeded subset (sorted), or None
    for all of them."""
    if cfg.val_subset is None or cfg.val_subset >= n:
        return None
    g = torch.Generator().manual_seed(cfg.seed + 17)
    return sorted(torch.randperm(n, generator=g)[:cfg.val_subset].tolist())


def validation_pass(trainer: "Trainer", keep_wrong: int = 0) -> ValidationResult | None:
    """The trainer's model evaluated on its validation images (see :meth:`Trainer.validate`)."""
    indices = trainer._val_indices
    if trainer.group is not None:  # each process its share; the tallies are summed below
        n = len(indices) if indices is not None else len(trainer.bundle.val)
        if n == 0:
            return None
        mine = shard_positions(n, trainer.dist.rank, trainer.dist.world_size)
        indices = [indices[i] for i in mine] if indices is not None else list(mine)
    ds = EvalDataset(trainer.bundle.val, trainer._eval_tf, indices)
    if len(ds) == 0 and trainer.group is None:
        return None
    loader = trainer._loader(ds)
    tally = ValidationTally(trainer.bundle.num_classes, keep_wrong, indices)
    total = len(loader)
    trainer.emit("on_validation_start", total)
    # the mode restored after is the loop's training mode (and the caller's, for evaluate())
    with evaluating(trainer.model):
        for b, (images, labels) in enumerate(loader):
            if trainer.control.stop_requested and trainer.dist is None:  # distributed: stops between steps
                raise ValidationStopped
            trainer.control.run_pending(trainer)
            if trainer.control.paused and trainer.dist is None:
                trainer._pause_here()
                if trainer.control.stop_requested:
                    raise ValidationStopped
            images = images.to(trainer.device, non_blocking=True)
            labels = labels.to(trainer.device)
            ten = images.dim() == 5
            if ten:
                bsz, ncrop = images.shape[:2]
                images = images.flatten(0, 1)
            if trainer.channels_last:
                images = images.contiguous(memory_format=torch.channels_last)
            with torch.autocast(trainer.device.type, dtype=trainer.amp_dtype,
                                enabled=trainer.amp_dtype is not None):
                logits = trainer.model(images).float()
            probs = F.softmax(logits, 1)
            tally.add(probs.view(bsz, ncrop, -1).mean(1) if ten else probs, labels)
            trainer.emit("on_validation_progress", ValidationProgress(b + 1, total))
    if trainer.group is not None:
        sum_tallies(tally, trainer.group, trainer.device)
    result = tally.result(trainer.state.epoch, trainer.state.step, trainer.config.ten_crop_val,
                          trainer._val_indices is not None)
    trainer.state.history.append({"kind": "validation", "epoch": result.epoch, "step": result.step,
                                  "loss": result.loss, "top1_error": result.top1_error,
                                  "top5_error": result.top5_error, "lr": trainer.current_lr()})
    trainer.emit("on_validation_end", result)
    return result


def sum_tallies(tally: ValidationTally, group: ProcessGroup, device: torch.device) -> None:
    """Every process's validation sums, added up (each process then holds the whole pass's tally)."""
    k = tally.confusion.numel()
    t = torch.cat([tally.confusion.flatten().double(),
                   torch.tensor([tally.loss_sum, tally.batch_loss_sum, tally.top5_hits, tally.seen,
                                 tally.batches], dtype=torch.float64)]).to(device)
    t = group.sum(t).cpu()
    tally.confusion = t[:k].round().long().view_as(tally.confusion)
    tally.loss_sum, tally.batch_loss_sum = float(t[k]), float(t[k + 1])
    tally.top5_hits, tally.seen, tally.batches = (int(round(float(v))) for v in t[k + 2:k + 5])


def validate_or_stop(trainer: "Trainer") -> ValidationResult | bool | None:
    """The loop's validation: its result, False if there is no validation set, None if stopped meanwhile."""
    try:
        r = trainer.validate()
    except ValidationStopped:
        return None
    return False if r is None else r
