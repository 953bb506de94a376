"""One evaluation loop: the training loop's validation (each epoch, every ``val_every_steps``), ``evaluate()``'s, the
window's Evaluation view's and an experiment's ensemble members'.

An :class:`EvaluationLoop` owns what a pass needs: the validation images (the split, or the run's seeded subset of it,
:func:`validation_subset`), their evaluation transform, how to load them, and the device and precision the model
computes in.  :meth:`EvaluationLoop.run` evaluates the model in evaluation mode, serving pauses, stops and submitted
work between batches through its :class:`~.host.EngineHost` and telling the host's listeners of its progress, and
returns the :class:`~train_backend.payloads.ValidationResult` of its :class:`~.tally.ValidationTally`.  In a
distributed run each process validates its shard and the tallies are summed over the processes
(:func:`sum_tallies`), so that every process holds the whole pass's result.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Iterable, Sequence

import torch
import torch.nn.functional as F
from torch.utils.data import Dataset

from ..data.augment import build_eval_transform
from ..devices import resolve_device
from ..models.modes import evaluating
from ..payloads import ValidationProgress, ValidationResult
from ..config import TrainConfig
from .distributed import ProcessGroup
from .host import EngineHost
from .sampling import EvalDataset, data_loader, item_seed, shard_positions
from .tally import ValidationTally

if TYPE_CHECKING:
    from ..data import DatasetBundle
    from ..io.checkpoints import LoadedWeights


class ValidationStopped(Exception):
    """A stop was requested in the middle of validation."""


def validation_subset(cfg: TrainConfig, n: int) -> list[int] | None:
    """The positions of the ``n`` validation images a run validates on: the config's subset (sorted), or None for
    all of them.  The subset is drawn with ``split_seed``, not the training seed, so runs with different seeds
    validate on the same images: their errors compare image for image, and an ensemble's members can be averaged."""
    if cfg.val_subset is None or cfg.val_subset >= n:
        return None
    g = torch.Generator().manual_seed(cfg.split_seed + 17)
    return sorted(torch.randperm(n, generator=g)[:cfg.val_subset].tolist())


