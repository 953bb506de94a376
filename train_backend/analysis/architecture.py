"""The network as the paper's Figure 2 draws it: every layer's record (kind, kernels, stride, groups, output shape,
parameters, neurons, multiply-adds), computed where the model lives and sent as plain data (the Architecture
panel asks for it whenever the weights change)."""

from __future__ import annotations

from typing import Any

from ..models.summary import describe
from ..payloads import NetworkDescription
from .registry import register_analysis


@register_analysis("architecture", description="the network's layers as the paper's Figure 2 draws them: kernels, "
                                               "stride, towers, output shapes, parameters and multiply-adds; the "
                                               "image is not used", cost="weights")
def architecture(weights: Any, image: Any = None) -> NetworkDescription:
    return describe(weights.model, weights.input.size)
