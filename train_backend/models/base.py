"""What every network of the app shares: the flat layer-by-layer module with stable layer names, timm-style
helpers, and the shape arithmetic that validates a size without building the network.

Both are flat ``nn.Sequential`` models whose children carry the stable layer names that probes
and panels use (``conv1, relu1, lrn1, pool1, ... fc8``), so ``model.conv1`` and
``dict(model.named_modules())["lrn2"]`` both work.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import torch
from torch import nn



#: The stable layer names, in forward order (torchvision's variant lacks lrn1/lrn2).
LAYER_NAMES = (
    "conv1", "relu1", "lrn1", "pool1",
    "conv2", "relu2", "lrn2", "pool2",
    "conv3", "relu3", "conv4", "relu4", "conv5", "relu5", "pool5",
    "fc6", "relu6", "fc7", "relu7", "fc8",
)

#: where the classifier head starts: the adaptive pool (paper, torchvision) or the flatten (d2l, which has none)
HEAD_START = ("avgpool", "flatten")


class AlexNetBase(nn.Sequential):
    """A flat AlexNet: children in forward order under their stable names."""

    variant: str = "base"
    #: the native input size (the paper's arithmetic needs 227; torchvision uses 224)
    native_size: int = 227
    description: str = ""
    #: names of published weights this model loads (none but torchvision's)
    weights_aliases: tuple[str, ...] = ()
    #: the last layer, the one fine-tuning replaces (``fc8`` in every AlexNet; ``fc`` in ResNet, ``fc3`` in LeNet)
    classifier_name: str = "fc8"
    #: the AlexNet family names its layers from :data:`LAYER_NAMES`; other networks (LeNet, VGG, ResNet) list
    #: every child but the head's reshaping ones
    alexnet_layers: bool = True

    def __init__(self, layers: "OrderedDict[str, nn.Module]", num_classes: int, in_channels: int, options: dict):
        super().__init__(layers)
        self.num_classes = num_classes
        self.in_channels = in_channels
        self.options = dict(options)

    # timm-style helpers -------------------------------------------------
    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        for name, module in self.named_children():
            if name in HEAD_START:
                break
            x = module(x)
        return x

    def forward_head(self, x: torch.Tensor) -> torch.Tensor:
        started = False
        for name, module in self.named_children():
            started = started or name in HEAD_START
            if started:
                x = module(x)
        return x

    def layer_names(self) -> list[str]:
        """Stable names of the layers this model has, in forward order (the probes' and panels' layers)."""
        names = dict(self.named_children())
        if not self.alexnet_layers:
            return [n for n in names if n not in HEAD_START and not isinstance(names[n], nn.Dropout)]
        return [n for n in LAYER_NAMES if n in names]

    def all_layer_names(self) -> list[str]:
        """Every child in forward order, dropout, flatten and adaptive pooling included (``summary``'s rows)."""
        return [n for n, _ in self.named_children()]

    @property
    def first_conv(self) -> nn.Conv2d:
        """The first convolution (``conv1``; ``conv1_1`` in VGG): the kernels Figure 3 shows. ``conv1`` by name where
        there is one (towers placed on two devices make it a pair whose ``weight`` joins the towers' slices)."""
        named = dict(self.named_children())
        if "conv1" in named:
            return named["conv1"]
        return next(m for m in self.children() if isinstance(m, nn.Conv2d))

    def conv_names(self) -> list[str]:
        return [n for n in self.layer_names() if n.startswith("conv")]

    @property
    def towers(self) -> int:
        return int(self.options.get("towers", 1))

    def reset_classifier(self, num_classes: int) -> None:
        """Replace the last layer (fc8) with a freshly initialised layer for ``num_classes`` (fine-tuning)."""
        old = getattr(self, self.classifier_name)
        new = nn.Linear(old.in_features, num_classes)
        if self.variant == "paper":
            init_linear_like_paper(new, bias=0.0)
        setattr(self, self.classifier_name, new.to(old.weight.device, old.weight.dtype))
        self.num_classes = num_classes

    def config(self) -> dict[str, Any]:
        """What is needed to rebuild this model with :func:`build_model`."""
        return {"name": self.variant, "num_classes": self.num_classes, "in_channels": self.in_channels, **self.options}

    def min_input_size(self) -> int:
        return type(self).min_size(self.options)

    def input_size_problem(self, size: int) -> str | None:
        """Why a ``size`` x ``size`` input cannot go through this network, or None if it can."""
        return type(self).size_problem(size, self.options)

    # what can be known without building the model (validating a config costs no weights) --------
    @classmethod
    def check_options(cls, options: dict[str, Any]) -> None:
        """Raise ``ValueError`` for options this model cannot be built with (names are checked by build_model)."""

    @classmethod
    def geometry(cls, options: dict[str, Any]) -> list[tuple[str, int, int, int]]:
        """(layer, kernel, stride, padding) of each convolution and pooling layer before the classifier head."""
        raise NotImplementedError

    @classmethod
    def feature_side(cls, size: int, options: dict[str, Any]) -> int:
        """The side of the last feature maps for a ``size`` x ``size`` input (ValueError: too small)."""
        hw = size
        for name, k, s, p in cls.geometry(options):
            if hw + 2 * p < k:
                raise ValueError(f"input {size} too small at {name}")
            hw = (hw + 2 * p - k) // s + 1
        return hw

    #: a network that flattens its last maps with no adaptive pool takes only the sizes that give maps of this side
    #: (d2l's and seed 001's pool5, LeNet-5's second pooling); :attr:`FIXED_SIDE_WHY` says so to the user
    FIXED_SIDE: int | None = None
    FIXED_SIDE_WHY: str = ""

    @classmethod
    def size_fits(cls, size: int, options: dict[str, Any]) -> bool:
        try:
            side = cls.feature_side(size, options)
        except ValueError:
            return False
        return cls.FIXED_SIDE is None or side == cls.FIXED_SIDE

    @classmethod
    def size_problem(cls, size: int, options: dict[str, Any]) -> str | None:
        if cls.size_fits(size, options):
            return None
        if cls.FIXED_SIDE is not None:
            return f"{cls.FIXED_SIDE_WHY}, not {size}"
        return f"input size {size} is below the {cls.variant} model's minimum of {cls.min_size(options)} px"

    @classmethod
    def min_size(cls, options: dict[str, Any]) -> int:
        """The smallest square input the network accepts (found by shape arithmetic)."""
        for size in range(1, 1024):
            if cls.size_fits(size, options):
                return size
        raise RuntimeError("could not find a minimum input size")


def _check_dropout(options: dict[str, Any]) -> None:
    p = options.get("dropout", 0.5)
    if not (0 <= p < 1):
        raise ValueError(f"dropout must be in [0, 1), got {p!r}")


def init_linear_like_paper(layer: nn.Module, bias: float) -> None:
    nn.init.normal_(layer.weight, mean=0.0, std=0.01)
    nn.init.constant_(layer.bias, bias)

