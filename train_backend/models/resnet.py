"""ResNet-18 (He et al. 2015) from torchvision's builder, as a flat sequence of its stages."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from torch import nn

from .base import AlexNetBase
from .registry import register_model


@register_model
class ResNet18(AlexNetBase):
    """torchvision's ``resnet18``: ``conv1`` (7x7/2), ``bn1``, ``relu1``, ``pool1`` (3x3/2 max), the four stages
    ``layer1``-``layer4`` (two basic blocks each, 64-128-256-512 channels), ``avgpool`` (1x1), ``flatten``, ``fc``,
    with torchvision's initialisation.  ``in_channels=1`` replaces conv1 (Fashion-MNIST).  11,689,512 parameters at
    1000 classes and 3 channels."""

    variant = "resnet18"
    native_size = 224
    description = "ResNet-18 (torchvision's builder): a 7x7 stem and four stages of two residual blocks"
    alexnet_layers = False
    classifier_name = "fc"

    def __init__(self, num_classes: int = 1000, in_channels: int = 3) -> None:
        from torchvision.models import resnet18

        if num_classes < 1 or in_channels < 1:
            raise ValueError("num_classes and in_channels must be positive")
        tv = resnet18(weights=None, num_classes=num_classes)
        if in_channels != 3:
            tv.conv1 = nn.Conv2d(in_channels, 64, kernel_size=7, stride=2, padding=3, bias=False)
            nn.init.kaiming_normal_(tv.conv1.weight, mode="fan_out", nonlinearity="relu")  # torchvision's
        layers: OrderedDict[str, nn.Module] = OrderedDict(
            conv1=tv.conv1, bn1=tv.bn1, relu1=tv.relu, pool1=tv.maxpool, layer1=tv.layer1, layer2=tv.layer2,
            layer3=tv.layer3, layer4=tv.layer4, avgpool=tv.avgpool, flatten=nn.Flatten(1), fc=tv.fc)
        super().__init__(layers, num_classes, in_channels, {"towers": 1})

    @classmethod
    def geometry(cls, options: dict[str, Any]) -> list[tuple[str, int, int, int]]:
        return [("conv1", 7, 2, 3), ("pool1", 3, 2, 1), ("layer2", 3, 2, 1), ("layer3", 3, 2, 1),
                ("layer4", 3, 2, 1)]
