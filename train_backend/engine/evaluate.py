"""``evaluate()``: a checkpoint's errors on a data set's validation split, through the training loop's own
evaluation loop (:class:`~.validation.EvaluationLoop`)."""

from __future__ import annotations

import os
from typing import Sequence

from ..analysis.gallery import validation_options
from ..data import DatasetBundle, load_dataset
from ..errors import Cancelled
from ..io.checkpoints import LoadedWeights
from ..io.weights import load_weights
from ..payloads import ValidationResult
from ..config import ConfigError
from .control import TrainControl
from .hooks import Callback
from .host import Listeners
from .validation import EvaluationLoop, ValidationStopped


def open_evaluation(weights_path: str | os.PathLike, dataset: str | None = None,
                    data_root: str | None = None) -> tuple[LoadedWeights, DatasetBundle]:
    """The weights and the data set to evaluate them on (by default the one they were trained on, with the same
    validation split); raises ConfigError when their classes differ."""
    loaded = load_weights(weights_path)
    return loaded, evaluation_bundle(loaded, dataset, data_root)


def evaluation_bundle(loaded: LoadedWeights, dataset: str | None = None,
                      data_root: str | None = None) -> DatasetBundle:
    """The data set to evaluate ``loaded`` on: ``dataset`` or the one it was trained on, with the validation split
    it was trained with; raises ConfigError when its classes differ from the weights'."""
    ckpt = loaded.checkpoint or {}
    name = dataset or ckpt.get("dataset")
    if not name:
        raise ConfigError("say which dataset to evaluate on (--dataset)")
    trained = ckpt.get("config") or {}
    root = data_root if data_root is not None else trained.get("data_root")
    # a folder's validation images are the split the weights were trained with, not training images
    bundle = load_dataset(name, root, **validation_options(loaded, name))
    if bundle.num_classes != len(loaded.classes):
        raise ConfigError(f"the weights have {len(loaded.classes)} classes but {bundle.name} has "
                          f"{bundle.num_classes}")
    return bundle


def evaluate_on(loaded: LoadedWeights, bundle: DatasetBundle, ten_crop: bool = False, batch_size: int = 128,
                device: str = "auto", limit: int | None = None, keep_wrong: int = 0,
                callbacks: Sequence[Callback] = (), control: TrainControl | None = None) -> ValidationResult | None:
    """Top-1/top-5 error of loaded weights on a bundle's validation split (None when it is empty), with the confusion
    matrix and, when ``keep_wrong`` > 0, that many most confidently wrong images. ``callbacks`` hear the progress
    (``on_validation_progress``); a stop through ``control`` raises :class:`Cancelled`."""
    loop = EvaluationLoop.for_weights(loaded, bundle, ten_crop=ten_crop, batch_size=batch_size, device=device,
                                      limit=limit)
    try:
        return loop.run(Listeners(callbacks, control), keep_wrong=keep_wrong)
    except ValidationStopped:
        raise Cancelled("the evaluation was stopped") from None


def evaluate(weights_path: str | os.PathLike, dataset: str | None = None, data_root: str | None = None,
             ten_crop: bool = False, batch_size: int = 128, device: str = "auto",
             limit: int | None = None, keep_wrong: int = 0) -> ValidationResult | None:
    """:func:`open_evaluation` then :func:`evaluate_on`."""
    loaded, bundle = open_evaluation(weights_path, dataset, data_root)
    return evaluate_on(loaded, bundle, ten_crop, batch_size, device, limit, keep_wrong)
