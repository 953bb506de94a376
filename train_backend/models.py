"""The networks: the paper's two-tower AlexNet (with ablation switches) and torchvision's AlexNet.

Both are flat ``nn.Sequential`` models whose children carry the stable layer names that probes
and panels use (``conv1, relu1, lrn1, pool1, ... fc8``), so ``model.conv1`` and
``dict(model.named_modules())["lrn2"]`` both work.
"""

from __future__ import annotations

import functools
import inspect
import math
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
from torch import nn

from .lrn import CONVENTIONS, PAPER_ALPHA, PAPER_BETA, PAPER_K, PAPER_N, LocalResponseNorm
from .modes import evaluating


#: The stable layer names, in forward order (torchvision's variant lacks lrn1/lrn2).
LAYER_NAMES = (
    "conv1", "relu1", "lrn1", "pool1",
    "conv2", "relu2", "lrn2", "pool2",
    "conv3", "relu3", "conv4", "relu4", "conv5", "relu5", "pool5",
    "fc6", "relu6", "fc7", "relu7", "fc8",
)

#: where the classifier head starts: the adaptive pool (paper, torchvision) or the flatten (d2l, which has none)
HEAD_START = ("avgpool", "flatten")

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
    description: str = ""
    #: names of published weights this model loads (none but torchvision's)
    weights_aliases: tuple[str, ...] = ()

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

    @classmethod
    def size_fits(cls, size: int, options: dict[str, Any]) -> bool:
        try:
            cls.feature_side(size, options)
        except ValueError:
            return False
        return True

    @classmethod
    def size_problem(cls, size: int, options: dict[str, Any]) -> str | None:
        if cls.size_fits(size, options):
            return None
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


