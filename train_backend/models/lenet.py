"""LeNet-5 as Dive into Deep Learning builds it (the chapter d2l sets AlexNet beside)."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from torch import nn

from .base import AlexNetBase
from .registry import register_model


@register_model
class LeNet5(AlexNetBase):
    """d2l's LeNet-5: conv 6@5x5 (padding 2) -> sigmoid -> 2x2/2 average pool -> conv 16@5x5 -> sigmoid -> 2x2/2
    average pool -> flatten (16x5x5 = 400) -> fc 120 -> sigmoid -> fc 84 -> sigmoid -> fc to the classes, on
    28 px Fashion-MNIST; Xavier-uniform weights as d2l's trainer initialises them.  61,706 parameters with 10
    classes."""

    variant = "lenet"
    native_size = 28
    description = "LeNet-5 as d2l builds it: two 5x5 conv layers with sigmoids and average pooling, three fc layers"
    alexnet_layers = False
    classifier_name = "fc3"
    POOLED = FIXED_SIDE = 5
    FIXED_SIDE_WHY = "LeNet-5 flattens 16 x 5 x 5 maps into its first fc layer: it needs 28 px (or 29-31)"

    def __init__(self, num_classes: int = 10, in_channels: int = 1) -> None:
        if num_classes < 1 or in_channels < 1:
            raise ValueError("num_classes and in_channels must be positive")
        layers: OrderedDict[str, nn.Module] = OrderedDict()
        layers["conv1"] = nn.Conv2d(in_channels, 6, kernel_size=5, padding=2)
        layers["sigmoid1"] = nn.Sigmoid()
        layers["pool1"] = nn.AvgPool2d(2, 2)
        layers["conv2"] = nn.Conv2d(6, 16, kernel_size=5)
        layers["sigmoid2"] = nn.Sigmoid()
        layers["pool2"] = nn.AvgPool2d(2, 2)
        layers["flatten"] = nn.Flatten(1)
        layers["fc1"] = nn.Linear(16 * self.POOLED ** 2, 120)
        layers["sigmoid3"] = nn.Sigmoid()
        layers["fc2"] = nn.Linear(120, 84)
        layers["sigmoid4"] = nn.Sigmoid()
        layers["fc3"] = nn.Linear(84, num_classes)
        super().__init__(layers, num_classes, in_channels, {"towers": 1})
        for module in self.modules():
            if isinstance(module, (nn.Conv2d, nn.Linear)):
                nn.init.xavier_uniform_(module.weight)

    def reset_classifier(self, num_classes: int) -> None:
        super().reset_classifier(num_classes)
        nn.init.xavier_uniform_(self.fc3.weight)

    @classmethod
    def geometry(cls, options: dict[str, Any]) -> list[tuple[str, int, int, int]]:
        return [("conv1", 5, 1, 2), ("pool1", 2, 2, 0), ("conv2", 5, 1, 0), ("pool2", 2, 2, 0)]

