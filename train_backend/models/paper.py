"""The paper's network (Krizhevsky, Sutskever and Hinton 2012): two towers, its LRN per tower, overlapping pooling,
and the switches of its ablations."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from torch import nn

from .base import AlexNetBase, init_linear_like_paper
from .lrn import CONVENTIONS, PAPER_ALPHA, PAPER_BETA, PAPER_K, PAPER_N, LocalResponseNorm
from .registry import model_option_defaults, register_model


@register_model
class PaperAlexNet(AlexNetBase):
    """Krizhevsky et al. 2012: two towers (grouped conv2/4/5), paper LRN per tower, overlapping pooling.

    Options (the paper's ablations): ``lrn``, ``overlapping_pool``, ``activation`` ("relu" or
    "tanh"), ``towers`` (2: the two-GPU net; 1: the paper's one-GPU comparison net of its footnote,
    half the kernels in conv1-conv4, conv5 and the FC layers at full size, no groups), plus
    ``lrn_convention`` ("paper" or "pytorch"), ``lrn_across_towers`` (False: each tower normalises its own
    kernel maps, as each GPU did; True: the window runs across both towers' maps, as Caffe's bvlc_alexnet,
    whose LRN layer knows nothing of groups), ``init`` ("paper": N(0, 0.01) with the paper's
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
        lrn_across_towers: bool = False,
        init: str = "paper",
        dropout: float = 0.5,
        width: float = 1.0,
        hidden: int = 4096,
        kernels: tuple[int, ...] | None = None,
        remove: str | None = None,
    ) -> None:
        options = dict(
            lrn=lrn, overlapping_pool=overlapping_pool, activation=activation, towers=towers,
            lrn_convention=lrn_convention, lrn_k=lrn_k, lrn_n=lrn_n, lrn_alpha=lrn_alpha, lrn_beta=lrn_beta,
            lrn_across_towers=lrn_across_towers, init=init, dropout=dropout, width=width, hidden=hidden, kernels=None if kernels is None else tuple(kernels),
            remove=remove,
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

        def norm() -> nn.Module:  # each tower normalises only its own kernel maps (Caffe's: all of them together)
            return LocalResponseNorm(lrn_n, lrn_alpha, lrn_beta, lrn_k, convention=lrn_convention,
                                     groups=1 if lrn_across_towers else g)

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
        # remove="conv3" / "conv4" / "conv5": the paper's depth claim (each middle layer costs about 2 % top-1);
        # the next layer takes the channels of the one before
        previous = c2
        for name, out, groups in (("conv3", c3, 1), ("conv4", c4, g), ("conv5", c5, g)):
            if name == remove:
                continue
            layers[name] = nn.Conv2d(previous, out, kernel_size=3, padding=1, groups=groups)  # conv3: towers talk
            layers["relu" + name[-1]] = act()
            previous = out
        c5 = previous
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
        if o["remove"] not in (None, "conv3", "conv4", "conv5"):
            raise ValueError(f"remove must be conv3, conv4, conv5 or none, got {o['remove']!r}")
        if not isinstance(o["lrn_across_towers"], bool):
            raise ValueError(f"lrn_across_towers must be true or false, got {o['lrn_across_towers']!r}")
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

