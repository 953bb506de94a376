"""The engine's listener base class: Lightning-style no-op hooks, called on the training thread.

A listener (the GUI's bridge, the CLI's progress lines, a test's recorder, the engine's own metrics log
and checkpointers in :mod:`train_backend.engine.callbacks`) overrides only what it needs.  Each hook is given the
:class:`~.trainer.Trainer` it listens to; an evaluation outside a run (``evaluate_on``) gives its validation hooks
a :class:`~.host.Listeners` instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only: this module imports neither the engine nor torch
    from .host import TrainingRun as Trainer  # what a run hands its listeners (the Trainer is one)
    from ..payloads import CheckpointInfo, EpochMetrics, RunInfo, StepMetrics, TrainEnd, ValidationProgress, \
        ValidationResult
    from ..analysis.probes import KernelSnapshot


class Callback:
    """No-op hooks; a listener overrides only what it needs. Called on the training thread."""

    def on_setup(self, trainer: "Trainer") -> None:
        """The run is set up (model, optimiser, run folder), before anything trains or is noted."""

    def on_train_start(self, trainer: "Trainer", info: "RunInfo") -> None: ...
    def on_batch_end(self, trainer: "Trainer", metrics: "StepMetrics") -> None: ...

    def on_step(self, trainer: "Trainer") -> None:
        """After every optimisation step (and its ``on_batch_end``, when it reported one)."""

    def on_batch_boundary(self, trainer: "Trainer") -> None:
        """The end of a batch's turn in the loop: validation done, a pause served, the run going on."""

    def on_kernels(self, trainer: "Trainer", snapshot: "KernelSnapshot") -> None: ...
    def on_validation_start(self, trainer: "Trainer", total_batches: int) -> None: ...
    def on_validation_progress(self, trainer: "Trainer", progress: "ValidationProgress") -> None: ...
    def on_validation_end(self, trainer: "Trainer", result: "ValidationResult") -> None: ...
    def on_epoch_end(self, trainer: "Trainer", metrics: "EpochMetrics") -> None: ...
    def on_checkpoint(self, trainer: "Trainer", info: "CheckpointInfo") -> None: ...
    def on_pause(self, trainer: "Trainer") -> None: ...
    def on_resume(self, trainer: "Trainer") -> None: ...
    def on_train_end(self, trainer: "Trainer", end: "TrainEnd") -> None: ...
    def on_exception(self, trainer: "Trainer", error: BaseException) -> None: ...
    def on_note(self, trainer: "Trainer", text: str) -> None: ...
