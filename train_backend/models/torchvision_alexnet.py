"""torchvision's AlexNet (the later single-tower variant) under the stable layer names, and its ImageNet weights
through torchvision's weights API."""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path
from typing import Any

import torch
from torch import nn

from .base import AlexNetBase, _check_dropout
from .registry import register_model

#: torchvision ``alexnet`` state_dict prefixes -> our layer names.
TORCHVISION_KEY_MAP = {
    "features.0.": "conv1.", "features.3.": "conv2.", "features.6.": "conv3.",
    "features.8.": "conv4.", "features.10.": "conv5.",
    "classifier.1.": "fc6.", "classifier.4.": "fc7.", "classifier.6.": "fc8.",
}


@register_model
class TorchvisionAlexNet(AlexNetBase):
    """torchvision's AlexNet (the single-tower "one weird trick" variant) under the stable names.

    Loads torchvision state_dicts (``features.0.weight`` ...) via :func:`load_torchvision_state_dict`
    and computes exactly what ``torchvision.models.alexnet`` computes with the same weights.
    """

    variant = "torchvision"
    native_size = 224
    description = "torchvision's AlexNet: the later single-tower 'one weird trick' variant, no LRN"
    #: names that mean torchvision's ImageNet weights (IMAGENET1K_V1), wherever weights are asked for
    weights_aliases = ("torchvision", "imagenet", "IMAGENET1K_V1")

    @classmethod
    def check_options(cls, options: dict[str, Any]) -> None:
        _check_dropout(options)

    @classmethod
    def geometry(cls, options: dict[str, Any]) -> list[tuple[str, int, int, int]]:
        return [("conv1", 11, 4, 2), ("pool1", 3, 2, 0), ("conv2", 5, 1, 2), ("pool2", 3, 2, 0),
                ("conv3", 3, 1, 1), ("conv4", 3, 1, 1), ("conv5", 3, 1, 1), ("pool5", 3, 2, 0)]

    def __init__(self, num_classes: int = 1000, in_channels: int = 3, *, dropout: float = 0.5) -> None:
        self.check_options({"dropout": dropout})
        layers: OrderedDict[str, nn.Module] = OrderedDict()
        layers["conv1"] = nn.Conv2d(in_channels, 64, kernel_size=11, stride=4, padding=2)
        layers["relu1"] = nn.ReLU(inplace=True)
        layers["pool1"] = nn.MaxPool2d(3, 2)
        layers["conv2"] = nn.Conv2d(64, 192, kernel_size=5, padding=2)
        layers["relu2"] = nn.ReLU(inplace=True)
        layers["pool2"] = nn.MaxPool2d(3, 2)
        layers["conv3"] = nn.Conv2d(192, 384, kernel_size=3, padding=1)
        layers["relu3"] = nn.ReLU(inplace=True)
        layers["conv4"] = nn.Conv2d(384, 256, kernel_size=3, padding=1)
        layers["relu4"] = nn.ReLU(inplace=True)
        layers["conv5"] = nn.Conv2d(256, 256, kernel_size=3, padding=1)
        layers["relu5"] = nn.ReLU(inplace=True)
        layers["pool5"] = nn.MaxPool2d(3, 2)
        layers["avgpool"] = nn.AdaptiveAvgPool2d((6, 6))
        layers["flatten"] = nn.Flatten(1)
        layers["drop6"] = nn.Dropout(dropout)
        layers["fc6"] = nn.Linear(256 * 36, 4096)
        layers["relu6"] = nn.ReLU(inplace=True)
        layers["drop7"] = nn.Dropout(dropout)
        layers["fc7"] = nn.Linear(4096, 4096)
        layers["relu7"] = nn.ReLU(inplace=True)
        layers["fc8"] = nn.Linear(4096, num_classes)
        super().__init__(layers, num_classes, in_channels, {"dropout": dropout, "towers": 1})

    @classmethod
    def from_weights(cls, weights: str, num_classes: int = 1000, in_channels: int = 3,
                     **options: Any) -> "TorchvisionAlexNet":
        """ImageNet's weights (any of :attr:`weights_aliases`) or a ``.pth`` state_dict saved from torchvision; with
        ``num_classes != 1000`` the ImageNet fc8 is replaced, as fine-tuning does."""
        if in_channels != 3:
            raise ValueError("torchvision's ImageNet weights need 3-channel input")
        model = cls(1000, 3, **options)
        state = torchvision_imagenet_state_dict() if weights in cls.weights_aliases \
            else torch.load(Path(weights), map_location="cpu", weights_only=True)
        load_torchvision_state_dict(model, state)
        if num_classes != 1000:
            model.reset_classifier(num_classes)
        return model


def torchvision_imagenet_state_dict(progress: bool = True) -> dict[str, torch.Tensor]:
    """torchvision's ImageNet AlexNet weights, through torchvision's weights API and cache."""
    from torchvision.models import AlexNet_Weights

    return AlexNet_Weights.IMAGENET1K_V1.get_state_dict(progress=progress, check_hash=True)


def imagenet_categories() -> list[str]:
    from torchvision.models import AlexNet_Weights

    return list(AlexNet_Weights.IMAGENET1K_V1.meta["categories"])


def is_torchvision_state_dict(state: dict) -> bool:
    return isinstance(state, dict) and "features.0.weight" in state and "classifier.6.weight" in state


def map_torchvision_keys(state: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """Rename torchvision keys (``features.0.weight``) to ours (``conv1.weight``)."""
    out = {}
    for key, value in state.items():
        for old, new in TORCHVISION_KEY_MAP.items():
            if key.startswith(old):
                out[new + key[len(old):]] = value
                break
        else:
            raise KeyError(f"unexpected key {key!r} in a torchvision AlexNet state_dict")
    return out


def to_torchvision_keys(state: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    inverse = {v: k for k, v in TORCHVISION_KEY_MAP.items()}
    out = {}
    for key, value in state.items():
        prefix = key.split(".")[0] + "."
        out[inverse[prefix] + key[len(prefix):]] = value
    return out


def load_torchvision_state_dict(model: TorchvisionAlexNet, state: dict[str, torch.Tensor]) -> None:
    """Load a state_dict saved from ``torchvision.models.alexnet`` (or one with our names)."""
    if not isinstance(state, dict):
        raise ValueError("not a state_dict (expected a mapping of parameter names to tensors)")
    if is_torchvision_state_dict(state):
        state = map_torchvision_keys(state)
    model.load_state_dict(state)

