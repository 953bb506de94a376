"""A network's table: each layer's output shape, parameters, neurons and multiply-adds (``alexnet-gui summary``)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from torch import nn

from .base import AlexNetBase
from .modes import evaluating


def count_parameters(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


@dataclass(frozen=True)
class LayerInfo:
    name: str
    type: str
    output_shape: tuple[int, ...]
    params: int
    #: output elements per image (for conv and fc layers: the layer's neurons)
    neurons: int = 0
    #: multiply-adds per image (conv and fc layers; the others' arithmetic is not counted)
    macs: int = 0
    #: a block of layers (a ResNet stage): ``neurons`` and ``macs`` are those of the conv and fc layers inside it
    block: bool = False

    @property
    def is_neuron_layer(self) -> bool:
        """conv and fc layers (and blocks of them): their outputs are the network's neurons (ReLU, LRN and pooling
        transform or subsample those, so counting them again would count the same units twice)."""
        return self.block or self.type in ("Conv2d", "Linear")


def _macs(module: nn.Module, output_shape: tuple[int, ...]) -> int:
    out = math.prod(output_shape)
    if isinstance(module, nn.Conv2d):
        kh, kw = module.kernel_size
        return out * (module.in_channels // module.groups) * kh * kw
    if isinstance(module, nn.Linear):
        return module.in_features * module.out_features
    return 0


def summarize(model: AlexNetBase, input_size: int | None = None) -> list[LayerInfo]:
    """Each child layer's type, output shape (without batch), parameters, neurons and multiply-adds, in forward order:
    dropout, flatten and adaptive pooling included.  A block of layers (ResNet's stages) counts the neurons and
    multiply-adds of the conv and fc layers inside it."""
    size = input_size or model.native_size
    shapes: dict[str, tuple[int, ...]] = {}
    inner: dict[str, list[tuple[nn.Module, tuple[int, ...]]]] = {}
    hooks = []
    modules = dict(model.named_children())
    names = model.all_layer_names()
    for name in names:
        hooks.append(modules[name].register_forward_hook(
            lambda _m, _i, out, name=name: shapes.__setitem__(name, tuple(out.shape[1:]))))
        for sub in modules[name].modules():
            if sub is not modules[name] and isinstance(sub, (nn.Conv2d, nn.Linear)):
                hooks.append(sub.register_forward_hook(
                    lambda m, _i, out, name=name: inner.setdefault(name, []).append((m, tuple(out.shape[1:])))))
    try:
        with evaluating(model):
            model(torch.zeros(1, model.in_channels, size, size, device=next(model.parameters()).device))
    finally:
        for h in hooks:
            h.remove()
    out = []
    for name in names:
        module, shape = modules[name], shapes[name]
        params = sum(p.numel() for p in module.parameters())
        if name in inner:  # a block: its conv and fc layers' neurons and multiply-adds
            out.append(LayerInfo(name, type(module).__name__, shape, params,
                                 sum(math.prod(s) for _m, s in inner[name]),
                                 sum(_macs(m, s) for m, s in inner[name]), block=True))
        else:
            out.append(LayerInfo(name, type(module).__name__, shape, params, math.prod(shape), _macs(module, shape)))
    return out


def count_neurons(layers: list[LayerInfo]) -> int:
    """The network's neurons as the paper counts them: the outputs of its conv and fc layers."""
    return sum(layer.neurons for layer in layers if layer.is_neuron_layer)


def min_input_size(model: AlexNetBase) -> int:
    """The smallest square input the network accepts (found by shape arithmetic)."""
    return model.min_input_size()

