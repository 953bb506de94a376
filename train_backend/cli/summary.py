"""``alexnet-gui summary``: each layer's output shape, parameters, neurons and multiply-adds of a model or a
recipe's network; ``--compare`` puts networks side by side."""

from __future__ import annotations

import argparse
import inspect
import json
from typing import Any, Sequence

from .command import Command
from .common import AlexNetGuiError, UsageError


def _recipe_names() -> list[str]:
    from ..recipes import RECIPES

    return sorted(RECIPES)


def _assignment(text: str):
    from ..settings import assignment_arg

    return assignment_arg(text)


def _model_names() -> tuple[str, ...]:
    from ..models import MODEL_NAMES

    return MODEL_NAMES


def _arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--recipe", help="the network this recipe trains, at its input size and class count "
                                    "(" + ", ".join(_recipe_names()) + ")")
    p.add_argument("--model", choices=_model_names(), help="network (default: paper, or the recipe's)")
    p.add_argument("--input-size", type=int, help="square input side (default: the model's or the recipe's)")
    p.add_argument("--num-classes", type=int, help="classes in fc8 (default: 1000, or the recipe's data set's)")
    p.add_argument("--in-channels", type=int, help="input channels (default: 3, or the recipe's)")
    p.add_argument("--no-lrn", action="store_true", help="paper model without LRN")
    p.add_argument("--towers", type=int, choices=(1, 2),
                   help="paper model: 2 towers (the two-GPU net) or 1 (the paper's one-GPU net)")
    p.add_argument("--set", dest="settings", action="append", default=[], metavar="KEY=VALUE", type=_assignment,
                   help="any model option (e.g. --set width=0.5, --set kernels=64,192,384,256,256), repeatable")
    p.add_argument("--compare", metavar="M1,M2,...",
                   help="networks side by side, each at its own input size, channels and classes (unless "
                        "--input-size, --in-channels or --num-classes say otherwise): parameters, neurons and "
                        "multiply-adds, and each as a multiple of the first's (e.g. lenet,d2l,paper,vgg16,resnet18)")
    p.add_argument("--json", action="store_true", help="machine-readable output")


def summary_config(args: argparse.Namespace):
    """The (model, options, input size, channels, classes) ``summary`` describes, as a TrainConfig."""
    from ..data import known_dataset_info
    from ..models import MODELS
    from ..config import TrainConfig
    from ..recipes import recipe
    from ..config import apply_settings

    from ..recipes import recipe_classes

    cfg = recipe(args.recipe) if args.recipe else TrainConfig(channels=3)
    classes = known_dataset_info(cfg.dataset)[2] if args.recipe else None
    if args.recipe and not classes and recipe_classes(args.recipe):  # the fine-tune script's 2 (cats, dogs)
        classes = [None] * recipe_classes(args.recipe)
    values: dict = {}
    if args.model and args.model != cfg.model or not args.recipe:  # another network, at its own input size
        values.update(model=args.model or "paper", input_size=MODELS[args.model or "paper"].native_size)
    values.update({k: v for k, v in (("input_size", args.input_size), ("channels", args.in_channels)) if v})
    if args.no_lrn:
        values["lrn"] = False
    if args.towers:
        values["towers"] = args.towers
    cfg = apply_settings(cfg, {**values, **dict(args.settings)})
    return cfg, (args.num_classes or (len(classes) if classes else 1000))


def compare_rows(names: Sequence[str], input_size: int | None = None, in_channels: int | None = None,
                 num_classes: int | None = None) -> list[dict[str, Any]]:
    """Each network at its own input size, channels and classes (its constructor's defaults) unless given:
    parameters, neurons and multiply-adds per image (``summary --compare``)."""

    from ..models import MODELS, build_model, count_neurons, count_parameters, summarize

    rows = []
    for name in names:
        if name not in MODELS:
            raise ValueError(f"unknown model {name!r}; choose from {', '.join(MODELS)}")
        cls = MODELS[name]
        defaults = inspect.signature(cls.__init__).parameters
        classes = num_classes or defaults["num_classes"].default
        channels = in_channels or defaults["in_channels"].default
        size = input_size or cls.native_size
        problem = cls.size_problem(size, {})
        if problem:
            raise ValueError(problem)
        model = build_model(name, num_classes=classes, in_channels=channels)
        layers = summarize(model, size)
        rows.append({"model": name, "input": [channels, size, size], "num_classes": classes,
                     "params": count_parameters(model), "neurons": count_neurons(layers),
                     "macs": sum(l.macs for l in layers)})
    return rows


