"""Training curves: loss per step (raw and smoothed), train / validation top-1 and top-5 error, lr drops.

For a recipe whose published reference is plotted per epoch (d2l: :data:`train_backend.recipes.REFERENCES`)
the error plot gives way to d2l's own plot: train loss and train accuracy (running means over the epoch,
drawn as the epoch goes), test accuracy at each epoch's end, and the published test accuracy as a line.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGraphicsItem, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from train_backend.payloads import EpochMetrics, RunShown, StepMetrics, ValidationResult
from train_backend.io.atomic import write_atomic
from train_backend.history import BoundedSeries
from train_backend.recipes import REFERENCES, Reference

from ..i18n import tr_core
from ..widgets.axes import clip_title, legend_under, readable_axes
from ..widgets import file_dialogs
from ..widgets.livetext import LiveText
from ..style import PENS
from ..widgets.throttle import Throttle
from train_backend.i18n import QT_TRANSLATE_NOOP

from .registry import register_panel

if TYPE_CHECKING:
    from ..lab import Lab

SMOOTH_ALPHA = 0.05
# Repaint the curves at most once a second while data streams in.  On a 2-core machine each ms the GUI
# thread takes costs training more than a ms (one of its two compute threads is preempted and the other
# waits for it), so the rate is part of viz_overhead's budget (benchmarks/README.md).
REDRAW_INTERVAL_S = 1.0
MIN_X_SPAN = 50  # steps shown at the start of a run


def nice_ceil(v: float) -> float:
    """The smallest of 1, 2, 2.5, 5 x 10^k that is >= ``v`` (> 0)."""
    if not math.isfinite(v) or v <= 0:
        return 1.0
    k = 10.0 ** math.floor(math.log10(v))
    for m in (1.0, 2.0, 2.5, 5.0, 10.0):
        if m * k >= v * (1 - 1e-12):
            return m * k
    return 10.0 * k


def headroom_ceil(v: float) -> float:
    """``v`` plus about 5 %, rounded up to half a power of ten's step (2.3 -> 2.5, 0.71 -> 0.8)."""
    if not math.isfinite(v) or v <= 0:
        return 1.0
    v *= 1.05
    q = 10.0 ** math.floor(math.log10(v)) / 2
    return math.ceil(v / q - 1e-9) * q


