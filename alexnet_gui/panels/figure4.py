"""Figure 4: the paper's figure in two halves.

Left: validation images, each with its five most probable classes as bars, the true class's bar in red (the
``top5_grid`` analysis; a fixed seeded sample, "New sample" draws another).  Right: for the current image, the
training images whose relu7 features (the 4096-d last hidden layer) are nearest in Euclidean distance, with the
distances, above the nearest in pixel space (the ``neighbours`` analysis): the paper's point is that the two rows
differ.  The feature index is built on the worker once per weights and data set (progress, Cancel) and cached on
disk.

Both halves ask through the shared request helper (widgets/analysis_request.py). While a run trains, they run at the
run's next batch boundary on the live weights (training waits meanwhile): the grid is eight images, a moment; the
neighbours' index is a pass over the split, shown with its progress and stopped by Cancel between its batches (the
index of weights that move on each step is still cached, keyed by their digest, and simply not found again).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from PIL import Image
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import (QComboBox, QGridLayout, QHBoxLayout, QLabel, QProgressBar, QPushButton, QScrollArea,
                               QSizePolicy, QSpinBox, QTabWidget, QVBoxLayout, QWidget)

from ..style import rgb_to_pixmap
from ..widgets.analysis_request import AnalysisRequest
from ..widgets.error_label import ErrorLabel
from ..widgets.thumb_strip import ThumbStrip
from train_backend.i18n import QT_TRANSLATE_NOOP

from .registry import register_panel

if TYPE_CHECKING:
    from ..lab import Lab

GRID_COUNT = 8
GRID_COLUMNS = 4
TRUE_COLOUR = QColor(200, 40, 40)
BAR_COLOUR = QColor(120, 150, 200)
TRACK_COLOUR = QColor(238, 238, 238)
DARK_TEXT = QColor(20, 20, 20)
LIGHT_TEXT = QColor(255, 255, 255)


class Top5Bars(QWidget):
    """Five horizontal bars with the class names on them, the true class's bar red (the paper's Figure 4 style)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[tuple[str, float, bool]] = []
        self.setMinimumSize(120, 5 * 15)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_rows(self, rows: list[tuple[str, float, bool]]) -> None:
        self.rows = rows
        self.setFixedHeight(max(1, len(rows)) * 15)
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(150, max(1, len(self.rows)) * 15)

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt's name
        """Each row's text is drawn twice: dark over the light track, and, clipped to the bar, in the bar's own text
        colour (white on the red true-class bar). So the label reads wherever the bar ends: white text that ran
        past a short red bar onto the light track ("horizontal st|ripes") was unreadable there."""
        p = QPainter(self)
        h = 15
        w = self.width()
        for i, (name, prob, true) in enumerate(self.rows):
            y = i * h
            row = QRectF(0, y + 1, w, h - 2)
            bar = QRectF(0, y + 1, max(1.0, w * prob), h - 2)
            colour = TRUE_COLOUR if true else BAR_COLOUR
            p.fillRect(row, TRACK_COLOUR)
            p.fillRect(bar, colour)
            text = f"{name}  {100 * prob:.0f}%"
            box = QRectF(3, y, w - 6, h)
            flags = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft
            text = p.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, int(box.width()))
            p.save()
            p.setClipRect(QRectF(bar.right(), y, w - bar.right(), h))
            p.setPen(DARK_TEXT)  # on the track
            p.drawText(box, flags, text)
            p.setClipRect(QRectF(0, y, bar.right(), h))
            p.setPen(text_colour_on(colour))  # on the bar
            p.drawText(box, flags, text)
            p.restore()
        p.end()


def relative_luminance(c: QColor) -> float:
    """WCAG 2's relative luminance of an sRGB colour."""
    def lin(v: float) -> float:
        v /= 255.0
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
    return 0.2126 * lin(c.red()) + 0.7152 * lin(c.green()) + 0.0722 * lin(c.blue())


