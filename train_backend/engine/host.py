"""What the engine's parts see of the run they serve: a small public interface instead of the Trainer's insides.

The evaluation loop (:mod:`.validation`) serves pauses, stops and submitted work between its batches and tells the
listeners of its progress; it does that through an :class:`EngineHost`: the :class:`~.trainer.Trainer` during a run,
a :class:`Listeners` for an evaluation outside one (``evaluate``, the window's Evaluation view).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, Sequence

from .control import TrainControl

if TYPE_CHECKING:
    from .distributed import ProcessGroup
    from .hooks import Callback


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


class Listeners:
    """An :class:`EngineHost` with no run behind it: the caller's listeners and a control."""

    group = None

    def __init__(self, callbacks: Sequence["Callback"] = (), control: TrainControl | None = None) -> None:
        self.callbacks = list(callbacks)
        self.control = control or TrainControl()

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
        self.control.hold(self)
