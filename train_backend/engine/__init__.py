"""The training engine: one plain loop (:mod:`.trainer`) and the parts it is built from.

Where the parts live: the listener base class in :mod:`.hooks`, the thread-safe control in :mod:`.control`, seeded
sampling and loaders in :mod:`.sampling`, device choice in :mod:`train_backend.devices`, model / optimiser / schedule /
augmentation builders in :mod:`.build`, progress and resumable checkpoints in :mod:`.run_state`, reading and writing
a run's checkpoints in :mod:`.checkpointing`, the one evaluation loop (a run's validation, ``evaluate``'s, the
ensemble's members) in :mod:`.validation`, the sums it and the loop report in :mod:`.tally`, what those parts see of
the run they serve (a small public interface, not the Trainer) in :mod:`.host`, how a run ends in :mod:`.endings`,
torchrun's data parallel in :mod:`.distributed`, and what the loop does besides training (``metrics.jsonl``,
``last.pt``, ``best.pt``, kernel snapshots) in :mod:`.callbacks`, attached to every Trainer.
The payload types the loop sends its listeners are in the torch-free :mod:`train_backend.payloads`.
"""

from __future__ import annotations

from ..payloads import (CheckpointInfo, EpochMetrics, RunInfo, StepMetrics, TrainEnd, ValidationProgress,
                        ValidationResult)
from ..config import ConfigError
from .callbacks import CheckpointWriteError
from .control import TrainControl
from ..devices import device_name, resolve_device
from .hooks import Callback
from .run_state import TrainState
from .sampling import EpochSampler, EvalDataset, SeededTransformDataset, dataset_options, item_seed
from .evaluate import evaluate
from .tally import ValidationTally
from .trainer import Trainer
from .validation import EvaluationLoop

__all__ = ["Callback", "CheckpointInfo", "CheckpointWriteError", "ConfigError", "EpochMetrics", "EpochSampler",
           "EvaluationLoop",
           "EvalDataset", "RunInfo", "SeededTransformDataset", "StepMetrics", "TrainControl", "TrainEnd",
           "TrainState", "Trainer", "ValidationProgress", "ValidationResult", "dataset_options", "device_name",
           "ValidationTally", "evaluate", "item_seed", "resolve_device"]
