"""The networks: the paper's two-tower AlexNet (with its ablation switches), torchvision's AlexNet, d2l's, the
four-layer CIFAR-10 net of the paper's Figure 1, seed 001's PyTorch port, and the course notes' other networks
(LeNet-5 as d2l builds it, VGG-16 and ResNet-18 from torchvision's builders).

A network is one module here whose class is decorated with :func:`register_model`, plus its import below;
everything that lists networks reads :data:`MODELS`.
"""

from __future__ import annotations

from typing import Any

from .base import HEAD_START, LAYER_NAMES, AlexNetBase, init_linear_like_paper
from .registry import MODELS, list_models, model_option_defaults, model_problems, register_model, weights_aliases
# the registered networks, in the order the CLI and the dialogs list them
from .paper import PaperAlexNet
from .torchvision_alexnet import (TORCHVISION_KEY_MAP, TorchvisionAlexNet, imagenet_categories,
                                  is_torchvision_state_dict, load_torchvision_state_dict, map_torchvision_keys,
                                  to_torchvision_keys, torchvision_imagenet_state_dict)
from .d2l import D2LAlexNet
from .convnet4 import ConvNet4
from .seed001 import Seed001AlexNet
from .lenet import LeNet5
from .vgg import VGG16
from .resnet import ResNet18
from .summary import LayerInfo, count_neurons, count_parameters, min_input_size, summarize

MODEL_NAMES = list_models()
#: every name of published weights (today: torchvision's ImageNet weights)
WEIGHTS_ALIASES = weights_aliases()

__all__ = ["AlexNetBase", "ConvNet4", "LeNet5", "ResNet18", "Seed001AlexNet", "VGG16", "D2LAlexNet", "HEAD_START", "LAYER_NAMES", "LayerInfo", "MODELS", "MODEL_NAMES",
           "PaperAlexNet", "TORCHVISION_KEY_MAP", "TorchvisionAlexNet", "WEIGHTS_ALIASES", "build_model",
           "count_neurons", "count_parameters", "imagenet_categories", "init_linear_like_paper",
           "is_torchvision_state_dict", "list_models", "load_torchvision_state_dict", "map_torchvision_keys",
           "min_input_size", "model_option_defaults", "model_problems", "register_model", "summarize",
           "to_torchvision_keys", "torchvision_imagenet_state_dict", "weights_aliases"]


def build_model(name: str, num_classes: int = 1000, in_channels: int = 3, **options: Any) -> AlexNetBase:
    """Build a registered model (``"paper"``, ``"torchvision"``, ``"d2l"``) with its options.

    ``weights`` names published weights for a network that has them (torchvision's: ``"imagenet"``, downloaded
    through torchvision's cache, or a path to a ``.pth`` state_dict); see that class's ``from_weights``.  An option
    the model does not have is an error that names the ones it has.
    """
    options = dict(options)
    options.pop("name", None)
    if name not in MODELS:
        raise ValueError(f"unknown model {name!r}; choose one of {', '.join(MODELS)}")
    cls = MODELS[name]
    weights = options.pop("weights", None)
    known = model_option_defaults(name)
    if "towers" not in known:  # a one-tower network: its stored config names towers=1 for the probes
        options.pop("towers", None)
    unknown = sorted(set(options) - set(known))
    if unknown:
        raise ValueError(f"the {name} model has no option {', '.join(map(repr, unknown))} "
                         f"(its options: {', '.join(known) or 'none'})")
    if weights is not None:
        if not cls.weights_aliases:
            raise ValueError(f"the {name} model has no published weights: load a checkpoint of this app instead")
        return cls.from_weights(weights, num_classes, in_channels, **options)
    return cls(num_classes, in_channels, **options)
