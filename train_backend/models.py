"""The networks: the paper's two-tower AlexNet (with ablation switches) and torchvision's AlexNet.

Both are flat ``nn.Sequential`` models whose children carry the stable layer names that probes
and panels use (``conv1, relu1, lrn1, pool1, ... fc8``), so ``model.conv1`` and
``dict(model.named_modules())["lrn2"]`` both work.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
from torch import nn

from .lrn import PAPER_ALPHA, PAPER_BETA, PAPER_K, PAPER_N, LocalResponseNorm

MODEL_NAMES = ("paper", "torchvision")

#: The stable layer names, in forward order (torchvision's variant lacks lrn1/lrn2).
LAYER_NAMES = (
    "conv1", "relu1", "lrn1", "pool1",
    "conv2", "relu2", "lrn2", "pool2",
    "conv3", "relu3", "conv4", "relu4", "conv5", "relu5", "pool5",
    "fc6", "relu6", "fc7", "relu7", "fc8",
)

#: torchvision ``alexnet`` state_dict prefixes -> our layer names.
TORCHVISION_KEY_MAP = {
    "features.0.": "conv1.", "features.3.": "conv2.", "features.6.": "conv3.",
    "features.8.": "conv4.", "features.10.": "conv5.",
    "classifier.1.": "fc6.", "classifier.4.": "fc7.", "classifier.6.": "fc8.",
}


class AlexNetBase(nn.Sequential):
    """A flat AlexNet: children in forward order under their stable names."""

    variant: str = "base"
    #: the native input size (the paper's arithmetic needs 227; torchvision uses 224)
    native_size: int = 227

    def __init__(self, layers: "OrderedDict[str, nn.Module]", num_classes: int, in_channels: int, options: dict):
        super().__init__(layers)
        self.num_classes = num_classes
        self.in_channels = in_channels
        self.options = dict(options)

    # timm-style helpers -------------------------------------------------
    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        for name, module in self.named_children():
            if name == "avgpool":
                break
            x = module(x)
        return x

    def forward_head(self, x: torch.Tensor) -> torch.Tensor:
        started = False
        for name, module in self.named_children():
            if name == "avgpool":
                started = True
            if started:
                x = module(x)
        return x

    def layer_names(self) -> list[str]:
        """Stable names of the layers this model has, in forward order."""
        names = dict(self.named_children())
        return [n for n in LAYER_NAMES if n in names]

    def conv_names(self) -> list[str]:
        return [n for n in self.layer_names() if n.startswith("conv")]

    @property
    def towers(self) -> int:
        return int(self.options.get("towers", 1))

    def reset_classifier(self, num_classes: int) -> None:
        """Replace fc8 with a freshly initialised layer for ``num_classes`` (fine-tuning)."""
        old = self.fc8
        new = nn.Linear(old.in_features, num_classes)
        if self.variant == "paper":
            init_linear_like_paper(new, bias=0.0)
        self.fc8 = new.to(old.weight.device, old.weight.dtype)
        self.num_classes = num_classes

    def config(self) -> dict[str, Any]:
        """What is needed to rebuild this model with :func:`build_model`."""
        return {"name": self.variant, "num_classes": self.num_classes, "in_channels": self.in_channels, **self.options}

    def min_input_size(self) -> int:
        return min_input_size(self)


def init_linear_like_paper(layer: nn.Module, bias: float) -> None:
    nn.init.normal_(layer.weight, mean=0.0, std=0.01)
    nn.init.constant_(layer.bias, bias)


class PaperAlexNet(AlexNetBase):
    """Krizhevsky et al. 2012: two towers (grouped conv2/4/5), paper LRN, overlapping pooling.

    Options (the paper's ablations): ``lrn``, ``overlapping_pool``, ``activation`` ("relu" or
    "tanh"), ``towers`` (2 or 1), plus ``lrn_convention`` ("paper" or "pytorch"), ``init``
    ("paper": N(0, 0.01) with the paper's biases; "kaiming": He init for fast small runs),
    ``dropout``, ``width`` (scales every conv layer's kernel count, 1.0 = the paper's) and ``hidden``
    (fc6/fc7 width, 4096 in the paper; small values make fast tests and toy runs).
    """

    variant = "paper"
    native_size = 227

    def __init__(
        self,
        num_classes: int = 1000,
        in_channels: int = 3,
        *,
        lrn: bool = True,
        overlapping_pool: bool = True,
        activation: str = "relu",
        towers: int = 2,
        lrn_convention: str = "paper",
        lrn_k: float = PAPER_K,
        lrn_n: int = PAPER_N,
        lrn_alpha: float = PAPER_ALPHA,
        lrn_beta: float = PAPER_BETA,
        init: str = "paper",
        dropout: float = 0.5,
        width: float = 1.0,
        hidden: int = 4096,
    ) -> None:
        if hidden < 1:
            raise ValueError(f"hidden (the fc6/fc7 width) must be positive, got {hidden!r}")
        if towers not in (1, 2):
            raise ValueError(f"towers must be 1 or 2, got {towers!r}")
        if activation not in ("relu", "tanh"):
            raise ValueError(f"activation must be 'relu' or 'tanh', got {activation!r}")
        if init not in ("paper", "kaiming"):
            raise ValueError(f"init must be 'paper' or 'kaiming', got {init!r}")
        if not (0 < width <= 4):
            raise ValueError(f"width must be in (0, 4], got {width!r}")
        if num_classes < 1 or in_channels < 1:
            raise ValueError("num_classes and in_channels must be positive")

        def ch(c: int) -> int:  # keep channel counts divisible by the tower count
            return max(towers, int(round(c * width / towers)) * towers)

        c1, c2, c3, c4, c5 = ch(96), ch(256), ch(384), ch(384), ch(256)
        g = towers
        pool = (3, 2) if overlapping_pool else (2, 2)

        def act() -> nn.Module:
            return nn.ReLU(inplace=True) if activation == "relu" else nn.Tanh()

        def norm() -> nn.Module:
            return LocalResponseNorm(lrn_n, lrn_alpha, lrn_beta, lrn_k, convention=lrn_convention)

        layers: OrderedDict[str, nn.Module] = OrderedDict()
        layers["conv1"] = nn.Conv2d(in_channels, c1, kernel_size=11, stride=4)
        layers["relu1"] = act()
        if lrn:
            layers["lrn1"] = norm()
        layers["pool1"] = nn.MaxPool2d(*pool)
        layers["conv2"] = nn.Conv2d(c1, c2, kernel_size=5, padding=2, groups=g)
        layers["relu2"] = act()
        if lrn:
            layers["lrn2"] = norm()
        layers["pool2"] = nn.MaxPool2d(*pool)
        layers["conv3"] = nn.Conv2d(c2, c3, kernel_size=3, padding=1)  # the layer where towers talk
        layers["relu3"] = act()
        layers["conv4"] = nn.Conv2d(c3, c4, kernel_size=3, padding=1, groups=g)
        layers["relu4"] = act()
        layers["conv5"] = nn.Conv2d(c4, c5, kernel_size=3, padding=1, groups=g)
        layers["relu5"] = act()
        layers["pool5"] = nn.MaxPool2d(*pool)
        layers["avgpool"] = nn.AdaptiveAvgPool2d((6, 6))
        layers["flatten"] = nn.Flatten(1)
        layers["drop6"] = nn.Dropout(dropout)
        layers["fc6"] = nn.Linear(c5 * 36, hidden)
        layers["relu6"] = act()
        layers["drop7"] = nn.Dropout(dropout)
        layers["fc7"] = nn.Linear(hidden, hidden)
        layers["relu7"] = act()
        layers["fc8"] = nn.Linear(hidden, num_classes)
        options = dict(
            lrn=lrn, overlapping_pool=overlapping_pool, activation=activation, towers=towers,
            lrn_convention=lrn_convention, lrn_k=lrn_k, lrn_n=lrn_n, lrn_alpha=lrn_alpha, lrn_beta=lrn_beta,
            init=init, dropout=dropout, width=width, hidden=hidden,
        )
        super().__init__(layers, num_classes, in_channels, options)
        self._initialise(init)

    #: biases set to 1 by the paper ("accelerates the early stages of learning by providing the ReLUs
    #: with positive inputs"); all others 0
    ONE_BIAS_LAYERS = ("conv2", "conv4", "conv5", "fc6", "fc7")

    def _initialise(self, init: str) -> None:
        for name, module in self.named_children():
            if not isinstance(module, (nn.Conv2d, nn.Linear)):
                continue
            if init == "paper":
                init_linear_like_paper(module, 1.0 if name in self.ONE_BIAS_LAYERS else 0.0)
            else:
                nonlin = "relu" if self.options["activation"] == "relu" and name != "fc8" else "linear"
                nn.init.kaiming_normal_(module.weight, mode="fan_in", nonlinearity=nonlin)
                if name == "fc8":
                    nn.init.normal_(module.weight, std=0.01)
                nn.init.zeros_(module.bias)


class TorchvisionAlexNet(AlexNetBase):
    """torchvision's AlexNet (the single-tower "one weird trick" variant) under the stable names.

    Loads torchvision state_dicts (``features.0.weight`` ...) via :func:`load_torchvision_state_dict`
    and computes exactly what ``torchvision.models.alexnet`` computes with the same weights.
    """

    variant = "torchvision"
    native_size = 224

    def __init__(self, num_classes: int = 1000, in_channels: int = 3, *, dropout: float = 0.5) -> None:
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


def build_model(name: str, num_classes: int = 1000, in_channels: int = 3, **options: Any) -> AlexNetBase:
    """Build ``"paper"`` (options: see :class:`PaperAlexNet`) or ``"torchvision"``.

    For ``"torchvision"``, ``weights`` may be ``"imagenet"`` (torchvision's ``IMAGENET1K_V1``,
    downloaded through torchvision's cache) or a path to a ``.pth`` state_dict; with
    ``num_classes != 1000`` the ImageNet fc8 is replaced, as fine-tuning does.
    """
    options = dict(options)
    options.pop("name", None)
    if name == "paper":
        if options.pop("weights", None) is not None:
            raise ValueError("the paper model has no published weights: load a checkpoint of this app instead")
        return PaperAlexNet(num_classes, in_channels, **options)
    if name == "torchvision":
        weights = options.pop("weights", None)
        options.pop("towers", None)
        if weights is None:
            return TorchvisionAlexNet(num_classes, in_channels, **options)
        if in_channels != 3:
            raise ValueError("torchvision's ImageNet weights need 3-channel input")
        model = TorchvisionAlexNet(1000, 3, **options)
        state = torchvision_imagenet_state_dict() if weights in ("imagenet", "torchvision", "IMAGENET1K_V1") \
            else torch.load(Path(weights), map_location="cpu", weights_only=True)
        load_torchvision_state_dict(model, state)
        if num_classes != 1000:
            model.reset_classifier(num_classes)
        return model
    raise ValueError(f"unknown model {name!r}; choose one of {', '.join(MODEL_NAMES)}")


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


def count_parameters(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


@dataclass(frozen=True)
class LayerInfo:
    name: str
    type: str
    output_shape: tuple[int, ...]
    params: int


def summarize(model: AlexNetBase, input_size: int | None = None) -> list[LayerInfo]:
    """Each named layer's type, output shape (without batch) and parameter count."""
    size = input_size or model.native_size
    shapes: dict[str, tuple[int, ...]] = {}
    hooks = []
    modules = dict(model.named_children())
    for name in model.layer_names():
        hooks.append(modules[name].register_forward_hook(
            lambda _m, _i, out, name=name: shapes.__setitem__(name, tuple(out.shape[1:]))))
    was_training = model.training
    model.eval()
    try:
        device = next(model.parameters()).device
        with torch.no_grad():
            model(torch.zeros(1, model.in_channels, size, size, device=device))
    finally:
        for h in hooks:
            h.remove()
        model.train(was_training)
    return [
        LayerInfo(name, type(modules[name]).__name__, shapes[name],
                  sum(p.numel() for p in modules[name].parameters()))
        for name in model.layer_names()
    ]


def min_input_size(model: AlexNetBase) -> int:
    """The smallest square input the feature extractor accepts (found by shape arithmetic)."""
    size = 1
    for _ in range(512):
        try:
            _feature_hw(model, size)
            return size
        except ValueError:
            size += 1
    raise RuntimeError("could not find a minimum input size")


def _feature_hw(model: AlexNetBase, size: int) -> int:
    hw = size
    for name, m in model.named_children():
        if name == "avgpool":
            return hw
        if isinstance(m, (nn.Conv2d, nn.MaxPool2d)):
            k = m.kernel_size[0] if isinstance(m.kernel_size, tuple) else m.kernel_size
            s = m.stride[0] if isinstance(m.stride, tuple) else m.stride
            p = m.padding[0] if isinstance(m.padding, tuple) else m.padding
            if hw + 2 * p < k:
                raise ValueError(f"input {size} too small at {name}")
            hw = math.floor((hw + 2 * p - k) / s) + 1
    return hw
