"""Exports: conv1's kernels as a Figure-3-style image (PNG/JPEG, PDF, or vector SVG), raw weights (.npy), and grids
of captioned images (the most confidently wrong images, neighbours, patches)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from ..io.atomic import write_atomic
from .probes import KernelSnapshot

FIGURE_FORMATS = (".png", ".jpg", ".jpeg", ".pdf", ".svg")


def tower_labels(snapshot: KernelSnapshot) -> list[str]:
    if snapshot.towers == 1:
        return [f"conv1: {len(snapshot.tiles[0])} kernels"]
    labels, start = [], 1
    for i, tiles in enumerate(snapshot.tiles):
        end = start + len(tiles) - 1
        labels.append(f"GPU {i + 1}: kernels {start}-{end}   mean colour selectivity "
                      f"{snapshot.mean_selectivity[i]:.2f}")
        start = end + 1
    return labels


def _layout(snapshot: KernelSnapshot, columns: int, scale: int, gap: int, label_h: int):
    """Yield (tower, index, x, y) of each tile in pixels, and the canvas size."""
    kh, kw = snapshot.tiles[0].shape[1:3]
    cell_w, cell_h = (kw + gap) * scale, (kh + gap) * scale
    pad = 2 * gap * scale
    y = pad
    places = []
    label_pos = []
    for t, tiles in enumerate(snapshot.tiles):
        label_pos.append(y)
        y += label_h
        rows = max(1, -(-len(tiles) // columns))
        for i in range(len(tiles)):
            r, c = divmod(i, columns)
            places.append((t, i, pad + c * cell_w, y + r * cell_h))
        y += rows * cell_h + pad
    width = 2 * pad + columns * cell_w - gap * scale
    return places, label_pos, (width, y)


def render_kernel_figure(snapshot: KernelSnapshot, scale: int = 8, columns: int = 12, gap: int = 1,
                         labels: bool = True) -> Image.Image:
    """The towers' kernels as one RGB image, tower 1 above tower 2, each under its label."""
    if scale < 1:
        raise ValueError("scale must be >= 1")
    kh, kw = snapshot.tiles[0].shape[1:3]
    label_h = 16 + 2 * scale if labels else 0
    places, label_pos, (w, h) = _layout(snapshot, columns, scale, gap, label_h)
    canvas = Image.new("RGB", (w, h), (255, 255, 255))
    for t, i, x, y in places:
        tile = (snapshot.tiles[t][i] * 255 + 0.5).astype(np.uint8)
        canvas.paste(Image.fromarray(tile, "RGB").resize((kw * scale, kh * scale), Image.NEAREST), (x, y))
    if labels:
        draw = ImageDraw.Draw(canvas)
        font = _font(max(11, min(18, 4 + scale)))
        for text, y in zip(tower_labels(snapshot), label_pos):
            draw.text((2 * gap * scale, y + 2), text, fill=(20, 20, 20), font=font)
    return canvas


def _font(size: int):
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # old Pillow
        return ImageFont.load_default()


def kernel_svg(snapshot: KernelSnapshot, scale: int = 8, columns: int = 12, gap: int = 1) -> str:
    """A vector SVG of the kernels: one rectangle per weight, labels as text."""
    kh, kw = snapshot.tiles[0].shape[1:3]
    label_h = 16 + 2 * scale
    places, label_pos, (w, h) = _layout(snapshot, columns, scale, gap, label_h)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" '
           'shape-rendering="crispEdges">',
           f'<rect width="{w}" height="{h}" fill="#ffffff"/>']
    for text, y in zip(tower_labels(snapshot), label_pos):
        out.append(f'<text x="{2 * gap * scale}" y="{y + 14}" font-family="sans-serif" font-size="13" '
                   f'fill="#141414">{text}</text>')
    for t, i, x, y in places:
        tile = (snapshot.tiles[t][i] * 255 + 0.5).astype(np.uint8)
        out.append(f'<g transform="translate({x},{y}) scale({scale})">')
        for r in range(kh):
            for c in range(kw):
                rr, gg, bb = tile[r, c]
                out.append(f'<rect x="{c}" y="{r}" width="1" height="1" fill="#{rr:02x}{gg:02x}{bb:02x}"/>')
        out.append("</g>")
    out.append("</svg>")
    return "\n".join(out)


def save_kernel_figure(snapshot: KernelSnapshot, path: str | os.PathLike, scale: int = 8, columns: int = 12,
                       npy: str | os.PathLike | None = None) -> Path:
    """Write the figure in the format of ``path``'s suffix; ``npy``: also the raw conv1 weights."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in FIGURE_FORMATS:
        raise ValueError(f"cannot export kernels as '{suffix or path.name}'; use one of {', '.join(FIGURE_FORMATS)}")
    if suffix == ".svg":
        text = kernel_svg(snapshot, scale, columns)
        write_atomic(path, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))
    else:
        save_image(render_kernel_figure(snapshot, scale, columns), path)
    if npy is not None:
        save_npy(snapshot.weights, npy)
    return path


def save_npy(array: np.ndarray, path: str | os.PathLike) -> Path:
    def write(tmp: str) -> None:
        with open(tmp, "wb") as f:
            np.save(f, np.asarray(array))

    return write_atomic(path, write)


IMAGE_FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".pdf": "PDF"}


def image_grid(tiles: list[np.ndarray], captions: list[str] | None = None, columns: int = 6, tile: int = 128,
               gap: int = 6) -> Image.Image:
    """Images (uint8 HxWx3 or HxW) in rows of ``columns``, each scaled to fit ``tile`` px, a caption line under each."""
    captions = captions or [""] * len(tiles)
    cols = max(1, min(columns, len(tiles)))
    rows = max(1, -(-len(tiles) // cols))
    font = _font(11)
    cap_h = 30 if any(captions) else 0
    canvas = Image.new("RGB", (cols * (tile + gap) + gap, rows * (tile + cap_h + gap) + gap), (255, 255, 255))
    draw = ImageDraw.Draw(canvas)
    for i, (arr, text) in enumerate(zip(tiles, captions)):
        img = Image.fromarray(np.asarray(arr, dtype=np.uint8)).convert("RGB")
        img.thumbnail((tile, tile), Image.LANCZOS if min(img.size) > tile else Image.NEAREST)
        if max(img.size) < tile:  # small images (28 px Fashion-MNIST) are scaled up, pixels kept sharp
            f = tile / max(img.size)
            img = img.resize((max(1, round(img.width * f)), max(1, round(img.height * f))), Image.NEAREST)
        x = gap + (i % cols) * (tile + gap)
        y = gap + (i // cols) * (tile + cap_h + gap)
        canvas.paste(img, (x + (tile - img.width) // 2, y + (tile - img.height) // 2))
        for line_no, line in enumerate(text.split("\n")[:2]):
            draw.text((x, y + tile + 2 + 13 * line_no), line, fill=(20, 20, 20), font=font)
    return canvas


def save_image(img: Image.Image, path: str | os.PathLike) -> Path:
    """Write ``img`` in the format of ``path``'s suffix (PNG, JPEG or PDF), atomically."""
    path = Path(path)
    fmt = IMAGE_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ValueError(f"cannot write an image as '{path.suffix or path.name}'; use one of "
                         f"{', '.join(IMAGE_FORMATS)}")
    write_atomic(path, lambda tmp: img.save(tmp, format=fmt))
    return path
