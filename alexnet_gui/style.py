"""Look and feel shared by the panels: colour maps, pens, image helpers."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QImage, QPixmap

_configured = False


def configure_pyqtgraph() -> None:
    """Row-major images (numpy's order), antialiased curves, light theme. Call before any widget."""
    global _configured
    if not _configured:
        pg.setConfigOptions(imageAxisOrder="row-major", antialias=True, background="w", foreground="#303030")
        _configured = True


def viridis_lut() -> np.ndarray:
    return pg.colormap.get("viridis").getLookupTable(0.0, 1.0, 256)


def diverging_lut() -> np.ndarray:
    """Blue–white–red for signed values (differences, kernels)."""
    return pg.ColorMap([0.0, 0.5, 1.0], [(33, 102, 172), (247, 247, 247), (178, 24, 43)]).getLookupTable(0.0, 1.0, 256)


PENS = {
    "loss_raw": pg.mkPen(color=(150, 170, 200), width=1),
    "loss_smooth": pg.mkPen(color=(31, 90, 180), width=2),
    "train_err": pg.mkPen(color=(31, 90, 180), width=2),
    "val_top1": pg.mkPen(color=(214, 96, 30), width=2),
    "val_top5": pg.mkPen(color=(214, 96, 30), width=2, style=pg.QtCore.Qt.PenStyle.DashLine),
    "lr": pg.mkPen(color=(120, 120, 120), width=1, style=pg.QtCore.Qt.PenStyle.DotLine),
    # d2l's per-epoch plot: its animation's three curves, and a published figure to reach
    "train_acc": pg.mkPen(color=(190, 60, 150), width=2, style=pg.QtCore.Qt.PenStyle.DashLine),
    "test_acc": pg.mkPen(color=(40, 150, 70), width=2, style=pg.QtCore.Qt.PenStyle.DashDotLine),
    "reference": pg.mkPen(color=(40, 150, 70), width=1, style=pg.QtCore.Qt.PenStyle.DotLine),
}

WARNING_BG = "#fff4ce"
ERROR_BG = "#fde7e9"


def rgb_to_pixmap(rgb: np.ndarray) -> QPixmap:
    """uint8 (H, W, 3) → QPixmap (copies the data)."""
    rgb = np.ascontiguousarray(rgb, dtype=np.uint8)
    h, w, _ = rgb.shape
    img = QImage(rgb.data, w, h, 3 * w, QImage.Format.Format_RGB888)
    return QPixmap.fromImage(img.copy())


def tile_maps(maps: np.ndarray, shared_scale: bool = True, gap: int = 1, columns: int | None = None):
    """(C, H, W) maps → one float image in [0, 1] with NaN gaps, plus (columns, tile_h, tile_w)."""
    c, h, w = maps.shape
    cols = columns or int(np.ceil(np.sqrt(c)))
    rows = int(np.ceil(c / cols))
    m = maps.astype(np.float32)
    if shared_scale:
        lo, hi = float(m.min()), float(m.max())
        norm = (m - lo) / (hi - lo) if hi > lo else np.zeros_like(m)
    else:
        lo = m.reshape(c, -1).min(1)[:, None, None]
        hi = m.reshape(c, -1).max(1)[:, None, None]
        norm = np.where(hi > lo, (m - lo) / np.where(hi > lo, hi - lo, 1), 0.0)
    out = np.full((rows * (h + gap) - gap, cols * (w + gap) - gap), np.nan, np.float32)
    for i in range(c):
        r, q = divmod(i, cols)
        out[r * (h + gap): r * (h + gap) + h, q * (w + gap): q * (w + gap) + w] = norm[i]
    return out, (cols, h, w)
