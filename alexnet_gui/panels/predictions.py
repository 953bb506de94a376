"""Predictions: the current image and its top-5 classes as labelled probability bars."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pathlib import Path

import numpy as np
from PIL import Image
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (QCheckBox, QGridLayout, QHBoxLayout, QLabel, QListWidget, QListWidgetItem,
                               QProgressBar, QPushButton, QSizePolicy, QVBoxLayout, QWidget)

from train_backend.analysis.probes import Prediction
from train_backend.data import classes_title, known_dataset_info

from ..i18n import tr_core
from ..style import ERROR_BG, WARNING_BG, rgb_to_pixmap
from ..widgets import file_dialogs
from train_backend.i18n import QT_TRANSLATE_NOOP

from .registry import register_panel

if TYPE_CHECKING:
    from ..lab import Lab

TOPK = 5


@register_panel("predictions", QT_TRANSLATE_NOOP("Panels", "Predictions"), area="right")
class PredictionsPanel(QWidget):
    """Shows the current image, the top-5 bars, a ten-crop toggle and a strip of dropped images."""

    sig_open_requested = Signal()
    sig_ten_crop_changed = Signal(bool)
    sig_image_chosen = Signal(int)  # index in the strip

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("PredictionsPanel")
        self.prediction: Prediction | None = None
        self.image_name = ""

        self.preview = QLabel(self.tr("Drop an image anywhere on the window,\nor open / paste one."))
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setMinimumSize(120, 70)
        self.preview.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.preview.setStyleSheet("QLabel { background: #f4f4f4; border: 1px dashed #b0b0b0; }")
        self._pixmap = None
        self.caption = QLabel("")
        self.caption.setWordWrap(True)
        self.caption.setMinimumWidth(60)

        self.banner = QLabel("")
        self.banner.setWordWrap(True)
        self.banner.setVisible(False)
        self.error = QLabel("")
        self.error.setWordWrap(True)
        self.error.setVisible(False)
        self.error.setStyleSheet(f"QLabel {{ background: {ERROR_BG}; color: #8a1020; padding: 6px; "
                                 "border-radius: 4px; }")
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        bars = QGridLayout()
        self.names, self.bars = [], []
        for i in range(TOPK):
            name = QLabel("—")
            name.setMinimumWidth(90)
            bar = QProgressBar()
            bar.setRange(0, 1000)
            bar.setValue(0)
            bar.setFormat("")
            bar.setTextVisible(True)
            for w in (name, bar):  # a click explains the class (the Explain panel follows the session)
                w.mousePressEvent = lambda _ev, row=i: self._on_class_clicked(row)
                w.setCursor(Qt.CursorShape.PointingHandCursor)
            bars.addWidget(QLabel(f"{i + 1}."), i, 0)
            bars.addWidget(name, i, 1)
            bars.addWidget(bar, i, 2)
            self.names.append(name)
            self.bars.append(bar)
        bars.setColumnStretch(2, 1)

        self.ten_crop = QCheckBox(self.tr("ten-crop"))
        self.ten_crop.setToolTip(self.tr("The paper's test procedure: average the softmax of the four corner crops, the "
                                         "centre crop and their mirror images"))
        self.ten_crop.toggled.connect(self.sig_ten_crop_changed)
        self.btn_open = QPushButton(self.tr("Open image…"))
        self.btn_open.clicked.connect(self.sig_open_requested)
        row = QHBoxLayout()
        row.addWidget(self.ten_crop, 1)
        row.addWidget(self.btn_open)

        self.strip = QListWidget()
        self.strip.setViewMode(QListWidget.ViewMode.IconMode)
        self.strip.setFlow(QListWidget.Flow.LeftToRight)
        self.strip.setWrapping(False)
        self.strip.setIconSize(QSize(40, 40))
        self.strip.setFixedHeight(66)
        self.strip.setVisible(False)
        self.strip.currentRowChanged.connect(self._on_strip_row)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.preview, 1)
        lay.addWidget(self.caption)
        lay.addWidget(self.strip)
        lay.addWidget(self.banner)
        lay.addWidget(self.error)
        lay.addLayout(bars)
        lay.addLayout(row)

    # ------------------------------------------------------------------ image
    def set_image(self, image: Image.Image, name: str) -> None:
        self.image_name = name
        rgb = np.asarray(image.convert("RGB"))
        self._pixmap = rgb_to_pixmap(rgb)
        self._rescale()
        self.caption.setText(f"{tr_core(name)} — {image.width}×{image.height}")
        self.clear_error()
        for n, b in zip(self.names, self.bars):
            n.setText("…")
            b.setValue(0)
            b.setFormat("")

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._rescale()

    def _rescale(self) -> None:
        if self._pixmap is not None:
            size = self.preview.size()
            self.preview.setPixmap(self._pixmap.scaled(size, Qt.AspectRatioMode.KeepAspectRatio,
                                                       Qt.TransformationMode.SmoothTransformation))

    def set_strip(self, items: list[tuple[str, Image.Image | None]], current: int) -> None:
        """Thumbnails of several dropped files (``None`` for files that could not be read)."""
        self.strip.blockSignals(True)
        self.strip.clear()
        for name, img in items:
            item = QListWidgetItem(Path(name).name[:14])
            item.setToolTip(name)
            if img is not None:
                thumb = img.copy()
                thumb.thumbnail((56, 56))
                item.setIcon(QIcon(rgb_to_pixmap(np.asarray(thumb.convert("RGB")))))
            else:
                item.setText("⚠ " + item.text())
            self.strip.addItem(item)
        self.strip.setCurrentRow(current)
        self.strip.blockSignals(False)
        self.strip.setVisible(len(items) > 1)

    def _on_strip_row(self, row: int) -> None:
        if row >= 0:
            self.sig_image_chosen.emit(row)

    # ------------------------------------------------------------------ results
    def bind(self, lab: "Lab") -> None:
        """The session's images and the current one's answer; the strip, the ten-crop box and Open image… ask the
        lab."""
        self.lab = lab
        lab.listen(lab.probe_shown, lambda probe: self.set_prediction(probe.prediction), "Predictions")
        lab.probe_failed.connect(self.show_error)
        lab.images_changed.connect(lambda images, current: self.set_strip([(d.path, d.image) for d in images],
                                                                          current))
        lab.current_changed.connect(lambda _index, d: self.set_image(d.image, d.name))
        lab.weights_changed.connect(lambda info: self.set_trained(info.trained, info.source))
        lab.config_changed.connect(lambda _cfg, _old: self._show_caption())
        lab.session.ten_crop = self.ten_crop.isChecked()
        self.sig_ten_crop_changed.connect(lab.session.set_ten_crop)
        self.sig_image_chosen.connect(self._choose)
        self.sig_open_requested.connect(self.open_dialog)

    def _choose(self, index: int) -> None:
        error = self.lab.select_image(index)
        if error:
            self.show_error(error)

    def open_dialog(self) -> None:
        """Open images… (the button): the chosen files become the session's images."""
        paths = file_dialogs.open_files(self, "images", self.tr("Open images"), file_dialogs.image_filter())
        if paths:
            errors = self.lab.open_images(paths)
            if errors:
                self.show_error("\n".join(errors))

    def stale_note(self) -> str:
        """Why the bars may not be this data set's classes: the window's data set changed since these weights were
        trained or built ("" when their classes are the data set's, or when that is unknown)."""
        lab = getattr(self, "lab", None)
        pred = self.prediction
        if lab is None or pred is None:
            return ""
        weights = lab.weights()
        dataset = lab.session.config.dataset
        _mean, _std, classes = known_dataset_info(dataset)
        if weights is None or classes is None or list(weights.classes) == list(classes):
            return ""
        return self.tr("⚠ these weights answer in their own {count} classes, not {dataset}'s {dataset_count}: train on "
                       "{dataset}, or File ▸ Fresh untrained model for it").format(
            count=len(weights.classes), dataset=dataset, dataset_count=len(classes))

    def _show_caption(self) -> None:
        pred = self.prediction
        if pred is None:
            return
        crop = self.tr("ten-crop average") if pred.ten_crop else self.tr("centre crop")
        note = self.stale_note()
        weights = self.lab.weights() if getattr(self, "lab", None) is not None else None
        # what the answer can be: a photo of a cat gets one of the 10 Fashion-MNIST classes, and should say so
        knows = "\n" + self.tr("the model knows {classes} only").format(classes=tr_core(classes_title(weights.classes))) \
            if weights is not None else ""
        self.caption.setText(self.tr("{image} — {crop}, weights: {source}").format(
            image=tr_core(self.image_name), crop=crop, source=tr_core(pred.source)) + knows + (f"\n{note}" if note else ""))

    def _on_class_clicked(self, row: int) -> None:
        pred = getattr(self, "prediction", None)
        if getattr(self, "lab", None) is not None and pred is not None and row < len(pred.indices):
            self.lab.session.select_class(pred.indices[row])

    def set_prediction(self, pred: Prediction) -> None:
        self.prediction = pred
        for i in range(TOPK):
            if i < len(pred.classes):
                self.names[i].setText(pred.classes[i])
                self.names[i].setToolTip(self.tr("class index {index}; click to explain it").format(index=pred.indices[i]))
                self.bars[i].setValue(int(round(1000 * pred.probabilities[i])))
                self.bars[i].setFormat(f"{100 * pred.probabilities[i]:.1f} %")
            else:
                self.names[i].setText("")
                self.bars[i].setValue(0)
                self.bars[i].setFormat("")
        self.set_trained(pred.trained, pred.source)
        self._show_caption()

    def set_trained(self, trained: bool, source: str = "") -> None:
        if trained:
            self.banner.setVisible(False)
            return
        self.banner.setText(self.tr("⚠ <b>Untrained weights</b>: these classes are random, not predictions. Train the "
                                    "network, or load weights (a checkpoint or torchvision's ImageNet weights)."))
        self.banner.setStyleSheet(f"QLabel {{ background: {WARNING_BG}; padding: 6px; border-radius: 4px; }}")
        self.banner.setVisible(True)

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(True)

    def clear_error(self) -> None:
        self.error.setVisible(False)
        self.error.setText("")
