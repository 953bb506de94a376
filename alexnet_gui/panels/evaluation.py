"""Evaluation: the current weights on the data set's validation split, from the window, with progress and a stop;
the confusion matrix as a heat map (click a cell for its images), each class's accuracy, and the images the network
got wrong with the most confidence (click one to make it the current image).

The evaluation and the images run on the worker (``request_evaluation``, the ``dataset_images`` analysis); this panel
only asks and draws, through the shared request helpers (widgets/analysis_request.py). While a run trains, Evaluate
evaluates the live weights at the run's next batch boundary (training waits while it runs, as for its own validation:
the user asked for the figures now; the bar shows the progress and Stop ends it between its batches).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QCheckBox, QHBoxLayout, QLabel, QProgressBar, QPushButton, QSpinBox, QSplitter,
                               QTabWidget, QVBoxLayout, QWidget)

from train_backend.paper_results import imagenet_comparison, is_imagenet
from train_backend.payloads import ValidationResult

from ..i18n import tr_core
from ..style import viridis_lut
from ..widgets.analysis_request import AnalysisRequest, EvaluationRequest
from ..widgets.axes import readable_axes
from ..widgets.error_label import ErrorLabel
from ..widgets.thumb_strip import ThumbStrip
from train_backend.i18n import QT_TRANSLATE_NOOP

from .registry import register_panel

if TYPE_CHECKING:
    from ..lab import Lab

KEEP_WRONG = 24  # the most confidently wrong images asked for
CELL_IMAGES = 48  # a confusion cell lists at most this many images
NAMED_TICKS = 24  # classes named on the axes up to this many (beyond: every n-th)
CELL_TEXT = 12  # counts written in the cells up to this many classes
ACC_PADDING = 0.08  # room beside the accuracy axis for its "0" and "1" labels
EMPTY_TEXT = QT_TRANSLATE_NOOP("EvaluationPanel", "<b>No evaluation yet.</b> Press <b>Evaluate</b> to run the current "
                                                  "weights over the validation split: the confusion matrix, each "
                                                  "class's accuracy and the most confidently wrong images appear here.")


def class_ticks(classes: tuple[str, ...] | list[str], numbered: bool = False) -> list[tuple[float, str]]:
    """Axis ticks at the cells' centres: every class up to NAMED_TICKS, else about that many."""
    step = max(1, int(np.ceil(len(classes) / NAMED_TICKS)))
    return [(i + 0.5, f"{i}" if numbered else f"{classes[i]} ({i})") for i in range(0, len(classes), step)]


