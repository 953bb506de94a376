"""Top patches: the image regions of the data set that excite one conv unit most, each cropped to the unit's
receptive field where it peaks (as Yosinski's Deep Visualization Toolbox shows them). The unit is the map last
clicked in the Activation maps panel; the search is a pass over the data set on the worker, with progress and a
Cancel, cached on disk so a unit of a layer already searched answers at once."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QGridLayout, QHBoxLayout, QLabel, QProgressBar, QPushButton, QScrollArea,
                               QSpinBox, QVBoxLayout, QWidget)

from ..style import rgb_to_pixmap
from ..widgets.analysis_request import AnalysisRequest
from train_backend.i18n import QT_TRANSLATE_NOOP

from .registry import register_panel

if TYPE_CHECKING:
    from ..lab import Lab

TILE = 104  # px of each patch on screen (crops are scaled up with square pixels)


def _rgb(patch: np.ndarray) -> np.ndarray:
    return np.repeat(patch[..., None], 3, 2) if patch.ndim == 2 else patch[..., :3]


def scaled(patch: np.ndarray, side: int = TILE) -> np.ndarray:
    """A crop scaled (nearest neighbour) so its longer side is ``side`` px."""
    h, w = patch.shape[:2]
    f = side / max(h, w, 1)
    rows = np.minimum((np.arange(max(1, round(h * f))) / f).astype(int), h - 1)
    cols = np.minimum((np.arange(max(1, round(w * f))) / f).astype(int), w - 1)
    return np.ascontiguousarray(_rgb(patch)[rows][:, cols])


@register_panel("top_patches", QT_TRANSLATE_NOOP("Panels", "Top patches"), area="right", tab_with="activations")
class TopPatchesPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("TopPatchesPanel")
        self.lab: Lab | None = None  # set by bind()
        self.unit: tuple[str, int] | None = None
        self.request = None  # AnalysisRequest, once bound
        self.result = None

        self.title = QLabel(self.tr("Click a map in <b>Activation maps</b> (a conv layer) to choose a unit."))
        self.title.setWordWrap(True)
        self.limit = QSpinBox()
        self.limit.setRange(0, 1_000_000)
        self.limit.setSingleStep(500)
        self.limit.setValue(2000)
        self.limit.setSpecialValueText(self.tr("all"))
        self.limit.setToolTip(self.tr("Search the first N images of the split (0: all of them; a pass over 60,000 "
                                      "images takes minutes on a CPU, then it is cached)"))
        self.split = QComboBox()
        self.split.addItem(self.tr("train"), "train")
        self.split.addItem(self.tr("val"), "val")
        self.split.setToolTip(self.tr("The data set's split to search: its training or its validation images"))
        self.find = QPushButton(self.tr("Find top 9"))
        self.find.setEnabled(False)
        self.find.clicked.connect(self.search)
        self.cancel = QPushButton(self.tr("Cancel"))
        self.cancel.setEnabled(False)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        controls = QHBoxLayout()
        for w in (QLabel(self.tr("images")), self.limit, QLabel(self.tr("of")), self.split, self.find, self.cancel):
            controls.addWidget(w)
        controls.addStretch(1)

        self.tiles: list[tuple[QLabel, QLabel]] = []
        sheet = QWidget()
        grid = QGridLayout(sheet)
        for i in range(9):
            pic, cap = QLabel(), QLabel()
            pic.setFixedSize(TILE, TILE)
            pic.setAlignment(Qt.AlignmentFlag.AlignCenter)
            cap.setAlignment(Qt.AlignmentFlag.AlignCenter)
            cap.setWordWrap(True)
            cell = QVBoxLayout()
            cell.addWidget(pic, 0, Qt.AlignmentFlag.AlignHCenter)
            cell.addWidget(cap)
            grid.addLayout(cell, i // 3, i % 3)
            self.tiles.append((pic, cap))
        self.info = QLabel("")
        self.info.setWordWrap(True)
        self.info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.title)
        lay.addLayout(controls)
        lay.addWidget(self.progress)
        scroll = QScrollArea()  # the nine patches scroll in a short dock instead of making the window taller
        scroll.setWidget(sheet)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        lay.addWidget(scroll, 1)
        lay.addWidget(self.info)

    def bind(self, lab: "Lab") -> None:
        self.lab = lab
        self.request = AnalysisRequest(lab, self.progress, self.cancel, self.tr("images") + " ", self)
        self.request.done.connect(self._on_done)
        self.request.failed.connect(self._on_failed)
        lab.session.unit_selected.connect(self.set_unit)

    @property
    def token(self) -> int | None:
        return self.request.token if self.request is not None else None

    def set_unit(self, layer: str, unit: int) -> None:
        self.unit = (layer, unit)
        self.title.setText(self.tr("<b>{layer}</b>, unit {unit}: the image regions that excite it most").format(
            layer=layer, unit=unit + 1))
        self.find.setEnabled(self.token is None)

    def search(self) -> None:
        if self.lab is None or self.unit is None or self.token is not None:
            return
        cfg = self.lab.session.config
        layer, unit = self.unit
        self.request.ask("top_patches", dataset=cfg.dataset, data_root=cfg.data_root, layer=layer, unit=unit, k=9,
                         split=self.split.currentData(), limit=self.limit.value() or None)
        self.find.setEnabled(False)
        self.info.setText(self.tr("searching {dataset} ({split}) …").format(dataset=cfg.dataset,
                                                                           split=self.split.currentText()))

    def _cancel(self) -> None:
        if self.request is not None:
            self.request.cancel()

    def _on_failed(self, message: str) -> None:
        self.find.setEnabled(self.unit is not None)
        self.info.setText(self.tr("search cancelled") if message == "cancelled" else
                          self.tr("could not search: {error}").format(error=message))
        if message != "cancelled":
            self.lab.notify("error", self.tr("top patches: {error}").format(error=message))

    def _on_done(self, result) -> None:
        self.find.setEnabled(self.unit is not None)
        self.show_result(result)

    def show_result(self, result) -> None:
        self.result = result
        for i, (pic, cap) in enumerate(self.tiles):
            if i < len(result.patches):
                pic.setPixmap(rgb_to_pixmap(scaled(result.patches[i])))
                cap.setText(f"{result.classes[result.labels[i]]}\n{result.activations[i]:.3g} · #{result.indices[i]}")
            else:
                pic.clear()
                cap.setText("")
        rf = result.receptive_field
        index = self.split.findData(result.split)
        split = self.split.itemText(index) if index >= 0 else result.split  # the split in words
        self.info.setText(self.tr("{layer} unit {unit} of {units}: receptive field {size} px (stride {stride}) in the "
                                  "{input} px input; {searched:,} images of {dataset} ({split}) searched. Under each "
                                  "patch: its class, the unit's peak value and the image's index.").format(
            layer=result.layer, unit=result.unit + 1, units=result.units, size=rf.size, stride=rf.stride,
            input=result.input_size, searched=result.searched, dataset=result.dataset, split=split))
