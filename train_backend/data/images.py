"""One image loader for every path (classify, drag-and-drop, folder datasets).

``load_image(path)`` returns an upright RGB ``PIL.Image`` or raises :class:`ImageLoadError`
whose message names the file and the reason.  Every PIL mode is converted deliberately:
transparency is composited on white, 16-bit and float images are rescaled rather than clipped,
CMYK goes through PIL's conversion, and animated or multi-page files give their first frame.
"""

from __future__ import annotations

import io
import os
import warnings
from pathlib import Path

import numpy as np
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

from ..errors import AlexNetGuiError

#: Refuse images above this many pixels (a 12 MP photo is 12e6; a decompression bomb is far more).
MAX_PIXELS = 80_000_000

IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".bmp", ".gif", ".tif", ".tiff", ".webp", ".ppm", ".pgm", ".pbm")


class ImageLoadError(AlexNetGuiError, ValueError):
    """An image could not be loaded; ``str(err)`` names the file and the reason."""

    def __init__(self, path: str | os.PathLike, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"cannot load image '{self.path}': {reason}")


def load_image(path: str | os.PathLike, max_pixels: int = MAX_PIXELS,
               min_short_side: int | None = None) -> Image.Image:
    """Load ``path`` as an upright RGB image, or raise :class:`ImageLoadError`.

    ``min_short_side``: the caller needs no more than this many pixels on the shorter side, so a big
    JPEG may be decoded at 1/2, 1/4 or 1/8 scale (PIL's draft mode: a 12 MP photo decodes several times faster).
    """
    p = Path(path)
    if p.is_dir():
        raise ImageLoadError(p, "it is a folder, not an image file")
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise ImageLoadError(p, "no such file") from None
    except PermissionError:
        raise ImageLoadError(p, "permission denied (the file cannot be read)") from None
    except OSError as err:
        raise ImageLoadError(p, f"could not read the file ({err.strerror or err})") from None
    return decode_image(data, p, max_pixels=max_pixels, min_short_side=min_short_side)


def decode_image(data: bytes, name: str | os.PathLike = "<bytes>", max_pixels: int = MAX_PIXELS,
                 min_short_side: int | None = None) -> Image.Image:
    """Decode image bytes (e.g. pasted from the clipboard) exactly as :func:`load_image` does."""
    if not data:
        raise ImageLoadError(name, "the file is empty")
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            img = Image.open(io.BytesIO(data))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ImageLoadError(name, "the image is too large (possible decompression bomb)") from None
        except UnidentifiedImageError:
            raise ImageLoadError(name, "not an image format that can be read (supported: JPEG, PNG, BMP, GIF, "
                                       "TIFF, WebP, PPM)") from None
        except Exception as err:  # PIL raises many types for malformed headers
            raise ImageLoadError(name, f"the file is damaged ({err})") from None
        w, h = img.size
        if w < 1 or h < 1:
            raise ImageLoadError(name, f"the image has no pixels ({w}x{h})")
        if w * h > max_pixels:
            raise ImageLoadError(name, f"the image is too large ({w}x{h} = {w * h / 1e6:.0f} MP; "
                                       f"the limit is {max_pixels / 1e6:.0f} MP)")
        if min_short_side and img.format == "JPEG" and min(w, h) > 2 * min_short_side:
            scale = min_short_side / min(w, h)
            img.draft("RGB", (max(1, int(w * scale + 0.999)), max(1, int(h * scale + 0.999))))
        try:
            img.seek(0)  # first frame of animated GIF / multi-page TIFF
            img.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ImageLoadError(name, "the image is too large (possible decompression bomb)") from None
        except (OSError, SyntaxError, ValueError, EOFError) as err:
            reason = str(err) or type(err).__name__
            if "truncated" in reason.lower() or isinstance(err, EOFError):
                reason = f"the file is truncated or damaged ({reason})"
            else:
                reason = f"the file is damaged ({reason})"
            raise ImageLoadError(name, reason) from None
    try:
        img = ImageOps.exif_transpose(img)
    except Exception:  # a broken EXIF block should not make a readable image unreadable
        pass
    try:
        return to_rgb(img)
    except Exception as err:
        raise ImageLoadError(name, f"unsupported pixel format {img.mode!r} ({err})") from None


def to_rgb(img: Image.Image) -> Image.Image:
    """Convert any PIL mode to 8-bit RGB, compositing transparency on white."""
    mode = img.mode
    if mode == "RGB":
        return img
    if mode in ("I;16", "I;16B", "I;16L", "I;16N", "I", "F"):
        arr = np.asarray(img, dtype=np.float64)
        if mode.startswith("I;16"):
            arr = arr / 65535.0
        elif mode == "I":
            hi = arr.max() if arr.size else 1.0
            arr = arr / (65535.0 if hi > 255 else 255.0)
        else:  # float: [0, 1] data stays, anything else is min-max scaled
            finite = np.isfinite(arr)
            arr = np.where(finite, arr, 0.0)
            lo, hi = (arr.min(), arr.max()) if arr.size else (0.0, 1.0)
            if lo < 0.0 or hi > 1.0:
                arr = (arr - lo) / (hi - lo) if hi > lo else np.zeros_like(arr)
        grey = np.clip(np.rint(arr * 255.0), 0, 255).astype(np.uint8)
        return Image.fromarray(grey, "L").convert("RGB")
    if mode == "P":
        img = img.convert("RGBA" if "transparency" in img.info else "RGB")
        mode = img.mode
    if mode in ("LA", "La", "PA"):
        img = img.convert("RGBA")
        mode = "RGBA"
    if mode in ("RGBA", "RGBa"):
        background = Image.new("RGB", img.size, (255, 255, 255))
        background.paste(img.convert("RGBA"), mask=img.convert("RGBA").getchannel("A"))
        return background
    if mode == "1":
        return img.convert("L").convert("RGB")
    return img.convert("RGB")  # L, CMYK, YCbCr, LAB, HSV, RGBX ...


def is_image_file(path: str | os.PathLike) -> bool:
    return Path(path).suffix.lower() in IMAGE_EXTENSIONS


# Truncated files must raise, never be silently padded with grey.
ImageFile.LOAD_TRUNCATED_IMAGES = False
