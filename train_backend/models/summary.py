"""A network's table: each layer's output shape, parameters, neurons and multiply-adds (``alexnet-gui summary``),
and the same network as the records the Architecture panel draws (:func:`describe`)."""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import torch
from torch import nn

from ..payloads import LayerRecord, NetworkDescription
from .base import AlexNetBase
from .lrn import LocalResponseNorm
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


def _output_shapes(model: AlexNetBase, size: int, names: list[str]
                   ) -> tuple[dict[str, tuple[int, ...]], dict[str, list[tuple[nn.Module, tuple[int, ...]]]]]:
    """The output shape (without batch) of each named child for one ``size`` x ``size`` input of zeros, and for a
    block of layers (ResNet's stages) the conv and fc layers inside it with theirs. A layer placed as two towers
    (:mod:`.towers`) hands on one tensor per tower: its shape is theirs joined."""
    shapes: dict[str, tuple[int, ...]] = {}
    inner: dict[str, list[tuple[nn.Module, tuple[int, ...]]]] = {}
    modules = dict(model.named_children())

    def shape_of(out) -> tuple[int, ...]:
        if isinstance(out, (tuple, list)):
            parts = [tuple(t.shape[1:]) for t in out]
            return (sum(p[0] for p in parts), *parts[0][1:])
        return tuple(out.shape[1:])

    hooks = []
    for name in names:
        hooks.append(modules[name].register_forward_hook(
            lambda _m, _i, out, name=name: shapes.__setitem__(name, shape_of(out))))
        for sub in modules[name].modules():
            if sub is not modules[name] and isinstance(sub, (nn.Conv2d, nn.Linear)) and \
                    not any(isinstance(c, (nn.Conv2d, nn.Linear)) for c in sub.children()):
                hooks.append(sub.register_forward_hook(
                    lambda m, _i, out, name=name: inner.setdefault(name, []).append((m, shape_of(out)))))
    first = next(model.parameters())
    try:
        with evaluating(model):
            model(torch.zeros(1, model.in_channels, size, size, device=first.device, dtype=first.dtype))
    finally:
        for h in hooks:
            h.remove()
    return shapes, inner


def summarize(model: AlexNetBase, input_size: int | None = None) -> list[LayerInfo]:
    """Each child layer's type, output shape (without batch), parameters, neurons and multiply-adds, in forward order:
    dropout, flatten and adaptive pooling included.  A block of layers (ResNet's stages) counts the neurons and
    multiply-adds of the conv and fc layers inside it."""
    size = input_size or model.native_size
    modules = dict(model.named_children())
    names = model.all_layer_names()
    shapes, inner = _output_shapes(model, size, names)
    out = []
    for name in names:
        module, shape = modules[name], shapes[name]
        params = sum(p.numel() for p in module.parameters())
        if name in inner:  # a block (a ResNet stage, a layer placed as two towers): its conv and fc layers
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



_KINDS = ((nn.Conv2d, "conv"), (nn.Linear, "fc"), (nn.ReLU, "relu"), (nn.Tanh, "tanh"),
          ((LocalResponseNorm, nn.LocalResponseNorm), "lrn"), (nn.MaxPool2d, "maxpool"), (nn.AvgPool2d, "avgpool"),
          (nn.AdaptiveAvgPool2d, "adaptive_avgpool"), (nn.Dropout, "dropout"), (nn.Flatten, "flatten"))


def _pair(v) -> tuple[int, int]:
    return (int(v[0]), int(v[1])) if isinstance(v, (tuple, list)) else (int(v), int(v))


def _record(name: str, module: nn.Module, shape: tuple[int, ...], stable: bool) -> LayerRecord:
    parts = getattr(module, "towers", None)  # a layer placed as two towers (towers.PerTower): its towers' halves
    placed = isinstance(parts, nn.ModuleList) and len(parts) > 0
    m = parts[0] if placed else module
    n = len(parts) if placed else 1
    kind = next((k for cls, k in _KINDS if isinstance(m, cls)), "other")
    params = sum(p.numel() for p in module.parameters())
    macs = _macs(m, shape) if not placed else (
        math.prod(shape) * m.in_channels * math.prod(m.kernel_size) if kind == "conv" else 0)
    info: dict = {}
    if kind == "conv":
        split = placed and getattr(module, "mode", "") != "broadcast"  # conv1 sees the whole input on each tower
        info = dict(kernel_size=_pair(m.kernel_size), stride=_pair(m.stride), padding=_pair(m.padding),
                    groups=n if split else m.groups, in_channels=m.in_channels * (n if split else 1),
                    out_channels=m.out_channels * n)
    elif kind == "fc":
        info = dict(in_channels=m.in_features, out_channels=m.out_features)
    elif kind in ("maxpool", "avgpool"):
        info = dict(kernel_size=_pair(m.kernel_size), stride=_pair(m.stride if m.stride is not None else m.kernel_size),
                    padding=_pair(m.padding))
    elif kind == "lrn":
        info = dict(groups=n if placed else int(getattr(m, "groups", 1)))
    elif kind == "dropout":
        info = dict(dropout=float(m.p))
    return LayerRecord(name, kind, type(m).__name__, shape, params, math.prod(shape), macs, stable=stable, **info)


def describe(model: AlexNetBase, input_size: int | None = None) -> NetworkDescription:
    """Every child layer of ``model`` in forward order as a :class:`LayerRecord` (the layers ``summary`` lists
    have its figures exactly, and the ones it leaves out, the classifier's flatten and dropouts, are there too),
    with the totals ``summary`` prints: what the Architecture panel draws (computed where the model lives)."""
    size = input_size or model.native_size
    children = list(model.named_children())
    shapes, _inner = _output_shapes(model, size, [name for name, _ in children])
    rows = {row.name: row for row in summarize(model, size)}  # summary's figures: one source for both
    layers = []
    for name, module in children:
        record = _record(name, module, shapes[name], name in rows)
        if name in rows and rows[name].block:  # a block of layers (a ResNet stage): its inner layers' figures
            record = dataclasses.replace(record, neurons=rows[name].neurons, macs=rows[name].macs)
        layers.append(record)
    return NetworkDescription(
        model=model.variant, description=model.description, towers=model.towers, input_size=size,
        in_channels=model.in_channels, num_classes=model.num_classes, layers=tuple(layers),
        total_params=count_parameters(model), total_neurons=count_neurons(list(rows.values())),
        total_macs=sum(row.macs for row in rows.values()))
