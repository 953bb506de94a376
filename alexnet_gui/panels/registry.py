"""The registry of dock panels: each panel module registers its class once, with its key, its title on screen and
where it docks; the window builds its docks, its View menu and its default layout from :data:`PANELS`.

A new panel is one module in this folder and its import line in ``panels/__init__.py``::

    @register_panel("explain", QT_TRANSLATE_NOOP("Panels", "Explain"), area="right", tab_with="activations")
    class ExplainPanel(QWidget):
        def bind(self, lab: Lab) -> None:   # optional: what it listens to and asks for
            lab.analysis_done.connect(self.on_analysis)

Panels know nothing of the window or its worker (an import-linter contract): they bind one way to the lab
(:class:`alexnet_gui.lab.Lab`: the session, typed signals of the run and the probes, requests for work), named
only for type checking. The title is marked for translation (``train_backend.i18n.QT_TRANSLATE_NOOP``, context
"Panels"); the window shows it translated.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

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
