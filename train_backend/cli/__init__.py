"""The headless subcommands of ``alexnet-gui``: ``summary``, ``classify``, ``export-kernels``, ``augment``,
``train``, ``evaluate``, ``explain``, ``neighbours``, ``top-patches``, ``runs``, ``experiment``, ``import-caffe``
and ``export-onnx``.  None of them imports Qt, and this module imports nothing of the GUI: the ``alexnet-gui``
command itself lives in :mod:`alexnet_gui.cli`, which adds ``launch`` (the window) to this parser.  ``python -m
train_backend COMMAND`` runs the headless commands without the GUI package.
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from pathlib import Path
from typing import Any, Callable, Sequence

from .common import AlexNetGuiError, UsageError, WriteError, print_error

HEADLESS = ("summary", "list", "classify", "export-kernels", "augment", "explain", "train", "evaluate",
            "neighbours", "top-patches", "runs", "experiment", "import-caffe", "export-onnx")


def _recipe_names() -> list[str]:
    from ..recipes import RECIPES

    return sorted(RECIPES)


def _assignment(text: str):
    from ..settings import assignment_arg

    return assignment_arg(text)


def _model_names() -> tuple[str, ...]:
    from ..models import MODEL_NAMES

    return MODEL_NAMES


def build_parser(extra: Callable[[argparse._SubParsersAction], None] | None = None) -> argparse.ArgumentParser:
    """The parser of the headless subcommands; ``extra`` adds more (the GUI package adds ``launch``)."""
    parser = argparse.ArgumentParser(
        prog="alexnet-gui",
        description="A desktop laboratory for AlexNet (Krizhevsky, Sutskever & Hinton, 2012).")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    if extra is not None:
        extra(sub)

    p = sub.add_parser("summary", help="print each layer's output shape, parameters, neurons and multiply-adds",
                       description="Layer-by-layer summary of a model, or of the network a recipe trains "
                                   "(--recipe d2l: d2l's 46,764,746-parameter net).")
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

    p = sub.add_parser("list", help="what is registered: models, recipes, data sets, analyses, settings",
                       description="List the registries every other list in the app reads.")
    p.add_argument("--json", action="store_true", help="machine-readable output")

    p = sub.add_parser("classify", help="top-k classes of images, files or whole folders",
                       description="Classify images (a folder: every image under it, recursively). Without --weights "
                                   "the paper model is untrained, which the output says. Unreadable files are named "
                                   "on stderr and left out; the exit code is then 1.")
    p.add_argument("images", nargs="+", metavar="IMAGE_OR_FOLDER")
    p.add_argument("--csv", metavar="OUT.csv", help="one row per image: path, then each of the top-k classes and its "
                                                    "probability (progress on stderr)")
    p.add_argument("--weights", help="a checkpoint of this app, a torchvision .pth, a Caffe .caffemodel or "
                                     "'torchvision' (ImageNet weights through torchvision)")
    p.add_argument("--topk", type=int, default=5)
    p.add_argument("--ten-crop", action="store_true", help="average the softmax of the paper's ten crops")
    p.add_argument("--json", action="store_true", help="one JSON object per image, one per line")

    p = sub.add_parser("export-kernels", help="conv1's kernels as an image like the paper's Figure 3",
                       description="Export conv1's kernels, tower 1 above tower 2.")
    p.add_argument("--weights", help="checkpoint, torchvision .pth or 'torchvision' (default: untrained paper)")
    p.add_argument("-o", "--output", required=True, help="output file: .png, .jpg, .pdf or .svg")
    p.add_argument("--scale", type=int, default=8, help="pixels per kernel weight (default 8)")
    p.add_argument("--columns", type=int, default=12, help="kernels per row (default 12)")
    p.add_argument("--mode", choices=("global", "per_kernel"), default="global",
                   help="one colour scale for all kernels, or each stretched to its own range")
    p.add_argument("--npy", help="also save the raw conv1 weights to this .npy file")

    from .augment import add_augment_parser

    add_augment_parser(sub)
    from .explain import add_explain_parser

    add_explain_parser(sub)
    from .train import add_train_parsers

    add_train_parsers(sub)
    from .neighbours import add_neighbours_parsers

    add_neighbours_parsers(sub)
    from .runs import add_runs_parser

    add_runs_parser(sub)
    from .experiment import add_experiment_parser

    add_experiment_parser(sub)
    from .convert import add_convert_parsers

    add_convert_parsers(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m train_backend COMMAND``: the headless commands (the window is ``alexnet-gui``)."""
    from ..engine.runtime import set_up_process

    set_up_process()
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    return run(args)


