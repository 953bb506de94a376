"""Makers of odd image files for tests (every PIL mode, broken files, bombs)."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import numpy as np
from PIL import Image


def gradient_rgb(w=64, h=48) -> Image.Image:
    x = np.linspace(0, 255, w, dtype=np.float32)[None, :].repeat(h, 0)
    y = np.linspace(0, 255, h, dtype=np.float32)[:, None].repeat(w, 1)
    return Image.fromarray(np.stack([x, y, 255 - x], -1).astype(np.uint8), "RGB")


def png_bomb(path: Path, side: int = 40000) -> Path:
    """A tiny PNG whose header claims side x side pixels."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    ihdr = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    raw = zlib.compress(b"\x00" * 64)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", raw) + chunk(b"IEND", b""))
    return path


def make_all(folder: Path) -> dict[str, Path]:
    """Write every odd kind of file; returns name -> path."""
    folder.mkdir(parents=True, exist_ok=True)
    f: dict[str, Path] = {}
    rgb = gradient_rgb()
    f["empty"] = folder / "empty.jpg"
    f["empty"].write_bytes(b"")
    f["text"] = folder / "notes.jpg"
    f["text"].write_text("this is not an image\n")
    buf = io.BytesIO()
    gradient_rgb(400, 300).save(buf, "JPEG", quality=90)
    f["truncated"] = folder / "truncated.jpg"
    f["truncated"].write_bytes(buf.getvalue()[: len(buf.getvalue()) // 2])
    f["bomb"] = png_bomb(folder / "bomb.png")
    f["tiny"] = folder / "one.png"
    Image.new("RGB", (1, 1), (10, 200, 30)).save(f["tiny"])
    f["thin"] = folder / "thin.png"
    gradient_rgb(4000, 12).save(f["thin"])
    f["png16"] = folder / "sixteen.png"
    a16 = (np.linspace(0, 65535, 32 * 16).reshape(16, 32)).astype(np.uint16)
    Image.fromarray(a16).save(f["png16"])
    f["tiff_float"] = folder / "float.tiff"
    Image.fromarray(np.linspace(0, 1, 32 * 16, dtype=np.float32).reshape(16, 32), "F").save(f["tiff_float"])
    f["cmyk"] = folder / "cmyk.jpg"
    Image.new("CMYK", (20, 10), (0, 255, 255, 0)).save(f["cmyk"])  # pure red in CMYK
    f["palette"] = folder / "palette.png"
    p = Image.new("P", (20, 10), 0)
    p.putpalette([255, 0, 0, 0, 0, 255] + [0] * 762)
    p.paste(1, (10, 0, 20, 10))
    p.info["transparency"] = 0
    p.save(f["palette"], transparency=0)
    f["rgba"] = folder / "rgba.png"
    Image.new("RGBA", (20, 10), (0, 0, 255, 0)).save(f["rgba"])
    f["gif"] = folder / "animated.gif"
    frames = [Image.new("RGB", (16, 16), c) for c in ((255, 0, 0), (0, 255, 0), (0, 0, 255))]
    frames[0].save(f["gif"], save_all=True, append_images=frames[1:], duration=100, loop=0)
    f["multipage"] = folder / "pages.tiff"
    frames[1].save(f["multipage"], save_all=True, append_images=[frames[0], frames[2]])
    f["exif"] = folder / "rotated.jpg"
    tall = Image.new("RGB", (40, 20), (0, 0, 0))
    tall.paste((255, 255, 255), (0, 0, 20, 20))  # left half white as stored
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 CW when shown
    tall.save(f["exif"], exif=exif.tobytes(), quality=95)
    f["svg"] = folder / "drawing.svg"
    f["svg"].write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>')
    f["directory"] = folder / "a folder.jpg"
    f["directory"].mkdir(exist_ok=True)
    f["unicode"] = folder / "mein Bild äöü 猫.png"
    rgb.save(f["unicode"])
    f["grey"] = folder / "grey.png"
    rgb.convert("L").save(f["grey"])
    return f
