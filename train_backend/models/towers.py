"""The paper's two towers on two devices (``tower_devices``: e.g. ``cuda:0,cuda:1``), as Krizhevsky et al. trained it.

:func:`place_towers` rebuilds a two-tower :class:`~train_backend.models.paper.PaperAlexNet` in place: each
tower-local layer (conv1, conv2, conv4, conv5 and their ReLU, LRN and pooling) becomes a :class:`PerTower` pair,
tower 1's half on the first device and tower 2's on the second, each an ordinary ungrouped convolution holding
its slice of the grouped weights.  Between layers the activations travel as a tuple (one tensor per tower), so
the towers compute side by side: CUDA launches are asynchronous, tower 2's kernels queue on its GPU while tower
1's run.

Where the towers exchange, the model gathers them on the first device: conv3 (which reads both towers' conv2
maps) and the fully connected layers run there, and conv3's output is split back into the towers' halves for
conv4.  The paper also split conv3 and the FC layers between its GPUs, each GPU computing half of their
outputs from the whole input; that needs a transfer of the full activations to each GPU and back at every one
of those layers.  Today's GPUs hold the FC layers easily (fc6-fc8: 58 M parameters, 0.23 GB in fp32), so one
gather before conv3, one split after it and one gather before the classifier are the fewer transfers.

Checkpoints keep the one-device names: the state dict of a placed model has ``conv1.weight`` (the towers'
slices joined), not ``conv1.towers.0.weight``, and loading splits it, so weights load either way.  (Resuming the
*optimizer* state needs the same placement: its tensors follow the model's parameters.)  ``conv1.weight`` reads
the joined kernels too, so the kernels view still shows GPU 1 and GPU 2.  :func:`unplace_towers` undoes the
placement (the grouped one-device layers again, on the first device).
"""

from __future__ import annotations

import copy
from typing import Sequence

import torch
from torch import nn

from ..errors import AlexNetGuiError

#: the tower-local layers, and how each takes its input: "broadcast" (the whole input to each tower: conv1),
#: "split" (the channels halved: conv4, after the exchange) or the towers' tuple ("tuple")
TOWER_LAYERS = {"conv1": "broadcast", "relu1": "tuple", "lrn1": "tuple", "pool1": "tuple", "conv2": "tuple",
                "relu2": "tuple", "lrn2": "tuple", "pool2": "tuple", "conv4": "split", "relu4": "tuple",
                "conv5": "tuple", "relu5": "tuple", "pool5": "tuple"}
#: where the towers' tuple is gathered on the first device
GATHER_BEFORE = ("conv3", "avgpool")


class TowerPlacementError(AlexNetGuiError, ValueError):
    """The model or the device list cannot be placed as two towers."""


def parse_tower_devices(text: str | Sequence[str]) -> list[torch.device]:
    """``"cuda:0,cuda:1"`` as two devices; a clear :class:`TowerPlacementError` for anything else."""
    parts = [p.strip() for p in (text.split(",") if isinstance(text, str) else text)]
    if len(parts) != 2 or not all(parts):
        raise TowerPlacementError(f"tower devices must be two devices, e.g. cuda:0,cuda:1 (got {text!r})")
    try:
        devices = [torch.device(p) for p in parts]
    except RuntimeError as err:
        raise TowerPlacementError(f"tower devices: {err}") from None
    for d in devices:
        if d.type not in ("cpu", "cuda"):
            raise TowerPlacementError(f"tower devices are CUDA devices (or cpu, for tests), not {d}")
        if d.type == "cuda":
            if not torch.cuda.is_available():
                raise TowerPlacementError(f"tower device {d}: CUDA is not available on this machine")
            index = d.index if d.index is not None else 0
            if index >= torch.cuda.device_count():
                raise TowerPlacementError(f"tower device {d}: this machine has {torch.cuda.device_count()} GPU(s)")
    return devices


