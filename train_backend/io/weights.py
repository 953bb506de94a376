"""Every kind of weights a user names, loaded: a checkpoint of this app or a torchvision ``.pth``
(:mod:`.checkpoints`), Caffe's ``.caffemodel`` (:mod:`.caffe`, imported on the fly), the ``torchvision`` alias or
``untrained``.  This module sits above both formats, so neither imports the other.
"""

from __future__ import annotations

import os
from typing import Any

from ..models import WEIGHTS_ALIASES
from .caffe import load_caffe_weights
from .checkpoints import (CheckpointError, LoadedWeights, is_caffemodel, load_checkpoint, torchvision_download_failed,
                          torchvision_weights, untrained_weights)


def load_weights(path: str | os.PathLike, num_classes: int | None = None, reinit_classifier: bool = False,
                 expect_variant: str | None = None) -> LoadedWeights:
    """Build the model a weights file describes and load it, whatever its format.

    ``num_classes``: the class count the caller needs; a mismatch raises :class:`CheckpointError`
    unless ``reinit_classifier=True`` (fc8 is then replaced, as fine-tuning does).
    ``expect_variant``: raise if the file holds another architecture.
    """
    load = load_caffe_weights if is_caffemodel(path) else load_checkpoint
    return load(path, num_classes=num_classes, reinit_classifier=reinit_classifier, expect_variant=expect_variant)


def resolve_weights(spec: str | None, **kwargs: Any) -> LoadedWeights:
    """``None`` → untrained paper model; ``"torchvision"``/``"imagenet"`` → torchvision's; else a file."""
    if spec is None or spec == "untrained":
        return untrained_weights()
    if spec in WEIGHTS_ALIASES:
        try:
            return torchvision_weights()
        except Exception as err:  # noqa: BLE001 - offline, hash mismatch, ...
            raise CheckpointError(torchvision_download_failed(err)) from None
    return load_weights(spec, **kwargs)
