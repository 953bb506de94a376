"""The registry of analyses: each is a function from weights and an image (plus options) to a payload of NumPy
arrays and plain values, registered once with its name, the layers it applies to and its cost.

A new analysis is one function and one decorator::

    @register_analysis("mean_activation", description="each layer's mean output", cost="forward")
    def mean_activation(weights, image):
        acts = activations(weights, image)
        return {name: float(layer.values.mean()) for name, layer in acts.layers.items()}

Whatever lists analyses (``alexnet-gui list``, the Analyses panel to come) reads :data:`ANALYSES`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from .probes import activations, kernel_snapshot, lrn_effect, predict

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


register_analysis("predictions", description="the top-k classes, centre crop or the paper's ten crops averaged",
                  cost="forward", layers=lambda m: ["fc8"])(predict)
register_analysis("activations", description="every channel of every layer for the image", cost="forward")(
    activations)
register_analysis("lrn_effect", description="each LRN layer's maps before and after, with per-channel figures",
                  cost="forward", layers=lambda m: [n for n in m.layer_names() if n.startswith("lrn")])(lrn_effect)


@register_analysis("conv1_kernels", description="conv1's kernels per tower with their colour selectivity "
                                                "(the paper's Figure 3); the image is not used",
                   cost="weights", layers=lambda m: ["conv1"])
def conv1_kernels(weights: Any, image: Any = None, mode: str = "global") -> Any:
    return kernel_snapshot(weights.model, mode=mode)
