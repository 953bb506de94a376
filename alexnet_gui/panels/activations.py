"""Activation maps: every channel of a chosen layer for the current image, click to enlarge."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QStackedWidget, QVBoxLayout, QWidget

from train_backend.analysis.probes import ActivationSet, LayerActivation

from ..i18n import tr_core
from ..style import tile_maps, viridis_lut
from ..widgets.axes import ReadableAxis
from ..widgets.colour_scale import ColourScale, lut_colour_map
from train_backend.i18n import QT_TRANSLATE_NOOP

from .registry import register_panel

if TYPE_CHECKING:
    from ..lab import Lab

DEFAULT_LAYER = "conv1"


BAR_BRUSH = (70, 120, 190)
SHARED_LABEL = QT_TRANSLATE_NOOP("ActivationsPanel", "activation")
STRETCHED_LABEL = QT_TRANSLATE_NOOP("ActivationsPanel", "activation, each map stretched (0 = its min, 1 = its max)")


def is_vector(act: LayerActivation) -> bool:
    """A fully connected layer's output (fc6, fc7, fc8, their ReLUs and dropouts): one value per unit."""
    return act.values.ndim != 3


def layer_maps(act: LayerActivation) -> np.ndarray:
    """(C, H, W) maps of a layer; a fully connected layer becomes one near-square map (the panel draws such a
    layer as bars, one per unit: see ``is_vector``)."""
    v = act.values
    if v.ndim == 3:
        return v
    n = v.size
    cols = int(np.ceil(np.sqrt(n)))
    rows = int(np.ceil(n / cols))
    flat = np.full(rows * cols, np.nan, np.float32)
    flat[:n] = v
    return flat.reshape(1, rows, cols)


