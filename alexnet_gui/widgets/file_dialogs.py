"""File dialogs that remember their folder, one per kind of file (QSettings ``dialogs/<kind>``), instead of opening
in the working directory every time: images, weights, data set, runs, exports.

The settings are the window's (``parent.window().settings``, a per-test or per-screenshot file there), else the
app's. A remembered folder that has gone since is ignored (the kind's default, else the working directory)."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog, QWidget

from ..i18n import translate

KINDS = ("images", "weights", "dataset", "runs", "exports")


IMAGE_PATTERNS = "*.png *.jpg *.jpeg *.bmp *.gif *.tif *.tiff *.webp *.ppm"


def image_filter() -> str:
    """The image files' filter, in the window's language."""
    return translate("FileDialogs", "Images ({patterns});;All files (*)").format(patterns=IMAGE_PATTERNS)


def _settings(parent: QWidget | None) -> QSettings:
    s = getattr(parent.window(), "settings", None) if parent is not None else None
    return s if isinstance(s, QSettings) else QSettings("alexnet-gui", "alexnet-gui")


def last_folder(parent: QWidget | None, kind: str, default: str | os.PathLike | None = None) -> str:
    """Where a ``kind`` dialog opens: the folder of its last choice, else ``default``, else "" (the working
    directory)."""
    if kind not in KINDS:
        raise ValueError(f"unknown file dialog kind {kind!r} (one of {', '.join(KINDS)})")
    folder = _settings(parent).value(f"dialogs/{kind}", "")
    if isinstance(folder, str) and folder and os.path.isdir(folder):
        return folder
    return str(default) if default else ""


def remember(parent: QWidget | None, kind: str, folder: str | os.PathLike) -> None:
    s = _settings(parent)
    s.setValue(f"dialogs/{kind}", str(folder))
    s.sync()


def open_files(parent: QWidget | None, kind: str, caption: str, filters: str = "") -> list[str]:
    paths, _ = QFileDialog.getOpenFileNames(parent, caption, last_folder(parent, kind), filters)
    if paths:
        remember(parent, kind, Path(paths[0]).parent)
    return list(paths)


def open_file(parent: QWidget | None, kind: str, caption: str, filters: str = "") -> str:
    path, _ = QFileDialog.getOpenFileName(parent, caption, last_folder(parent, kind), filters)
    if path:
        remember(parent, kind, Path(path).parent)
    return path


def save_file(parent: QWidget | None, kind: str, caption: str, name: str, filters: str = "") -> str:
    """A file name to save to: ``name`` in the kind's last folder proposed."""
    folder = last_folder(parent, kind)
    path, _ = QFileDialog.getSaveFileName(parent, caption, str(Path(folder) / name) if folder else name, filters)
    if path:
        remember(parent, kind, Path(path).parent)
    return path


def existing_folder(parent: QWidget | None, kind: str, caption: str,
                    default: str | os.PathLike | None = None) -> str:
    """A folder; the next dialog of the kind opens beside it (in its parent), where its siblings are."""
    path = QFileDialog.getExistingDirectory(parent, caption, last_folder(parent, kind, default))
    if path:
        remember(parent, kind, Path(path).parent)
    return path
