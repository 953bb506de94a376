"""Axes whose tick labels never run into each other, and legends that sit outside the data.

pyqtgraph picks the major tick spacing from the axis's length alone and always draws the major labels, however
crowded: a 130-px accuracy axis got "0" "0.2" … "1" in six 20-px slots, read as "0.20.40.60.8". ``ReadableAxis``
widens the spacing (1-2-5 steps) until the widest label fits its slot with a gap, and, as a last guard for ticks
set by hand (class names, say), drops any label that would touch one already placed.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QSizePolicy

LABEL_GAP_EM = 0.8  # the least space between two tick labels, in widths of "0"


def next_nice(spacing: float) -> float:
    """The next of 1, 2, 5 × 10^k above ``spacing``."""
    k = 10.0 ** math.floor(math.log10(spacing) + 1e-9)
    for m in (1.0, 2.0, 5.0, 10.0):
        if m * k > spacing * (1 + 1e-9):
            return m * k
    return 10.0 * k


class ReadableAxis(pg.AxisItem):
    """An ``AxisItem`` that spaces its ticks so that their labels keep apart at any length."""

    def _metrics(self) -> QFontMetricsF:
        return QFontMetricsF(self.style["tickFont"] or self.font())

    def _gap(self, fm: QFontMetricsF) -> float:
        return LABEL_GAP_EM * fm.horizontalAdvance("0")

    def _fits(self, lo: float, hi: float, size: float, spacing: float, fm: QFontMetricsF) -> bool:
        """Whether labels every ``spacing`` (in scaled units) between ``lo`` and ``hi`` fit ``size`` pixels."""
        count = math.floor(hi / spacing) - math.ceil(lo / spacing) + 1
        if count <= 1:
            return True
        if count > size / 4:  # hundreds of labels on a short axis: no need to measure
            return False
        values = (np.arange(math.ceil(lo / spacing), math.floor(hi / spacing) + 1) * spacing).tolist()
        scale = self.scale
        strings = self.tickStrings([v / scale for v in values], self.autoSIPrefixScale * scale, spacing / scale)
        if self.orientation in ("bottom", "top"):
            need = max(fm.horizontalAdvance(s) for s in strings) + self._gap(fm)
        else:  # pyqtgraph measures a label's height as 0.8 of the line's; stacked lines need less of a gap
            need = 0.8 * fm.height() + 0.25 * self._gap(fm)
        return spacing / (hi - lo) * size >= need

    def tickSpacing(self, minVal: float, maxVal: float, size: float):  # noqa: N802, N803 - pyqtgraph's names
        levels = super().tickSpacing(minVal, maxVal, size)
        if not levels or self._tickSpacing is not None or self.logMode or size <= 0 or not self.style["showValues"]:
            return levels
        lo, hi = sorted((minVal, maxVal))
        if not (math.isfinite(lo) and math.isfinite(hi)) or hi <= lo:
            return levels
        fm = self._metrics()
        major = levels[0][0]
        for _ in range(40):
            if self._fits(lo, hi, size, major, fm):
                break
            major = next_nice(major)
        if major == levels[0][0]:
            return levels
        out = [(major, 0)]
        if self.style["maxTickLevel"] >= 1:
            mantissa = round(major / 10.0 ** math.floor(math.log10(major) + 1e-9))
            minor = major / (2 if mantissa == 2 else 5)
            if minor / (hi - lo) * size >= 2:  # no more than one minor tick per two pixels
                out.append((minor, 0))
        return out

    def generateDrawSpecs(self, p):  # noqa: N802 - pyqtgraph's name
        """pyqtgraph's specs, less any label that would overlap (or nearly touch) one placed before it: the major
        labels come first, so a crowded minor or hand-set label gives way."""
        specs = super().generateDrawSpecs(p)
        if specs is None:
            return None
        axis_spec, tick_specs, text_specs = specs
        gap = self._gap(self._metrics()) / 2
        kept: list[QRectF] = []
        out = []
        for rect, flags, text in text_specs:
            grown = rect.adjusted(-gap, 0, gap, 0) if self.orientation in ("bottom", "top") else \
                rect.adjusted(0, -gap / 8, 0, gap / 8)
            if any(grown.intersects(k) for k in kept):
                continue
            kept.append(grown)
            out.append((rect, flags, text))
        return axis_spec, tick_specs, out


def readable_axes(*names: str) -> dict[str, ReadableAxis]:
    """``axisItems`` for a ``PlotItem`` / ``PlotWidget``: a ``ReadableAxis`` on each side named."""
    return {name: ReadableAxis(name) for name in (names or ("left", "bottom"))}


def legend_under(plot: pg.PlotItem, columns: int = 3) -> pg.LegendItem:
    """A legend in a row of its own under ``plot``'s x axis, so it never covers a curve (pyqtgraph's
    ``addLegend`` floats it over the data).  It becomes the plot's legend: ``plot.plot(..., name=...)`` adds to it,
    and it hides with the plot.  It takes as many columns (up to ``columns``) as the plot's width holds, so a long
    legend wraps instead of widening the plot past its window."""
    legend = pg.LegendItem(colCount=columns, verSpacing=-8, horSpacing=10, labelTextSize="8pt")
    plot.layout.addItem(legend, 4, 1)
    plot.layout.setRowSpacing(3, 0)
    plot.legend = legend
    legend.setMinimumWidth(10)  # the columns follow the plot's width, never the other way round
    legend.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def fit(*_args) -> None:
        items = legend.items
        if not items:
            return
        widths = [sample.boundingRect().width() + label.boundingRect().width() + 14 for sample, label in items]
        room = plot.vb.width()
        fitting = 1
        for c in range(min(columns, len(items)), 1, -1):  # items fill the rows left to right
            if sum(max(widths[j::c]) for j in range(c)) <= room:
                fitting = c
                break
        if fitting != legend.columnCount:
            legend.setColumnCount(fitting)

    plot.vb.sigResized.connect(fit)
    legend.layout.setHorizontalSpacing(10)
    legend.fit_columns = fit
    return legend


def clip_title(plot: pg.PlotItem) -> None:
    """Let ``plot``'s title be clipped by a narrow panel instead of widening the plot past it: pyqtgraph makes a
    label's text width its minimum width on every change and resize."""
    label = plot.titleLabel

    def update_min() -> None:
        label.setMinimumWidth(10)
        label.setMinimumHeight(label.itemRect().height())
        label.updateGeometry()

    label.updateMin = update_min
    label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
    update_min()