def run(args: argparse.Namespace) -> int:
    """Run a parsed headless subcommand."""
    from .augment import cmd_augment
    from .experiment import cmd_experiment
    from .explain import cmd_explain
    from .convert import HANDLERS as CONVERT_HANDLERS
    from .neighbours import HANDLERS as DATASET_HANDLERS
    from .runs import HANDLERS as RUNS_HANDLERS
    from .train import HANDLERS

    handler = {"summary": cmd_summary, "classify": cmd_classify, "export-kernels": cmd_export_kernels,
               "augment": cmd_augment, "explain": cmd_explain, "list": cmd_list, "experiment": cmd_experiment,
               **HANDLERS, **DATASET_HANDLERS, **RUNS_HANDLERS, **CONVERT_HANDLERS}[args.command]
    try:
        return handler(args)
    except AlexNetGuiError as err:  # every refusal a user reads: one line on stderr, the error's exit code
        print_error(" ".join(err.message.split()))
        return err.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


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
    import inspect

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


def registries() -> dict[str, list[dict]]:
    """Everything registered, as plain data (what ``alexnet-gui list --json`` prints)."""
    from ..analysis import ANALYSES
    from ..data import DATASETS
    from ..experiments import EXPERIMENTS
    from ..models import MODELS, model_option_defaults
    from ..recipes import RECIPES, REFERENCES
    from ..settings import SETTINGS

    def first_line(fn) -> str:  # the docstring's first sentence
        text = " ".join((fn.build.__doc__ or "").split("\n\n")[0].split())  # the recipe function's own words
        return text.split(". ")[0].rstrip(".") + "."

    def plain(v):
        return list(v) if isinstance(v, tuple) else v

    return {
        "models": [{"name": n, "description": c.description, "input_size": c.native_size,
                    "options": {k: plain(v) for k, v in model_option_defaults(n).items()},
                    "weights": list(c.weights_aliases)} for n, c in MODELS.items()],
        "recipes": [{"name": n, "description": first_line(fn), "model": cfg.model, "dataset": cfg.dataset,
                     "reference": REFERENCES[n].value if n in REFERENCES else None}
                    for n, fn in RECIPES.items() for cfg in [fn()]],
        "datasets": [{"name": d.name, "description": d.description, "classes": len(d.classes) if d.classes else None,
                      "channels": d.channels, "aliases": list(d.aliases)} for d in DATASETS.values()],
        "analyses": [{"name": a.name, "description": a.description, "cost": a.cost} for a in ANALYSES.values()],
        "experiments": [{"name": e.name, "title": e.title, "description": e.description, "setting": e.setting,
                         "arms": [{"key": a.key, "label": a.label, "value": a.value} for a in e.arms],
                         "paper": e.claim.text} for e in EXPERIMENTS.values()],
        "settings": [{"key": s.key, "group": s.group, "kind": s.kind, "target": s.target} for s in SETTINGS],
    }


def cmd_list(args: argparse.Namespace) -> int:
    reg = registries()
    if args.json:
        print(json.dumps(reg, indent=2))
        return 0
    print("models:")
    for m in reg["models"]:
        weights = f"; weights: {', '.join(m['weights'])}" if m["weights"] else ""
        print(f"  {m['name']:<12} {m['input_size']} px  {m['description']}{weights}")
    print("recipes:")
    for r in reg["recipes"]:
        print(textwrap.fill(f"{r['model']} on {r['dataset']}: {r['description']}", 110,
                            initial_indent=f"  {r['name']:<12} ", subsequent_indent=" " * 15))
    print("data sets:")
    for d in reg["datasets"]:
        print(f"  {d['name']:<14} {d['description']}")
    print("analyses:")
    for a in reg["analyses"]:
        print(f"  {a['name']:<14} [{a['cost']}] {a['description']}")
    print("experiments (alexnet-gui experiment NAME):")
    for e in reg["experiments"]:
        print(textwrap.fill(f"{e['description']}; the paper: {e['paper']}", 110,
                            initial_indent=f"  {e['name']:<12} ", subsequent_indent=" " * 15))
    print(f"settings: {len(reg['settings'])} (alexnet-gui train --list-settings shows them with a recipe's values)")
    return 0


