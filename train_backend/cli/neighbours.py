"""``alexnet-gui neighbours`` and ``alexnet-gui top-patches``: the data-set analyses from a terminal.

``neighbours IMAGE...``: the paper's Figure 4 (right), each image beside the training images nearest it by relu7
features, then by pixels; ``top-patches``: the images that excite one conv unit most, cropped to its receptive
field.  Every input is checked before the (long) pass over the data set; a bad one gives one line and exit 2, and no
output file is written (files are written whole, through a temporary file).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Sequence

from .command import Command
from .common import UsageError, WriteError

GRID_FORMATS = (".png", ".jpg", ".jpeg")


def _neighbours_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("images", nargs="+", metavar="IMAGE")
    _common(p, k=6)
    p.add_argument("-o", "--output", help="write a grid: per image a row of the image, its K feature-space "
                                          "neighbours with distances, then its K pixel-space neighbours (.png/.jpg)")



def _top_patches_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--layer", required=True, help="a layer with spatial maps: conv1 ... pool5")
    p.add_argument("--unit", required=True, type=int, help="the channel (0-based)")
    _common(p, k=9)
    p.add_argument("-o", "--output", required=True, help="the grid of patches (.png/.jpg)")


def _common(p: argparse.ArgumentParser, k: int) -> None:
    p.add_argument("--weights", required=True, help="a checkpoint of this app or a torchvision .pth; its classes "
                                                    "must be the data set's")
    p.add_argument("--dataset", required=True, help="the data set to search (fashion-mnist, cifar10, folder, "
                                                    "synthetic)")
    p.add_argument("--data-root", help="folder of the data set")
    p.add_argument("--split", choices=("train", "val"), default="train", help="which split to search (default: "
                                                                                "train)")
    p.add_argument("-k", type=int, default=k, help=f"how many (default {k})")
    p.add_argument("--limit", type=int, help="search only the split's first N images")
    p.add_argument("--batch-size", type=int, default=64, help="images per forward pass (default 64)")
    p.add_argument("--json", action="store_true", help="machine-readable output on stdout")


class _Progress:
    """``progress(done, total)`` as one rewritten line on stderr, at most twice a second."""

    def __init__(self, what: str) -> None:
        self.what, self.t0, self.last, self.shown = what, time.perf_counter(), 0.0, False

    def __call__(self, done: int, total: int) -> None:
        now = time.perf_counter()
        if done < total and now - self.last < 0.5:
            return
        self.last, self.shown = now, True
        rate = done / max(now - self.t0, 1e-9)
        eta = f", {(total - done) / rate:.0f} s left" if 0 < done < total else ""
        sys.stderr.write(f"\r{self.what}: {done:,}/{total:,} images ({rate:.0f} img/s{eta})   ")
        sys.stderr.flush()

    def end(self) -> None:
        if self.shown:
            sys.stderr.write("\n")
            sys.stderr.flush()


def _checks(args: argparse.Namespace) -> str | None:
    if args.k < 1:
        return "-k must be at least 1"
    if args.limit is not None and args.limit < 1:
        return "--limit must be at least 1"
    if args.batch_size < 1:
        return "--batch-size must be at least 1"
    out = getattr(args, "output", None)
    if out is not None:
        if Path(out).suffix.lower() not in GRID_FORMATS:
            return f"cannot write '{out}': use one of {', '.join(GRID_FORMATS)}"
        if Path(out).is_dir():
            return f"cannot write '{out}': it is a folder"
    return None


def _load(args: argparse.Namespace):
    """Weights and data set, or a one-line error."""
    from ..analysis.passes import check_classes, resolve_bundle
    from ..io.weights import load_weights

    weights = load_weights(args.weights)
    bundle = resolve_bundle(args.dataset, args.data_root)
    check_classes(weights, bundle)
    return weights, bundle


def cmd_neighbours(args: argparse.Namespace) -> int:
    from ..analysis.features import feature_index, find_neighbours
    from ..data.images import load_image

    problem = _checks(args)
    if problem:
        raise UsageError(problem)
    images = [load_image(path, min_short_side=512) for path in args.images]  # every image before the pass
    weights, bundle = _load(args)
    progress = _Progress(f"relu7 index of {bundle.name} {args.split}")
    try:
        index = feature_index(weights, bundle, args.split, limit=args.limit, batch_size=args.batch_size,
                              progress=progress)
    finally:
        progress.end()
    results = [find_neighbours(weights, image, index, k=args.k) for image in images]
    if args.output:
        try:
            _save(neighbour_grid(results), args.output)
        except OSError as err:
            raise WriteError(args.output, err) from None
    origin = "read from the cache" if index.note.origin == "cache" else "built"
    if args.json:
        print(json.dumps({"weights": args.weights, "trained": weights.trained, "dataset": bundle.name,
                          "split": args.split, "layer": index.layer, "index_size": index.size,
                          "index": str(index.path) if index.path else None, "index_origin": index.note.origin,
                          "queries": [{"path": path, **r.as_dict()} for path, r in zip(args.images, results)]}))
        return 0
    print(f"{index.layer} index of {bundle.name} {args.split}: {index.size:,} images, {index.dim}-d, {origin}"
          + ("" if weights.trained else "  [UNTRAINED weights]"))
    for path, r in zip(args.images, results):
        print(f"{path}  (shared by both lists: {r.shared} of {args.k})")
        for n, title in ((r.features, f"nearest by {r.layer} features"), (r.pixels, "nearest by pixels (16x16)")):
            print(f"  {title}:")
            for rank, (i, c, d) in enumerate(zip(n.indices, n.classes, n.distances), 1):
                print(f"    {rank}. #{int(i):<7} {c:<24} {float(d):10.4f}")
    if args.output:
        print(f"wrote {args.output}")
    return 0


def cmd_top_patches(args: argparse.Namespace) -> int:
    from ..analysis.patches import receptive_field, top_patches

    problem = _checks(args)
    if problem:
        raise UsageError(problem)
    weights, bundle = _load(args)
    receptive_field(weights.model, args.layer)  # a layer without maps is refused before the pass
    progress = _Progress(f"{args.layer} over {bundle.name} {args.split}")
    try:
        result = top_patches(weights, bundle, args.layer, args.unit, args.k, split=args.split, limit=args.limit,
                             batch_size=args.batch_size, progress=progress)
    finally:
        progress.end()
    try:
        _save(patch_grid(result), args.output)
    except OSError as err:
        raise WriteError(args.output, err) from None
    if args.json:
        print(json.dumps({"weights": args.weights, "trained": weights.trained, "output": args.output,
                          "origin": result.note.origin, **result.as_dict()}))
        return 0
    rf = result.receptive_field
    print(f"{args.layer} unit {args.unit} of {result.units}: receptive field {rf.size} px, stride {rf.stride}; "
          f"the {len(result.indices)} best of {result.searched:,} {bundle.name} {args.split} images"
          + ("" if weights.trained else "  [UNTRAINED weights]"))
    for rank, (i, c, a, b) in enumerate(zip(result.indices, result.classes, result.activations, result.boxes), 1):
        print(f"  {rank}. #{int(i):<7} {c:<24} {float(a):10.4f}  box {tuple(int(v) for v in b)}")
    print(f"wrote {args.output}")
    return 0


# ----------------------------------------------------------------------------------------- pictures
def _save(image, path: str) -> None:
    from ..io.atomic import write_atomic

    fmt = "JPEG" if Path(path).suffix.lower() in (".jpg", ".jpeg") else "PNG"
    write_atomic(path, lambda tmp: image.save(tmp, format=fmt))


def neighbour_grid(results: Sequence, cell: int = 64, gap: int = 6, text: int = 12):
    """Per query a row: the image | its feature-space neighbours | its pixel-space neighbours, distances below."""
    from PIL import Image, ImageDraw

    k = max(len(r.features.indices) for r in results)
    row_h = text + cell + text + gap
    width = gap + cell + 3 * gap + k * (cell + gap) + 3 * gap + k * (cell + gap)
    grid = Image.new("RGB", (width, text + gap + row_h * len(results)), "white")
    draw = ImageDraw.Draw(grid)
    x_feat = gap + cell + 3 * gap
    x_pix = x_feat + k * (cell + gap) + 3 * gap
    draw.text((gap, 2), "image", fill="black")
    draw.text((x_feat, 2), f"nearest by {results[0].layer} features", fill="black")
    draw.text((x_pix, 2), "nearest by pixels", fill="black")
    for row, r in enumerate(results):
        y = text + gap + row * row_h
        grid.paste(_tile(r.query, cell), (gap, y + text))
        for x0, n in ((x_feat, r.features), (x_pix, r.pixels)):
            for j, (thumb, d, c) in enumerate(zip(n.thumbnails, n.distances, n.classes)):
                x = x0 + j * (cell + gap)
                draw.text((x, y), c[:10], fill="black")
                grid.paste(_tile(thumb, cell), (x, y + text))
                draw.text((x, y + text + cell), f"{float(d):.3g}", fill="black")
    return grid


def patch_grid(result, cell: int = 96, gap: int = 6, text: int = 12, columns: int = 3):
    """The patches in rows of ``columns``, each scaled to fit ``cell`` px, with its activation and image below."""
    from PIL import Image, ImageDraw

    n = max(1, len(result.patches))
    rows = -(-n // columns)
    grid = Image.new("RGB", (gap + columns * (cell + gap), text + gap + rows * (cell + 2 * text + gap)), "white")
    draw = ImageDraw.Draw(grid)
    rf = result.receptive_field
    draw.text((gap, 2), f"{result.layer} unit {result.unit} (receptive field {rf.size} px)", fill="black")
    for i, (patch, a, idx) in enumerate(zip(result.patches, result.activations, result.indices)):
        r, c = divmod(i, columns)
        x, y = gap + c * (cell + gap), text + gap + r * (cell + 2 * text + gap)
        scale = cell / max(rf.size, 1)  # one scale for all, so a patch clipped at a border shows smaller
        w, h = max(1, round(patch.shape[1] * scale)), max(1, round(patch.shape[0] * scale))
        grid.paste(Image.fromarray(patch).resize((w, h), Image.NEAREST), (x, y))
        draw.text((x, y + cell), f"{float(a):.3g}  #{int(idx)}", fill="black")
    return grid


def _tile(pixels, cell: int):
    from PIL import Image

    im = Image.fromarray(pixels)
    return im if im.size == (cell, cell) else im.resize((cell, cell), Image.BILINEAR)


COMMANDS = (
    Command("neighbours",
            help="the training images nearest an image by relu7 features and by pixels "
                 "(the paper's Figure 4, right)",
            description="For each IMAGE, the K images of the data set's split whose last-hidden-layer "
                        "(relu7, 4096-d) features are nearest in Euclidean distance, then the K nearest "
                        "in pixel space (16x16 per channel) for contrast. The feature index is built once "
                        "per weights and data set (progress on stderr) and cached.",
            arguments=_neighbours_arguments, run=cmd_neighbours),
    Command("top-patches",
            help="the image regions of a data set that excite one conv unit most",
            description="The K images of the data set's split that excite UNIT of LAYER most, each "
                        "cropped to the unit's receptive field where it peaks (one patch per image), as "
                        "the Deep Visualization Toolbox shows them. The layer's scores are cached for "
                        "all its units.",
            arguments=_top_patches_arguments, run=cmd_top_patches),
)