@register_panel("curves", QT_TRANSLATE_NOOP("Panels", "Training curves"), area="left")
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
        self._last_step: StepMetrics | None = None  # its figures are the read-out under the plots
        self.mark_lr_drops = True  # off for schedules that decay smoothly (cosine)

        self.graphics = pg.GraphicsLayoutWidget()
        self.plot_loss = self.graphics.addPlot(row=0, col=0, title=self.tr("Training loss"), axisItems=readable_axes())
        self.plot_err = self.graphics.addPlot(row=1, col=0, title=self.tr("Error (%)"), axisItems=readable_axes())
        self.plot_err.setXLink(self.plot_loss)
        for p in (self.plot_loss, self.plot_err):
            p.showGrid(x=True, y=True, alpha=0.2)
            p.setLabel("bottom", self.tr("step"))
            p.setClipToView(True)
            p.setDownsampling(auto=True, mode="peak")
        self.plot_err.setYRange(0, 100, padding=0)
        # The axes (with their grid lines) are most of a repaint's cost: cache each as a pixmap, and while the run streams in let the view "follow" the
        # data in steps (x to the next 1-2-2.5-5 number, y to a rounded maximum), so the axes change
        # rarely and a repaint is a blit plus the curves.  Panning or zooming stops following;
        # the plots' "A" button (auto range) starts it again.
        for p in (self.plot_loss, self.plot_err):
            for name in ("left", "bottom"):
                p.getAxis(name).setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
            p.vb.sigRangeChangedManually.connect(self._stop_following)
            p.getAxis("left").setWidth(44)  # same width on both plots: their x axes line up
        self.following = True
        self._view: tuple[float, float] | None = None  # (x max, loss y max) last applied
        # a long title ("Training loss — model on data set (recipe)") no longer widens the plots past the panel
        for p in (self.plot_loss, self.plot_err):
            clip_title(p)
        # the legends sit under the plots, never over the curves
        self.legends = [legend_under(self.plot_loss), legend_under(self.plot_err)]
        self.c_loss = self.plot_loss.plot(pen=PENS["loss_raw"], name=self.tr("per step"))
        self.c_loss_s = self.plot_loss.plot(pen=PENS["loss_smooth"], name=self.tr("smoothed"))
        self.c_val_loss = self.plot_loss.plot(pen=PENS["val_top1"], symbol="o", symbolSize=5,
                                              symbolBrush=(214, 96, 30), name=self.tr("validation"))
        self.c_train_err = self.plot_err.plot(pen=PENS["train_err"], name=self.tr("train top-1 (smoothed)"))
        self.c_val1 = self.plot_err.plot(pen=PENS["val_top1"], symbol="o", symbolSize=6, symbolBrush=(214, 96, 30),
                                         name=self.tr("val top-1"))
        self.c_val5 = self.plot_err.plot(pen=PENS["val_top5"], symbol="t", symbolSize=6, symbolBrush=(214, 96, 30),
                                         name=self.tr("val top-5"))
        self._lr_lines: list[tuple[pg.PlotItem, pg.InfiniteLine]] = []

        # d2l's per-epoch plot (shown instead of the error plot for recipes with a per-epoch reference)
        self.epoch_train_loss = BoundedSeries(max_points)
        self.epoch_train_acc = BoundedSeries(max_points)
        self.epoch_test_acc: list[tuple[float, float]] = []
        self._epoch_sums: tuple[int, float, float, float] | None = None  # epoch, weight, loss sum, acc sum
        self._prev_step = 0
        self.reference: Reference | None = None
        self.plot_epoch = self.graphics.addPlot(row=2, col=0, title=self.tr("Per epoch, as d2l plots it"),
                                                axisItems=readable_axes())
        self.plot_epoch.showGrid(x=True, y=True, alpha=0.2)
        self.plot_epoch.setLabel("bottom", self.tr("epoch"))
        self.plot_epoch.getAxis("left").setWidth(44)
        self.legends.append(legend_under(self.plot_epoch))
        self.c_epoch_loss = self.plot_epoch.plot(pen=PENS["loss_smooth"], name=self.tr("train loss"))
        self.c_epoch_train_acc = self.plot_epoch.plot(pen=PENS["train_acc"], name=self.tr("train acc"))
        self.c_epoch_test_acc = self.plot_epoch.plot(pen=PENS["test_acc"], symbol="o", symbolSize=6,
                                                     symbolBrush=(40, 150, 70), name=self.tr("test acc"))
        self.ref_line = pg.InfiniteLine(angle=0, pen=PENS["reference"], movable=False, label=self.tr("published"),
                                        labelOpts={"position": 0.15, "color": (40, 150, 70),
                                                   "anchors": [(0, 1), (0, 1)]})
        self.plot_epoch.addItem(self.ref_line)
        self._show_epoch_plot(False)

        self.readout = QLabel(self.tr("Press Start to train; curves appear here."))
        self.readout.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.readout.setWordWrap(True)
        self.summary = LiveText("", chars=50)  # changes with every step report: no re-layout
        self.btn_png = QPushButton(self.tr("Export PNG…"))
        self.btn_csv = QPushButton(self.tr("Export CSV…"))
        self.btn_png.clicked.connect(self.export_png_dialog)
        self.btn_csv.clicked.connect(self.export_csv_dialog)
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
        self._redraws = Throttle(REDRAW_INTERVAL_S, lambda _: self._draw(), self)
        self._val_drawn = -1  # how many validation points the curves hold
        self._follow()  # an empty run shows steps 0-50, not pyqtgraph's fractional 0-1

    # ------------------------------------------------------------------ data in
    def clear(self) -> None:
        for s in (self.loss, self.loss_smooth, self.train_err):
            s.clear()
        self.val_steps.clear()
        self.val_top1.clear()
        self.val_top5.clear()
        self.val_loss.clear()
        self.epochs.clear()
        for series in (self.epoch_train_loss, self.epoch_train_acc):
            series.clear()
        self.epoch_test_acc.clear()
        self._epoch_sums = None
        self._prev_step = 0
        self.lr_marks.clear()
        self._ema_loss = self._ema_err = None
        self._last_lr = None
        self._last_step = None
        for plot, line in self._lr_lines:
            plot.removeItem(line)
        self._lr_lines.clear()
        self.following = True
        self._view = None
        self._val_drawn = -1
        self._redraw()

    def bind(self, lab: "Lab") -> None:
        """The run shown (the app's own or one read from disk: the same signals), and the recipe chosen before it."""
        lab.listen(lab.run_shown, self.show_run, "Training curves")
        lab.listen(lab.history, self.add_history, "Training curves")
        lab.listen(lab.steps, self.add_steps, "Training curves")
        lab.listen(lab.validation, self.add_validation, "Training curves")
        lab.listen(lab.epoch, self.add_epoch, "Training curves")
        lab.config_changed.connect(lambda cfg, old: self.set_reference(REFERENCES.get(cfg.recipe))
                                   if cfg.recipe != old.recipe and self.loss.total_added == 0 else None)
        self.sig_message.connect(lab.notify)
        if self.loss.total_added == 0:  # before a run, the curves take the recipe's form (d2l's per-epoch plot)
            self.set_reference(REFERENCES.get(lab.config.recipe))

    def show_run(self, shown: RunShown) -> None:
        """A run's curves begin: cleared (``shown.restart``), titled, held against its recipe's reference. A
        continued run's past comes next (:meth:`add_history`)."""
        if shown.restart:
            self.clear()
        config = shown.config
        self.mark_lr_drops = config.get("schedule") in ("plateau", "step")
        self.set_reference(REFERENCES.get(config.get("recipe")))
        what = self.tr("{model} on {dataset} ({recipe})").format(
            model=config.get("model"), dataset=config.get("dataset"), recipe=config.get("recipe")) if config else \
            self.tr("reading…")
        if shown.watched:
            self.readout.setText(self.tr("Watching {name} from disk; hover the plots for the figures at a step.").format(
                name=shown.name))
            self.plot_loss.setTitle(self.tr("Training loss — {name}: {what}").format(name=shown.name, what=what))
        elif shown.stopped:
            self.readout.setText(self.tr("{name} stopped at step {step:,}: Start continues it.").format(
                name=shown.name, step=shown.start_step))
            self.plot_loss.setTitle(self.tr("Training loss — {name} (stopped at step {step:,})").format(
                name=shown.name, step=shown.start_step))
        else:
            self.readout.setText(self.tr("Hover the plots for the figures at a step."))
            self.plot_loss.setTitle(self.tr("Training loss — {what}").format(what=what))

    def add_history(self, events) -> None:
        """A run's logged past (``("steps" | "validation" | "epoch", payload)``), drawn as it would have been live."""
        for kind, payload in events:
            if kind == "steps":
                self.add_steps(payload)
            elif kind == "validation":
                self.add_validation(payload, False)
            elif kind == "epoch":
                self.add_epoch(payload, False)

    def add_steps(self, steps) -> None:
        for m in steps:
            self._add_step(m)
        self._last_step = steps[-1]
        self._redraw_soon()

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
        self._add_epoch_point(m)

    def _add_epoch_point(self, m: StepMetrics) -> None:
        """d2l's train curves: the mean loss and accuracy over the epoch so far, at the fraction of it done."""
        weight = max(1, m.step - self._prev_step)  # a report averages the steps since the last one
        self._prev_step = m.step
        epoch, w, loss_sum, acc_sum = self._epoch_sums if self._epoch_sums and self._epoch_sums[0] == m.epoch \
            else (m.epoch, 0, 0.0, 0.0)
        w, loss_sum, acc_sum = w + weight, loss_sum + m.loss * weight, acc_sum + m.top1 * weight
        self._epoch_sums = (epoch, w, loss_sum, acc_sum)
        x = m.epoch + m.batch / max(1, m.batches_per_epoch)
        self.epoch_train_loss.append(x, loss_sum / w)
        self.epoch_train_acc.append(x, acc_sum / w)

    def _track_lr(self, step: float, lr: float) -> None:
        """Mark sudden drops of the learning rate (by 2x or more from one report to the next)."""
        if self.mark_lr_drops and self._last_lr is not None and 0 < lr <= self._last_lr / 2:
            self.lr_marks.append((step, lr))
            for plot in (self.plot_loss, self.plot_err):
                line = pg.InfiniteLine(pos=step, angle=90, pen=PENS["lr"],
                                       label=self.tr("lr → {lr:.0e}").format(lr=lr) if plot is self.plot_loss else None,
                                       labelOpts={"position": 0.85, "color": (90, 90, 90)})
                plot.addItem(line)
                self._lr_lines.append((plot, line))
        self._last_lr = lr

    def add_validation(self, r: ValidationResult, now: bool = True) -> None:
        """A validation's point, drawn at once (``now`` False: with the next coalesced redraw, as when a run's
        file is read back in bulk)."""
        self.val_steps.append(float(r.step))
        self.val_top1.append(100.0 * r.top1_error)
        self.val_top5.append(100.0 * r.top5_error)
        self.val_loss.append(r.loss)
        self._redraw() if now else self._redraw_soon()

    def add_epoch(self, e: EpochMetrics, now: bool = True) -> None:
        self.epochs.append(e)
        if e.val_top1_error is not None:
            self.epoch_test_acc.append((e.epoch + 1.0, 1.0 - e.val_top1_error))
        self._redraw() if now else self._redraw_soon()

    def set_reference(self, reference: Reference | None) -> None:
        """Hold the run against a published figure; a per-epoch one switches to d2l's plot."""
        self.reference = reference
        per_epoch = reference is not None and reference.curves == "epochs"
        self._show_epoch_plot(per_epoch)
        if reference is not None and reference.metric == "test_accuracy":
            self.ref_line.setPos(reference.value)
            self.ref_line.label.setFormat(self.tr("published: {value:.2f} test accuracy").format(value=reference.value))
            self.ref_line.setToolTip(tr_core(reference.source))
            self.ref_line.setVisible(True)
        else:
            self.ref_line.setVisible(False)

    def _show_epoch_plot(self, shown: bool) -> None:
        """One of the error plot and d2l's plot is shown; the other takes no height (hidden, it still kept its
        minimum height: a blank band under the curves)."""
        layout = self.graphics.ci.layout
        layout.setRowStretchFactor(0, 1)
        for row, plot, visible in ((1, self.plot_err, not shown), (2, self.plot_epoch, shown)):
            plot.setVisible(visible)
            plot.setMinimumHeight(-1 if visible else 0)  # -1: the plot's own minimum again
            plot.setMaximumHeight(1e6 if visible else 0)
            layout.setRowStretchFactor(row, 1 if visible else 0)

    def _redraw_soon(self) -> None:
        """Coalesce redraws: at most one every REDRAW_INTERVAL_S; the latest data is always drawn."""
        self._redraws.submit()

    def _redraw(self) -> None:
        self._redraws.submit(now=True)

    def _draw(self) -> None:
        m = self._last_step
        self.summary.setText("" if m is None else
                             self.tr("step {step:,}/{total:,} · loss {loss:.4f} · lr {lr:.2e}").format(
                                 step=m.step, total=m.total_steps, loss=m.loss, lr=m.lr))
        self.c_loss.setData(self.loss.x, self.loss.y)
        self.c_loss_s.setData(self.loss_smooth.x, self.loss_smooth.y)
        self.c_train_err.setData(self.train_err.x, self.train_err.y)
        if self._val_drawn != len(self.val_steps):  # symbols are costly to re-lay: only when they change
            self._val_drawn = len(self.val_steps)
            vx = np.asarray(self.val_steps, dtype=np.float64)
            self.c_val1.setData(vx, np.asarray(self.val_top1))
            self.c_val5.setData(vx, np.asarray(self.val_top5))
            self.c_val_loss.setData(vx, np.asarray(self.val_loss))
        if self.plot_epoch.isVisible():
            self.c_epoch_loss.setData(self.epoch_train_loss.x, self.epoch_train_loss.y)
            self.c_epoch_train_acc.setData(self.epoch_train_acc.x, self.epoch_train_acc.y)
            tx = np.asarray([x for x, _ in self.epoch_test_acc], dtype=np.float64)
            self.c_epoch_test_acc.setData(tx, np.asarray([y for _, y in self.epoch_test_acc], dtype=np.float64))
            last = self.epoch_train_loss.x[-1] if len(self.epoch_train_loss) else 0.0
            top = max(1.0, float(np.nanmax(self.epoch_train_loss.y)) if len(self.epoch_train_loss) else 1.0)
            self.plot_epoch.setRange(xRange=(0, max(1.0, math.ceil(last))), yRange=(0, headroom_ceil(top)),
                                     padding=0)
        self._follow()

    # ------------------------------------------------------------------ view range
    def _stop_following(self, *_) -> None:
        self.following = False

    def _follow(self) -> None:
        """Keep the whole run in view, changing the range only in steps (see ``__init__``)."""
        if not self.following and any(any(p.vb.state["autoRange"]) for p in (self.plot_loss, self.plot_err)):
            # the user pressed "A" (auto range)
            self.following = True
            self._view = None
        if not self.following:
            return
        last = max([self.loss.x[-1] if len(self.loss) else 0.0] + self.val_steps[-1:])
        finite = [y for y in (self.loss.y, np.asarray(self.val_loss)) if len(y)]
        top = max((float(np.nanmax(y)) for y in finite if np.isfinite(y).any()), default=1.0)
        x_max = nice_ceil(max(MIN_X_SPAN, last * 1.15))
        y_max = headroom_ceil(top)
        if self._view is not None:  # keep the current range while the data fits it
            old_x, old_y = self._view
            if last <= old_x and top <= old_y:
                return
        self._view = (x_max, y_max)
        self.plot_loss.setRange(xRange=(0, x_max), yRange=(0, y_max), padding=0)
        self.plot_err.setYRange(0, 100, padding=0)

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
            return self.tr("no data yet")
        xs = self.loss.x
        i = int(np.clip(np.searchsorted(xs, x), 0, len(xs) - 1))
        if i > 0 and abs(xs[i - 1] - x) < abs(xs[i] - x):
            i -= 1
        parts = [self.tr("step {step:,.0f}: loss {loss:.4f} (smoothed {smoothed:.4f}), train error {error:.1f}%").format(
            step=xs[i], loss=self.loss.y[i], smoothed=self.loss_smooth.y[i], error=self.train_err.y[i])]
        if self.val_steps:
            j = int(np.argmin(np.abs(np.asarray(self.val_steps) - x)))
            parts.append(self.tr("validation @ {step:,.0f}: top-1 {top1:.2f}%, top-5 {top5:.2f}%, loss {loss:.4f}").format(
                step=self.val_steps[j], top1=self.val_top1[j], top5=self.val_top5[j], loss=self.val_loss[j]))
        marks = [f"{s:,.0f}" for s, _ in self.lr_marks]
        if marks:
            parts.append(self.tr("lr drops at step {steps}").format(steps=", ".join(marks)))
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
                for e in self.epochs:  # the epoch's mean train loss and error (not smoothed), its validation
                    val = ["" if v is None else f"{v:.6f}" for v in (e.val_loss, e.val_top1_error, e.val_top5_error)]
                    w.writerow(["epoch", f"{e.step:g}", f"{e.train_loss:.6f}", "", f"{e.train_top1_error:.6f}", *val])
        write_atomic(path, write)

    def export_png_dialog(self) -> None:
        path = file_dialogs.save_file(self, "exports", self.tr("Export curves as PNG"), "curves.png",
                                      self.tr("PNG image (*.png)"))
        if path:
            self._export(self.export_png, path)

    def export_csv_dialog(self) -> None:
        path = file_dialogs.save_file(self, "exports", self.tr("Export curves as CSV"), "curves.csv",
                                      self.tr("CSV (*.csv)"))
        if path:
            self._export(self.export_csv, path)

    def _export(self, fn, path: str) -> None:
        try:
            fn(path)
        except OSError as err:
            self.sig_message.emit("error", self.tr("could not write '{path}': {error}").format(
                path=path, error=err.strerror or err))
        else:
            self.sig_message.emit("info", self.tr("wrote {path}").format(path=path))