class PaperAlexNet(AlexNetBase):
    """Krizhevsky et al. 2012: two towers (grouped conv2/4/5), paper LRN per tower, overlapping pooling.

    Options (the paper's ablations): ``lrn``, ``overlapping_pool``, ``activation`` ("relu" or
    "tanh"), ``towers`` (2: the two-GPU net; 1: the paper's one-GPU comparison net of its footnote,
    half the kernels in conv1-conv4, conv5 and the FC layers at full size, no groups), plus
    ``lrn_convention`` ("paper" or "pytorch"), ``init`` ("paper": N(0, 0.01) with the paper's
    biases; "kaiming": He init for fast small runs), ``dropout`` (on the outputs of fc6 and fc7),
    ``width`` (scales every conv layer's kernel count, 1.0 = the paper's), ``hidden`` (fc6/fc7
    width, 4096 in the paper; small values make fast tests and toy runs) and ``kernels`` (conv1-conv5's
    kernel counts given outright, instead of the towers' counts times ``width``).
    """

    variant = "paper"
    native_size = 227
    description = "the paper's two-tower AlexNet: grouped conv2/4/5, LRN per tower, overlapping pooling"
    #: kernels per conv layer: the two-GPU net (48 + 48, 128 + 128, ...) and the one-GPU net of the footnote
    #: ("half as many kernels in each convolutional layer", except the last, which keeps its 256)
    KERNELS = {2: (96, 256, 384, 384, 256), 1: (48, 128, 192, 192, 256)}

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
        kernels: tuple[int, ...] | None = None,
    ) -> None:
        options = dict(
            lrn=lrn, overlapping_pool=overlapping_pool, activation=activation, towers=towers,
            lrn_convention=lrn_convention, lrn_k=lrn_k, lrn_n=lrn_n, lrn_alpha=lrn_alpha, lrn_beta=lrn_beta,
            init=init, dropout=dropout, width=width, hidden=hidden, kernels=None if kernels is None else tuple(kernels),
        )
        self.check_options(options)
        if num_classes < 1 or in_channels < 1:
            raise ValueError("num_classes and in_channels must be positive")

        def ch(c: int) -> int:  # keep channel counts divisible by the tower count
            return max(towers, int(round(c * width / towers)) * towers)

        c1, c2, c3, c4, c5 = options["kernels"] or (ch(c) for c in self.KERNELS[towers])
        g = towers
        pool = (3, 2) if overlapping_pool else (2, 2)

        def act() -> nn.Module:
            return nn.ReLU(inplace=True) if activation == "relu" else nn.Tanh()

        def norm() -> nn.Module:  # each tower normalises only its own kernel maps
            return LocalResponseNorm(lrn_n, lrn_alpha, lrn_beta, lrn_k, convention=lrn_convention, groups=g)

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
        # dropout zeroes the *outputs* of fc6 and fc7 ("we use dropout in the first two fully-connected
        # layers"), as Caffe's bvlc_alexnet (fc6 relu6 drop6 fc7 relu7 drop7 fc8) and d2l do
        layers["fc6"] = nn.Linear(c5 * 36, hidden)
        layers["relu6"] = act()
        layers["drop6"] = nn.Dropout(dropout)
        layers["fc7"] = nn.Linear(hidden, hidden)
        layers["relu7"] = act()
        layers["drop7"] = nn.Dropout(dropout)
        layers["fc8"] = nn.Linear(hidden, num_classes)
        super().__init__(layers, num_classes, in_channels, options)
        self._initialise(init)

    @classmethod
    def check_options(cls, options: dict[str, Any]) -> None:
        o = {**model_option_defaults("paper"), **options}
        towers, kernels, hidden, n = o["towers"], o["kernels"], o["hidden"], o["lrn_n"]
        if towers not in (1, 2):
            raise ValueError(f"towers must be 1 or 2, got {towers!r}")
        if kernels is not None and (len(tuple(kernels)) != 5 or not all(
                isinstance(c, int) and not isinstance(c, bool) and c >= towers and c % towers == 0 for c in kernels)):
            raise ValueError(f"kernels must be five kernel counts for conv1-conv5, each a positive multiple of "
                             f"the {towers} tower(s), got {kernels!r}")
        if isinstance(hidden, bool) or not isinstance(hidden, int) or hidden < 1:
            raise ValueError(f"hidden (the fc6/fc7 width) must be a positive integer, got {hidden!r}")
        if o["activation"] not in ("relu", "tanh"):
            raise ValueError(f"activation must be 'relu' or 'tanh', got {o['activation']!r}")
        if o["init"] not in ("paper", "kaiming"):
            raise ValueError(f"init must be 'paper' or 'kaiming', got {o['init']!r}")
        if o["lrn_convention"] not in CONVENTIONS:
            raise ValueError(f"lrn_convention must be one of {', '.join(CONVENTIONS)}, got {o['lrn_convention']!r}")
        if not (0 < o["width"] <= 4):
            raise ValueError(f"width must be in (0, 4], got {o['width']!r}")
        if not (0 <= o["dropout"] < 1):
            raise ValueError(f"dropout must be in [0, 1), got {o['dropout']!r}")
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise ValueError(f"lrn_n (the LRN window) must be a positive integer, got {n!r}")
        if not (o["lrn_k"] > 0) or o["lrn_alpha"] < 0 or o["lrn_beta"] < 0:
            raise ValueError(f"LRN needs k > 0, alpha >= 0 and beta >= 0 (got k={o['lrn_k']}, "
                             f"alpha={o['lrn_alpha']}, beta={o['lrn_beta']})")

    @classmethod
    def geometry(cls, options: dict[str, Any]) -> list[tuple[str, int, int, int]]:
        k, s = (3, 2) if options.get("overlapping_pool", True) else (2, 2)
        return [("conv1", 11, 4, 0), ("pool1", k, s, 0), ("conv2", 5, 1, 2), ("pool2", k, s, 0),
                ("conv3", 3, 1, 1), ("conv4", 3, 1, 1), ("conv5", 3, 1, 1), ("pool5", k, s, 0)]

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
    POOL5 = 5  # pool5's side at 224 px: fc6 takes 256 * 5 * 5 = 6400 inputs

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

    @classmethod
    def size_fits(cls, size: int, options: dict[str, Any]) -> bool:
        return super().size_fits(size, options) and cls.feature_side(size, options) == cls.POOL5

    @classmethod
    def size_problem(cls, size: int, options: dict[str, Any]) -> str | None:
        if cls.size_fits(size, options):
            return None
        return (f"d2l's network needs an input whose pool5 maps are {cls.POOL5}x{cls.POOL5} (fc6 takes "
                f"256 x {cls.POOL5} x {cls.POOL5} = 6400 inputs, with no adaptive pool): 224 px, not {size}")


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


#: The registry of networks: name -> class.  Everything that lists models (CLI choices, the settings
#: dialog, checkpoint loading, ``summary``) reads it.
MODELS: dict[str, type[AlexNetBase]] = {
    "paper": PaperAlexNet,
    "torchvision": TorchvisionAlexNet,
    "d2l": D2LAlexNet,
}
MODEL_NAMES = tuple(MODELS)
#: every name of published weights (today: torchvision's ImageNet weights)
WEIGHTS_ALIASES = tuple(alias for cls in MODELS.values() for alias in cls.weights_aliases)


def model_option_defaults(name: str) -> dict[str, Any]:
    """A model's options (its keyword-only constructor arguments) and their defaults (a fresh dict)."""
    if name not in MODELS:
        raise ValueError(f"unknown model {name!r}; choose one of {', '.join(MODEL_NAMES)}")
    return dict(_option_defaults(MODELS[name]))


@functools.cache
def _option_defaults(cls: type) -> tuple[tuple[str, Any], ...]:  # read once: the dialog asks on every edit
    params = inspect.signature(cls.__init__).parameters.values()
    return tuple((p.name, p.default) for p in params if p.kind is inspect.Parameter.KEYWORD_ONLY)


