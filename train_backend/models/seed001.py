"""Seed 001's PyTorch port of the paper's network (the alexnet-pytorch repository's ``model.py``), exactly as its
code is, so that it can be set beside the paper's net (``summary --compare seed001,paper``)."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from torch import nn

from .base import AlexNetBase, _check_dropout
from .lrn import LocalResponseNorm
from .registry import register_model


@register_model
class Seed001AlexNet(AlexNetBase):
    """The alexnet-pytorch port: one tower of 96-256-384-384-256 kernels (no groups), PyTorch's
    ``nn.LocalResponseNorm(size=5, alpha=1e-4, beta=0.75, k=2)`` after relu1 and relu2 (PyTorch's convention:
    alpha is divided by n, a five-times weaker α term than the paper's), 3x3/2 max-pooling, pool5's 256x6x6
    maps flattened straight into fc6 (``x.view(-1, 256 * 6 * 6)``: 227 px only), dropout 0.5 *before* fc6
    and fc7 (``Dropout, Linear, ReLU, Dropout, Linear, ReLU, Linear``; the paper and Caffe drop fc6's and fc7's
    outputs), and only the conv layers initialised: weights N(0, 0.01), biases 1 in conv2, conv4 and conv5,
    0 in conv1 and conv3; fc6-fc8 keep PyTorch's default initialisation.  62,378,344 parameters at 1000
    classes (the paper's two-tower net: 60,965,224)."""

    variant = "seed001"
    native_size = 227
    description = ("seed 001's PyTorch port (alexnet-pytorch): one tower, PyTorch's LRN convention, dropout "
                   "before fc6 and fc7, only the conv layers initialised")
    POOL5 = FIXED_SIDE = 6
    FIXED_SIDE_WHY = ("seed 001's port flattens pool5 as 256 x 6 x 6 (x.view(-1, 256 * 6 * 6), no adaptive pool): it "
                      "needs 227 px (or another size giving 6x6 maps)")
    ONE_BIAS_LAYERS = ("conv2", "conv4", "conv5")

    def __init__(self, num_classes: int = 1000, in_channels: int = 3, *, dropout: float = 0.5) -> None:
        self.check_options({"dropout": dropout})
        if num_classes < 1 or in_channels < 1:
            raise ValueError("num_classes and in_channels must be positive")

        def lrn() -> nn.Module:  # nn.LocalResponseNorm(size=5, alpha=0.0001, beta=0.75, k=2), computed as ours
            return LocalResponseNorm(5, 1e-4, 0.75, 2.0, convention="pytorch")

        layers: OrderedDict[str, nn.Module] = OrderedDict()
        layers["conv1"] = nn.Conv2d(in_channels, 96, kernel_size=11, stride=4)
        layers["relu1"] = nn.ReLU()
        layers["lrn1"] = lrn()
        layers["pool1"] = nn.MaxPool2d(3, 2)
        layers["conv2"] = nn.Conv2d(96, 256, 5, padding=2)
        layers["relu2"] = nn.ReLU()
        layers["lrn2"] = lrn()
        layers["pool2"] = nn.MaxPool2d(3, 2)
        layers["conv3"] = nn.Conv2d(256, 384, 3, padding=1)
        layers["relu3"] = nn.ReLU()
        layers["conv4"] = nn.Conv2d(384, 384, 3, padding=1)
        layers["relu4"] = nn.ReLU()
        layers["conv5"] = nn.Conv2d(384, 256, 3, padding=1)
        layers["relu5"] = nn.ReLU()
        layers["pool5"] = nn.MaxPool2d(3, 2)
        layers["flatten"] = nn.Flatten(1)
        layers["drop6"] = nn.Dropout(dropout)
        layers["fc6"] = nn.Linear(256 * self.POOL5 ** 2, 4096)
        layers["relu6"] = nn.ReLU()
        layers["drop7"] = nn.Dropout(dropout)
        layers["fc7"] = nn.Linear(4096, 4096)
        layers["relu7"] = nn.ReLU()
        layers["fc8"] = nn.Linear(4096, num_classes)
        super().__init__(layers, num_classes, in_channels, {"dropout": dropout, "towers": 1})
        for name, module in self.named_children():  # init_bias(): the conv layers only
            if isinstance(module, nn.Conv2d):
                nn.init.normal_(module.weight, mean=0.0, std=0.01)
                nn.init.constant_(module.bias, 1.0 if name in self.ONE_BIAS_LAYERS else 0.0)

    @classmethod
    def check_options(cls, options: dict[str, Any]) -> None:
        _check_dropout(options)

    @classmethod
    def geometry(cls, options: dict[str, Any]) -> list[tuple[str, int, int, int]]:
        return [("conv1", 11, 4, 0), ("pool1", 3, 2, 0), ("conv2", 5, 1, 2), ("pool2", 3, 2, 0),
                ("conv3", 3, 1, 1), ("conv4", 3, 1, 1), ("conv5", 3, 1, 1), ("pool5", 3, 2, 0)]

