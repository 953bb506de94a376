"""Heat maps drawn over the image they explain: a colour map, alpha blending, an optional side-by-side view.

NumPy and PIL only (no matplotlib): each colour map is a handful of sampled colours, linearly interpolated into
a 256-entry table.  The CLI's ``explain`` writes these pictures and the GUI will draw the same arrays.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
from PIL import Image

from ..io.atomic import write_atomic

#: colours at evenly spaced points of [0, 1]: "inferno" sampled from matplotlib's at 9 points, "jet" at its
#: classic corners (dark blue, blue, cyan, yellow, red, dark red at 0, 1/8, 3/8, 5/8, 7/8, 1)
_ANCHORS: dict[str, tuple[tuple[float, tuple[int, int, int]], ...]] = {
    "inferno": tuple(zip(np.linspace(0, 1, 9).tolist(), (
        (0, 0, 4), (31, 12, 72), (85, 15, 109), (136, 34, 106), (186, 54, 85), (227, 89, 51), (249, 140, 10),
        (249, 201, 50), (252, 255, 164)))),
    "jet": ((0.0, (0, 0, 128)), (0.125, (0, 0, 255)), (0.375, (0, 255, 255)), (0.625, (255, 255, 0)),
            (0.875, (255, 0, 0)), (1.0, (128, 0, 0))),
}
COLOUR_MAPS = tuple(_ANCHORS)


def colour_table(name: str = "jet") -> np.ndarray:
    """The 256 x 3 uint8 table of colour map ``name``."""
    if name not in _ANCHORS:
        raise ValueError(f"unknown colour map {name!r}; choose one of {', '.join(COLOUR_MAPS)}")
    points = np.array([p for p, _ in _ANCHORS[name]])
    colours = np.array([c for _, c in _ANCHORS[name]], dtype=np.float64)
    t = np.linspace(0, 1, 256)
    return np.stack([np.interp(t, points, colours[:, i]) for i in range(3)], axis=1).round().astype(np.uint8)


def colourise(heat: np.ndarray, colour_map: str = "jet") -> np.ndarray:
    """A (H, W) map in [0, 1] as uint8 (H, W, 3) colours (values outside [0, 1] are clipped, NaN is 0)."""
    heat = np.nan_to_num(np.asarray(heat, dtype=np.float32), nan=0.0)
    if heat.ndim != 2:
        raise ValueError(f"a heat map is (H, W), got shape {heat.shape}")
    return colour_table(colour_map)[(np.clip(heat, 0, 1) * 255 + 0.5).astype(np.uint8)]


def overlay(image: np.ndarray, heat: np.ndarray, opacity: float = 0.5, colour_map: str = "jet",
            side_by_side: bool = False) -> np.ndarray:
    """``heat``'s colours blended over ``image`` (uint8 (H, W, 3), the same H, W): ``opacity`` 0 is the image
    alone, 1 the colours alone.  ``side_by_side``: the image on the left, the blend on the right, 4 px apart."""
    if not 0 <= opacity <= 1:
        raise ValueError(f"opacity must be in [0, 1], got {opacity}")
    image = np.asarray(image)
    if image.ndim != 3 or image.shape[2] != 3 or image.shape[:2] != np.shape(heat):
        raise ValueError(f"the image (H, W, 3) and the heat map (H, W) must match, got {image.shape} and "
                         f"{np.shape(heat)}")
    blend = (1 - opacity) * image.astype(np.float32) + opacity * colourise(heat, colour_map).astype(np.float32)
    out = (blend + 0.5).clip(0, 255).astype(np.uint8)
    if side_by_side:
        gap = np.full((image.shape[0], 4, 3), 255, np.uint8)
        out = np.concatenate([image.astype(np.uint8), gap, out], axis=1)
    return out


def save_picture(pixels: np.ndarray, path: str | os.PathLike, scale: int = 1) -> Path:
    """Write uint8 (H, W, 3) pixels as the format ``path``'s suffix names (PNG, JPEG, ...), atomically: a failed
    write leaves no file.  ``scale``: each pixel as a ``scale`` x ``scale`` block."""
    img = Image.fromarray(np.ascontiguousarray(pixels, dtype=np.uint8), "RGB")
    if scale > 1:
        img = img.resize((img.width * scale, img.height * scale), Image.NEAREST)
    fmt = Image.registered_extensions().get(Path(path).suffix.lower())
    if fmt is None:
        raise ValueError(f"cannot write '{path}': unknown picture format {Path(path).suffix or '(no suffix)'}")
    return write_atomic(path, lambda tmp: img.save(tmp, format=fmt))