@register_panel("activations", QT_TRANSLATE_NOOP("Panels", "Activation maps"), area="right")
class ActivationsPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ActivationsPanel")
        self.acts: ActivationSet | None = None
        self._layout_info: tuple[int, int, int] | None = None
        self.selected_channel = 0
        self.lab: Lab | None = None  # set by bind(): a clicked conv map selects that unit in the session

        self.layer = QComboBox()
        self.layer.setToolTip(self.tr("Layer (the model's stable names)"))
        self.layer.currentTextChanged.connect(self._on_layer)
        self.shared = QCheckBox(self.tr("shared colour scale"))
        self.shared.setChecked(True)
        self.shared.setToolTip(self.tr("One colour scale for all maps (compare channels), or each map stretched to its "
                                       "range"))
        self.shared.toggled.connect(self._redraw)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Layer")))
        top.addWidget(self.layer)
        top.addWidget(self.shared)
        top.addStretch(1)

        self.grid = pg.GraphicsLayoutWidget()
        self.grid_view = self.grid.addViewBox(row=0, col=0, lockAspect=True, invertY=True)
        self.grid_image = pg.ImageItem(axisOrder="row-major")
        self.grid_image.setLookupTable(viridis_lut())
        self.grid_view.addItem(self.grid_image)
        self.grid_image.mouseClickEvent = self._on_grid_click
        self.colour_scale = ColourScale(tr_core(SHARED_LABEL), lut_colour_map(viridis_lut()))
        self.grid.addItem(self.colour_scale, row=0, col=1)

        # a fully connected layer has no maps: one bar per unit (a square of 1×1 "maps" read as one flat colour)
        self.bar_plot = pg.PlotWidget(axisItems={"bottom": ReadableAxis("bottom")})
        self.bar_plot.setMenuEnabled(False)
        self.bar_plot.hideButtons()
        self.bar_plot.setMouseEnabled(x=True, y=False)
        self.bar_plot.setLabel("bottom", self.tr("unit"))
        self.bar_plot.setLabel("left", tr_core(SHARED_LABEL))
        self.bar_plot.showGrid(y=True, alpha=0.2)
        self.unit_bars = pg.BarGraphItem(x0=[], x1=[], height=[], y0=0, brush=BAR_BRUSH, pen=None)
        self.bar_plot.addItem(self.unit_bars)
        self.maps_stack = QStackedWidget()
        self.maps_stack.addWidget(self.grid)
        self.maps_stack.addWidget(self.bar_plot)

        self.side = pg.GraphicsLayoutWidget()
        self.side.setMinimumWidth(180)
        self.input_view = self.side.addViewBox(row=0, col=0, lockAspect=True, invertY=True, enableMouse=False)
        self.input_image = pg.ImageItem(axisOrder="row-major")
        self.input_view.addItem(self.input_image)
        self.map_view = self.side.addViewBox(row=1, col=0, lockAspect=True, invertY=True, enableMouse=False)
        self.map_image = pg.ImageItem(axisOrder="row-major")
        self.map_image.setLookupTable(viridis_lut())
        self.map_view.addItem(self.map_image)
        self.map_scale = ColourScale(tr_core(SHARED_LABEL), lut_colour_map(viridis_lut()), width=10)
        self.side.addItem(self.map_scale, row=1, col=1)
        self.map_label = QLabel(self.tr("click a map to enlarge it (and to find its top patches)"))
        self.map_label.setWordWrap(True)
        side_col = QVBoxLayout()
        self.side_title = QLabel(self.tr("input (what the network sees)"))
        side_col.addWidget(self.side_title)
        side_col.addWidget(self.side, 1)
        side_col.addWidget(self.map_label)

        body = QHBoxLayout()
        body.addWidget(self.maps_stack, 3)
        body.addLayout(side_col, 1)
        self.stats = QLabel(self.tr("Open or drop an image to see what every layer does with it."))
        self.stats.setWordWrap(True)
        self.stats.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addLayout(top)
        lay.addLayout(body, 1)
        lay.addWidget(self.stats)

    def bind(self, lab: "Lab") -> None:
        """The current image's activations, as its probe answers; the session's selection: a layer chosen anywhere
        (the Architecture panel, this combo box) is shown, a unit chosen anywhere is enlarged, and a clicked conv map
        selects that unit."""
        self.lab = lab
        lab.listen(lab.probe_shown, lambda probe: self.set_activations(probe.activations), "Activation maps")
        lab.session.layer_selected.connect(self.show_layer)
        lab.session.unit_selected.connect(self.show_unit)

    def show_layer(self, name: str) -> None:
        """Show layer ``name`` (kept for the next image when this one's activations have no such layer yet)."""
        self._wanted_layer = name
        if self.acts is not None and name in self.acts.layers and self.layer.currentText() != name:
            self.layer.setCurrentText(name)

    def show_unit(self, layer: str, unit: int) -> None:
        """Enlarge unit ``unit`` of ``layer``'s maps."""
        self.show_layer(layer)
        act = self.current()
        if act is not None and act.name == layer and act.values.ndim == 3 and 0 <= unit < act.values.shape[0]:
            self._show_channel(unit)
        else:
            self.selected_channel = unit

    def set_activations(self, acts: ActivationSet) -> None:
        wanted = getattr(self, "_wanted_layer", None)
        current = wanted if acts is not None and wanted in acts.layers else self.layer.currentText() or DEFAULT_LAYER
        self.acts = acts
        if [self.layer.itemText(i) for i in range(self.layer.count())] != list(acts.order):  # only a new list
            self.layer.blockSignals(True)  # (a refill each probe would re-lay out the window each validation)
            self.layer.clear()
            self.layer.addItems(list(acts.order))
            self.layer.setCurrentText(current if current in acts.layers else DEFAULT_LAYER)
            self.layer.blockSignals(False)
        self.input_image.setImage(acts.image, levels=(0, 255), autoLevels=False)
        self._redraw()

    def _on_layer(self, name: str) -> None:
        self.selected_channel = 0
        self._redraw()
        if self.lab is not None and name:  # chosen here: selected everywhere
            self._wanted_layer = name
            self.lab.session.select_layer(name)

    def current(self) -> LayerActivation | None:
        if self.acts is None:
            return None
        return self.acts.layers.get(self.layer.currentText())

    def _redraw(self) -> None:
        act = self.current()
        if act is None:
            return
        shape = "×".join(str(s) for s in act.shape)
        if is_vector(act):
            self._draw_bars(act)
            self.stats.setText(self.tr("<b>{layer}</b>: {units:,} units (a vector: one bar per unit) · min {low:.3g} · "
                                       "max {high:.3g} · mean {mean:.3g} · exactly zero {zero:.1f}%").format(
                layer=act.name, units=act.values.size, low=act.minimum, high=act.maximum, mean=act.mean,
                zero=100 * act.fraction_zero))
            self.side.setVisible(False)
            self.side_title.setVisible(False)
            self.map_label.setText(self.tr("a fully connected layer: one value per unit, no maps"))
            return
        self.maps_stack.setCurrentWidget(self.grid)
        self.side.setVisible(True)
        self.side_title.setVisible(True)
        maps = layer_maps(act)
        shared = self.shared.isChecked()
        tiled, self._layout_info = tile_maps(np.nan_to_num(maps, nan=0.0), shared_scale=shared)
        self.grid_image.setImage(tiled, levels=(0.0, 1.0), autoLevels=False)
        self.grid_view.autoRange(padding=0.02)
        if shared:  # tile_maps mapped the layer's min … max to 0 … 1
            lo, hi = float(np.nanmin(maps)), float(np.nanmax(maps))
            self.colour_scale.show_range(lo, hi, tr_core(SHARED_LABEL))
        else:
            self.colour_scale.show_range(0.0, 1.0, tr_core(STRETCHED_LABEL))
        self.stats.setText(self.tr("<b>{layer}</b>: shape {shape} · min {low:.3g} · max {high:.3g} · mean {mean:.3g} · "
                                   "exactly zero {zero:.1f}%").format(
            layer=act.name, shape=shape, low=act.minimum, high=act.maximum, mean=act.mean,
            zero=100 * act.fraction_zero))
        self._show_channel(min(self.selected_channel, maps.shape[0] - 1))

    def _draw_bars(self, act: LayerActivation) -> None:
        """One bar per unit of a fully connected layer, in the layer's units."""
        v = np.nan_to_num(np.asarray(act.values, dtype=np.float64).ravel(), nan=0.0)
        n = v.size
        x = np.arange(1, n + 1, dtype=np.float64)  # unit i is the bar at x = i
        self.unit_bars.setOpts(x0=x - 0.4, x1=x + 0.4, y0=np.zeros(n), height=v)
        self.maps_stack.setCurrentWidget(self.bar_plot)
        lo, hi = min(0.0, float(v.min())) if n else 0.0, max(0.0, float(v.max())) if n else 1.0
        pad = 0.04 * (hi - lo or 1.0)
        self.bar_plot.setXRange(0.5, n + 0.5, padding=0.01)
        self.bar_plot.setYRange(lo - (pad if lo < 0 else 0), hi + pad, padding=0)
        self.bar_plot.setLabel("bottom", self.tr("unit of {layer} (1 … {n:,})").format(layer=act.name, n=n))
        self._layout_info = None

    def _on_grid_click(self, ev) -> None:
        if self._layout_info is None:
            return
        cols, h, w = self._layout_info
        pos = ev.pos()
        c, r = int(pos.x() // (w + 1)), int(pos.y() // (h + 1))
        idx = r * cols + c
        act = self.current()
        if act is not None and 0 <= c < cols and idx < layer_maps(act).shape[0]:
            self._show_channel(idx)
            if self.lab is not None and act.values.ndim == 3:  # a conv unit: its top patches can be found
                self.lab.session.select_unit(act.name, idx)
            ev.accept()

    def _show_channel(self, idx: int) -> None:
        act = self.current()
        if act is None:
            return
        maps = layer_maps(act)
        self.selected_channel = idx
        m = maps[idx]
        finite = m[np.isfinite(m)]
        lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
        self.map_image.setImage(m, levels=(lo, hi if hi > lo else lo + 1), autoLevels=False)
        self.map_scale.show_range(lo, hi if hi > lo else lo + 1)
        what = self.tr("channel {n}").format(n=idx + 1) if act.values.ndim == 3 else self.tr("all units")
        self.map_label.setText(self.tr("{layer} {what}: {h}×{w}, range {low:.3g} … {high:.3g}").format(
            layer=act.name, what=what, h=m.shape[0], w=m.shape[1], low=lo, high=hi))