def image_paths(items: Sequence[str]) -> tuple[list[str], list[str]]:
    """The images named: files as given, folders searched recursively for image files (sorted); and what was named
    but gives no image (with why)."""
    from ..data.images import is_image_file

    found, refused = [], []
    for item in items:
        path = Path(item)
        if path.is_dir():
            inside = sorted(str(f) for f in path.rglob("*") if f.is_file() and is_image_file(f))
            found += inside
            if not inside:
                refused.append(f"'{item}' is a folder with no image files in it")
        elif path.exists():
            found.append(item)
        else:
            refused.append(f"'{item}' does not exist")
    return found, refused


def cmd_classify(args: argparse.Namespace) -> int:
    import csv
    import io

    from ..analysis.probes import predict
    from ..data.images import ImageLoadError, load_image
    from ..io.atomic import write_atomic
    from ..io.checkpoints import resolve_weights

    weights = resolve_weights(args.weights)
    if args.topk < 1:
        raise UsageError("--topk must be at least 1")
    paths, refused = image_paths(args.images)
    for why in refused:
        print_error(why)
    if not paths:  # a missing file is unreadable (1); only empty folders: nothing was asked of the network (2)
        return 2 if all(why.endswith("no image files in it") for why in refused) else 1
    failures = len(refused)
    if not weights.trained and not args.json:
        print("WARNING: no trained weights loaded (untrained paper AlexNet): the classes below are random, "
              "not predictions. Pass --weights CHECKPOINT or --weights torchvision.", file=sys.stderr)
    rows: list[list[Any]] = []
    progress = args.csv is not None and sys.stderr.isatty()
    for n, path in enumerate(paths, 1):
        if args.csv is not None and (n % 50 == 0 or n == len(paths)):
            print(f"\rclassified {n:,} / {len(paths):,}", end="" if progress and n < len(paths) else "\n",
                  file=sys.stderr, flush=True)
        try:
            image = load_image(path, min_short_side=512)
        except ImageLoadError as err:
            print_error(str(err))
            failures += 1
            continue
        pred = predict(weights, image, topk=args.topk, ten_crop=args.ten_crop)
        if args.csv is not None:
            rows.append([path] + [v for p in pred.as_list() for v in (p["class"], f"{p['probability']:.6f}")])
        elif args.json:
            print(json.dumps({"path": path, "predictions": [{"class": p["class"], "probability": p["probability"]}
                                                           for p in pred.as_list()],
                              "weights": weights.source, "trained": weights.trained,
                              "ten_crop": args.ten_crop}))
        else:
            crop = "ten-crop" if args.ten_crop else "centre crop"
            note = "" if weights.trained else "  [UNTRAINED weights: not a prediction]"
            print(f"{path}  ({weights.model.variant}, {crop}){note}")
            for rank, p in enumerate(pred.as_list(), 1):
                print(f"  {rank}. {p['class']:<32} {100 * p['probability']:6.2f} %")
    if args.csv is not None:
        k = min(args.topk, len(weights.classes))
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(["path"] + [f"{what}_{i}" for i in range(1, k + 1) for what in ("class", "probability")])
        writer.writerows(rows)
        write_atomic(args.csv, lambda tmp: Path(tmp).write_text(buf.getvalue(), encoding="utf-8", newline=""))
        print(f"{len(rows):,} images classified into {args.csv}" + (f"; {failures} unreadable" if failures else ""),
              file=sys.stderr)
    return 1 if failures else 0


def cmd_export_kernels(args: argparse.Namespace) -> int:
    from ..analysis.export import FIGURE_FORMATS, save_kernel_figure
    from ..analysis.probes import kernel_snapshot
    from ..io.checkpoints import resolve_weights

    if Path(args.output).suffix.lower() not in FIGURE_FORMATS:
        raise UsageError(f"cannot write '{args.output}': use one of {', '.join(FIGURE_FORMATS)}")
    if args.scale < 1 or args.columns < 1:
        raise UsageError("--scale and --columns must be at least 1")
    weights = resolve_weights(args.weights)
    snap = kernel_snapshot(weights.model, mode=args.mode)
    try:
        out = save_kernel_figure(snap, args.output, scale=args.scale, columns=args.columns, npy=args.npy)
    except OSError as err:
        raise WriteError(args.output, err) from None
    sel = ", ".join(f"GPU {i + 1} {s:.2f}" for i, s in enumerate(snap.mean_selectivity))
    state = "" if weights.trained else " (untrained weights)"
    print(f"wrote {out}: {sum(len(t) for t in snap.tiles)} kernels in {snap.towers} group(s){state}; "
          f"mean colour selectivity {sel}" + (f"; raw weights in {args.npy}" if args.npy else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
