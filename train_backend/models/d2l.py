"""Dive into Deep Learning's AlexNet, as its chapter builds it."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from torch import nn

from .base import AlexNetBase, _check_dropout
from .torchvision_alexnet import TorchvisionAlexNet
from .registry import register_model


@register_model
class D2LAlexNet(AlexNetBase):
    """Dive into Deep Learning's AlexNet (chapter "Deep Convolutional Neural Networks (AlexNet)").

    One input channel (Fashion-MNIST at 224 px), conv1 96@11x11 stride 4 *padding 1* (54x54 maps),
    no LRN and no towers, 3x3/2 max-pooling, and pool5's 256x5x5 maps flattened straight into fc6
    (6400 inputs: no adaptive pool, so the input must be 224 px or one that also gives 5x5), dropout
    0.5 on the outputs of fc6 and fc7, Xavier-uniform weights as d2l's trainer initialises them
    (biases keep PyTorch's default).  46,764,746 parameters with 10 classes.
    """

    variant = "d2l"
    native_size = 224
    description = "Dive into Deep Learning's AlexNet: 1 channel, no LRN or towers, 6400 inputs to fc6"
    POOL5 = FIXED_SIDE = 5  # pool5's side at 224 px: fc6 takes 256 * 5 * 5 = 6400 inputs
    FIXED_SIDE_WHY = ("d2l's network needs an input whose pool5 maps are 5x5 (fc6 takes 256 x 5 x 5 = 6400 inputs, "
                      "with no adaptive pool): 224 px")

    def __init__(self, num_classes: int = 10, in_channels: int = 1, *, dropout: float = 0.5) -> None:
        self.check_options({"dropout": dropout})
        if num_classes < 1 or in_channels < 1:
            raise ValueError("num_classes and in_channels must be positive")
        layers: OrderedDict[str, nn.Module] = OrderedDict()
        layers["conv1"] = nn.Conv2d(in_channels, 96, kernel_size=11, stride=4, padding=1)
        layers["relu1"] = nn.ReLU(inplace=True)
        layers["pool1"] = nn.MaxPool2d(3, 2)
        layers["conv2"] = nn.Conv2d(96, 256, kernel_size=5, padding=2)
        layers["relu2"] = nn.ReLU(inplace=True)
        layers["pool2"] = nn.MaxPool2d(3, 2)
        layers["conv3"] = nn.Conv2d(256, 384, kernel_size=3, padding=1)
        layers["relu3"] = nn.ReLU(inplace=True)
        layers["conv4"] = nn.Conv2d(384, 384, kernel_size=3, padding=1)
        layers["relu4"] = nn.ReLU(inplace=True)
        layers["conv5"] = nn.Conv2d(384, 256, kernel_size=3, padding=1)
        layers["relu5"] = nn.ReLU(inplace=True)
        layers["pool5"] = nn.MaxPool2d(3, 2)
        layers["flatten"] = nn.Flatten(1)
        layers["fc6"] = nn.Linear(256 * self.POOL5 ** 2, 4096)
        layers["relu6"] = nn.ReLU(inplace=True)
        layers["drop6"] = nn.Dropout(dropout)
        layers["fc7"] = nn.Linear(4096, 4096)
        layers["relu7"] = nn.ReLU(inplace=True)
        layers["drop7"] = nn.Dropout(dropout)
        layers["fc8"] = nn.Linear(4096, num_classes)
        super().__init__(layers, num_classes, in_channels, {"dropout": dropout, "towers": 1})
        for module in self.modules():
            if isinstance(module, (nn.Conv2d, nn.Linear)):
                nn.init.xavier_uniform_(module.weight)

    def reset_classifier(self, num_classes: int) -> None:
        super().reset_classifier(num_classes)
        nn.init.xavier_uniform_(self.fc8.weight)

    @classmethod
    def check_options(cls, options: dict[str, Any]) -> None:
        _check_dropout(options)

    @classmethod
    def geometry(cls, options: dict[str, Any]) -> list[tuple[str, int, int, int]]:
        return [("conv1", 11, 4, 1), *TorchvisionAlexNet.geometry(options)[1:]]


