"""What the engine's parts see of the run they serve: a small public interface instead of the Trainer's insides.

:class:`TrainingRun` is what the checkpoints (:mod:`.checkpointing`), the endings (:mod:`.endings`) and the built-in
callbacks (:mod:`.callbacks`, :mod:`.tensorboard_log`) use of a run; the :class:`~.trainer.Trainer` is one, and no
part of the engine below it imports it (an import-linter contract says so).

The evaluation loop (:mod:`.validation`) serves pauses, stops and submitted work between its batches and tells the
listeners of its progress; it does that through an :class:`EngineHost`: the :class:`~.trainer.Trainer` during a run,
a :class:`Listeners` for an evaluation outside one (``evaluate``, the window's Evaluation view).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, Sequence

from .control import TrainControl

if TYPE_CHECKING:
    import os

    import torch

    from ..analysis.probes import KernelSnapshot
    from ..data import DatasetBundle
    from ..io.checkpoints import InputSpec
    from ..models import AlexNetBase
    from ..config import TrainConfig
    from .distributed import DistContext, ProcessGroup
    from .run_state import TrainState


class EngineHost(Protocol):
    """The listeners, the control and the process group of whatever runs an engine part."""

    control: TrainControl
    group: "ProcessGroup | None"  # a distributed run's process group while it runs; None otherwise

    def emit(self, hook: str, *args: Any) -> None:
        """Call ``hook(host, *args)`` on every listener."""

    def notify_exception(self, err: BaseException) -> None:
        """Tell the listeners of an error the host survives."""

    def pause_here(self) -> None:
        """Block while paused (serving submitted work), telling the listeners."""


class Broadcasting:
    """What every :class:`EngineHost` does with its ``callbacks`` and ``control`` (the Trainer's and
    :class:`Listeners`' one implementation)."""

    callbacks: list
    control: TrainControl

    def emit(self, hook: str, *args: Any) -> None:
        for cb in self.callbacks:
            getattr(cb, hook)(self, *args)

    def notify_exception(self, err: BaseException) -> None:
        for cb in self.callbacks:
            try:
                cb.on_exception(self, err)
            except Exception:  # noqa: BLE001 - a listener must not hide the original error
                pass

    def pause_here(self) -> None:
        """Block while paused, serving submitted work (the listeners hear ``on_pause`` and ``on_resume``)."""
        self.control.hold(self)


class Listeners(Broadcasting):
    """An :class:`EngineHost` with no run behind it: the caller's listeners and a control."""

    group = None

    def __init__(self, callbacks: Sequence[Any] = (), control: TrainControl | None = None) -> None:
        self.callbacks = list(callbacks)
        self.control = control or TrainControl()


class TrainingRun(EngineHost, Protocol):
    """A training run as the engine's parts see it: its settings, model, optimiser, progress and run folder, the
    checkpoints it has written, and what its parts may ask of it."""

    config: "TrainConfig"
    bundle: "DatasetBundle"
    model: "AlexNetBase"
    optimizer: "torch.optim.Optimizer"
    scheduler: Any
    scaler: Any
    device: "torch.device"
    input_spec: "InputSpec"
    state: "TrainState"
    dist: "DistContext | None"
    callbacks: "list[Any]"  # the listeners: hooks.Callback
    run_dir: "os.PathLike | None"
    last_checkpoint: str | None
    last_save_time: float
    save_error: str | None

    @property
    def world_size(self) -> int: ...
    @property
    def global_batch_size(self) -> int: ...
    @property
    def batches_per_epoch(self) -> int: ...
    def current_lr(self) -> float: ...
    def restart_clock(self) -> None: ...
    def kernel_snapshot(self) -> "KernelSnapshot": ...
    def save(self, path: "str | os.PathLike", kind: str = "last", full: bool = True) -> str: ...
    def save_last(self, kind: str = "last") -> str | None: ...