def cmd_compare(args: argparse.Namespace) -> int:
    names = [n.strip() for n in args.compare.split(",") if n.strip()]
    if not names:
        raise UsageError("--compare needs at least one model name")
    try:
        rows = compare_rows(names, args.input_size, args.in_channels, args.num_classes)
    except ValueError as err:  # an unknown network, or a size it cannot take
        raise UsageError(str(err)) from None
    if args.json:
        print(json.dumps({"models": rows, "relative_to": rows[0]["model"]}, indent=2))
        return 0
    first = rows[0]
    print(f"{'model':<13}{'input':<12}{'classes':>8}{'params':>14}{'neurons':>12}{'mult-adds':>17}"
          f"{'params x':>10}{'mult-adds x':>13}")
    for r in rows:
        c, h, w = r["input"]
        print(f"{r['model']:<13}{f'{c}x{h}x{w}':<12}{r['num_classes']:>8}{r['params']:>14,}{r['neurons']:>12,}"
              f"{r['macs']:>17,}{r['params'] / first['params']:>10.1f}{r['macs'] / first['macs']:>13.1f}")
    print(f"x: as a multiple of {first['model']}'s.  Each network at its own input size, channels and classes; "
          "neurons: the outputs of the conv and fc layers; mult-adds: per image, conv and fc layers")
    return 0


def cmd_summary(args: argparse.Namespace) -> int:
    from ..models import build_model, count_neurons, count_parameters, model_problems, summarize
    from ..config import ConfigError

    if getattr(args, "compare", None):
        return cmd_compare(args)
    try:
        cfg, num_classes = summary_config(args)
        problems = model_problems(cfg.model, cfg.model_options, cfg.input_size)
        if problems:
            raise ConfigError("; ".join(problems))
        model = build_model(cfg.model, num_classes=num_classes, in_channels=cfg.channels, **cfg.model_options)
        size = cfg.input_size
        layers = summarize(model, size)
    except AlexNetGuiError:
        raise
    except ValueError as err:  # a value or a network's option refused
        raise ConfigError(str(err)) from None
    total, neurons, macs = count_parameters(model), count_neurons(layers), sum(l.macs for l in layers)
    options = {k: (list(v) if isinstance(v, tuple) else v) for k, v in model.options.items()}
    if args.json:
        print(json.dumps({"model": cfg.model, "recipe": args.recipe, "options": options, "input_size": size,
                          "in_channels": cfg.channels, "num_classes": num_classes,
                          "layers": [{"name": l.name, "type": l.type, "output_shape": list(l.output_shape),
                                      "params": l.params, "neurons": l.neurons, "macs": l.macs,
                                      "counts_as_neurons": l.is_neuron_layer} for l in layers],
                          "total_params": total, "total_neurons": neurons, "total_macs": macs}, indent=2))
        return 0
    what = f"recipe {args.recipe}: " if args.recipe else ""
    towers = model.options.get("towers")
    kind = {2: ", two towers", 1: ", one tower (the paper's one-GPU net)"}.get(towers, "") \
        if cfg.model == "paper" else ""
    noun = " AlexNet" if model.alexnet_layers else ""
    print(f"{what}{cfg.model}{noun}{kind}, input {cfg.channels}x{size}x{size}, {num_classes} classes")
    if cfg.model == "paper" and size == 224:
        print("note: the paper says 224x224, but conv1's arithmetic needs 227 for its 55x55 output")
    print(f"{'layer':<9}{'type':<20}{'output shape':<14}{'params':>12}{'neurons':>11}{'mult-adds':>15}")
    for l in layers:
        shape = "x".join(str(s) for s in l.output_shape)
        macs_text = f"{l.macs:,}" if l.macs else "-"
        neurons_text = f"{l.neurons:,}" if l.is_neuron_layer else "-"
        print(f"{l.name:<9}{l.type:<20}{shape:<14}{l.params:>12,}{neurons_text:>11}{macs_text:>15}")
    print(f"{'total':<43}{total:>12,}{neurons:>11,}{macs:>15,}")
    print("neurons: the outputs of the conv and fc layers (ReLU, LRN and pooling reshape those same units); "
          "mult-adds: per image, conv and fc layers")
    return 0


COMMANDS = (
    Command("summary",
            help="print each layer's output shape, parameters, neurons and multiply-adds",
            description="Layer-by-layer summary of a model, or of the network a recipe trains "
                        "(--recipe d2l: d2l's 46,764,746-parameter net).",
            arguments=_arguments, run=cmd_summary),
)
