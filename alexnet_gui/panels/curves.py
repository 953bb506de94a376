"""Training curves: loss per step (raw and smoothed), train / validation top-1 and top-5 error, lr drops."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
import pyqtgraph as pg
import time

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from train_backend.engine import EpochMetrics, RunInfo, StepMetrics, ValidationResult
from train_backend.fileio import write_atomic
from train_backend.history import BoundedSeries

from ..style import PENS

SMOOTH_ALPHA = 0.05
REDRAW_INTERVAL_S = 0.25  # repaint the curves at most 4 times a second while data streams in


class CurvesPanel(QWidget):
    """Loss and error curves of the current run, with a hover readout and PNG/CSV export."""

    sig_message = Signal(str, str)

    def __init__(self, parent: QWidget | None = None, max_points: int = 20_000) -> None:
        super().__init__(parent)
        self.setObjectName("CurvesPanel")
        self.loss = BoundedSeries(max_points)
        self.loss_smooth = BoundedSeries(max_points)
        self.train_err = BoundedSeries(max_points)
        self.val_steps: list[float] = []
        self.val_top1: list[float] = []
        self.val_top5: list[float] = []
        self.val_loss: list[float] = []
        self.epochs: list[EpochMetrics] = []
        self.lr_marks: list[tuple[float, float]] = []
        self._ema_loss = self._ema_err = None
        self._last_lr: float | None = None
        self.mark_lr_drops = True  # off for schedules that decay smoothly (cosine)

        self.graphics = pg.GraphicsLayoutWidget()
        self.plot_loss = self.graphics.addPlot(row=0, col=0, title="Training loss")
        self.plot_err = self.graphics.addPlot(row=1, col=0, title="Error (%)")
        self.plot_err.setXLink(self.plot_loss)
        for p in (self.plot_loss, self.plot_err):
            p.showGrid(x=True, y=True, alpha=0.2)
            p.setLabel("bottom", "step")
            p.setClipToView(True)
            p.setDownsampling(auto=True, mode="peak")
        self.plot_err.setYRange(0, 100)
        leg = self.plot_loss.addLegend(offset=(-5, 5), colCount=3)
        self.c_loss = self.plot_loss.plot(pen=PENS["loss_raw"], name="per step")
        self.c_loss_s = self.plot_loss.plot(pen=PENS["loss_smooth"], name="smoothed")
        self.c_val_loss = self.plot_loss.plot(pen=PENS["val_top1"], symbol="o", symbolSize=5,
                                              symbolBrush=(214, 96, 30), name="validation")
        leg2 = self.plot_err.addLegend(offset=(-5, 5), colCount=3)
        self.c_train_err = self.plot_err.plot(pen=PENS["train_err"], name="train top-1 (smoothed)")
        self.c_val1 = self.plot_err.plot(pen=PENS["val_top1"], symbol="o", symbolSize=6, symbolBrush=(214, 96, 30),
                                         name="val top-1")
        self.c_val5 = self.plot_err.plot(pen=PENS["val_top5"], symbol="t", symbolSize=6, symbolBrush=(214, 96, 30),
                                         name="val top-5")
        del leg, leg2
        self._lr_lines: list[tuple[pg.PlotItem, pg.InfiniteLine]] = []

        self.readout = QLabel("Press Start to train; curves appear here.")
        self.readout.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.readout.setWordWrap(True)
        self.summary = QLabel("")
        self.btn_png = QPushButton("Export PNG…")
        self.btn_csv = QPushButton("Export CSV…")
        self.btn_png.clicked.connect(self._on_export_png)
        self.btn_csv.clicked.connect(self._on_export_csv)
        row = QHBoxLayout()
        row.addWidget(self.summary, 1)
        row.addWidget(self.btn_png)
        row.addWidget(self.btn_csv)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.graphics, 1)
        lay.addWidget(self.readout)
        lay.addLayout(row)
        self._proxy = pg.SignalProxy(self.graphics.scene().sigMouseMoved, rateLimit=30, slot=self._on_mouse_moved)
        self._last_redraw = 0.0
        self._redraw_timer = QTimer(self)
        self._redraw_timer.setSingleShot(True)
        self._redraw_timer.timeout.connect(self._redraw)

    # ------------------------------------------------------------------ data in
    def clear(self) -> None:
        for s in (self.loss, self.loss_smooth, self.train_err):
            s.clear()
        self.val_steps.clear()
        self.val_top1.clear()
        self.val_top5.clear()
        self.val_loss.clear()
        self.epochs.clear()
        self.lr_marks.clear()
        self._ema_loss = self._ema_err = None
        self._last_lr = None
        for plot, line in self._lr_lines:
            plot.removeItem(line)
        self._lr_lines.clear()
        self._redraw()
        self.summary.setText("")

    def start_run(self, info: RunInfo) -> None:
        if info.start_step == 0:
            self.clear()
        self.mark_lr_drops = info.config.get("schedule") in ("plateau", "step")
        self.readout.setText("Hover the plots for the figures at a step.")
        self.plot_loss.setTitle(f"Training loss — {info.model} on {info.dataset} ({info.config.get('recipe')})")

    def add_steps(self, steps) -> None:
        for m in steps:
            self._add_step(m)
        self._redraw_soon()
        m = steps[-1]
        self.summary.setText(f"step {m.step:,}/{m.total_steps:,} · loss {m.loss:.4f} · lr {m.lr:.2e}")

    def _add_step(self, m: StepMetrics) -> None:
        if not math.isfinite(m.loss):
            return
        a = SMOOTH_ALPHA
        self._ema_loss = m.loss if self._ema_loss is None else (1 - a) * self._ema_loss + a * m.loss
        err = 100.0 * (1.0 - m.top1)
        self._ema_err = err if self._ema_err is None else (1 - a) * self._ema_err + a * err
        self.loss.append(m.step, m.loss)
        self.loss_smooth.append(m.step, self._ema_loss)
        self.train_err.append(m.step, self._ema_err)
        self._track_lr(m.step, m.lr)

    def _track_lr(self, step: float, lr: float) -> None:
        """Mark sudden drops of the learning rate (by 2x or more from one report to the next)."""
        if self.mark_lr_drops and self._last_lr is not None and 0 < lr <= self._last_lr / 2:
            self.lr_marks.append((step, lr))
            for plot in (self.plot_loss, self.plot_err):
                line = pg.InfiniteLine(pos=step, angle=90, pen=PENS["lr"],
                                       label=f"lr → {lr:.0e}" if plot is self.plot_loss else None,
                                       labelOpts={"position": 0.85, "color": (90, 90, 90)})
                plot.addItem(line)
                self._lr_lines.append((plot, line))
        self._last_lr = lr

    def add_validation(self, r: ValidationResult) -> None:
        self.val_steps.append(float(r.step))
        self.val_top1.append(100.0 * r.top1_error)
        self.val_top5.append(100.0 * r.top5_error)
        self.val_loss.append(r.loss)
        self._redraw()

    def add_epoch(self, e: EpochMetrics) -> None:
        self.epochs.append(e)

    def _redraw_soon(self) -> None:
        """Coalesce redraws: at most one every REDRAW_INTERVAL_S; the latest data is always drawn."""
        wait = REDRAW_INTERVAL_S - (time.monotonic() - self._last_redraw)
        if wait <= 0:
            self._redraw()
        elif not self._redraw_timer.isActive():
            self._redraw_timer.start(int(wait * 1000) + 1)

    def _redraw(self) -> None:
        self._last_redraw = time.monotonic()
        self.c_loss.setData(self.loss.x, self.loss.y)
        self.c_loss_s.setData(self.loss_smooth.x, self.loss_smooth.y)
        self.c_train_err.setData(self.train_err.x, self.train_err.y)
        vx = np.asarray(self.val_steps, dtype=np.float64)
        self.c_val1.setData(vx, np.asarray(self.val_top1))
        self.c_val5.setData(vx, np.asarray(self.val_top5))
        self.c_val_loss.setData(vx, np.asarray(self.val_loss))

    # ------------------------------------------------------------------ hover
    def _on_mouse_moved(self, event) -> None:
        pos = event[0]
        for plot in (self.plot_loss, self.plot_err):
            if plot.sceneBoundingRect().contains(pos):
                x = plot.vb.mapSceneToView(pos).x()
                self.readout.setText(self.describe_step(x))
                return

    def describe_step(self, x: float) -> str:
        """The figures nearest to step ``x`` (what the hover readout shows)."""
        if len(self.loss) == 0:
            return "no data yet"
        xs = self.loss.x
        i = int(np.clip(np.searchsorted(xs, x), 0, len(xs) - 1))
        if i > 0 and abs(xs[i - 1] - x) < abs(xs[i] - x):
            i -= 1
        parts = [f"step {xs[i]:,.0f}: loss {self.loss.y[i]:.4f} (smoothed {self.loss_smooth.y[i]:.4f}), "
                 f"train error {self.train_err.y[i]:.1f}%"]
        if self.val_steps:
            j = int(np.argmin(np.abs(np.asarray(self.val_steps) - x)))
            parts.append(f"validation @ {self.val_steps[j]:,.0f}: top-1 {self.val_top1[j]:.2f}%, "
                         f"top-5 {self.val_top5[j]:.2f}%, loss {self.val_loss[j]:.4f}")
        marks = [f"{s:,.0f}" for s, _ in self.lr_marks]
        if marks:
            parts.append("lr drops at step " + ", ".join(marks))
        return " · ".join(parts)

    # ------------------------------------------------------------------ export
    def export_png(self, path: str, width: int = 1600) -> None:
        from pyqtgraph.exporters import ImageExporter

        exporter = ImageExporter(self.graphics.scene())
        exporter.parameters()["width"] = width
        def write(tmp: str) -> None:
            exporter.export(tmp + ".png")  # the exporter picks the format from the suffix
            Path(tmp + ".png").replace(tmp)

        write_atomic(path, write)

    def export_csv(self, path: str) -> None:
        def write(tmp: str) -> None:
            with open(tmp, "w", newline="", encoding="utf-8") as f:
                w = csv.writer(f)
                w.writerow(["kind", "step", "loss", "loss_smoothed", "train_top1_error_smoothed", "val_loss",
                            "val_top1_error", "val_top5_error"])
                for s, l, ls, te in zip(self.loss.x, self.loss.y, self.loss_smooth.y, self.train_err.y):
                    w.writerow(["train", f"{s:g}", f"{l:.6f}", f"{ls:.6f}", f"{te / 100:.6f}", "", "", ""])
                for s, vl, v1, v5 in zip(self.val_steps, self.val_loss, self.val_top1, self.val_top5):
                    w.writerow(["validation", f"{s:g}", "", "", "", f"{vl:.6f}", f"{v1 / 100:.6f}", f"{v5 / 100:.6f}"])
        write_atomic(path, write)

    def _on_export_png(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export curves as PNG", "curves.png", "PNG image (*.png)")
        if path:
            self._export(self.export_png, path)

    def _on_export_csv(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export curves as CSV", "curves.csv", "CSV (*.csv)")
        if path:
            self._export(self.export_csv, path)

    def _export(self, fn, path: str) -> None:
        try:
            fn(path)
        except OSError as err:
            self.sig_message.emit("error", f"could not write '{path}': {err.strerror or err}")
        else:
            self.sig_message.emit("info", f"wrote {path}")
