"""``alexnet-gui classify``: the top-k classes of images, files or whole folders, as text, JSON lines or CSV."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Sequence

from .command import Command
from .common import UsageError, print_error


def _arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("images", nargs="+", metavar="IMAGE_OR_FOLDER")
    p.add_argument("--csv", metavar="OUT.csv", help="one row per image: path, then each of the top-k classes and its "
                                                    "probability (progress on stderr)")
    p.add_argument("--weights", help="a checkpoint of this app, a torchvision .pth, a Caffe .caffemodel or "
                                     "'torchvision' (ImageNet weights through torchvision)")
    p.add_argument("--topk", type=int, default=5)
    p.add_argument("--ten-crop", action="store_true", help="average the softmax of the paper's ten crops")
    p.add_argument("--json", action="store_true", help="one JSON object per image, one per line")


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
    from ..io.weights import resolve_weights

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


COMMANDS = (
    Command("classify",
            help="top-k classes of images, files or whole folders",
            description="Classify images (a folder: every image under it, recursively). Without --weights "
                        "the paper model is untrained, which the output says. Unreadable files are named "
                        "on stderr and left out; the exit code is then 1.",
            arguments=_arguments, run=cmd_classify),
)
