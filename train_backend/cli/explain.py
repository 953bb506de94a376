"""``alexnet-gui explain IMAGE --method gradcam|saliency|occlusion``: which parts of the image a class rests on,
as a heat map over the crop the network sees, written as a picture (see :mod:`train_backend.analysis.explain`).

Everything the command is given is checked before any work, and a bad argument, image, class, layer or weights
file is one ``alexnet-gui: error:`` line and exit status 2, with no file written.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from .command import Command
from .common import AlexNetGuiError, UsageError, WriteError

METHODS = ("gradcam", "saliency", "occlusion")
PICTURES = (".png", ".jpg", ".jpeg")
TITLES = {"gradcam": "Grad-CAM", "saliency": "guided backprop", "occlusion": "occlusion"}


def _arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("image", metavar="IMAGE")
    p.add_argument("--method", required=True, choices=METHODS)
    p.add_argument("--weights", required=True,
                   help="a checkpoint of this app, a torchvision .pth, 'torchvision' (ImageNet weights through "
                        "torchvision) or 'untrained'")
    p.add_argument("--class", dest="target", metavar="NAME|INDEX",
                   help="the class to explain, by name (any case) or index (default: the top class)")
    p.add_argument("--layer", help="gradcam: the layer, conv1-conv5 (read after its ReLU) or any relu/lrn/pool "
                                   "before the classifier (default conv5)")
    p.add_argument("--crop", default="centre", help="'centre' (default) or a ten-crop index 0-9: 0-3 the corners "
                                                    "(top-left, top-right, bottom-left, bottom-right), 4 the centre, "
                                                    "5-9 the same mirrored")
    p.add_argument("--patch", type=int, help="occlusion: the grey square's side in pixels (default 32)")
    p.add_argument("--stride", type=int, help="occlusion: its step in pixels (default 16)")
    p.add_argument("--opacity", type=float, default=0.5, help="of the heat map over the image, 0-1 (default 0.5)")
    p.add_argument("--colour-map", "--colormap", dest="colour_map", default="jet", choices=("jet", "inferno"))
    p.add_argument("--side-by-side", action="store_true", help="the crop alone on the left, the overlay right")
    p.add_argument("-o", "--output", required=True, help="the picture to write: .png or .jpg")
    p.add_argument("--json", action="store_true", help="the figures as one JSON object")


def _check_args(args: argparse.Namespace) -> str | None:
    """The first problem with the arguments alone, or None."""
    if Path(args.output).suffix.lower() not in PICTURES:
        return f"cannot write '{args.output}': use one of {', '.join(PICTURES)}"
    if Path(args.output).is_dir():
        return f"cannot write '{args.output}': it is a folder"
    if not 0 <= args.opacity <= 1:
        return f"--opacity must be between 0 and 1, got {args.opacity:g}"
    if args.layer is not None and args.method != "gradcam":
        return f"--layer applies to --method gradcam only ({args.method} works on the input pixels)"
    if (args.patch is not None or args.stride is not None) and args.method != "occlusion":
        return "--patch and --stride apply to --method occlusion only"
    return None


def cmd_explain(args: argparse.Namespace) -> int:
    from ..analysis.explain import crop_label, explain
    from ..analysis.overlay import overlay, save_picture
    from ..data.images import load_image
    from ..io.weights import resolve_weights

    problem = _check_args(args)
    if problem:
        raise UsageError(problem)
    options: dict = {"target": args.target, "crop": args.crop}
    if args.method == "gradcam":
        options["layer"] = args.layer or "conv5"
    if args.method == "occlusion":
        options.update(patch=32 if args.patch is None else args.patch, stride=16 if args.stride is None else args.stride)
    try:
        crop_label(args.crop)
        image = load_image(args.image, min_short_side=512)
        weights = resolve_weights(args.weights)
        started = time.perf_counter()
        result = explain(args.method, weights, image, **options)
        seconds = time.perf_counter() - started
    except AlexNetGuiError:
        raise
    except ValueError as err:  # the crop's or the method's options refused
        raise UsageError(str(err)) from None
    picture = overlay(result.image, result.heat, args.opacity, args.colour_map, args.side_by_side)
    try:
        # a small network input (67 px) is written in square blocks to at least 224 px, so the map can be seen
        out = save_picture(picture, args.output, scale=max(1, -(-224 // result.image.shape[0])))
    except OSError as err:
        raise WriteError(args.output, err) from None
    if not weights.trained and not args.json:
        print("WARNING: untrained weights: the map explains a random network, not a prediction. Pass "
              "--weights CHECKPOINT or --weights torchvision.", file=sys.stderr)
    where = f"at {result.layer}" if args.method == "gradcam" else \
        f"square {result.patch} px every {result.stride} px, {len(result.offsets) ** 2} positions" \
        if args.method == "occlusion" else "to the pixels"
    if args.json:
        figures = {"image": args.image, "method": args.method, "class": result.class_name,
                   "class_index": result.class_index, "probability": result.probability,
                   "top5": [{"class": c, "index": i, "probability": p} for i, c, p in result.top],
                   "layer": result.layer, "crop": result.crop, "map_shape": list(result.heat.shape),
                   "output": str(out), "seconds": round(seconds, 4), "weights": weights.source,
                   "trained": weights.trained}
        if args.method == "occlusion":
            figures.update(patch=result.patch, stride=result.stride, positions=len(result.offsets) ** 2,
                           largest_drop=float(result.raw.max()))
        print(json.dumps(figures))
        return 0
    h, w = result.heat.shape
    print(f"wrote {out}: {TITLES[args.method]} {where} for {result.class_name!r} (class {result.class_index}, "
          f"p = {result.probability:.4f}), {result.crop} crop, {w}x{h}; {1000 * seconds:.0f} ms")
    print("top-5: " + ", ".join(f"{c} {100 * p:.2f} %" for _, c, p in result.top))
    return 0


COMMANDS = (
    Command("explain",
            help="a heat map of where the network looks for a class: Grad-CAM, guided "
                 "backprop or occlusion",
            description="Explain one class's score for IMAGE as a heat map over the crop the network "
                        "sees: Grad-CAM at a conv layer, guided backpropagation (saliency), or the "
                        "probability drop under a sliding grey square (occlusion).",
            arguments=_arguments, run=cmd_explain),
)
