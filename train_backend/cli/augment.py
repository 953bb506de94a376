"""``alexnet-gui augment IMAGE``: what a recipe's augmentation feeds the network, as PNG files.

Training crops come from :class:`~train_backend.data.augment.BatchAugment` (equal to the per-image training
transform, a test says so), with the parameters it drew; the ten test crops from
:func:`~train_backend.data.augment.build_eval_transform` and the boxes its :class:`TenCropStack` cuts.  Both are
written before normalisation, so a user sees the pixels, not the z-scores.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..recipes import RECIPES
from .command import Command
from .common import UsageError, WriteError, print_error


def _arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("image", metavar="IMAGE")
    p.add_argument("--recipe", default="paper", choices=sorted(RECIPES),
                   help="whose input size, resize, flip, lighting, channels and test geometry (default: paper)")
    p.add_argument("--samples", type=int, default=8, help="training crops to draw (default 8)")
    p.add_argument("--ten-crop", action="store_true", help="the ten test crops instead of training crops")
    p.add_argument("--seed", type=int, default=0, help="seed of the random draws (default 0)")
    p.add_argument("--out", required=True, help="folder for the PNG files (created)")


def _vec(v) -> str:
    return "(" + ", ".join(f"{float(x):+.4f}" for x in v) + ")"


def _box(top: int, left: int, size: int) -> str:
    return f"box (left {left}, top {top}, right {left + size}, bottom {top + size})"


def cmd_augment(args: argparse.Namespace) -> int:
    import numpy as np
    import torch
    from PIL import Image
    from torchvision.transforms import v2

    from ..data.augment import BatchAugment, TenCropStack, build_eval_transform, eval_resize_step, resize_size_for
    from ..data.images import ImageLoadError, load_image
    from ..recipes import recipe

    if args.samples < 1:
        raise UsageError("--samples must be at least 1")
    cfg = recipe(args.recipe)
    try:
        image = load_image(args.image)
    except ImageLoadError as err:
        print_error(str(err))
        return 1
    out = Path(args.out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise WriteError(out, err, verb="write to") from None
    size, resize = cfg.input_size, cfg.resize or resize_size_for(cfg.input_size)
    x = v2.functional.pil_to_tensor(image)[None]  # (1, 3, H, W) uint8
    crops: list[tuple[str, torch.Tensor, str]] = []  # file name, (C, S, S) float, what to print
    if args.ten_crop:
        how = "squashed to" if cfg.eval_resize == "square" else "shorter side to"
        resized = eval_resize_step(resize, cfg.eval_resize)(x[0])
        h, w = resized.shape[-2:]
        tf = build_eval_transform(size, [0.0], [1.0], cfg.channels, resize=cfg.resize, ten_crop=True,
                                  normalize=False, eval_resize=cfg.eval_resize)
        ten = next(t for t in tf.transforms if isinstance(t, TenCropStack))
        print(f"recipe {cfg.recipe}: {image.width}x{image.height} {how} {resize} -> {w}x{h}; the ten {size}x{size} "
              f"test crops (corners and centre of the central {min(h, resize)}x{min(w, resize)}, mirrored), "
              f"{cfg.channels} channel(s)")
        for i, ((top, left, mirrored), crop) in enumerate(zip(ten.boxes(h, w), tf(image))):
            name = f"tencrop_{i:02d}_{TenCropStack.NAMES[i % 5]}{'_mirrored' if mirrored else ''}.png"
            crops.append((name, crop, f"{_box(top, left, size)}, {'flipped' if mirrored else 'not flipped'}"))
    else:
        ba = BatchAugment(size, [0.0] * cfg.channels, [1.0] * cfg.channels, cfg.channels, resize=cfg.resize,
                          flip=cfg.flip, lighting=cfg.lighting, normalize=False)
        h, w = ba.resized(x).shape[-2:]
        params = ba.draw(args.samples, h, w, generator=torch.Generator().manual_seed(args.seed))
        batch = ba(x.expand(args.samples, -1, -1, -1), params=params)
        lit = bool(cfg.lighting)
        print(f"recipe {cfg.recipe}: {image.width}x{image.height} shorter side to {resize} -> {w}x{h}; random "
              f"{size}x{size} crops of the central {min(h, resize)}x{min(w, resize)}, "
              f"{'flips p=0.5' if cfg.flip else 'no flips'}, "
              f"{f'PCA lighting alpha ~ N(0, {cfg.lighting:g})' if lit else 'no lighting'}, "
              f"{cfg.channels} channel(s); seed {args.seed}")
        shifts = ba.rgb_shift(params["alpha"])
        for i in range(args.samples):
            what = f"{_box(int(params['top'][i]), int(params['left'][i]), size)}, " \
                   f"{'flipped' if params['flip'][i] else 'not flipped'}"
            if lit:
                what += f", alpha {_vec(params['alpha'][i])}, RGB shift {_vec(shifts[i])}"
            crops.append((f"train_{i:02d}.png", batch[i], what))
    clipped_any = False
    for name, crop, what in crops:
        outside = float(((crop < 0) | (crop > 1)).float().mean())
        if outside:
            clipped_any = True
            what += f"; {100 * outside:.1f} % of values outside [0, 1], clipped in the PNG"
        pixels = (crop.clamp(0, 1) * 255 + 0.5).to(torch.uint8).permute(1, 2, 0).numpy()
        png = Image.fromarray(pixels[..., 0] if pixels.shape[-1] == 1 else np.ascontiguousarray(pixels))
        try:
            png.save(out / name)
        except OSError as err:
            raise WriteError(out / name, err) from None
        print(f"{name}  {what}")
    if clipped_any:
        print("note: the lighting shift pushed some values outside [0, 1]; the network gets them as they are, "
              "a PNG can only hold [0, 1], so those pixels are clipped in the files")
    return 0


COMMANDS = (
    Command("augment",
            help="write the crops a recipe feeds the network for an image, as PNGs",
            description="Write the training crops of IMAGE (random crops of the central square, flips "
                        "and PCA lighting, with the drawn parameters printed) or, with --ten-crop, the ten "
                        "test crops, as the recipe's network is fed them (before normalisation).",
            arguments=_arguments, run=cmd_augment),
)
