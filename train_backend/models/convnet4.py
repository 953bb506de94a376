"""The four-layer CIFAR-10 net of the paper's Figure 1 (ReLU against tanh), as in cuda-convnet's example."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from torch import nn

from .base import AlexNetBase
from .lrn import LocalResponseNorm
from .registry import register_model


@register_model
class ConvNet4(AlexNetBase):
    """Figure 1's network: "a four-layer convolutional neural network" on CIFAR-10, as cuda-convnet's
    ``layers-80sec.cfg`` example builds it: three 5x5 convolutions (32, 32 and 64 kernels, padding 2), each
    followed by its activation and a 3x3 stride-2 pooling (max after conv1, average after conv2 and conv3),
    then one fully connected layer to the classes.  Four layers with weights; no LRN, no dropout ("no
    regularization of any kind was employed" in Figure 1).

    Options: ``activation`` ("relu" or "tanh": the figure's two curves), ``width`` (scales the kernel
    counts; 1.0 = 32-32-64) and ``lrn`` (the paper's LRN, k=2, n=5, alpha=1e-4, beta=0.75, after relu1 and relu2:
    the paper's CIFAR-10 note, "a four-layer CNN achieved a 13% test error rate without normalization and 11%
    with normalization").  An adaptive average pool before the classifier gives 4x4 maps (CIFAR-10's 32 px
    already does), so Fashion-MNIST's 28 px fits too.
    """

    variant = "convnet4"
    native_size = 32
    description = "Figure 1's four-layer CIFAR-10 net (cuda-convnet's example): 32-32-64 5x5 conv, one fc layer"
    KERNELS = (32, 32, 64)
    POOLED = 4  # the side of conv3's pooled maps at 32 px

    def __init__(self, num_classes: int = 10, in_channels: int = 3, *, activation: str = "relu",
                 width: float = 1.0, lrn: bool = False) -> None:
        self.check_options({"activation": activation, "width": width, "lrn": lrn})
        if num_classes < 1 or in_channels < 1:
            raise ValueError("num_classes and in_channels must be positive")
        c1, c2, c3 = (max(1, int(round(c * width))) for c in self.KERNELS)

        def act() -> nn.Module:
            return nn.ReLU(inplace=True) if activation == "relu" else nn.Tanh()

        layers: OrderedDict[str, nn.Module] = OrderedDict()
        layers["conv1"] = nn.Conv2d(in_channels, c1, kernel_size=5, padding=2)
        layers["relu1"] = act()
        if lrn:
            layers["lrn1"] = LocalResponseNorm()
        layers["pool1"] = nn.MaxPool2d(3, 2, padding=1)
        layers["conv2"] = nn.Conv2d(c1, c2, kernel_size=5, padding=2)
        layers["relu2"] = act()
        if lrn:
            layers["lrn2"] = LocalResponseNorm()
        layers["pool2"] = nn.AvgPool2d(3, 2, padding=1, count_include_pad=False)
        layers["conv3"] = nn.Conv2d(c2, c3, kernel_size=5, padding=2)
        layers["relu3"] = act()
        layers["pool3"] = nn.AvgPool2d(3, 2, padding=1, count_include_pad=False)
        layers["avgpool"] = nn.AdaptiveAvgPool2d((self.POOLED, self.POOLED))
        layers["flatten"] = nn.Flatten(1)
        layers["fc8"] = nn.Linear(c3 * self.POOLED ** 2, num_classes)
        super().__init__(layers, num_classes, in_channels, {"activation": activation, "width": width, "lrn": lrn,
                                                                "towers": 1})

    @classmethod
    def check_options(cls, options: dict[str, Any]) -> None:
        if options.get("activation", "relu") not in ("relu", "tanh"):
            raise ValueError(f"activation must be 'relu' or 'tanh', got {options.get('activation')!r}")
        width = options.get("width", 1.0)
        if isinstance(width, bool) or not isinstance(width, (int, float)) or not (0 < width <= 8):
            raise ValueError(f"width must be in (0, 8], got {width!r}")
        if not isinstance(options.get("lrn", False), bool):
            raise ValueError(f"lrn must be true or false, got {options.get('lrn')!r}")

    @classmethod
    def geometry(cls, options: dict[str, Any]) -> list[tuple[str, int, int, int]]:
        return [("conv1", 5, 1, 2), ("pool1", 3, 2, 1), ("conv2", 5, 1, 2), ("pool2", 3, 2, 1),
                ("conv3", 5, 1, 2), ("pool3", 3, 2, 1)]