@register_panel("evaluation", QT_TRANSLATE_NOOP("Panels", "Evaluation"), area="left", tab_with="curves")
class EvaluationPanel(QWidget):
    """Evaluate button, limit and ten-crop; summary, confusion heat map, per-class accuracy, image strips."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("EvaluationPanel")
        self.lab: Lab | None = None
        self.result: ValidationResult | None = None
        self.confusion: np.ndarray | None = None  # counts: rows are true classes, columns predictions
        self.classes: tuple[str, ...] = ()
        self.cell: tuple[int, int] | None = None
        self.cell_indices = np.zeros(0, np.int64)  # the selected cell's images (split indices), most confident first
        self._asked: dict | None = None  # the data set of the evaluation under way or shown
        self.request: EvaluationRequest | None = None  # once bound
        self.wrong_request = self.cell_request = None  # AnalysisRequest: the thumbnails of the strips
        self._wrong_images = self._cell_images = None  # DatasetImages

        self.btn_evaluate = QPushButton(self.tr("Evaluate"))
        self.btn_evaluate.setToolTip(self.tr("Run the current weights over the data set's validation split (on the "
                                             "worker)"))
        self.btn_evaluate.clicked.connect(self.evaluate)
        self.btn_stop = QPushButton(self.tr("Stop"))
        self.btn_stop.setEnabled(False)
        self.btn_stop.setToolTip(self.tr("Stop the evaluation after its current batch"))
        self.btn_stop.clicked.connect(self.stop)
        self.limit = QSpinBox()
        self.limit.setRange(0, 10_000_000)
        self.limit.setSingleStep(100)
        self.limit.setSpecialValueText(self.tr("all"))
        self.limit.setPrefix("")
        self.limit.setToolTip(self.tr("Evaluate the first N validation images (all: the whole split)"))
        self.ten_crop = QCheckBox(self.tr("ten-crop"))
        self.ten_crop.setToolTip(self.tr("The paper's test procedure: the softmax averaged over ten patches (ten times "
                                         "slower)"))
        self.progress = QProgressBar()
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setMaximumWidth(220)
        self.progress.setVisible(False)
        top = QHBoxLayout()
        top.addWidget(self.btn_evaluate)
        top.addWidget(self.btn_stop)
        top.addWidget(QLabel(self.tr("images")))
        top.addWidget(self.limit)
        top.addWidget(self.ten_crop)
        top.addWidget(self.progress, 1)
        top.addStretch(0)

        self.summary = QLabel("")  # the evaluation's figures; before one, the empty state below says what to do
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # ImageNet's weights: the paper's Tables 1 and 2 beside the user's figures (train_backend/paper_results.py)
        self.paper_line = QLabel("")
        self.paper_line.setWordWrap(True)
        self.paper_line.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.paper_line.setVisible(False)

        # confusion matrix: rows are true classes (top to bottom), columns predictions
        self.heat_plot = pg.PlotWidget(axisItems=readable_axes())
        self.heat_plot.setMenuEnabled(False)
        p = self.heat_plot.getPlotItem()
        p.invertY(True)
        p.setLabel("left", self.tr("true class"))
        p.setLabel("bottom", self.tr("predicted class"))
        p.setMouseEnabled(False, False)
        p.hideButtons()
        self.heat = pg.ImageItem(axisOrder="row-major")
        self.heat.setLookupTable(viridis_lut())
        self.heat.mouseClickEvent = self._on_heat_click
        p.addItem(self.heat)
        self._cell_texts: list[pg.TextItem] = []
        self._cell_box = pg.QtWidgets.QGraphicsRectItem(0, 0, 1, 1)
        self._cell_box.setPen(pg.mkPen((220, 30, 30), width=2))
        self._cell_box.setVisible(False)
        p.addItem(self._cell_box)
        self.heat_plot.setToolTip(self.tr("Each row is a true class, coloured by the share of its images given each "
                                          "answer; the numbers are counts. Click a cell for its images."))

        self.acc_plot = pg.PlotWidget(axisItems=readable_axes())
        self.acc_plot.setMenuEnabled(False)
        a = self.acc_plot.getPlotItem()
        a.invertY(True)
        a.setLabel("bottom", self.tr("accuracy"))
        a.setMouseEnabled(False, False)
        a.hideButtons()
        a.setXRange(0, 1, padding=ACC_PADDING)
        a.getAxis("left").setStyle(showValues=False)
        self.bars = pg.BarGraphItem(x0=[], y=[], height=0.7, width=[], brush=(70, 120, 190))
        a.addItem(self.bars)
        self.overall = pg.InfiniteLine(angle=90, pen=pg.mkPen((214, 96, 30), width=2, style=Qt.PenStyle.DashLine))
        self.overall.setVisible(False)
        a.addItem(self.overall)
        self.acc_plot.setToolTip(self.tr("Each true class's share of correct answers (its row of the matrix); the dashed "
                                         "line is the overall top-1 accuracy"))

        self.wrong_strip = ThumbStrip(icon=56, lines=2, wrap=True, caption_width=84)
        self.wrong_strip.sig_chosen.connect(self._on_wrong_chosen)
        self.wrong_strip.setToolTip(self.tr("The images the network got wrong with the most confidence: its answer and "
                                            "its probability; hover for the true class, click to make it the current "
                                            "image"))
        self.cell_strip = ThumbStrip(icon=56, lines=2, wrap=True, caption_width=76)
        self.cell_strip.sig_chosen.connect(self._on_cell_image_chosen)
        self.cell_strip.setToolTip(self.tr("Click an image to make it the current image"))
        self.cell_label = QLabel(self.tr("Click a cell of the matrix to list its images."))
        self.cell_label.setWordWrap(True)
        cell_page = QWidget()
        cl = QVBoxLayout(cell_page)
        cl.setContentsMargins(0, 2, 0, 0)
        cl.addWidget(self.cell_label)
        cl.addWidget(self.cell_strip, 1)
        self.strips = QTabWidget()
        self.strips.addTab(self.wrong_strip, self.tr("Wrong"))
        self.strips.addTab(cell_page, self.tr("Cell"))

        body = QSplitter(Qt.Orientation.Horizontal)
        body.addWidget(self.heat_plot)
        body.addWidget(self.acc_plot)
        body.addWidget(self.strips)
        body.setStretchFactor(0, 4)
        body.setStretchFactor(1, 1)
        body.setStretchFactor(2, 3)
        body.setSizes([330, 130, 240])  # at 700 px: a square-ish matrix, two columns of images
        body.setChildrenCollapsible(False)

        self.error = ErrorLabel()
        # before the first evaluation: a sentence, not empty axes (pyqtgraph's default range read
        # "true class (x0.001)" from -400 to 400)
        self.empty_state = QLabel(tr_core(EMPTY_TEXT))
        self.empty_state.setWordWrap(True)
        self.empty_state.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_state.setStyleSheet("QLabel { color: #555; padding: 24px; }")
        self.body = body
        body.setVisible(False)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addLayout(top)
        lay.addWidget(self.summary)
        lay.addWidget(self.paper_line)
        lay.addWidget(self.error)
        lay.addWidget(self.empty_state, 1)
        lay.addWidget(body, 1)

    # ------------------------------------------------------------------ wiring
    def bind(self, lab: "Lab") -> None:
        self.lab = lab
        self.request = EvaluationRequest(lab, self.progress, self.btn_stop, self.tr("images") + " ", self)
        self.request.done.connect(self.on_evaluated)
        self.request.failed.connect(self.on_evaluation_failed)
        self.wrong_request = AnalysisRequest(lab, parent=self)
        self.wrong_request.done.connect(self._fill_wrong_images)
        self.wrong_request.failed.connect(self.on_images_failed)
        self.cell_request = AnalysisRequest(lab, parent=self)
        self.cell_request.done.connect(self._fill_cell_images)
        self.cell_request.failed.connect(self.on_images_failed)

    @property
    def busy(self) -> bool:
        return self.request is not None and self.request.busy

    # ------------------------------------------------------------------ intents
    def evaluate(self) -> None:
        """Evaluate the current weights on the training settings' data set (its validation split)."""
        if self.lab is None or self.busy:
            return
        cfg = self.lab.session.config
        asked = {"dataset": cfg.dataset, "data_root": cfg.data_root}
        self.error.clear_message()
        training = self.lab.session.state.busy
        self.summary.setText(self.tr("evaluating on {dataset}'s validation split…").format(dataset=cfg.dataset) + (
            " " + self.tr("(the live weights, at the run's next batch boundary: training waits until it ends or is "
                          "stopped)") if training else ""))
        limit = self.limit.value() or None
        if self.request.ask(keep_wrong=KEEP_WRONG, limit=limit, ten_crop=self.ten_crop.isChecked(), **asked):
            self._asked = asked
            self._set_busy(True)

    def stop(self) -> None:
        if self.busy:
            self.summary.setText(self.tr("stopping…"))
            self.request.cancel()

    def _set_busy(self, busy: bool) -> None:
        self.btn_evaluate.setEnabled(not busy)
        self.limit.setEnabled(not busy)
        self.ten_crop.setEnabled(not busy)

    # ------------------------------------------------------------------ answers
    def on_evaluation_failed(self, message: str) -> None:
        self._set_busy(False)
        below = " " + self.tr("(the figures below are the last evaluation's)") if self.result is not None else ""
        if message == "evaluation stopped":
            self.summary.setText(self.tr("evaluation stopped") + below)
        else:
            self.summary.setText(self.tr("no evaluation") + below)
            self.error.show_message(message)

    def on_evaluated(self, result: ValidationResult) -> None:
        self._set_busy(False)
        self.set_result(result)
        if result.wrong:
            self._ask_images(self.wrong_request, [w.index for w in result.wrong])

    def set_result(self, result: ValidationResult) -> None:
        """Draw an evaluation: its summary, the confusion matrix, per-class accuracy (the strips follow)."""
        self.result = result
        self.empty_state.setVisible(False)
        self.body.setVisible(True)
        weights = self.lab.weights() if self.lab is not None else None
        n = result.confusion.shape[0]
        self.classes = tuple(weights.classes) if weights is not None and len(weights.classes) == n else \
            tuple(self.tr("class {index}").format(index=i) for i in range(n))
        self.confusion = np.asarray(result.confusion, dtype=np.int64).copy()
        untrained = "" if weights is None or weights.trained else \
            " — " + self.tr("<b>untrained weights</b>: chance is {chance:.1f} % top-1 error").format(
                chance=100 * (1 - 1 / max(n, 1)))
        what = self.tr("ten-crop") if result.ten_crop else self.tr("centre crop")
        data = self._asked["dataset"] if self._asked else self.tr("the data set")
        template = self.tr("<b>{data}</b> validation, {images:,} images (a subset), {crop}: top-1 error <b>{top1:.2f} "
                           "%</b>, top-5 error <b>{top5:.2f} %</b>, loss {loss:.3f}") if result.subset else \
            self.tr("<b>{data}</b> validation, {images:,} images, {crop}: top-1 error <b>{top1:.2f} %</b>, top-5 error "
                    "<b>{top5:.2f} %</b>, loss {loss:.3f}")
        self.summary.setText(template.format(data=data, images=result.images, crop=what, top1=100 * result.top1_error,
                                             top5=100 * result.top5_error, loss=result.loss) + untrained)
        imagenet = weights is not None and is_imagenet(weights.classes, weights.trained)
        self.paper_line.setVisible(imagenet)
        self.paper_line.setText(tr_core(imagenet_comparison(result.top1_error, result.top5_error, result.ten_crop,
                                                            bool(result.subset), data, weights.variant))
                                if imagenet else "")
        self._draw_confusion()
        self._draw_accuracy()
        self.cell = None
        self.cell_indices = np.zeros(0, np.int64)
        self._cell_box.setVisible(False)
        self.cell_strip.clear()
        self.cell_label.setText(self.tr("Click a cell of the matrix to list its images."))
        self.wrong_strip.clear()
        self._wrong_images = self._cell_images = None
        for request in (self.wrong_request, self.cell_request):  # answers about the last evaluation's images: ignored
            if request is not None and request.busy:
                request.cancel()
        self.strips.setTabText(0, self.tr("Wrong ({count})").format(count=len(result.wrong)))
        self.strips.setCurrentIndex(0)

    def _draw_confusion(self) -> None:
        conf = self.confusion
        assert conf is not None
        n = conf.shape[0]
        totals = conf.sum(1, keepdims=True)
        share = np.where(totals > 0, conf / np.maximum(totals, 1), 0.0).astype(np.float32)
        self.heat.setImage(np.ascontiguousarray(share), levels=(0.0, 1.0), autoLevels=False)
        self.heat.setRect(0, 0, n, n)
        p = self.heat_plot.getPlotItem()
        p.getAxis("left").setTicks([class_ticks(self.classes)])
        p.getAxis("bottom").setTicks([class_ticks(self.classes, numbered=True)])
        for t in self._cell_texts:
            p.removeItem(t)
        self._cell_texts = []
        if n <= CELL_TEXT:
            for r in range(n):
                for c in range(n):
                    if conf[r, c]:
                        colour = (20, 20, 20) if share[r, c] > 0.6 else (250, 250, 250)
                        t = pg.TextItem(str(int(conf[r, c])), color=colour, anchor=(0.5, 0.5))
                        t.setPos(c + 0.5, r + 0.5)
                        p.addItem(t)
                        self._cell_texts.append(t)
        p.setRange(xRange=(0, n), yRange=(0, n), padding=0.0)

    def _draw_accuracy(self) -> None:
        assert self.result is not None
        acc = self.result.per_class_accuracy()
        n = len(acc)
        width = np.nan_to_num(acc, nan=0.0)
        brushes = [pg.mkBrush(200, 200, 200) if np.isnan(v) else pg.mkBrush(70, 120, 190) for v in acc]
        self.bars.setOpts(x0=np.zeros(n), y=np.arange(n) + 0.5, height=0.7, width=width, brushes=brushes)
        a = self.acc_plot.getPlotItem()
        a.getAxis("left").setStyle(showValues=True)
        a.getAxis("left").setTicks([class_ticks(self.classes, numbered=True)])
        a.setYRange(0, n, padding=0.0)
        a.setXRange(0, 1, padding=ACC_PADDING)
        self.overall.setValue(1 - self.result.top1_error)
        self.overall.setVisible(True)

    def _fill_wrong_images(self, payload) -> None:
        self._wrong_images = payload
        self._fill_wrong(payload)

    def _fill_cell_images(self, payload) -> None:
        self._cell_images = payload
        self._fill_cell(payload)

    def on_images_failed(self, message: str) -> None:
        if message != "cancelled":
            self.error.show_message(self.tr("could not read the data set's images: {error}").format(error=message))

    # ------------------------------------------------------------------ the images
    def _ask_images(self, request: AnalysisRequest, indices: list[int]) -> None:
        assert self._asked is not None
        request.ask("dataset_images", show_progress=False, split="val", indices=[int(i) for i in indices],
                    **self._asked)

    def _fill_wrong(self, shown) -> None:
        assert self.result is not None
        names = self.classes
        items = []
        for w, thumb in zip(self.result.wrong, shown.thumbnails):
            items.append((thumb, f"{names[w.predicted]}\n{100 * w.confidence:.0f} %  #{w.index}",
                          self.tr("#{index}: a {true}, taken for a {predicted} ({confidence:.1f} %)").format(
                              index=w.index, true=names[w.true], predicted=names[w.predicted],
                              confidence=100 * w.confidence)))
        self.wrong_strip.set_items(items)

    def select_cell(self, true: int, predicted: int) -> None:
        """List the images of one confusion cell (true class ``true`` answered as ``predicted``)."""
        if self.result is None or self.result.images_seen is None or self.confusion is None:
            return
        n = self.confusion.shape[0]
        if not (0 <= true < n and 0 <= predicted < n):
            return
        self.cell = (true, predicted)
        self.cell_indices = self.result.images_seen.where(true, predicted)
        self._cell_box.setRect(predicted, true, 1, 1)
        self._cell_box.setVisible(True)
        count = len(self.cell_indices)
        shown = min(count, CELL_IMAGES)
        what = self.tr("right") if true == predicted else self.tr("taken for {name}").format(
            name=self.classes[predicted])
        more = " " + self.tr("(the {shown} most confident shown)").format(shown=shown) if count > shown else ""
        images = self.tr("{count} image").format(count=count) if count == 1 else \
            self.tr("{count} images").format(count=count)
        self.cell_label.setText(f"<b>{self.classes[true]}</b> {what}: {images}{more}")
        self.cell_strip.clear()
        self._cell_images = None
        self.strips.setCurrentIndex(1)
        if shown:
            self._ask_images(self.cell_request, self.cell_indices[:shown].tolist())
        elif self.cell_request.busy:
            self.cell_request.cancel()

    def _fill_cell(self, shown) -> None:
        assert self.result is not None and self.result.images_seen is not None
        seen = self.result.images_seen
        confidence = dict(zip(seen.index.tolist(), seen.confidence.tolist()))
        self.cell_strip.set_items([(thumb, f"#{i}\n{100 * confidence.get(int(i), 0):.0f} %",
                                    f"#{i}: {cls}")
                                   for i, cls, thumb in zip(shown.indices, shown.classes, shown.thumbnails)])

    def _on_heat_click(self, ev) -> None:
        if self.confusion is None:
            return
        pos = ev.pos()  # in the image's pixels: x is the predicted class, y the true one
        self.select_cell(int(pos.y()), int(pos.x()))
        ev.accept()

    def _show(self, shown, row: int) -> None:
        if self.lab is None or shown is None or not 0 <= row < len(shown):
            return
        index, cls = int(shown.indices[row]), shown.classes[row]
        split = {"train": self.tr("train"), "val": self.tr("val")}.get(shown.split, shown.split)
        self.lab.show_image(Image.fromarray(shown.images[row]), f"{shown.dataset} {split} #{index} ({cls})")

    def _on_wrong_chosen(self, row: int) -> None:
        self._show(self._wrong_images, row)

    def _on_cell_image_chosen(self, row: int) -> None:
        self._show(self._cell_images, row)
