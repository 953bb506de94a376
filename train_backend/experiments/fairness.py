"""Fair arms: before anything trains, every arm's network is built and every layer's output measured on the
configured input size; arms whose maps differ in size anywhere (the setting aside) are refused with the reason.

The paper compares overlapping pooling against the 2x2/2 scheme "which produces output of equivalent dimensions":
at 83 px pool5 is 1x1 with 3x3/2 pooling and 2x2 with 2x2/2, so the arms would differ in more than the one thing.
3x3/2 and 2x2/2 give equal maps exactly where every pooling layer's input is odd (227 px: 55, 27, 13; 99 px: 23,
11, 5; 67 px: 15, 7, 3)."""

from __future__ import annotations

from typing import Any

import torch

from ..models import build_model, summarize
from ..config import TrainConfig


def layer_shapes(cfg: TrainConfig, num_classes: int = 10) -> dict[str, tuple[int, ...]]:
    """Every layer's output shape (without batch) of ``cfg``'s network on its input size, built on the meta device
    (shapes without weights: the paper's 61 M parameters cost nothing)."""
    options = {k: v for k, v in cfg.model_options.items() if k not in ("name", "weights")}
    with torch.device("meta"):
        model = build_model(cfg.model, num_classes=num_classes, in_channels=cfg.channels, **options)
        return {l.name: l.output_shape for l in summarize(model, cfg.input_size)}


def map_check(configs: dict[str, TrainConfig], num_classes: int = 10) -> dict[str, Any]:
    """``configs``: arm key -> config.  Every layer the arms share, its maps' size (height x width) in each arm,
    and the problems: a layer whose maps differ in size between arms (channel counts may differ where the setting
    is the kernels themselves: the one-GPU net)."""
    shapes = {arm: layer_shapes(cfg, num_classes) for arm, cfg in configs.items()}
    first = next(iter(shapes.values()))
    common = [n for n in first if all(n in s for s in shapes.values())]
    rows, problems = [], []
    for name in common:
        maps = {arm: tuple(s[name][1:]) for arm, s in shapes.items()}
        rows.append({"layer": name, "maps": {arm: "x".join(map(str, m)) or "-" for arm, m in maps.items()}})
        if len(set(maps.values())) > 1:
            problems.append(f"{name}: " + ", ".join(f"{arm} {'x'.join(map(str, m))}" for arm, m in maps.items()))
    sizes = sorted({cfg.input_size for cfg in configs.values()})
    return {"input_size": sizes[0] if len(sizes) == 1 else sizes, "layers": rows, "problems": problems,
            "equal": not problems}


def refusal(name: str, check: dict[str, Any]) -> str:
    """Why the experiment ``name`` will not run: the layers whose maps differ."""
    return (f"the {name} experiment's arms would differ in more than their one setting at "
            f"{check['input_size']} px: their maps differ in size at " + "; ".join(check["problems"]) +
            ". Choose an input size at which every layer's maps are equal in both arms (for 3x3/2 against 2x2/2 "
            "pooling: one where every pooling layer's input is odd, e.g. 67, 99 or 227 px).")
