"""The registry of dock panels: each panel module registers its class once, with its key, its title on screen and
where it docks; the window builds its docks, its View menu and its default layout from :data:`PANELS`.

A new panel is one module in this folder and its import line in ``panels/__init__.py``::

    @register_panel("explain", "Explain", area="right", tab_with="activations")
    class ExplainPanel(QWidget):
        def bind(self, context: PanelContext) -> None:   # optional: what it listens to and asks for
            context.analysis_done.connect(self.on_analysis)

Panels know nothing of the window or its worker (an import-linter contract): what a panel may use of the app
comes through the :class:`PanelContext` handed to its ``bind``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

AREAS = ("left", "right", "bottom")


@dataclass(frozen=True)
class PanelSpec:
    key: str
    title: str
    cls: type
    area: str = "right"
    tab_with: str | None = None  # the key of a panel to share a tabbed dock area with


PANELS: dict[str, PanelSpec] = {}


def register_panel(key: str, title: str, area: str = "right",
                   tab_with: str | None = None) -> Callable[[type], type]:
    """Register a panel class (a decorator); a key is registered once."""
    if area not in AREAS:
        raise ValueError(f"area must be one of {', '.join(AREAS)}, got {area!r}")

    def add(cls: type) -> type:
        if key in PANELS:
            raise ValueError(f"a panel named {key!r} is registered already")
        PANELS[key] = PanelSpec(key, title, cls, area, tab_with)
        return cls

    return add


@dataclass
class PanelContext:
    """What the window lends a panel's ``bind``: the Qt-free session, a way to ask for a registered analysis of the
    current image (its answer comes back through ``analysis_done`` with the token ``request_analysis`` returned),
    and the signals of what was shown."""

    session: Any  # train_backend.session.Session
    request_analysis: Callable[..., int]  # (name, **options) -> token; runs on the worker with the current weights
    cancel_analysis: Callable[[int], None]  # (token): stops a long analysis (it then fails with "cancelled")
    analysis_done: Any  # Signal(token, name, payload)
    analysis_failed: Any  # Signal(token, name, message)
    analysis_progress: Any  # Signal(token, done, total), from analyses that report progress
    probe_shown: Any  # Signal(token): the current image's probe is drawn
    notify: Callable[[str, str], None]  # (level, text) in the status bar
    request_evaluation: Callable[..., None]  # (checkpoint path, **evaluate options): answered by ``evaluated``
    evaluated: Any  # Signal(path, ValidationResult)
    weights: Callable[[], Any]  # () -> the WeightsInfo the worker holds (classes, source), or None
    cancel_evaluation: Callable[[], None]  # stops the evaluation under way (it then reports "evaluation stopped")
    progress: Any  # Signal(kind, done, total): "evaluate", "validation", "download", "import"
    show_image: Callable[[Any, str], None]  # (PIL image, name): make it the current image (it is then probed)
    evaluation_failed: Any  # Signal(message): an evaluation gave no result ("evaluation stopped", or why not)
    #: (name, dataset=, steps=, time_budget_s=, seeds=, overrides=) -> None, or why it cannot start now
    start_experiment: Callable[..., str | None] | None = None
    experiment_control: Callable[[str], None] | None = None  # ("pause" | "resume" | "stop")
    experiment_event: Any = None  # Signal(ExperimentEvent)
