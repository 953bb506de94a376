"""LRN effect: a channel before and after local response normalisation, with live k, n, α, β sliders."""

from __future__ import annotations

from typing import TYPE_CHECKING

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QGridLayout, QHBoxLayout, QLabel, QPushButton, QSlider, QSpinBox,
                               QVBoxLayout, QWidget)

from train_backend.models.lrn import PAPER_ALPHA, PAPER_BETA, PAPER_K, PAPER_N
from train_backend.analysis.probes import LRNSnapshot, NEAR_ZERO, channel_stats, lrn_active_share, lrn_numpy

from ..style import diverging_lut, viridis_lut
from ..widgets.axes import legend_under, readable_axes
from ..widgets.colour_scale import ColourScale, lut_colour_map
from train_backend.i18n import QT_TRANSLATE_NOOP

from .registry import register_panel

if TYPE_CHECKING:
    from ..lab import Lab

ALPHA_MIN_EXP, ALPHA_MAX_EXP = -7.0, -1.0


@register_panel("lrn", QT_TRANSLATE_NOOP("Panels", "LRN effect"), area="right", tab_with="activations")
class LRNPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("LRNPanel")
        self.snaps: dict[str, LRNSnapshot] = {}
        self.post_live: np.ndarray | None = None

        self.layer = QComboBox()
        self.layer.currentTextChanged.connect(self._on_layer)
        self.channel = QSpinBox()
        self.channel.setPrefix(self.tr("channel") + " ")
        self.channel.setMinimum(1)
        self.channel.valueChanged.connect(self._redraw)
        self.busiest = QPushButton(self.tr("most active"))
        self.busiest.setToolTip(self.tr("Jump to the channel with the largest mean activation before LRN"))
        self.busiest.clicked.connect(self._on_busiest)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Layer")))
        top.addWidget(self.layer)
        top.addWidget(self.channel)
        top.addWidget(self.busiest)
        top.addStretch(1)

        self.maps = pg.GraphicsLayoutWidget()
        self.maps.setMinimumHeight(90)
        self.views, self.images = [], []
        for col, title in enumerate((self.tr("before LRN"), self.tr("after LRN"), self.tr("after − before"))):
            self.maps.addLabel(title, row=0, col=col)
            vb = self.maps.addViewBox(row=1, col=col, lockAspect=True, invertY=True, enableMouse=False)
            img = pg.ImageItem(axisOrder="row-major")
            img.setLookupTable(diverging_lut() if col == 2 else viridis_lut())
            vb.addItem(img)
            self.views.append(vb)
            self.images.append(img)
        # before and after share one scale (the shrink is visible); the difference has its own, centred on 0
        self.colour_scale = ColourScale(self.tr("activation (before and after)"), lut_colour_map(viridis_lut()),
                                        "horizontal")
        self.diff_scale = ColourScale(self.tr("after − before"), lut_colour_map(diverging_lut()), "horizontal")
        self.maps.addItem(self.colour_scale, row=2, col=0, colspan=2)
        self.maps.addItem(self.diff_scale, row=2, col=2)
        self.hist = pg.PlotWidget(title=self.tr("values"), axisItems=readable_axes())
        self.hist.setMinimumSize(120, 90)
        self.hist_legend = legend_under(self.hist.getPlotItem(), columns=2)
        self.hist.setLabel("left", self.tr("count (log)"))
        self.hist.setLabel("bottom", self.tr("activation"))
        self.hist.setMouseEnabled(x=False, y=False)
        self.hist.setLogMode(y=True)
        self.h_pre = self.hist.plot(stepMode="center", pen=pg.mkPen((31, 90, 180), width=2), name=self.tr("before"))
        self.h_post = self.hist.plot(stepMode="center", pen=pg.mkPen((214, 96, 30), width=2), name=self.tr("after"))

        self.figures = QLabel("")
        self.figures.setTextFormat(Qt.TextFormat.RichText)
        self.figures.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.figures.setWordWrap(True)
        self.formula = QLabel("")
        self.formula.setTextFormat(Qt.TextFormat.RichText)
        self.formula.setWordWrap(True)

        # sliders re-run LRN on the captured pre-LRN maps
        self.s_k = self._slider(1, 100, int(PAPER_K * 10))  # k in 0.1 … 10.0 (0 would divide by zero)
        self.s_n = self._slider(1, 15, PAPER_N)
        self.s_alpha = self._slider(0, 60, self._alpha_pos(PAPER_ALPHA))  # log scale
        self.s_beta = self._slider(0, 200, int(PAPER_BETA * 100))  # 0 … 2
        self.convention = QComboBox()
        self.convention.addItem(self.tr("paper: α as written"), "paper")
        self.convention.addItem(self.tr("PyTorch/Caffe: α / n"), "pytorch")
        self.convention.setToolTip(self.tr("How α enters the sum: as the paper writes it, or divided by n as PyTorch's "
                                           "LocalResponseNorm and Caffe do"))
        self.convention.currentIndexChanged.connect(self._recompute)
        self.reset = QPushButton(self.tr("Paper's values"))
        self.reset.clicked.connect(self.reset_params)
        self.labels = {name: QLabel() for name in ("k", "n", "alpha", "beta")}
        sliders = QGridLayout()
        for i, (name, s) in enumerate((("k", self.s_k), ("n", self.s_n), ("alpha", self.s_alpha),
                                       ("beta", self.s_beta))):
            row, col = divmod(i, 2)
            sliders.addWidget(QLabel({"alpha": "α", "beta": "β"}.get(name, name)), row, 3 * col)
            sliders.addWidget(s, row, 3 * col + 1)
            sliders.addWidget(self.labels[name], row, 3 * col + 2)
        sliders.addWidget(self.convention, 2, 1)
        sliders.addWidget(self.reset, 2, 4)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addLayout(top)
        row = QHBoxLayout()
        row.addWidget(self.maps, 3)
        row.addWidget(self.hist, 1)
        lay.addLayout(row, 1)
        lay.addWidget(self.figures)
        lay.addWidget(self.formula)
        lay.addLayout(sliders)
        self.empty_note = QLabel("")
        lay.addWidget(self.empty_note)
        self._update_param_labels()

    def _slider(self, lo: int, hi: int, value: int) -> QSlider:
        s = QSlider(Qt.Orientation.Horizontal)
        s.setRange(lo, hi)
        s.setValue(value)
        s.valueChanged.connect(self._recompute)
        return s

    @staticmethod
    def _alpha_pos(alpha: float) -> int:
        return int(round((math.log10(alpha) - ALPHA_MIN_EXP) / (ALPHA_MAX_EXP - ALPHA_MIN_EXP) * 60))

    # ------------------------------------------------------------------ parameters
    def params(self) -> dict:
        return {"k": self.s_k.value() / 10.0, "n": self.s_n.value(),
                "alpha": 10 ** (ALPHA_MIN_EXP + self.s_alpha.value() / 60 * (ALPHA_MAX_EXP - ALPHA_MIN_EXP)),
                "beta": self.s_beta.value() / 100.0, "convention": self.convention.currentData()}

    def set_params(self, k=None, n=None, alpha=None, beta=None, convention=None) -> None:
        for s in (self.s_k, self.s_n, self.s_alpha, self.s_beta):
            s.blockSignals(True)
        if k is not None:
            self.s_k.setValue(int(round(k * 10)))
        if n is not None:
            self.s_n.setValue(int(n))
        if alpha is not None:
            self.s_alpha.setValue(self._alpha_pos(alpha))
        if beta is not None:
            self.s_beta.setValue(int(round(beta * 100)))
        if convention is not None:
            self.convention.blockSignals(True)
            self.convention.setCurrentIndex(max(0, self.convention.findData(convention)))
            self.convention.blockSignals(False)
        for s in (self.s_k, self.s_n, self.s_alpha, self.s_beta):
            s.blockSignals(False)
        self._recompute()

    def reset_params(self) -> None:
        self.set_params(PAPER_K, PAPER_N, PAPER_ALPHA, PAPER_BETA, "paper")

    def _update_param_labels(self) -> None:
        p = self.params()
        self.labels["k"].setText(f"{p['k']:.1f}")
        self.labels["n"].setText(f"{p['n']}")
        self.labels["alpha"].setText(f"{p['alpha']:.1e}")
        self.labels["beta"].setText(f"{p['beta']:.2f}")
        a = p["alpha"] / p["n"] if p["convention"] == "pytorch" else p["alpha"]
        conv = (self.tr("PyTorch's convention: α/n = {a:.1e} inside the sum").format(a=a)
                if p["convention"] == "pytorch" else self.tr("the paper's convention: α not divided by n"))
        layer = getattr(self, "layer", None)
        snap = self.snaps.get(layer.currentText()) if layer is not None else None
        groups = snap.params.get("groups", 1) if snap is not None else 1
        towers = ""
        if groups > 1:
            per = snap.pre.shape[0] // groups
            towers = " " + self.tr("The sum stays inside the channel's tower, as each GPU normalised only its own maps: "
                                   "{ranges}.").format(ranges=" | ".join(f"{g * per + 1}–{(g + 1) * per}"
                                                                         for g in range(groups)))
        self.formula.setText(
            "b<sub>i</sub> = a<sub>i</sub> / (k + α Σ<sub>j=i−n/2…i+n/2</sub> a<sub>j</sub><sup>2</sup>)<sup>β</sup> " + self.tr("with <b>k = {k:.1f}, n = {n}, α = {alpha:.1e}, β = {beta:.2f}</b> — {convention}. "
                                       "Paper: k = 2, n = 5, α = 1e-4, β = 0.75.").format(
                k=p["k"], n=p["n"], alpha=p["alpha"], beta=p["beta"], convention=conv) + towers)

    # ------------------------------------------------------------------ data in
    def bind(self, lab: "Lab") -> None:
        """The current image's maps before and after each LRN, as its probe answers."""
        lab.listen(lab.probe_shown, lambda probe: self.set_snapshots(probe.lrn), "LRN effect")

    def set_snapshots(self, snaps: dict[str, LRNSnapshot]) -> None:
        self.snaps = snaps
        current = self.layer.currentText()
        if [self.layer.itemText(i) for i in range(self.layer.count())] != list(snaps):  # a new list: the box changes
            self.layer.blockSignals(True)  # (refilled each probe, it would re-lay out the window each validation)
            self.layer.clear()
            self.layer.addItems(list(snaps))
            if current in snaps:
                self.layer.setCurrentText(current)
            self.layer.blockSignals(False)
        has = bool(snaps)
        self.empty_note.setText("" if has else self.tr("This model has no LRN layers (torchvision's AlexNet dropped "
                                                       "them)."))
        self.empty_note.setVisible(not has)
        if has:
            self._on_layer(self.layer.currentText(), keep_channel=True)

    def _on_layer(self, name: str, keep_channel: bool = False) -> None:
        snap = self.snaps.get(name)
        if snap is None:
            return
        self.channel.blockSignals(True)
        self.channel.setMaximum(snap.pre.shape[0])
        if not keep_channel:
            self.channel.setValue(1)
        self.channel.blockSignals(False)
        self._recompute()

    def _on_busiest(self) -> None:
        snap = self.snaps.get(self.layer.currentText())
        if snap is not None:
            self.channel.setValue(int(np.argmax(snap.pre_stats.mean)) + 1)

    def _recompute(self) -> None:
        self._update_param_labels()
        snap = self.snaps.get(self.layer.currentText())
        if snap is None:
            return
        p = self.params()
        model_p = {k: snap.params.get(k) for k in ("k", "n", "alpha", "beta", "convention")}
        same = all(abs(p[k] - model_p[k]) < 1e-12 * max(1, abs(model_p[k])) if k != "convention" else
                   p[k] == model_p[k] for k in model_p if model_p[k] is not None)
        self.post_live = snap.post if same else lrn_numpy(snap.pre, p["k"], p["n"], p["alpha"], p["beta"],
                                                          p["convention"], snap.params.get("groups", 1))
        self._redraw()

    def _redraw(self) -> None:
        snap = self.snaps.get(self.layer.currentText())
        if snap is None or self.post_live is None:
            return
        c = self.channel.value() - 1
        pre, post = snap.pre[c], self.post_live[c]
        # one scale for both, over both's values: a small k makes "after" larger than "before" (k^-β > 1)
        lo = float(min(pre.min(), post.min(), 0.0))
        hi = float(max(pre.max(), post.max(), lo + 1e-6))
        self.images[0].setImage(pre, levels=(lo, hi), autoLevels=False)
        self.images[1].setImage(post, levels=(lo, hi), autoLevels=False)  # same scale: the shrink is visible
        self.colour_scale.show_range(lo, hi)
        diff = post - pre
        d = float(max(np.abs(diff).max(), 1e-9))
        self.images[2].setImage(diff, levels=(-d, d), autoLevels=False)
        self.diff_scale.show_range(-d, d)
        bins = np.linspace(lo, hi, 41)
        hp, _ = np.histogram(pre, bins)
        hq, _ = np.histogram(post, bins)
        self.h_pre.setData(bins, np.maximum(hp, 0.5))
        self.h_post.setData(bins, np.maximum(hq, 0.5))
        self.hist.setXRange(lo, hi, padding=0.02)  # the range follows the values after every change
        self.hist.getPlotItem().enableAutoRange(y=True)
        ps = channel_stats(pre[None])
        qs = channel_stats(post[None])
        ratio = float(post.mean() / pre.mean()) if pre.mean() > 0 else float("nan")
        whole = float(self.post_live.mean() / snap.pre.mean()) if snap.pre.mean() > 0 else float("nan")
        kb = self.params()["k"] ** -self.params()["beta"]
        self.figures.setText(self.tr(
            "<b>before</b>: mean {pre_mean:.4g}, max {pre_max:.4g}, {pre_zero:.1f}% near 0 · <b>after</b>: mean "
            "{post_mean:.4g}, max {post_max:.4g}, {post_zero:.1f}% near 0 (|a| &lt; {near:g}) · <b>post/pre ratio</b> "
            "{ratio:.3f} in this channel, {whole:.3f} in the layer (k<sup>−β</sup> = {kb:.3f} where neighbours are "
            "quiet)<br><b>LRN acts on {active:.1f}%</b> of this image's active values in the layer (post/pre more than "
            "1 % away from k<sup>−β</sup>)").format(
            pre_mean=ps.mean[0], pre_max=ps.max[0], pre_zero=100 * ps.fraction_near_zero[0], post_mean=qs.mean[0],
            post_max=qs.max[0], post_zero=100 * qs.fraction_near_zero[0], near=NEAR_ZERO, ratio=ratio, whole=whole,
            kb=kb, active=100 * lrn_active_share(snap.pre, self.post_live, self.params()["k"], self.params()["beta"])))
