"""VGG-16 (Simonyan and Zisserman 2014) from torchvision's builder, under Caffe's VGG layer names."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from torch import nn

from .base import AlexNetBase, _check_dropout
from .registry import register_model


@register_model
class VGG16(AlexNetBase):
    """torchvision's ``vgg16`` (configuration D, no batch norm), flattened under Caffe's names: ``conv1_1,
    relu1_1, conv1_2, relu1_2, pool1, ... conv5_3, relu5_3, pool5, avgpool (7x7), flatten, fc6, relu6, drop6,
    fc7, relu7, drop7, fc8``, with torchvision's initialisation.  ``in_channels=1`` replaces the first conv
    (Fashion-MNIST).  138,357,544 parameters at 1000 classes and 3 channels."""

    variant = "vgg16"
    native_size = 224
    description = "VGG-16 (torchvision's builder): thirteen 3x3 conv layers in five blocks, three fc layers"
    alexnet_layers = False
    BLOCKS = (2, 2, 3, 3, 3)  # conv layers per block (configuration D)

    def __init__(self, num_classes: int = 1000, in_channels: int = 3, *, dropout: float = 0.5) -> None:
        from torchvision.models import vgg16

        self.check_options({"dropout": dropout})
        if num_classes < 1 or in_channels < 1:
            raise ValueError("num_classes and in_channels must be positive")
        tv = vgg16(weights=None, num_classes=num_classes, dropout=dropout)
        layers: OrderedDict[str, nn.Module] = OrderedDict()
        block, conv = 1, 1
        for m in tv.features:
            if isinstance(m, nn.Conv2d):
                if block == 1 and conv == 1 and in_channels != 3:
                    new = nn.Conv2d(in_channels, m.out_channels, 3, padding=1)
                    nn.init.kaiming_normal_(new.weight, mode="fan_out", nonlinearity="relu")  # torchvision's
                    nn.init.zeros_(new.bias)
                    m = new
                layers[f"conv{block}_{conv}"] = m
            elif isinstance(m, nn.ReLU):
                layers[f"relu{block}_{conv}"] = m
                conv += 1
            else:
                layers[f"pool{block}"] = m
                block, conv = block + 1, 1
        layers["avgpool"] = tv.avgpool
        layers["flatten"] = nn.Flatten(1)
        for name, m in zip(("fc6", "relu6", "drop6", "fc7", "relu7", "drop7", "fc8"), tv.classifier):
            layers[name] = m
        super().__init__(layers, num_classes, in_channels, {"dropout": dropout, "towers": 1})

    @classmethod
    def check_options(cls, options: dict[str, Any]) -> None:
        _check_dropout(options)

    @classmethod
    def geometry(cls, options: dict[str, Any]) -> list[tuple[str, int, int, int]]:
        return [g for b, n in enumerate(cls.BLOCKS, 1)
                for g in [(f"conv{b}_{c}", 3, 1, 1) for c in range(1, n + 1)] + [(f"pool{b}", 2, 2, 0)]]