def build_model(name: str, num_classes: int = 1000, in_channels: int = 3, **options: Any) -> AlexNetBase:
    """Build a registered model (``"paper"``, ``"torchvision"``, ``"d2l"``) with its options.

    For ``"torchvision"``, ``weights`` may be ``"imagenet"`` (torchvision's ``IMAGENET1K_V1``,
    downloaded through torchvision's cache) or a path to a ``.pth`` state_dict; with
    ``num_classes != 1000`` the ImageNet fc8 is replaced, as fine-tuning does.  An option the model
    does not have is an error that names the ones it has.
    """
    options = dict(options)
    options.pop("name", None)
    if name not in MODELS:
        raise ValueError(f"unknown model {name!r}; choose one of {', '.join(MODEL_NAMES)}")
    weights = options.pop("weights", None)
    known = model_option_defaults(name)
    if "towers" not in known:  # a one-tower network: its stored config names towers=1 for the probes
        options.pop("towers", None)
    unknown = sorted(set(options) - set(known))
    if unknown:
        raise ValueError(f"the {name} model has no option {', '.join(map(repr, unknown))} "
                         f"(its options: {', '.join(known) or 'none'})")
    if weights is not None and name != "torchvision":
        raise ValueError(f"the {name} model has no published weights: load a checkpoint of this app instead")
    if name == "torchvision" and weights is not None:
        if in_channels != 3:
            raise ValueError("torchvision's ImageNet weights need 3-channel input")
        model = TorchvisionAlexNet(1000, 3, **options)
        state = torchvision_imagenet_state_dict() if weights in WEIGHTS_ALIASES \
            else torch.load(Path(weights), map_location="cpu", weights_only=True)
        load_torchvision_state_dict(model, state)
        if num_classes != 1000:
            model.reset_classifier(num_classes)
        return model
    return MODELS[name](num_classes, in_channels, **options)


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
    #: output elements per image (for conv and fc layers: the layer's neurons)
    neurons: int = 0
    #: multiply-adds per image (conv and fc layers; the others' arithmetic is not counted)
    macs: int = 0

    @property
    def is_neuron_layer(self) -> bool:
        """conv and fc layers: their outputs are the network's neurons (ReLU, LRN and pooling transform or
        subsample those, so counting them again would count the same units twice)."""
        return self.type in ("Conv2d", "Linear")


def _macs(module: nn.Module, output_shape: tuple[int, ...]) -> int:
    out = math.prod(output_shape)
    if isinstance(module, nn.Conv2d):
        kh, kw = module.kernel_size
        return out * (module.in_channels // module.groups) * kh * kw
    if isinstance(module, nn.Linear):
        return module.in_features * module.out_features
    return 0


def summarize(model: AlexNetBase, input_size: int | None = None) -> list[LayerInfo]:
    """Each named layer's type, output shape (without batch), parameters, neurons and multiply-adds."""
    size = input_size or model.native_size
    shapes: dict[str, tuple[int, ...]] = {}
    hooks = []
    modules = dict(model.named_children())
    for name in model.layer_names():
        hooks.append(modules[name].register_forward_hook(
            lambda _m, _i, out, name=name: shapes.__setitem__(name, tuple(out.shape[1:]))))
    try:
        with evaluating(model):
            model(torch.zeros(1, model.in_channels, size, size, device=next(model.parameters()).device))
    finally:
        for h in hooks:
            h.remove()
    return [
        LayerInfo(name, type(modules[name]).__name__, shapes[name],
                  sum(p.numel() for p in modules[name].parameters()), math.prod(shapes[name]),
                  _macs(modules[name], shapes[name]))
        for name in model.layer_names()
    ]


def count_neurons(layers: list[LayerInfo]) -> int:
    """The network's neurons as the paper counts them: the outputs of its conv and fc layers."""
    return sum(layer.neurons for layer in layers if layer.is_neuron_layer)


def min_input_size(model: AlexNetBase) -> int:
    """The smallest square input the network accepts (found by shape arithmetic)."""
    return model.min_input_size()


def model_problems(name: str, options: dict[str, Any], input_size: int | None = None) -> list[str]:
    """What stops ``name`` with ``options`` (and an ``input_size`` input) from being built, without building it."""
    if name not in MODELS:
        return [f"model must be one of {', '.join(MODEL_NAMES)} (got {name!r})"]
    cls, known = MODELS[name], model_option_defaults(name)
    options = {k: v for k, v in options.items() if k not in ("name", "weights", "towers") or k in known}
    unknown = sorted(set(options) - set(known))
    if unknown:
        return [f"the {name} model has no option {', '.join(map(repr, unknown))} (its options: {', '.join(known)})"]
    merged = {**known, **options}
    try:
        cls.check_options(merged)
    except (ValueError, TypeError) as err:
        return [str(err)]
    if input_size is not None:
        problem = cls.size_problem(input_size, merged)
        if problem:
            return [problem]
    return []
