"""``evaluating(model)``: eval mode and no gradients for a block, the model's previous mode restored after.

One place for the block every probe, the layer table and validation repeat: dropout off and no autograd
graph while looking at a model, and the mode it had (training, mid-run) given back even when the block
raises, so a failed probe never leaves a training run with dropout switched off.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

import torch
from torch import nn


@contextmanager
def evaluating(model: nn.Module) -> Iterator[nn.Module]:
    """Within the block: ``model.eval()`` under ``torch.no_grad()``; after it, the mode the model had."""
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            yield model
    finally:
        model.train(was_training)