def contrast_ratio(a: QColor, b: QColor) -> float:
    """WCAG 2's contrast ratio (1 … 21; 4.5 is the minimum for normal text)."""
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_colour_on(background: QColor) -> QColor:
    """Dark or white text, whichever contrasts more with ``background``."""
    return max((DARK_TEXT, LIGHT_TEXT), key=lambda c: contrast_ratio(c, background))


class Top5Cell(QWidget):
    """One image of the grid: the image, its true class under it, its top-5 bars."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.image = QLabel()
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption = QLabel()
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.bars = Top5Bars()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        lay.setSpacing(1)
        lay.addWidget(self.image)
        lay.addWidget(self.caption)
        lay.addWidget(self.bars)
        self.true_row = -1  # which bar is the true class's (-1: outside the top 5)

    def set_data(self, thumb: np.ndarray, true_class: str, rows: list[tuple[str, float, bool]], rank: int,
                 true_prob: float, tip: str) -> None:
        self.image.setPixmap(rgb_to_pixmap(thumb))
        self.caption.setText(f"<b>{true_class}</b>")
        self.bars.set_rows(rows)
        self.true_row = next((i for i, r in enumerate(rows) if r[2]), -1)
        outside = "" if self.true_row >= 0 else " — " + self.tr("the true class ranks {rank} ({p:.1f} %)").format(
            rank=rank + 1, p=100 * true_prob)
        self.setToolTip(tip + outside)


@register_panel("figure4", QT_TRANSLATE_NOOP("Panels", "Figure 4"), area="left", tab_with="curves")
class Figure4Panel(QWidget):
    """Left: validation images with their top-5; right: the current image's nearest neighbours, features and pixels."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Figure4Panel")
        self.lab: Lab | None = None
        self.grid_payload = None  # Top5Grid
        self.neighbours = None  # Neighbours
        self.seed = 0
        self.grid_request = self.nb_request = self.open_request = None  # AnalysisRequest each, once bound
        self._building = False

        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_grid_page(), self.tr("Validation top-5 (left)"))
        self.tabs.addTab(self._build_neighbour_page(), self.tr("Nearest neighbours (right)"))
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.tabs)

    # ------------------------------------------------------------------ left: the grid
    def _build_grid_page(self) -> QWidget:
        page = QWidget()
        self.btn_grid = QPushButton(self.tr("Classify validation images"))
        self.btn_grid.setToolTip(self.tr("A fixed sample of the validation split, each with its top-5 (true class in "
                                         "red)"))
        self.btn_grid.clicked.connect(self.classify_grid)
        self.btn_sample = QPushButton(self.tr("New sample"))
        self.btn_sample.setToolTip(self.tr("Draw other images (the next seed)"))
        self.btn_sample.clicked.connect(self.new_sample)
        self.grid_note = QLabel("")
        self.grid_note.setWordWrap(True)
        self.grid_progress = QProgressBar()
        self.grid_progress.setMaximumWidth(200)
        self.grid_progress.setVisible(False)
        self.btn_grid_cancel = QPushButton(self.tr("Cancel"))
        self.btn_grid_cancel.setEnabled(False)
        top = QHBoxLayout()
        top.addWidget(self.btn_grid)
        top.addWidget(self.btn_sample)
        top.addWidget(self.grid_progress)
        top.addWidget(self.btn_grid_cancel)
        top.addWidget(self.grid_note, 1)
        self.cells_widget = QWidget()
        self.cells_layout = QGridLayout(self.cells_widget)
        self.cells_layout.setContentsMargins(0, 0, 0, 0)
        self.cells_layout.setHorizontalSpacing(8)
        self.cells: list[Top5Cell] = []
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.cells_widget)
        self.grid_error = ErrorLabel()
        lay = QVBoxLayout(page)
        lay.setContentsMargins(2, 4, 2, 2)
        lay.addLayout(top)
        lay.addWidget(self.grid_error)
        lay.addWidget(scroll, 1)
        return page

    def classify_grid(self) -> None:
        if self.lab is None:
            return
        cfg = self.lab.session.config
        self.grid_error.clear_message()
        self.grid_note.setText(self.tr("classifying {count} images of {dataset}'s validation split…").format(
            count=GRID_COUNT, dataset=cfg.dataset) + self._live_note())
        self._set_grid_busy(True)
        self.grid_request.ask("top5_grid", dataset=cfg.dataset, data_root=cfg.data_root, count=GRID_COUNT,
                              seed=self.seed)

    def _live_note(self) -> str:
        training = self.lab is not None and self.lab.session.state.busy
        return " " + self.tr("(the live weights, at the run's next batch boundary)") if training else ""

    def new_sample(self) -> None:
        self.seed += 1
        self.classify_grid()

    def set_grid(self, grid) -> None:
        """Draw a ``Top5Grid``: one cell per image, four to a row."""
        self.grid_payload = grid
        for cell in self.cells:
            cell.setParent(None)
            cell.deleteLater()
        self.cells = []
        shown = grid.images
        for n in range(len(grid)):
            label = int(shown.labels[n])
            rows = [(name, float(p), int(i) == label) for name, p, i in
                    zip(grid.top_classes[n], grid.top_probabilities[n], grid.top_indices[n])]
            cell = Top5Cell()
            cell.set_data(shown.thumbnails[n], shown.classes[n], rows, int(grid.true_rank[n]),
                          float(grid.true_probability[n]),
                          f"{shown.dataset} {self.split_words(shown.split)} #{int(shown.indices[n])}")
            self.cells_layout.addWidget(cell, n // GRID_COLUMNS, n % GRID_COLUMNS)
            self.cells.append(cell)
        right = int((grid.true_rank == 0).sum())
        top5 = int((grid.true_rank < grid.top_indices.shape[1]).sum())
        untrained = "" if grid.trained else " — " + self.tr("untrained weights: these are not predictions")
        self.grid_note.setText(self.tr("sample {seed}: {right} of {count} right, {top5} with the true class in the top "
                                       "{k}").format(seed=grid.seed, right=right, count=len(grid), top5=top5,
                                                     k=grid.top_indices.shape[1]) + untrained)

    # ------------------------------------------------------------------ right: neighbours
    def _build_neighbour_page(self) -> QWidget:
        page = QWidget()
        self.btn_find = QPushButton(self.tr("Find neighbours"))
        self.btn_find.setToolTip(self.tr("The images of the split nearest the current image by relu7 features, and by "
                                         "pixels"))
        self.btn_find.clicked.connect(self.find_neighbours)
        self.k = QSpinBox()
        self.k.setRange(1, 32)
        self.k.setValue(6)
        self.k.setPrefix("k = ")
        self.k.setToolTip(self.tr("How many nearest images to show"))
        self.split = QComboBox()
        self.split.addItem(self.tr("train"), "train")
        self.split.addItem(self.tr("val"), "val")
        self.split.setToolTip(self.tr("Search the training images (the paper's figure) or the validation images"))
        self.search_limit = QSpinBox()
        self.search_limit.setRange(0, 10_000_000)
        self.search_limit.setSingleStep(1000)
        self.search_limit.setSpecialValueText(self.tr("all images"))
        self.search_limit.setPrefix(self.tr("first") + " ")
        self.search_limit.setSuffix(" " + self.tr("images"))
        self.search_limit.setToolTip(self.tr("Search the split's first N images (all: the whole split)"))
        self.nb_progress = QProgressBar()
        self.nb_progress.setRange(0, 1)
        self.nb_progress.setFormat("%v / %m")
        self.nb_progress.setVisible(False)
        self.btn_cancel = QPushButton(self.tr("Cancel"))
        self.btn_cancel.setEnabled(False)
        self.btn_cancel.clicked.connect(self.cancel_neighbours)
        top = QHBoxLayout()
        top.addWidget(self.btn_find)
        top.addWidget(self.k)
        top.addWidget(QLabel(self.tr("in")))
        top.addWidget(self.split)
        top.addWidget(self.search_limit)
        top.addWidget(self.nb_progress, 1)
        top.addWidget(self.btn_cancel)
        self.nb_note = QLabel(self.tr("The current image's nearest images: by the network's relu7 features (what it has "
                                      "learnt), and by pixels (what it sees). The feature index is built once per "
                                      "weights and data set (minutes on a CPU for a large set), then read from the "
                                      "cache."))
        self.nb_note.setWordWrap(True)
        self.nb_error = ErrorLabel()

        self.query = QLabel()
        self.query.setFixedSize(72, 72)
        self.query.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.query.setStyleSheet("QLabel { background: #f4f4f4; border: 1px solid #c0c0c0; }")
        self.query_caption = QLabel(self.tr("query"))
        self.query_caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        qcol = QVBoxLayout()
        qcol.addWidget(self.query, 0, Qt.AlignmentFlag.AlignHCenter)
        qcol.addWidget(self.query_caption)
        qcol.addStretch(1)
        self.feature_title = QLabel(self.tr("<b>nearest by {layer} features</b>").format(layer="relu7"))
        self.feature_row = ThumbStrip(icon=56, lines=2, caption_width=84)
        self.pixel_title = QLabel(self.tr("<b>nearest by pixels</b> (16×16 per channel), for contrast"))
        self.pixel_row = ThumbStrip(icon=56, lines=2, caption_width=84)
        for strip, space in ((self.feature_row, "features"), (self.pixel_row, "pixels")):
            strip.setToolTip(self.tr("Click a neighbour to make it the current image"))
            strip.sig_chosen.connect(lambda row, space=space: self.open_neighbour(space, row))
        rows = QVBoxLayout()
        rows.addWidget(self.feature_title)
        rows.addWidget(self.feature_row)
        rows.addWidget(self.pixel_title)
        rows.addWidget(self.pixel_row)
        body = QHBoxLayout()
        body.addLayout(qcol)
        body.addLayout(rows, 1)

        lay = QVBoxLayout(page)
        lay.setContentsMargins(2, 4, 2, 2)
        lay.addLayout(top)
        lay.addWidget(self.nb_note)
        lay.addWidget(self.nb_error)
        lay.addLayout(body)
        lay.addStretch(1)
        return page

    @property
    def busy(self) -> bool:
        """A neighbours search is under way."""
        return self.nb_request is not None and self.nb_request.busy

    @property
    def _nb_token(self) -> int | None:
        return self.nb_request.token if self.nb_request is not None else None

    def find_neighbours(self) -> None:
        if self.lab is None or self.busy:
            return
        if self.lab.session.current_image() is None:
            self.nb_error.show_message(self.tr("open or drop an image first: its neighbours are searched"))
            return
        cfg = self.lab.session.config
        self.nb_error.clear_message()
        self._building = False
        self._set_nb_busy(True)
        split = self.split.currentData()
        self.nb_note.setText(self.tr("searching {dataset}'s {split} images…").format(
            dataset=cfg.dataset, split=self.split.currentText()) + self._live_note())
        self.nb_request.ask("neighbours", dataset=cfg.dataset, data_root=cfg.data_root, split=split, k=self.k.value(),
                            limit=self.search_limit.value() or None)

    def open_neighbour(self, space: str, row: int) -> None:
        """Make a neighbour (``space``: "features" or "pixels") the current image: the data set's image itself is
        fetched on the worker (the row holds thumbnails only)."""
        nb = self.neighbours
        if self.lab is None or nb is None:
            return
        listing = nb.features if space == "features" else nb.pixels
        if not 0 <= row < len(listing.indices):
            return
        cfg = self.lab.session.config
        self.open_request.ask("dataset_images", show_progress=False, dataset=nb.dataset, data_root=cfg.data_root,
                              split=nb.split, indices=[int(listing.indices[row])])

    def cancel_neighbours(self) -> None:
        if self.lab is not None and self.busy:
            self.nb_note.setText(self.tr("cancelling…"))
            self.nb_request.cancel()

    def _set_grid_busy(self, busy: bool) -> None:
        self.btn_grid.setEnabled(not busy)
        self.btn_sample.setEnabled(not busy)

    def _set_nb_busy(self, busy: bool) -> None:
        self.btn_find.setEnabled(not busy)

    def set_neighbours(self, nb) -> None:
        """Draw a ``Neighbours``: the query, the feature-space row with distances, the pixel-space row."""
        self.neighbours = nb
        self.query.setPixmap(rgb_to_pixmap(nb.query))
        split = self.split_words(nb.split)

        def items(lst):
            return [(t, f"{c}\nd {d:.3g}", self.tr("{split} #{index}: {name}, distance {d:.4g}").format(
                split=split, index=int(i), name=c, d=d))
                    for t, c, d, i in zip(lst.thumbnails, lst.classes, lst.distances, lst.indices)]

        self.feature_row.set_items(items(nb.features))
        self.pixel_row.set_items(items(nb.pixels))
        self.feature_title.setText(self.tr("<b>nearest by {layer} features</b>").format(layer=nb.layer) + " " + self.tr(
            "({shown} of {size:,} {split} images; Euclidean distance d)").format(
            shown=nb.features.thumbnails.shape[0], size=nb.index_size, split=split))
        untrained = " — " + self.tr("<b>untrained weights</b>: the features are random projections") \
            if not nb.trained else ""
        shared = self.tr("{count} image in both rows").format(count=nb.shared) if nb.shared == 1 else \
            self.tr("{count} images in both rows").format(count=nb.shared)
        self.nb_note.setText(f"{shared}{untrained}.")

    # ------------------------------------------------------------------ wiring
    def bind(self, lab: "Lab") -> None:
        self.lab = lab
        self.grid_request = AnalysisRequest(lab, self.grid_progress, self.btn_grid_cancel, self.tr("images") + " ", self)
        self.grid_request.done.connect(self._on_grid)
        self.grid_request.failed.connect(self._on_grid_failed)
        self.nb_request = AnalysisRequest(lab, self.nb_progress, self.btn_cancel, self.tr("images") + " ", self)
        self.nb_request.done.connect(self._on_neighbours)
        self.nb_request.failed.connect(self._on_neighbours_failed)
        self.open_request = AnalysisRequest(lab, parent=self)
        self.open_request.done.connect(self._on_opened)
        self.open_request.failed.connect(
            lambda message: message == "cancelled" or self.nb_error.show_message(
                self.tr("could not open the neighbour: {error}").format(error=message)))
        lab.analysis_progress.connect(self.on_analysis_progress)

    def _on_grid(self, payload) -> None:
        self._set_grid_busy(False)
        self.set_grid(payload)

    def _on_grid_failed(self, message: str) -> None:
        self._set_grid_busy(False)
        if message == "cancelled":
            self.grid_note.setText(self.tr("cancelled"))
            return
        self.grid_note.setText("")
        self.grid_error.show_message(message)
        self._notify(message)

    def _on_neighbours(self, payload) -> None:
        self._set_nb_busy(False)
        self.set_neighbours(payload)

    def _on_neighbours_failed(self, message: str) -> None:
        self._set_nb_busy(False)
        if message == "cancelled":
            self.nb_note.setText(self.tr("cancelled: nothing was cached; Find neighbours starts again"))
        else:
            self.nb_note.setText("")
            self.nb_error.show_message(message)
            self._notify(message)

    def split_words(self, split: str) -> str:
        """A split ("train", "val") as the split box says it."""
        index = self.split.findData(split)
        return self.split.itemText(index) if index >= 0 else split

    def _on_opened(self, payload) -> None:
        if self.lab is not None and len(payload.indices):
            index, cls = int(payload.indices[0]), payload.classes[0]
            self.lab.show_image(Image.fromarray(payload.images[0]),
                                f"{payload.dataset} {self.split_words(payload.split)} #{index} ({cls})")

    def on_analysis_progress(self, token: int, done: int, total: int) -> None:
        """The neighbours' index is being built (the request's bar shows the count): say so once."""
        if token != self._nb_token or total <= 0 or self._building:
            return
        self._building = True
        self.nb_note.setText(self.tr("building the relu7 index of {count:,} images (once for these weights and data; "
                                     "cached after)…").format(count=total))

    def _notify(self, message: str) -> None:
        if self.lab is not None:
            self.lab.notify("warning", message)
