"""Images from outside the window: local files in a drop or on the clipboard, and the clipboard's own image."""

from __future__ import annotations

from PIL import Image
from PySide6.QtCore import QBuffer, QIODevice, QMimeData
from PySide6.QtGui import QGuiApplication

from train_backend.data.images import decode_image


def local_files(mime: QMimeData) -> list[str]:
    """The local files a drop or the clipboard holds (web addresses are not files)."""
    return [u.toLocalFile() for u in mime.urls() if u.isLocalFile()] if mime.hasUrls() else []


def clipboard_image() -> Image.Image:
    """The clipboard's image, through PNG (raises :class:`~train_backend.images.ImageLoadError`)."""
    buf = QBuffer()
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    QGuiApplication.clipboard().image().save(buf, "PNG")
    return decode_image(bytes(buf.data()), "clipboard image")
