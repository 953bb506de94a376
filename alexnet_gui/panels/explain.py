"""Explain: why the network answers what it answers, for the current image. Grad-CAM (any class, any conv layer),
guided backpropagation, and occlusion sensitivity (many forward passes: progress and Cancel), drawn over the crop
the network sees with an opacity slider. The maps are the core's registered analyses (``gradcam``, ``saliency``,
``occlusion``), computed on the worker; the cheap ones follow the image, the class and the layer as they change."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QProgressBar, QPushButton, QSlider, QSpinBox,
                               QVBoxLayout, QWidget)

from ..i18n import tr_core
from ..widgets.analysis_request import AnalysisRequest
from ..widgets.colour_scale import ColourScale, lut_colour_map
from ..widgets.livetext import LiveText
from train_backend.i18n import QT_TRANSLATE_NOOP

from .registry import register_panel

if TYPE_CHECKING:
    from ..lab import Lab

METHODS = {QT_TRANSLATE_NOOP("ExplainPanel", "Grad-CAM"): "gradcam",
           QT_TRANSLATE_NOOP("ExplainPanel", "Guided backprop"): "saliency",
           QT_TRANSLATE_NOOP("ExplainPanel", "Occlusion"): "occlusion"}
CROPS = ["centre"] + [str(i) for i in range(10)]
CONV_LAYERS = ("conv1", "conv2", "conv3", "conv4", "conv5")
# what the heat map's values are: each map is divided by its maximum (train_backend.analysis.explain)
SCALE_LABELS = {"gradcam": QT_TRANSLATE_NOOP("ExplainPanel", "Grad-CAM (relative; 1 = the map's maximum)"),
                "saliency": QT_TRANSLATE_NOOP("ExplainPanel", "|gradient| (relative; 1 = the maximum)"),
                "occlusion": QT_TRANSLATE_NOOP("ExplainPanel", "drop in the class's p (relative; 1 = the largest)")}


def heat_lut() -> np.ndarray:
    """A black-body ramp (dark red → yellow → white) for the heat maps, 256 × RGBA, transparent where cold."""
    x = np.linspace(0, 1, 256)
    rgb = np.stack([np.clip(3 * x, 0, 1), np.clip(3 * x - 1, 0, 1), np.clip(3 * x - 2, 0, 1)], 1)
    alpha = np.clip(x * 1.5, 0, 1)  # the coldest parts let the image through
    return (np.concatenate([rgb, alpha[:, None]], 1) * 255).astype(np.uint8)


@register_panel("explain", QT_TRANSLATE_NOOP("Panels", "Explain"), area="right", tab_with="activations")
class ExplainPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ExplainPanel")
        self.lab: Lab | None = None  # set by bind()
        self.request = None  # AnalysisRequest, once bound
        self.result = None
        self._classes: tuple[str, ...] = ()

        self.method = QComboBox()
        for text, method in METHODS.items():
            self.method.addItem(tr_core(text), method)
        self.method.setToolTip(self.tr("Grad-CAM: the chosen layer's maps weighted by the class's gradient (Selvaraju "
                                       "et al. 2017). Guided backprop: the class's gradient at the input, negative "
                                       "gradients stopped at every ReLU (Springenberg et al. 2015). Occlusion: the drop "
                                       "in the class's probability as a grey square slides over the image (Zeiler & "
                                       "Fergus 2014)."))
        self.target = QComboBox()
        self.target.setToolTip(self.tr("The class to explain: the top one, or any class of the weights"))
        self.target.setMinimumContentsLength(14)
        self.layer = QComboBox()
        self.layer.addItems(list(CONV_LAYERS))
        self.layer.setCurrentText("conv5")
        self.layer.setToolTip(self.tr("Grad-CAM's layer (read after its ReLU)"))
        self.crop = QComboBox()
        for crop in CROPS:
            self.crop.addItem(self.tr("centre") if crop == "centre" else crop, crop)
        self.crop.setToolTip(self.tr("The crop explained: the centre one, or one of the paper's ten (0-4 corners and "
                                     "centre, 5-9 their mirror images)"))
        self.patch = QSpinBox()
        self.patch.setRange(4, 128)
        self.patch.setValue(32)
        self.patch.setToolTip(self.tr("Occlusion: the grey square's side (px)"))
        self.stride = QSpinBox()
        self.stride.setRange(2, 64)
        self.stride.setValue(16)
        self.stride.setToolTip(self.tr("Occlusion: the square's step (px); each position is one forward pass"))
        self.run_button = QPushButton(self.tr("Explain"))
        self.run_button.clicked.connect(self.explain)
        self.cancel = QPushButton(self.tr("Cancel"))
        row1 = QHBoxLayout()
        for w in (self.method, QLabel(self.tr("class")), self.target, QLabel(self.tr("layer")), self.layer):
            row1.addWidget(w)
        row1.addStretch(1)
        row2 = QHBoxLayout()
        for w in (QLabel(self.tr("crop")), self.crop, QLabel(self.tr("patch")), self.patch, QLabel(self.tr("stride")),
                  self.stride, self.run_button, self.cancel):
            row2.addWidget(w)
        row2.addStretch(1)

        self.view_widget = pg.GraphicsLayoutWidget()
        self.view = self.view_widget.addViewBox(lockAspect=True, invertY=True, enableMouse=False)
        self.base = pg.ImageItem(axisOrder="row-major")
        self.heat = pg.ImageItem(axisOrder="row-major")
        self.heat.setLookupTable(heat_lut())
        self.view.addItem(self.base)
        self.view.addItem(self.heat)
        self.colour_scale = ColourScale(tr_core(SCALE_LABELS[self.method_name()]), lut_colour_map(heat_lut()))
        self.view_widget.addItem(self.colour_scale, row=0, col=1)
        self.opacity = QSlider(Qt.Orientation.Horizontal)
        self.opacity.setRange(0, 100)
        self.opacity.setValue(60)
        self.opacity.setToolTip(self.tr("The map's opacity over the image"))
        self.opacity.valueChanged.connect(lambda v: self.heat.setOpacity(v / 100))
        self.heat.setOpacity(0.6)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        # re-explained after every validation while training: a LiveText repaints, a QLabel would re-lay the window out
        self.caption = LiveText(self.tr("Open or drop an image, then choose a class: the map shows where the answer "
                                        "comes from."), lines=3, chars=60, rich=True)
        op = QHBoxLayout()
        op.addWidget(QLabel(self.tr("opacity")))
        op.addWidget(self.opacity, 1)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addLayout(row1)
        lay.addLayout(row2)
        lay.addWidget(self.view_widget, 1)
        lay.addLayout(op)
        lay.addWidget(self.progress)
        lay.addWidget(self.caption)

        for w in (self.method, self.layer, self.crop):
            w.currentTextChanged.connect(self._changed)
        self.target.activated.connect(lambda _i: self._changed())
        self._update_controls()

    # ---------------------------------------------------------------- wiring
    def bind(self, lab: "Lab") -> None:
        self.lab = lab
        self.request = AnalysisRequest(lab, self.progress, self.cancel, self.tr("occlusion: positions") + " ", self)
        self.request.done.connect(self.show_result)
        self.request.failed.connect(
            lambda message: self.caption.setText(self.tr("cancelled") if message == "cancelled" else
                                                 self.tr("could not explain: {error}").format(error=message)))
        lab.probe_shown.connect(lambda _token: self._changed(image=True))
        lab.session.class_selected.connect(self.set_target)
        lab.session.layer_selected.connect(self.follow_layer)

    def follow_layer(self, name: str) -> None:
        """A layer selected anywhere: Grad-CAM's layer follows where it is a conv layer (``reluN``: convN, which
        Grad-CAM reads after its ReLU)."""
        conv = "conv" + name[4:] if name.startswith("relu") else name
        if conv in CONV_LAYERS and self.layer.currentText() != conv:
            self.layer.setCurrentText(conv)

    @property
    def token(self) -> int | None:
        return self.request.token if self.request is not None else None

    def method_name(self) -> str:
        return self.method.currentData() or "gradcam"

    def _update_controls(self) -> None:
        occl = self.method_name() == "occlusion"
        self.layer.setEnabled(self.method_name() == "gradcam")
        self.patch.setEnabled(occl)
        self.stride.setEnabled(occl)

    def _fill_classes(self) -> None:
        info = self.lab.weights() if self.lab is not None else None
        classes = tuple(info.classes) if info is not None else ()
        if classes == self._classes:
            return
        self._classes = classes
        self.target.clear()
        self.target.addItem(self.tr("the top class"), None)
        for i, name in enumerate(classes):
            self.target.addItem(f"{i}: {name}", i)

    def set_target(self, index: int | None) -> None:
        """Explain class ``index`` (None: the top class), e.g. after a click on one of the top-5."""
        self._fill_classes()
        pos = self.target.findData(index) if index is not None else 0
        self.target.setCurrentIndex(max(pos, 0))
        self._changed()

    def _changed(self, *_args, image: bool = False) -> None:
        self._update_controls()
        if self.lab is None or not self.isVisible():
            return
        self._fill_classes()
        if self.method_name() != "occlusion":  # cheap: follow every change; occlusion waits for its button
            self.explain()
        elif image:
            self.caption.setText(self.tr("A new image: press Explain to slide the grey square over it."))

    # ---------------------------------------------------------------- requests
    def explain(self) -> None:
        if self.lab is None or self.lab.session.current_image() is None:
            return
        method = self.method_name()
        options = {"target": self.target.currentData(), "crop": self.crop.currentData()}
        if method == "gradcam":
            options["layer"] = self.layer.currentText()
        if method == "occlusion":
            options.update(patch=self.patch.value(), stride=self.stride.value())
        self.request.ask(method, show_progress=method == "occlusion", **options)

    def _cancel(self) -> None:
        if self.request is not None:
            self.request.cancel()

    def showEvent(self, event) -> None:  # noqa: N802 - a tab brought forward shows the current image's map
        super().showEvent(event)
        if self.result is None:
            self._changed()

    # ---------------------------------------------------------------- drawing
    def show_result(self, r) -> None:
        self.result = r
        self.base.setImage(r.image, levels=(0, 255), autoLevels=False)
        self.heat.setImage(r.heat, levels=(0.0, 1.0), autoLevels=False)
        self.colour_scale.show_range(0.0, 1.0, tr_core(SCALE_LABELS[r.method]))
        self.view.autoRange(padding=0.01)
        where = {"gradcam": self.tr("Grad-CAM at {layer}").format(layer=r.layer),
                 "saliency": self.tr("guided backprop"),
                 "occlusion": self.tr("occlusion ({patch} px square every {stride} px)").format(
                     patch=r.patch, stride=r.stride)}[r.method]
        note = "" if r.trained else " " + self.tr("<b>Untrained weights</b>: the map is as random as the answer.")
        top = ", ".join(f"{name} {100 * p:.0f} %" for _, name, p in r.top[:3])
        crop = self.tr("centre") if r.crop == "centre" else r.crop
        self.caption.setText(self.tr("{method} for <b>{name}</b> (p = {p:.1f} %), {crop} crop. This crop's top: {top}.")
                             .format(method=where, name=r.class_name, p=100 * r.probability, crop=crop, top=top) + note)