class PerTower(nn.Module):
    """One tower-local layer as a pair: ``towers[i]`` on ``devices[i]``; takes and returns one tensor per tower.

    Its state dict keeps the one-device layer's names (the towers' weights joined along the output channels)."""

    def __init__(self, towers: Sequence[nn.Module], devices: Sequence[torch.device], mode: str = "tuple") -> None:
        super().__init__()
        self.towers = nn.ModuleList(towers)
        self.devices = list(devices)
        self.mode = mode
        self._register_state_dict_hook(PerTower._joined_state)
        self._register_load_state_dict_pre_hook(PerTower._split_state, with_module=True)

    def forward(self, x):
        if self.mode == "broadcast":
            xs = tuple(x.to(d, non_blocking=True) for d in self.devices)
        elif self.mode == "split" and isinstance(x, torch.Tensor):
            xs = tuple(c.to(d, non_blocking=True) for c, d in zip(x.chunk(len(self.devices), 1), self.devices))
        else:
            xs = x
        return tuple(m(t) for m, t in zip(self.towers, xs))

    @property
    def weight(self) -> torch.Tensor:
        """The towers' weights joined (on the first device): what the one-device layer's ``weight`` holds."""
        first = self.devices[0]
        return torch.cat([m.weight.to(first) for m in self.towers], 0)

    @property
    def bias(self) -> torch.Tensor | None:
        if self.towers[0].bias is None:
            return None
        first = self.devices[0]
        return torch.cat([m.bias.to(first) for m in self.towers], 0)

    @staticmethod
    def _joined_state(module, state, prefix, local_metadata):
        names = [k[len(prefix) + len("towers.0."):] for k in state if k.startswith(prefix + "towers.0.")]
        first = module.devices[0]
        for name in names:
            parts = [state.pop(f"{prefix}towers.{i}.{name}") for i in range(len(module.towers))]
            state[prefix + name] = torch.cat([p.to(first) for p in parts], 0)
        return state

    def _split_state(self, state, prefix, local_metadata, strict, missing, unexpected, errors):
        for name, _ in self.towers[0].named_parameters(recurse=False):
            key = prefix + name
            if key in state:
                whole = state.pop(key)
                for i, part in enumerate(whole.chunk(len(self.towers), 0)):
                    state[f"{prefix}towers.{i}.{name}"] = part


def _tower_conv(conv: nn.Conv2d, i: int, towers: int, grouped: bool) -> nn.Conv2d:
    out = conv.out_channels // towers
    inp = conv.in_channels // towers if grouped else conv.in_channels
    c = nn.Conv2d(inp, out, conv.kernel_size, conv.stride, conv.padding, conv.dilation, bias=conv.bias is not None)
    with torch.no_grad():
        c.weight.copy_(conv.weight[i * out:(i + 1) * out])
        if conv.bias is not None:
            c.bias.copy_(conv.bias[i * out:(i + 1) * out])
    return c


def _gather(devices):
    def hook(module, args):
        x = args[0]
        if isinstance(x, tuple):
            return (torch.cat([t.to(devices[0], non_blocking=True) for t in x], 1),)
        return None

    return hook


def place_towers(model: nn.Module, devices: Sequence[torch.device] | str) -> nn.Module:
    """Put ``model``'s two towers on ``devices`` (in place; returns the model).  The exchange layers (conv3,
    fc6-fc8) go to the first device, where the input must be.  See the module docstring."""
    devices = parse_tower_devices(devices) if isinstance(devices, str) else list(devices)
    if getattr(model, "variant", None) != "paper" or int(getattr(model, "towers", 1)) != 2:
        raise TowerPlacementError("tower devices need the paper model with its two towers (--model paper, towers 2)")
    if getattr(model, "_tower_devices", None):
        raise TowerPlacementError("the towers are already placed")
    first = devices[0]
    model.to(first)
    children = dict(model.named_children())
    for name, mode in TOWER_LAYERS.items():
        layer = children.get(name)
        if layer is None:  # an ablation without LRN
            continue
        if isinstance(layer, nn.Conv2d):
            grouped = layer.groups == 2
            parts = [_tower_conv(layer, i, 2, grouped) for i in range(2)]
        elif hasattr(layer, "groups"):  # the LRN, each tower normalising its own maps
            parts = []
            for _ in range(2):
                p = copy.deepcopy(layer)
                p.groups = 1
                parts.append(p)
        else:
            parts = [copy.deepcopy(layer) for _ in range(2)]
        for p, d in zip(parts, devices):
            p.to(d)
        model._modules[name] = PerTower(parts, devices, mode)
    model._tower_hooks = [getattr(model, name).register_forward_pre_hook(_gather(devices)) for name in GATHER_BEFORE]
    model._tower_devices = devices
    return model


def unplace_towers(model: nn.Module) -> nn.Module:
    """Undo :func:`place_towers`: the grouped one-device layers again, on the first device."""
    devices = getattr(model, "_tower_devices", None)
    if not devices:
        return model
    for h in model._tower_hooks:
        h.remove()
    for name, layer in list(model.named_children()):
        if not isinstance(layer, PerTower):
            continue
        t0 = layer.towers[0]
        if isinstance(t0, nn.Conv2d):
            grouped = TOWER_LAYERS[name] != "broadcast"
            conv = nn.Conv2d(t0.in_channels * (2 if grouped else 1), t0.out_channels * 2, t0.kernel_size, t0.stride,
                             t0.padding, t0.dilation, groups=2 if grouped else 1, bias=t0.bias is not None)
            with torch.no_grad():
                conv.weight.copy_(layer.weight)
                if t0.bias is not None:
                    conv.bias.copy_(layer.bias)
            whole = conv
        elif hasattr(t0, "groups"):
            whole = copy.deepcopy(t0)
            whole.groups = 2
        else:
            whole = copy.deepcopy(t0)
        model._modules[name] = whole.to(devices[0])
    model._tower_devices = None
    model._tower_hooks = []
    return model.to(devices[0])
