"""Conv1 kernels by GPU group: the paper's Figure 3, live, with colour-selectivity figures and export."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QHBoxLayout, QLabel, QPushButton, QSpinBox,
                               QVBoxLayout, QWidget)

from train_backend.analysis.export import save_kernel_figure
from train_backend.analysis.probes import KernelSnapshot, kernel_tiles

from ..widgets.colour_scale import ColourScale, colour_scale_widget, grey_colour_map
from ..widgets import file_dialogs
from ..widgets.livetext import LiveText
from ..widgets.throttle import Throttle
from train_backend.i18n import QT_TRANSLATE_NOOP

from .registry import register_panel

if TYPE_CHECKING:
    from ..lab import Lab

REDRAW_INTERVAL_S = 1.0  # the kernels while training

COLUMNS = 8  # kernels per row in each tower's grid (48 = 6 rows of 8)
GAP = 1


class _TowerView(pg.GraphicsLayoutWidget):
    """One tower's grid; reports hovered and clicked kernel indices."""

    def __init__(self, panel: "KernelsPanel", tower: int) -> None:
        super().__init__()
        self.panel, self.tower = panel, tower
        self.setMinimumSize(160, 124)  # with the colour scale under the grids, the panel keeps its minimum height
        self.view = self.addViewBox(lockAspect=True, invertY=True, enableMouse=False)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.view.addItem(self.image)
        self.image.setAcceptHoverEvents(True)
        self.image.hoverEvent = self._hover
        self.image.mouseClickEvent = self._click

    def _index_at(self, pos) -> int | None:
        snap = self.panel.snapshot
        if snap is None or self.tower >= snap.towers:
            return None
        kh, kw = snap.tiles[self.tower].shape[1:3]
        c, r = int(pos.x() // (kw + GAP)), int(pos.y() // (kh + GAP))
        i = r * COLUMNS + c
        if 0 <= c < COLUMNS and 0 <= i < len(snap.tiles[self.tower]):
            return i
        return None

    def _hover(self, ev) -> None:
        if ev.isExit():
            self.setToolTip("")
            return
        i = self._index_at(ev.pos())
        text = self.panel.describe(self.tower, i) if i is not None else ""
        self.setToolTip(text)
        if text:
            self.panel.info.setText(text)

    def _click(self, ev) -> None:
        i = self._index_at(ev.pos())
        if i is not None:
            self.panel.kernel_clicked(self.tower, i)
            ev.accept()


@register_panel("kernels", QT_TRANSLATE_NOOP("Panels", "Conv1 kernels by GPU group"), area="left")
class KernelsPanel(QWidget):
    """Two grids, GPU 1 (kernels 1–48) and GPU 2 (49–96), or one for torchvision's 64 kernels."""

    sig_message = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("KernelsPanel")
        self.snapshot: KernelSnapshot | None = None
        self.display: KernelSnapshot | None = None  # with the chosen colour scale
        self.selected: tuple[int, int] | None = None
        self.reference: np.ndarray | None = None  # conv1 at the start of the run, for "change" figures

        # titles and step line change with every snapshot: LiveText repaints without re-laying out the window
        self.titles = [LiveText(self.tr("GPU {n}").format(n=1), lines=2, chars=24, rich=True,
                                alignment=Qt.AlignmentFlag.AlignHCenter) for _ in range(2)]
        self.titles[1].setText(self.tr("GPU {n}").format(n=2))
        self.views = [_TowerView(self, 0), _TowerView(self, 1)]
        grids = QHBoxLayout()
        for t, v in zip(self.titles, self.views):
            col = QVBoxLayout()
            col.addWidget(t)
            col.addWidget(v, 1)
            grids.addLayout(col, 1)
        # the enlarged kernel: a column that exists only while a kernel is enlarged (empty, it took a quarter
        # of the panel's width from the grids)
        self.zoom_column = QWidget()
        self.zoom = pg.GraphicsLayoutWidget()
        self.zoom.setFixedWidth(130)
        self.zoom.setToolTip(self.tr("click to close"))
        self.zoom_view = self.zoom.addViewBox(lockAspect=True, invertY=True, enableMouse=False)
        self.zoom_image = pg.ImageItem(axisOrder="row-major")
        self.zoom_image.mouseClickEvent = lambda ev: (self.unselect(), ev.accept())
        self.zoom_view.addItem(self.zoom_image)
        zoom_col = QVBoxLayout(self.zoom_column)
        zoom_col.setContentsMargins(0, 0, 0, 0)
        self.zoom_label = QLabel("")
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        zoom_col.addWidget(self.zoom_label)
        zoom_col.addWidget(self.zoom, 1)
        grids.addWidget(self.zoom_column)
        self.zoom_column.setVisible(False)

        # what a pixel's brightness means: each colour channel's weight (mid-grey is 0), on the scale chosen below
        self.colour_scale = ColourScale(self.tr("weight (each colour channel; grey = 0)"), grey_colour_map(),
                                        "horizontal", width=9)
        self.colour_scale_view = colour_scale_widget(self.colour_scale, height=46)

        self.info = QLabel(self.tr("Hover a kernel for its index and figures; click one to enlarge it."))
        self.info.setWordWrap(True)
        self.step_label = LiveText("", lines=2, chars=60)
        self.mode = QComboBox()
        self.mode.addItem(self.tr("one scale for all"), "global")
        self.mode.addItem(self.tr("each kernel stretched"), "per_kernel")
        self.mode.addItem(self.tr("change since run start"), "change")
        self.mode.setToolTip(self.tr("Colour scale: one for all kernels (relative strengths, as in Figure 3), each "
                                     "kernel stretched to its own range (faint kernels readable), or what training has "
                                     "changed since the run started (early learning is small next to the random start)"))
        self.mode.currentIndexChanged.connect(self._on_mode)
        self.scale = QSpinBox()
        self.scale.setRange(1, 64)
        self.scale.setValue(8)
        self.scale.setPrefix(self.tr("scale") + " ")
        self.scale.setToolTip(self.tr("pixels per weight in the exported PNG/PDF/SVG"))
        self.with_npy = QCheckBox(self.tr("+ raw .npy"))
        self.with_npy.setToolTip(self.tr("also write the raw weights as a NumPy .npy file"))
        self.btn_export = QPushButton(self.tr("Export…"))
        self.btn_export.clicked.connect(self.export_dialog)
        row = QHBoxLayout()
        row.addWidget(self.step_label, 1)
        row.addWidget(self.mode)
        row.addWidget(self.scale)
        row.addWidget(self.with_npy)
        row.addWidget(self.btn_export)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addLayout(grids, 1)
        lay.addWidget(self.colour_scale_view)
        lay.addWidget(self.info)
        lay.addLayout(row)
        self.btn_export.setEnabled(False)

    # ------------------------------------------------------------------ data in
    def bind(self, lab: "Lab") -> None:
        """conv1's kernels of the run shown: drawn at once when idle, at most once a second while training (the
        latest snapshot wins)."""
        self._lab = lab
        # guarded as the lab's signals are: a redraw the throttle defers runs from its timer or the run's end
        self._draws = Throttle(REDRAW_INTERVAL_S, lab.guarded(lambda snap: self.set_snapshot(snap), "Conv1 kernels"),
                               self)
        lab.listen(lab.run_shown, lambda shown: self.start_run(shown.start_step > 0) if shown.restart else None,
                   "Conv1 kernels")
        lab.listen(lab.kernels, lambda snap: self._draws.submit(snap, now=not lab.training), "Conv1 kernels")
        lab.run_finished.connect(lambda _end: self._draws.flush())
        self.sig_message.connect(lab.notify)
        lab.session.unit_selected.connect(self.show_unit)

    def show_unit(self, layer: str, unit: int) -> None:
        """A unit selected anywhere: conv1's unit ``unit`` is kernel ``unit + 1``, enlarged here."""
        if layer != "conv1":
            return
        per = len(self.snapshot.tiles[0]) if self.snapshot is not None else 0
        if per:
            self.select(*divmod(unit, per))

    def kernel_clicked(self, tower: int, i: int) -> None:
        """A kernel clicked: enlarged here, and conv1's unit selected everywhere (its maps, its top patches)."""
        self.select(tower, i)
        lab = getattr(self, "_lab", None)
        if lab is not None and self.snapshot is not None:
            lab.session.select_unit("conv1", tower * len(self.snapshot.tiles[0]) + i)

    def start_run(self, resumed: bool = False) -> None:
        """A run starts: the next snapshot is the reference for the change figures."""
        if not resumed or self.reference is None:
            self.reference = None

    def set_snapshot(self, snap: KernelSnapshot) -> None:
        if self.reference is None or self.reference.shape != snap.weights.shape:
            self.reference = snap.weights.copy()
        self.snapshot = snap
        self._refresh()

    def change_fraction(self) -> float:
        """‖W − W_start‖ / ‖W_start‖ for conv1."""
        if self.snapshot is None or self.reference is None:
            return 0.0
        ref = np.linalg.norm(self.reference)
        return float(np.linalg.norm(self.snapshot.weights - self.reference) / ref) if ref > 0 else 0.0

    def _refresh(self) -> None:
        snap = self.snapshot
        if snap is None:
            return
        mode = self.mode.currentData()
        if mode == "change" and self.reference is not None:
            delta = snap.weights - self.reference
            m = float(np.abs(delta).max())
            self.colour_scale.show_range(-m, m, self.tr("Δ weight since the run started (grey = no change)"))
            tiles_all = kernel_tiles(delta, "global")
            per = len(snap.weights) // snap.towers
            tiles = tuple(np.ascontiguousarray(tiles_all[i * per:(i + 1) * per]) for i in range(snap.towers))
            self.display = replace(snap, tiles=tiles)
        elif mode == "per_kernel":
            self.colour_scale.show_range(-1.0, 1.0, self.tr("weight ÷ its kernel's largest |weight| (grey = 0)"))
            tiles_all = kernel_tiles(snap.weights, mode)
            per = len(snap.weights) // snap.towers
            tiles = tuple(np.ascontiguousarray(tiles_all[i * per:(i + 1) * per]) for i in range(snap.towers))
            self.display = replace(snap, tiles=tiles)
        else:
            m = float(np.abs(snap.weights).max())
            self.colour_scale.show_range(-m, m, self.tr("weight (each colour channel; grey = 0)"))
            self.display = snap
        start = 1
        for t in range(2):
            visible = t < snap.towers
            self.views[t].setVisible(visible)
            self.titles[t].setVisible(visible)
            if not visible:
                continue
            tiles = self.display.tiles[t]
            self.views[t].image.setImage(grid_image(tiles), levels=(0.0, 1.0), autoLevels=False)
            end = start + len(tiles) - 1
            sel = snap.mean_selectivity[t]
            name = self.tr("GPU {n}").format(n=t + 1) if snap.towers > 1 else "conv1"
            self.titles[t].setText(self.tr("<b>{name}</b>: kernels {start}–{end}<br>mean colour selectivity "
                                           "<b>{selectivity:.2f}</b>").format(name=name, start=start, end=end,
                                                                              selectivity=sel))
            start = end + 1
        if snap.towers == 2:
            a, b = snap.mean_selectivity
            more = self.tr("GPU {n}").format(n=1 if a > b else 2)
            note = self.tr("; {tower} is the more colour-specific tower (Δ {delta:.2f})").format(
                tower=more, delta=abs(a - b)) if abs(a - b) >= 0.05 else \
                self.tr("; the towers are alike so far (random kernels sit near 0.67)")
        else:
            note = ""
        self.step_label.setText(self.tr("step {step:,}, epoch {epoch}; changed {change:.1f}% since the run started")
                                .format(step=snap.step, epoch=snap.epoch + 1, change=100 * self.change_fraction())
                                + note)
        self.btn_export.setEnabled(True)
        if self.selected is not None:
            self.select(*self.selected)

    def _on_mode(self) -> None:
        self._refresh()

    def describe(self, tower: int, i: int) -> str:
        snap = self.snapshot
        if snap is None:
            return ""
        per = len(snap.tiles[0])
        k = tower * per + i
        w = snap.weights[k]
        return self.tr("kernel {k} ({where}): colour selectivity {selectivity:.2f}, weights min {low:+.4f} max "
                       "{high:+.4f}, norm {norm:.4f}").format(
            k=k + 1, where=self.tr("GPU {n}").format(n=tower + 1) if snap.towers > 1 else "conv1",
            selectivity=snap.selectivity[tower][i], low=w.min(), high=w.max(), norm=np.linalg.norm(w))

    def select(self, tower: int, i: int) -> None:
        if self.display is None or tower >= self.display.towers or i >= len(self.display.tiles[tower]):
            return
        self.selected = (tower, i)
        self.zoom_image.setImage(self.display.tiles[tower][i], levels=(0.0, 1.0), autoLevels=False)
        per = len(self.display.tiles[0])
        self.zoom_label.setText(self.tr("kernel {k}\nselectivity {selectivity:.2f}").format(
            k=tower * per + i + 1, selectivity=self.snapshot.selectivity[tower][i]))
        self.zoom_column.setVisible(True)
        self.info.setText(self.describe(tower, i))

    def unselect(self) -> None:
        """Close the enlarged kernel: the grids take the panel's whole width again."""
        self.selected = None
        self.zoom_column.setVisible(False)

    # ------------------------------------------------------------------ export
    def export(self, path: str, scale: int | None = None, npy: str | None = None) -> str:
        snap = self.display or self.snapshot
        if snap is None:
            raise ValueError(self.tr("no kernels to export yet"))
        return str(save_kernel_figure(snap, path, scale=scale or self.scale.value(), npy=npy))

    def export_dialog(self) -> None:
        path = file_dialogs.save_file(self, "exports", self.tr("Export conv1 kernels"), "conv1-kernels.png",
                                      self.tr("PNG image (*.png);;SVG vector image (*.svg);;PDF (*.pdf)"))
        if not path:
            return
        if "." not in path.rsplit("/", 1)[-1]:
            path += ".png"
        npy = path.rsplit(".", 1)[0] + ".npy" if self.with_npy.isChecked() else None
        try:
            out = self.export(path, npy=npy)
        except (OSError, ValueError) as err:
            self.sig_message.emit("error", self.tr("could not export kernels to '{path}': {error}").format(
                path=path, error=err))
        else:
            self.sig_message.emit("info", self.tr("wrote {path} and {npy}").format(path=out, npy=npy) if npy else
                                  self.tr("wrote {path}").format(path=out))


def grid_image(tiles: np.ndarray, columns: int = COLUMNS, gap: int = GAP) -> np.ndarray:
    """(K, kh, kw, 3) tiles → (H, W, 3) float grid with white gaps."""
    k, kh, kw, _ = tiles.shape
    rows = max(1, -(-k // columns))
    out = np.ones((rows * (kh + gap) - gap, columns * (kw + gap) - gap, 3), np.float32)
    for i in range(k):
        r, c = divmod(i, columns)
        out[r * (kh + gap): r * (kh + gap) + kh, c * (kw + gap): c * (kw + gap) + kw] = tiles[i]
    return out
