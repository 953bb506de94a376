"""``alexnet-gui export-kernels``: conv1's kernels as a picture like the paper's Figure 3 (tower 1 above tower 2)."""

from __future__ import annotations

import argparse
from pathlib import Path

from .command import Command
from .common import UsageError, WriteError


def _arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--weights", help="checkpoint, torchvision .pth or 'torchvision' (default: untrained paper)")
    p.add_argument("-o", "--output", required=True, help="output file: .png, .jpg, .pdf or .svg")
    p.add_argument("--scale", type=int, default=8, help="pixels per kernel weight (default 8)")
    p.add_argument("--columns", type=int, default=12, help="kernels per row (default 12)")
    p.add_argument("--mode", choices=("global", "per_kernel"), default="global",
                   help="one colour scale for all kernels, or each stretched to its own range")
    p.add_argument("--npy", help="also save the raw conv1 weights to this .npy file")


def cmd_export_kernels(args: argparse.Namespace) -> int:
    from ..analysis.export import FIGURE_FORMATS, save_kernel_figure
    from ..analysis.probes import kernel_snapshot
    from ..io.weights import resolve_weights

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


COMMANDS = (
    Command("export-kernels",
            help="conv1's kernels as an image like the paper's Figure 3",
            description="Export conv1's kernels, tower 1 above tower 2.",
            arguments=_arguments, run=cmd_export_kernels),
)
