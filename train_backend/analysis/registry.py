"""The registry of analyses: each is a function from weights and an image (plus options) to a payload of NumPy
arrays and plain values, registered once with its name, the layers it applies to and its cost.

A new analysis is one function and one decorator, in a module of this folder imported by
``train_backend/analysis/__init__.py`` (or in any module the app imports)::

    @register_analysis("mean_activation", description="each layer's mean output", cost="forward")
    def mean_activation(weights, image):
        acts = activations(weights, image)
        return {name: float(layer.values.mean()) for name, layer in acts.layers.items()}

Whatever lists analyses (``alexnet-gui list``, the Analyses panel to come) reads :data:`ANALYSES`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from ..errors import Cancelled  # noqa: F401 - where the analyses have always taken it from


#: how much work one run takes: no forward pass, one forward pass, many forward passes, the whole data set
COSTS = ("weights", "forward", "forwards", "dataset")


@dataclass(frozen=True)
class Analysis:
    name: str
    run: Callable[..., Any]  # run(weights, image, **options) -> a payload of NumPy arrays and plain values
    description: str
    cost: str
    layers: Callable[[Any], list[str]]  # the layers of a model it applies to

    def applies_to(self, model: Any) -> bool:
        return bool(self.layers(model))


ANALYSES: dict[str, Analysis] = {}


def _all_layers(model: Any) -> list[str]:
    return list(model.layer_names())


def register_analysis(name: str, *, description: str, cost: str,
                      layers: Callable[[Any], list[str]] = _all_layers) -> Callable[[Callable], Callable]:
    """Register ``run`` under ``name`` (a decorator); a name is registered once."""
    if cost not in COSTS:
        raise ValueError(f"cost must be one of {', '.join(COSTS)}, got {cost!r}")

    def add(run: Callable) -> Callable:
        if name in ANALYSES:
            raise ValueError(f"an analysis named {name!r} is registered already")
        ANALYSES[name] = Analysis(name, run, description, cost, layers)
        return run

    return add


def run_analysis(name: str, weights: Any, image: Any, **options: Any) -> Any:
    if name not in ANALYSES:
        raise ValueError(f"unknown analysis {name!r}; choose one of {', '.join(ANALYSES)}")
    return ANALYSES[name].run(weights, image, **options)


def spatial_layers(model: Any) -> list[str]:
    """The layers with spatial maps (everything before the classifier head, conv1 … pool5): the layers Grad-CAM,
    top patches and the activation maps' clicks can use."""
    names = model.layer_names()
    head = [i for i, n in enumerate(names) if n.startswith("fc")]
    return names[:head[0]] if head else names
