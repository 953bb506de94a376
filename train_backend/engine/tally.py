"""The sums the engine reports.

:class:`ValidationTally`: one validation pass's loss, top-5 hits, confusion matrix (rows are true classes; its
diagonal over its total is 1 - top-1 error) and, when asked, the images the network got wrong with the most confidence
(the Evaluation view's and ``evaluate --wrong``'s list).  :class:`StepTally`: the training loss and correct answers of
the steps since the loop's last report.
"""

from __future__ import annotations

import heapq
from typing import TYPE_CHECKING, Sequence

import torch
import torch.nn.functional as F

import numpy as np

from ..payloads import EvaluatedImages, ValidationResult, WrongPrediction

if TYPE_CHECKING:
    from .distributed import ProcessGroup


class ValidationTally:
    """Sums over a validation pass; ``keep_wrong`` > 0 also keeps that many most confidently wrong images."""

    def __init__(self, num_classes: int, keep_wrong: int = 0, indices: Sequence[int] | None = None) -> None:
        self.num_classes = num_classes
        self.confusion = torch.zeros(num_classes, num_classes, dtype=torch.int64)
        self.loss_sum = 0.0
        self.batch_loss_sum = 0.0
        self.top5_hits = 0
        self.seen = 0
        self.batches = 0
        self.keep_wrong = keep_wrong
        self._indices = indices  # position in the pass -> index in the validation split (a subset), or None
        self._wrong: list[tuple[float, int, int, int]] = []  # a min-heap of (confidence, index, true, predicted)
        self._answers: list[tuple[torch.Tensor, torch.Tensor, torch.Tensor]] = []  # (true, predicted, confidence)

    def add(self, probs: torch.Tensor, labels: torch.Tensor) -> None:
        """One batch: ``probs`` (B, C) class probabilities (ten crops already averaged), ``labels`` (B,)."""
        n_cls = self.num_classes
        batch_loss = float(F.nll_loss(torch.log(probs.clamp_min(1e-12)), labels, reduction="sum"))
        self.loss_sum += batch_loss
        self.batch_loss_sum += batch_loss / labels.shape[0]
        top = probs.topk(min(5, n_cls), 1)
        self.top5_hits += int((top.indices == labels[:, None]).any(1).sum())
        pred, true = top.indices[:, 0].cpu(), labels.cpu()
        self.confusion += torch.bincount(true * n_cls + pred, minlength=n_cls * n_cls).view(n_cls, n_cls)
        if self.keep_wrong:
            conf = top.values[:, 0].float().cpu()
            self._answers.append((true, pred, conf))
            for i in torch.nonzero(pred != true).flatten().tolist():
                pos = self.seen + i
                index = self._indices[pos] if self._indices is not None else pos
                item = (float(conf[i]), int(index), int(true[i]), int(pred[i]))
                if len(self._wrong) < self.keep_wrong:
                    heapq.heappush(self._wrong, item)
                elif item[0] > self._wrong[0][0]:
                    heapq.heapreplace(self._wrong, item)
        self.seen += labels.shape[0]
        self.batches += 1

    def wrong(self) -> tuple[WrongPrediction, ...]:
        """The kept mistakes, the most confident first."""
        return tuple(WrongPrediction(index, true, pred, conf)
                     for conf, index, true, pred in sorted(self._wrong, key=lambda w: (-w[0], w[1])))

    def images_seen(self) -> EvaluatedImages | None:
        """Every image's answer (kept with the mistakes, when ``keep_wrong`` > 0)."""
        if not self._answers:
            return None
        true, pred, conf = (torch.cat(parts).numpy() for parts in zip(*self._answers))
        index = np.asarray(self._indices[:len(true)] if self._indices is not None else range(len(true)), np.int64)
        return EvaluatedImages(index, true.astype(np.int64), pred.astype(np.int64), conf.astype(np.float32))

    def result(self, epoch: int, step: int, ten_crop: bool, subset: bool) -> ValidationResult:
        correct = int(self.confusion.diag().sum())
        return ValidationResult(epoch, step, self.loss_sum / self.seen, 1 - correct / self.seen,
                                1 - self.top5_hits / self.seen, self.confusion.numpy().copy(), self.seen, ten_crop,
                                subset, self.batches, self.batch_loss_sum / self.batches, self.wrong(),
                                self.images_seen())


class StepTally:
    """The training steps since the last report: their loss and correct answers summed on the device (no
    synchronisation per step), their images and their number."""

    def __init__(self, device: torch.device) -> None:
        self.loss = torch.zeros((), device=device)
        self.correct = torch.zeros((), device=device)
        self.n = 0
        self.steps = 0

    def add(self, loss: torch.Tensor, correct: torch.Tensor, n: int) -> None:
        """One step: its mean loss and number of correct answers over its ``n`` images."""
        self.loss += loss.detach() * n
        self.correct += correct
        self.n += n
        self.steps += 1

    def take(self, group: "ProcessGroup | None") -> tuple[float, float, int, int]:
        """The mean loss, top-1 accuracy, images and steps since the last report (with a process group, of the global
        batches: summed over the processes), and a fresh start."""
        loss, correct, n, steps = self.loss, self.correct, self.n, self.steps
        if group is not None:
            tot = group.sum(torch.stack([loss, correct.to(loss.dtype), torch.tensor(float(n), device=loss.device)]))
            loss, correct, n = tot[0], tot[1], int(tot[2])
        mean_loss, top1 = float(loss) / n, float(correct) / n
        self.loss.zero_()
        self.correct.zero_()
        self.n, self.steps = 0, 0
        return mean_loss, top1, n, steps
