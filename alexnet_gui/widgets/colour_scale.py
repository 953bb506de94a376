"""The colour scale beside every map: what a colour means, in the map's units, over the range shown.

One implementation for the kernels, activation, LRN and explanation maps: pyqtgraph's own ``ColorBarItem``,
not interactive (the panels choose the levels; the bar only reports them), with the quantity as its axis label.
The panels draw their images with explicit levels and call :meth:`ColourScale.show_range` with the same numbers,
so the bar follows the data shown; it is never linked to the images (a linked bar would push its own levels back
into them).
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg


def lut_colour_map(lut: np.ndarray) -> pg.ColorMap:
    """A 256-entry RGB(A) lookup table (what the panels give their images) as a ``ColorMap`` for the bar."""
    lut = np.asarray(lut, dtype=np.float64)
    if lut.shape[1] == 4:  # a see-through colour is shown as it looks over white (0 alpha: white, "no colour")
        a = lut[:, 3:4] / 255.0
        lut = lut[:, :3] * a + 255.0 * (1 - a)
    return pg.ColorMap(np.linspace(0.0, 1.0, len(lut)), np.round(lut).astype(np.uint8))


def grey_colour_map() -> pg.ColorMap:
    """Black to white: each colour channel's intensity (the kernels are RGB images)."""
    return pg.ColorMap([0.0, 1.0], [(0, 0, 0), (255, 255, 255)])


class ColourScale(pg.ColorBarItem):
    """A labelled colour bar: ``label`` names the values, :meth:`show_range` the range the colours span."""

    def __init__(self, label: str, colour_map: pg.ColorMap, orientation: str = "vertical", width: int = 12) -> None:
        super().__init__(values=(0.0, 1.0), width=width, colorMap=colour_map, interactive=False,
                         orientation=orientation, colorMapMenu=False)
        self.axis.setLabel(label)
        self.axis.enableAutoSIPrefix(False)  # weights read 0.25, not 250 "(x0.001)"
        if self.horizontal:
            self.axis.setHeight(34)
        else:
            self.axis.setWidth(58)

    def show_range(self, low: float, high: float, label: str | None = None) -> None:
        """The colours now span ``low`` … ``high`` (the levels the map is drawn with); ``label``: a new quantity."""
        low, high = float(low), float(high)
        if not (math.isfinite(low) and math.isfinite(high)):
            low, high = 0.0, 1.0
        if high <= low:
            high = low + (abs(low) * 1e-6 or 1e-6)
        self.setLevels((low, high))
        if label is not None and label != self.label():
            self.axis.setLabel(label)

    def label(self) -> str:
        """The quantity the colours stand for (the axis label's text)."""
        return str(self.axis.labelText)

    def shown_range(self) -> tuple[float, float]:
        """The values at the two ends of the bar."""
        return tuple(float(v) for v in self.levels())


def colour_scale_widget(scale: ColourScale, height: int | None = None,
                        width: int | None = None) -> pg.GraphicsLayoutWidget:
    """``scale`` in a widget of its own, for panels whose maps are not in one pyqtgraph layout."""
    w = pg.GraphicsLayoutWidget()
    w.ci.layout.setContentsMargins(2, 0, 2, 0)
    w.addItem(scale)
    if height is not None:
        w.setFixedHeight(height)
    if width is not None:
        w.setFixedWidth(width)
    return w