class EvaluationLoop:
    """A model's evaluation on a validation split: the images (``indices``: a subset's positions, or None for
    all), their transform, the loader that batches them (``loader(dataset)``), the device and precision."""

    def __init__(self, model: torch.nn.Module, images: Dataset, transform: Callable, num_classes: int, *,
                 loader: Callable[[Dataset], Iterable], device: torch.device, indices: Sequence[int] | None = None,
                 ten_crop: bool = False, amp_dtype: torch.dtype | None = None, channels_last: bool = False) -> None:
        self.model, self.images, self.transform, self.num_classes = model, images, transform, num_classes
        self.loader, self.device, self.indices, self.ten_crop = loader, device, indices, ten_crop
        self.amp_dtype, self.channels_last = amp_dtype, channels_last

    @classmethod
    def for_weights(cls, loaded: "LoadedWeights", bundle: "DatasetBundle", ten_crop: bool = False,
                    batch_size: int = 128, device: str = "auto", limit: int | None = None) -> "EvaluationLoop":
        """``loaded``'s evaluation on ``bundle``'s validation split (its first ``limit`` images), preprocessed as
        the weights were trained; the model moves to ``device``."""
        spec, where = loaded.input, resolve_device(device)
        transform = build_eval_transform(spec.size, spec.mean, spec.std, spec.channels, resize=spec.resize,
                                         ten_crop=ten_crop, eval_resize=loaded.eval_resize,
                                         mean_image=spec.mean_image)
        indices = list(range(min(limit, len(bundle.val)))) if limit else None
        seed = item_seed(0, 0, 0)  # the loader a run with seed 0 has at its start (its order is not shuffled)
        return cls(loaded.model.to(where), bundle.val, transform, bundle.num_classes, device=where, indices=indices,
                   ten_crop=ten_crop, loader=lambda ds: data_loader(ds, batch_size, where, bundle.name, seed))

    def dataset(self, group: ProcessGroup | None = None) -> EvalDataset:
        """The images this process evaluates: all of them, or with ``group`` its shard."""
        indices = self.indices
        if group is not None:  # each process its share; the tallies are summed
            n = len(indices) if indices is not None else len(self.images)
            mine = shard_positions(n, group.ctx.rank, group.ctx.world_size)
            indices = [indices[i] for i in mine] if indices is not None else list(mine)
        return EvalDataset(self.images, self.transform, indices)

    def probabilities(self, images: torch.Tensor) -> torch.Tensor:
        """The model's softmax for a batch (of ten crops: their softmax averaged); call within ``evaluating``."""
        images = images.to(self.device, non_blocking=True)
        ten = images.dim() == 5
        if ten:
            bsz, ncrop = images.shape[:2]
            images = images.flatten(0, 1)
        if self.channels_last:
            images = images.contiguous(memory_format=torch.channels_last)
        with torch.autocast(self.device.type, dtype=self.amp_dtype, enabled=self.amp_dtype is not None):
            logits = self.model(images).float()
        probs = F.softmax(logits, 1)
        return probs.view(bsz, ncrop, -1).mean(1) if ten else probs

    def run(self, host: EngineHost, keep_wrong: int = 0, epoch: int = 0, step: int = 0,
            record: Callable[[ValidationResult], None] | None = None) -> ValidationResult | None:
        """The pass (None when there are no images); ``keep_wrong`` > 0 keeps that many most confidently wrong
        images; ``record`` hears the result before the listeners' ``on_validation_end``.  Raises
        :class:`ValidationStopped` when a stop is requested through ``host.control``."""
        group = host.group
        if group is not None and (len(self.indices) if self.indices is not None else len(self.images)) == 0:
            return None
        ds = self.dataset(group)
        if len(ds) == 0 and group is None:
            return None
        loader = self.loader(ds)
        tally = ValidationTally(self.num_classes, keep_wrong, ds.indices)
        total = len(loader)
        host.emit("on_validation_start", total)
        # the mode restored after is the loop's training mode (and the caller's, for evaluate())
        with evaluating(self.model):
            for b, (images, labels) in enumerate(loader):
                self._serve(host)
                tally.add(self.probabilities(images), labels.to(self.device))
                host.emit("on_validation_progress", ValidationProgress(b + 1, total))
        if group is not None:
            sum_tallies(tally, group, self.device)
        result = tally.result(epoch, step, self.ten_crop, self.indices is not None)
        if record is not None:
            record(result)
        host.emit("on_validation_end", result)
        return result

    def member_probabilities(self):
        """The softmax on every image (not sharded) as a NumPy array, and their labels: one member of an
        ensemble."""
        probs, labels = [], []
        with evaluating(self.model):
            for images, y in self.loader(self.dataset()):
                probs.append(self.probabilities(images).cpu())
                labels.append(y.cpu())
        return torch.cat(probs).numpy(), torch.cat(labels).numpy()

    @staticmethod
    def _serve(host: EngineHost) -> None:
        """Between batches: a stop ends the pass, submitted work runs, a pause blocks (a distributed run serves
        neither stops nor pauses mid-pass: its processes stop between steps, together)."""
        control, alone = host.control, host.group is None
        if control.stop_requested and alone:
            raise ValidationStopped
        control.run_pending(host)
        if control.paused and alone:
            host.pause_here()
            if control.stop_requested:
                raise ValidationStopped


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


def validate_or_stop(validate: Callable[[], ValidationResult | None]) -> ValidationResult | bool | None:
    """The training loop's validation (``validate()``): its result, False if there is no validation set, None if
    stopped meanwhile."""
    try:
        r = validate()
    except ValidationStopped:
        return None
    return False if r is None else r
