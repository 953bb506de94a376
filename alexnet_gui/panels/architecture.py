"""Architecture: the paper's Figure 2, live. The network that is loaded, drawn from its own layers (the core's
``architecture`` analysis, computed on the worker whenever the weights change): left to right as the paper draws
it, the two towers one above the other for the two-tower net (GPU 1 on top), one row for a one-tower net. Each box
is a conv or fc layer with its kernels, size, stride and output shape, and marks for the LRN, pooling and dropout
that follow it; the lines between boxes are its connections (orange where the towers exchange: conv3 and the fully
connected layers). Hover a box for its parameters, neurons and multiply-adds; click it to select the layer
everywhere (the Activation maps show it). The selection (layer and unit) is the session's, so a unit clicked in
any other view is marked here too. While an image is shown, each box says what fraction of its ReLU outputs is
exactly zero for that image (its sparsity; refreshed with every probe, after each validation while training)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QToolTip, QVBoxLayout, QWidget

from train_backend.payloads import LayerStage, NetworkDescription

from train_backend.i18n import QT_TRANSLATE_NOOP

from ..i18n import tr_core, translate
from .registry import register_panel

if TYPE_CHECKING:
    from ..lab import Lab

MARGIN = 6
GAPS = {"straight": 8, "fan": 12, "across": 20}  # between columns: room for the connections (see _gap)
BAND_LABEL = 14  # the rotated "GPU 1" label left of each tower's row
FOOTER_LINES = 2
BAR = 5  # the sparsity bar at the bottom of a box
FONT_SIZES = (12, 11, 10, 9, 8, 7)  # px, the largest that fits every box is used

FILL = {"input": QColor(236, 236, 236), "conv": QColor(222, 234, 248), "fc": QColor(226, 242, 226)}
EDGE = QColor(90, 90, 90)
WITHIN = QColor(110, 110, 110)  # a connection inside one tower (or from the input)
ACROSS = QColor(226, 120, 20)  # a connection between the towers (conv3, the fc layers)
SELECTED = QColor(31, 95, 191)
HOVER = QColor(255, 250, 215)
UNIT = QColor(200, 30, 30)
ZERO = QColor(120, 120, 120)

STAT_TIP = QT_TRANSLATE_NOOP("ArchitecturePanel", "the share of this box's ReLU outputs that are exactly 0 for the current "
                                                  "image (its sparsity), read from the image's probe: it changes with "
                                                  "the image and, while training, after each validation")


def _shape(shape: tuple[int, ...]) -> str:
    return "×".join(str(s) for s in shape)


@dataclass
class Box:
    """One box of the drawing: a stage (None: the input) in one tower (None: across all of them)."""

    stage: LayerStage | None = field(repr=False)
    tower: int | None
    rect: QRectF
    lines: list[str]

    @property
    def key(self) -> tuple[str, int | None]:
        return (self.stage.name if self.stage else "input", self.tower)


def split_in_towers(desc: NetworkDescription, stage: LayerStage, last: bool) -> bool:
    """Is ``stage`` drawn as one box per tower? Every conv layer of a two-tower net (conv3 too: the paper computes
    half its kernels on each GPU, each from both towers' maps) and its hidden fc layers, as the paper draws them
    (2048 + 2048); the classifier is one box."""
    return desc.towers > 1 and not last and stage.main.out_channels % desc.towers == 0


def tower_range(desc: NetworkDescription, stage: LayerStage, tower: int | None) -> tuple[int, int]:
    """The units (channels) of ``stage`` in ``tower`` (all of them for None): [start, end)."""
    n = stage.main.out_channels
    if tower is None:
        return 0, n
    per = n // desc.towers
    return tower * per, (tower + 1) * per


def box_lines(desc: NetworkDescription, stage: LayerStage | None, tower: int | None, last: bool = False,
              compact: bool = False) -> list[str]:
    """The text of a box: its name, kernels (count × size, stride) or units, output shape, marks; ``compact``: the
    shapes without the channels (the kernel count says them) and a fc layer's units as a bare number, for a
    narrow panel."""
    if stage is None:
        c, h, w = desc.input_shape
        return [translate("ArchitecturePanel", "input"), f"{h}×{w}", f"× {c}"]
    m = stage.main
    lo, hi = tower_range(desc, stage, tower)
    n = hi - lo
    lines = [m.name]
    if m.kind == "conv":
        (kh, kw), (s, _) = m.kernel_size, m.stride
        lines.append(f"{n} × {kh}×{kw}")
        if s != 1:
            lines.append(translate("ArchitecturePanel", "stride {s}").format(s=s))
        lines.append(_shape(m.output_shape[1:] if compact else (n, *m.output_shape[1:])))
    elif compact:
        lines.append(str(n))
    else:
        lines.append(translate("ArchitecturePanel", "{n} classes").format(n=n) if last and
                     m.out_channels == desc.num_classes else translate("ArchitecturePanel", "{n} units").format(n=n))
    act = stage.find("relu", "tanh")
    if act is not None and act.kind == "tanh":
        lines.append("tanh")
    for r in stage.before:
        if r.kind == "dropout" and r.dropout:
            lines.append(translate("ArchitecturePanel", "in: dropout {p:g}").format(p=r.dropout))
    for r in stage.after:
        if r.kind == "lrn":
            lines.append("LRN")
        elif r.kind in ("maxpool", "avgpool"):
            (k, _), (s, _) = r.kernel_size, r.stride
            pool = translate("ArchitecturePanel", "pool {k}/{s}") if r.kind == "maxpool" else \
                translate("ArchitecturePanel", "avg pool {k}/{s}")
            lines.append(pool.format(k=k, s=s))
            lines.append("→ " + _shape(r.output_shape[1:]))
        elif r.kind == "dropout" and r.dropout:
            lines.append(translate("ArchitecturePanel", "dropout {p:g}").format(p=r.dropout))
    return lines


def layout_boxes(desc: NetworkDescription, width: float, height: float,
                 weights: list[float] | None = None, compact: bool = False) -> list[list[Box]]:
    """The boxes of each column (the input, then each stage), placed in a ``width`` x ``height`` area left to
    right, tower 1 above tower 2; the columns' widths in proportion to ``weights`` (the width each one's text
    needs; by default about equal)."""
    stages = desc.stages()
    towers = max(1, desc.towers)
    if weights is None:
        weights = [0.8] + [1.0 if s.main.kind == "conv" else 0.9 for s in stages]
    left = MARGIN + (BAND_LABEL if towers > 1 else 0)
    split = [False] + [split_in_towers(desc, st, i == len(stages) - 1) for i, st in enumerate(stages)]
    gaps = [0.0] + [_gap(desc, stages[i - 1], split[i - 1], split[i]) * (0.6 if compact else 1.0)
                    for i in range(1, len(weights))]
    usable = width - left - MARGIN - sum(gaps)
    unit = max(usable, 10) / sum(weights)
    band_h = max(height - 2 * MARGIN, 20) / towers
    box_h = band_h - 10
    columns: list[list[Box]] = []
    x = left
    for i, w in enumerate(weights):
        stage = stages[i - 1] if i else None
        last = i == len(stages)
        bw = w * unit
        x += gaps[i]
        boxes = []
        if split[i]:
            for t in range(towers):
                top = MARGIN + t * band_h + 5
                boxes.append(Box(stage, t, QRectF(x, top, bw, box_h), box_lines(desc, stage, t, last, compact)))
        else:  # one box across the towers, centred between them
            top = MARGIN + (towers * band_h - box_h) / 2
            boxes.append(Box(stage, None, QRectF(x, top, bw, box_h), box_lines(desc, stage, None, last, compact)))
        columns.append(boxes)
        x += bw
    return columns


def _gap(desc: NetworkDescription, stage: LayerStage, src_split: bool, dst_split: bool) -> float:
    """Room before ``stage``'s column: wide where lines cross between the towers, narrow where they run straight."""
    if src_split and dst_split:
        return GAPS["across" if stage.main.groups == 1 else "straight"]
    return GAPS["fan" if src_split or dst_split else "straight"]


STAT_SAMPLE = QT_TRANSLATE_NOOP("ArchitecturePanel", "zero {percent:.0f}%")
PAD = 2  # px of text margin inside a box, each side


def _fonts(base: QFont, px: int) -> tuple[QFont, QFontMetricsF, QFontMetricsF]:
    font = QFont(base)
    font.setPixelSize(px)
    bold = QFont(font)
    bold.setBold(True)
    return font, QFontMetricsF(font), QFontMetricsF(bold)


def _text_width(box: Box, fm: QFontMetricsF, fb: QFontMetricsF) -> float:
    extra = [translate("ArchitecturePanel", STAT_SAMPLE).format(percent=100)] if box.stage is not None else []
    return max([fb.horizontalAdvance(box.lines[0])] + [fm.horizontalAdvance(t) for t in box.lines[1:] + extra])


def fit_layout(desc: NetworkDescription, width: float, height: float, base: QFont) -> tuple[list[list[Box]], QFont]:
    """The boxes and the largest font of :data:`FONT_SIZES` in which every box's lines (and its stat line) fit
    inside it, in full or else compact (:func:`box_lines`), the columns as wide as their text needs (the room left
    over shared out)."""
    for px, compact in ((px, compact) for px in FONT_SIZES for compact in (False, True)):
        font, fm, fb = _fonts(base, px)
        columns = layout_boxes(desc, width, height, compact=compact)
        needs = [max(_text_width(b, fm, fb) for b in col) + 2 * PAD for col in columns]
        columns = layout_boxes(desc, width, height, needs, compact)
        heights = [(len(b.lines) + 1) * fm.lineSpacing() + BAR + 10 for col in columns for b in col]
        if all(b.rect.width() >= _text_width(b, fm, fb) + 2 * PAD and b.rect.height() >= h
               for b, h in zip((b for col in columns for b in col), heights)):
            tallest = max(heights)  # boxes no taller than the tallest text needs, centred where they were
            for col in columns:
                for b in col:
                    if b.rect.height() > tallest:
                        b.rect = QRectF(b.rect.left(), b.rect.center().y() - tallest / 2, b.rect.width(), tallest)
            return columns, font
    return columns, font


def connected(desc: NetworkDescription, src: Box, dst: Box) -> bool:
    """Does ``dst`` read ``src``? Within a tower always; across the towers where the layer is not grouped (conv3
    and the fc layers: the towers exchange there); every box reads a box that spans the towers, and vice versa."""
    if src.tower is None or dst.tower is None or src.tower == dst.tower:
        return True
    return dst.stage is not None and dst.stage.main.groups == 1


class ArchitectureCanvas(QWidget):
    """The drawing; hit-tests boxes for hover and clicks."""

    def __init__(self, panel: "ArchitecturePanel") -> None:
        super().__init__()
        self.panel = panel
        self.columns: list[list[Box]] = []
        self.font_ = QFont(self.font())
        self.hovered: tuple[str, int | None] | None = None
        self.setMouseTracking(True)
        self.setMinimumSize(360, 220)

    # ---------------------------------------------------------------- layout
    def relayout(self) -> None:
        desc = self.panel.description
        if desc is None:
            self.columns = []
        else:
            fm = QFontMetricsF(self.footer_font())
            footer = FOOTER_LINES * (fm.lineSpacing() + 1) + 4
            self.columns, self.font_ = fit_layout(desc, self.width(), self.height() - footer, self.font())
        self.update()

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self.relayout()

    def boxes(self) -> list[Box]:
        return [b for col in self.columns for b in col]

    def box_at(self, pos: QPointF) -> Box | None:
        return next((b for b in self.boxes() if b.rect.contains(pos)), None)

    # ---------------------------------------------------------------- mouse
    def mouseMoveEvent(self, event) -> None:  # noqa: N802
        box = self.box_at(event.position())
        key = box.key if box else None
        if key != self.hovered:
            self.hovered = key
            self.setCursor(Qt.CursorShape.PointingHandCursor if box and box.stage else Qt.CursorShape.ArrowCursor)
            self.update()

    def leaveEvent(self, event) -> None:  # noqa: N802
        self.hovered = None
        self.update()

    def mousePressEvent(self, event) -> None:  # noqa: N802
        box = self.box_at(event.position())
        if box is not None and box.stage is not None and event.button() == Qt.MouseButton.LeftButton:
            self.panel.click_layer(box.stage.name)
            event.accept()
            return
        super().mousePressEvent(event)

    def event(self, event) -> bool:
        if event.type() == event.Type.ToolTip:
            box = self.box_at(QPointF(event.pos()))
            if box is not None:
                QToolTip.showText(event.globalPos(), self.panel.describe(box), self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    # ---------------------------------------------------------------- painting
    def paintEvent(self, event) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor(255, 255, 255))
        desc = self.panel.description
        if desc is None:
            p.setPen(QColor(90, 90, 90))
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                       self.panel.waiting_text)
            return
        self._paint_bands(p, desc)
        self._paint_connections(p, desc)
        for box in self.boxes():
            self._paint_box(p, desc, box)
        self._paint_footer(p, desc)

    def _paint_bands(self, p: QPainter, desc: NetworkDescription) -> None:
        if desc.towers < 2 or not self.columns:
            return
        tops = [b.rect for col in self.columns for b in col if b.tower is not None]
        if not tops:
            return
        font = QFont(self.font_)
        font.setBold(True)
        p.setFont(font)
        for t in range(desc.towers):
            rects = [b.rect for col in self.columns for b in col if b.tower == t]
            top, bottom = min(r.top() for r in rects), max(r.bottom() for r in rects)
            p.fillRect(QRectF(MARGIN, top - 3, self.width() - 2 * MARGIN, bottom - top + 6),
                       QColor(248, 248, 252) if t % 2 == 0 else QColor(252, 249, 244))
            p.save()
            p.translate(MARGIN + BAND_LABEL - 3, (top + bottom) / 2)
            p.rotate(-90)
            p.setPen(QColor(80, 80, 80))
            p.drawText(QRectF(-60, -BAND_LABEL + 2, 120, BAND_LABEL), Qt.AlignmentFlag.AlignCenter,
                       translate("ArchitecturePanel", "GPU {n}").format(n=t + 1))
            p.restore()

    def _paint_connections(self, p: QPainter, desc: NetworkDescription) -> None:
        for left, right in zip(self.columns, self.columns[1:]):
            for dst in right:
                sources = [s for s in left if connected(desc, s, dst)]
                for k, src in enumerate(sources):
                    across = src.tower is not None and dst.tower is not None and src.tower != dst.tower
                    a = QPointF(src.rect.right(), src.rect.center().y())
                    # several lines into one box arrive spread over its left edge, so none hides another
                    spread = (k - (len(sources) - 1) / 2) * min(dst.rect.height() / 4, 14)
                    b = QPointF(dst.rect.left(), dst.rect.center().y() + spread)
                    colour = ACROSS if across else WITHIN
                    p.setPen(QPen(colour, 2.0 if across else 1.4))
                    path = QPainterPath(a)
                    mid = (a.x() + b.x()) / 2
                    path.cubicTo(QPointF(mid, a.y()), QPointF(mid, b.y()), QPointF(b.x() - 4, b.y()))
                    p.setBrush(Qt.BrushStyle.NoBrush)
                    p.drawPath(path)
                    p.setBrush(QBrush(colour))
                    p.setPen(Qt.PenStyle.NoPen)
                    p.drawPolygon(QPolygonF([b, QPointF(b.x() - 6, b.y() - 3.5), QPointF(b.x() - 6, b.y() + 3.5)]))

    def _paint_box(self, p: QPainter, desc: NetworkDescription, box: Box) -> None:
        panel = self.panel
        kind = "input" if box.stage is None else box.stage.main.kind
        selected = box.stage is not None and box.stage.name == panel.selected_stage()
        fill = HOVER if box.key == self.hovered and box.stage is not None else FILL.get(kind, FILL["conv"])
        p.setBrush(QBrush(fill))
        p.setPen(QPen(SELECTED, 2.5) if selected else QPen(EDGE, 1.0))
        p.drawRoundedRect(box.rect, 4, 4)
        font = QFont(self.font_)
        fm = QFontMetricsF(font)
        inner = box.rect.adjusted(PAD, 3, -PAD, -3 - BAR)
        y = inner.top()
        for i, line in enumerate(box.lines):
            f = QFont(font)
            f.setBold(i == 0)
            p.setFont(f)
            p.setPen(QColor(20, 20, 20) if i == 0 else QColor(50, 50, 50))
            p.drawText(QRectF(inner.left(), y, inner.width(), fm.lineSpacing()), Qt.AlignmentFlag.AlignHCenter, line)
            y += fm.lineSpacing()
        if box.stage is None:
            return
        zero = panel.stats.get(box.key)
        # the bar under the text: the share of zeros in grey, the selected unit's place among the box's channels
        bar = QRectF(box.rect.left() + 4, min(y + fm.lineSpacing() + 2, box.rect.bottom() - BAR - 3),
                     box.rect.width() - 8, BAR)
        if zero is not None:
            p.setFont(font)
            p.setPen(QColor(90, 90, 90))
            p.drawText(QRectF(inner.left(), y, inner.width(), fm.lineSpacing()), Qt.AlignmentFlag.AlignHCenter,
                       translate("ArchitecturePanel", STAT_SAMPLE).format(percent=100 * zero))
            p.fillRect(bar, QColor(255, 255, 255))
            p.fillRect(QRectF(bar.left(), bar.top(), bar.width() * zero, bar.height()), ZERO)
            p.setPen(QPen(QColor(170, 170, 170), 0.8))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRect(bar)
        unit = panel.unit_in(box)
        if unit is not None:
            lo, hi = tower_range(desc, box.stage, box.tower)
            x = bar.left() + bar.width() * (unit - lo + 0.5) / max(hi - lo, 1)
            p.setPen(QPen(UNIT, 2.5))
            p.drawLine(QPointF(x, bar.top() - 3), QPointF(x, bar.bottom() + 1))

    def footer_font(self) -> QFont:
        font = QFont(self.font())
        font.setPixelSize(11)
        return font

    def _paint_footer(self, p: QPainter, desc: NetworkDescription) -> None:
        base = self.footer_font()
        fm = QFontMetricsF(base)
        line_h = fm.lineSpacing() + 1
        y = self.height() - FOOTER_LINES * line_h - 2
        p.setFont(base)
        p.setPen(QColor(40, 40, 40))
        w = self.width() - 2 * MARGIN
        p.drawText(QRectF(MARGIN, y, w, line_h), Qt.AlignmentFlag.AlignLeft,
                   fm.elidedText(self.panel.totals_text(), Qt.TextElideMode.ElideRight, w))
        y += line_h
        x = MARGIN
        small = QFont(base)
        p.setFont(small)
        items = [(WITHIN, translate("ArchitecturePanel", "within a tower")),
                 (ACROSS, translate("ArchitecturePanel", "across the towers"))] if desc.towers > 1 else \
            [(WITHIN, translate("ArchitecturePanel", "connection"))]
        for colour, text in items:
            p.setPen(QPen(colour, 2.0))
            p.drawLine(QPointF(x, y + line_h / 2), QPointF(x + 18, y + line_h / 2))
            x += 22
            p.setPen(QColor(60, 60, 60))
            p.drawText(QRectF(x, y, fm.horizontalAdvance(text) + 2, line_h), Qt.AlignmentFlag.AlignLeft, text)
            x += fm.horizontalAdvance(text) + 12
        rest = self.panel.selection_text()
        p.setPen(QColor(60, 60, 60))
        p.drawText(QRectF(x, y, max(self.width() - MARGIN - x, 0), line_h), Qt.AlignmentFlag.AlignLeft,
                   fm.elidedText(rest, Qt.TextElideMode.ElideRight, max(self.width() - MARGIN - x, 0)))


@register_panel("architecture", QT_TRANSLATE_NOOP("Panels", "Architecture (Figure 2)"), area="left", tab_with="curves")
class ArchitecturePanel(QWidget):
    """See the module docstring. ``layer_clicked(name)``: a box was clicked (the window brings the Activation maps
    forward)."""

    layer_clicked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ArchitecturePanel")
        self.lab: Lab | None = None
        self.description: NetworkDescription | None = None
        self.stats: dict[tuple[str, int | None], float] = {}
        self.selected_layer: str | None = None
        self.selected_unit: tuple[str, int] | None = None
        self.waiting_text = self.tr("The network's layers appear here once a model is built or loaded.")
        self._token: int | None = None
        self._stale = False  # a run began: its model is described at its first steps
        self.canvas = ArchitectureCanvas(self)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.canvas, 1)

    # ---------------------------------------------------------------- data in
    def bind(self, lab: "Lab") -> None:
        """The model's description whenever the weights change (and once a run's own model exists), each box's
        sparsity with every probe of the image, the session's selection."""
        self.lab = lab
        s = lab.session
        lab.weights_changed.connect(lambda _info: self.request())
        lab.run_shown.connect(self._on_run_shown)
        lab.steps.connect(lambda _steps: self.request() if self._stale else None)
        lab.analysis_done.connect(self._on_analysis)
        lab.analysis_failed.connect(self._on_failed)
        lab.listen(lab.probe_shown, lambda probe: self.set_activations(probe.activations), "Architecture")
        s.layer_selected.connect(self.show_layer)
        s.unit_selected.connect(self.show_unit)
        self.selected_layer, self.selected_unit = s.selected_layer, s.selected_unit

    def request(self) -> None:
        """Ask the worker for the model's description (not while the window closes: the worker is going)."""
        if self.lab is not None and not self.lab.session.closing:
            self._stale = False
            self._token = self.lab.request_analysis("architecture")

    def _on_run_shown(self, shown) -> None:
        if shown.info is not None:  # the app's own run: its model is built as it starts
            self._stale = True

    def _on_analysis(self, token: int, name: str, payload) -> None:
        if name == "architecture" and token == self._token:
            self._token = None
            self.set_description(payload)

    def _on_failed(self, token: int, name: str, text: str) -> None:
        if name == "architecture" and token == self._token:
            self._token = None
            self.waiting_text = self.tr("The network could not be described: {error}").format(error=text)
            self.canvas.update()

    def set_description(self, desc: NetworkDescription) -> None:
        if desc != self.description:
            self.stats = {}
        self.description = desc
        self.canvas.relayout()

    def set_activations(self, acts) -> None:
        """Each box's sparsity: the share of its ReLU's outputs (its tower's channels) exactly zero for the image."""
        desc = self.description
        if desc is None:
            return
        stats: dict[tuple[str, int | None], float] = {}
        for box in self.canvas.boxes():
            if box.stage is None:
                continue
            act = box.stage.find("relu")
            layer = acts.layers.get(act.name) if act is not None else None
            if layer is None or layer.values.shape[0] != box.stage.main.out_channels:
                continue  # no ReLU (the classifier, a tanh net), or a probe of another model
            lo, hi = tower_range(desc, box.stage, box.tower)
            part = np.asarray(layer.values[lo:hi])
            stats[box.key] = float(np.mean(np.abs(part) < 1e-12)) if part.size else 0.0
        self.stats = stats
        self.canvas.update()

    # ---------------------------------------------------------------- the selection
    def click_layer(self, name: str) -> None:
        """A box clicked: the layer is selected everywhere (the session's selection)."""
        if self.lab is not None:
            self.lab.session.select_layer(name)
        else:
            self.show_layer(name)
        self.layer_clicked.emit(name)

    def show_layer(self, name: str) -> None:
        self.selected_layer = name
        self.canvas.update()

    def show_unit(self, layer: str, unit: int) -> None:
        self.selected_unit = (layer, unit)
        self.selected_layer = layer
        self.canvas.update()

    def selected_stage(self) -> str | None:
        if self.description is None or self.selected_layer is None:
            return None
        stage = self.description.stage_of(self.selected_layer)
        return stage.name if stage else None

    def unit_in(self, box: Box) -> int | None:
        """The selected unit, if it is one of ``box``'s channels (its layer or that layer's ReLU, LRN, pool)."""
        if self.selected_unit is None or box.stage is None or self.description is None:
            return None
        layer, unit = self.selected_unit
        if not any(r.name == layer for r in box.stage.records):
            return None
        lo, hi = tower_range(self.description, box.stage, box.tower)
        return unit if lo <= unit < hi else None

    def boxes(self) -> dict[tuple[str, int | None], Box]:
        return {b.key: b for b in self.canvas.boxes()}

    # ---------------------------------------------------------------- words
    def totals_text(self) -> str:
        d = self.description
        towers = self.tr("one tower") if d.towers == 1 else self.tr("two towers") if d.towers == 2 else \
            self.tr("{n} towers").format(n=d.towers)
        return self.tr("{model}, {towers}: {parameters:,} parameters · {neurons:,} neurons · {macs:.2f} G multiply-adds "
                       "per image").format(model=d.model, towers=towers, parameters=d.total_params,
                                           neurons=d.total_neurons, macs=d.total_macs / 1e9)

    def selection_text(self) -> str:
        parts = []
        if self.selected_layer:
            parts.append(self.tr("selected: {layer}").format(layer=self.selected_layer))
        if self.selected_unit:
            layer, unit = self.selected_unit
            parts.append(self.tr("unit {unit} of {layer} (red mark)").format(unit=unit + 1, layer=layer))
        return " · ".join(parts) if parts else self.tr("hover a box for its figures; click it for its maps")

    def describe(self, box: Box) -> str:
        """A box's tooltip: the layer's figures (parameters, neurons, multiply-adds) and what follows it."""
        d = self.description
        if box.stage is None:
            note = " " + self.tr("(the paper says 224×224; conv1's arithmetic needs 227)") if d.model == "paper" and \
                d.input_size == 227 else ""
            return self.tr("<b>input</b>: {shape}").format(shape=_shape(d.input_shape)) + note
        m = box.stage.main
        lo, hi = tower_range(d, box.stage, box.tower)
        rows = []
        where = ""
        if box.tower is not None:
            half = self.tr("GPU {n}'s half: kernels {first}–{last} of {count}") if m.kind == "conv" else \
                self.tr("GPU {n}'s half: units {first}–{last} of {count}")
            where = " — " + half.format(n=box.tower + 1, first=lo + 1, last=hi, count=m.out_channels)
        rows.append(f"<b>{m.name}</b>{where}")
        if m.kind == "conv":
            (kh, kw), (s, _), (pad, _) = m.kernel_size, m.stride, m.padding
            per_kernel = m.in_channels // m.groups
            if m.groups > 1:
                reads = self.tr("{groups} groups: each kernel sees the {maps} maps of its own tower").format(
                    groups=m.groups, maps=per_kernel)
            elif d.towers > 1 and m.name != d.stages()[0].name:
                reads = self.tr("every kernel sees all {maps} maps of both towers (the towers exchange here)").format(
                    maps=m.in_channels)
            else:
                reads = self.tr("every kernel sees all {maps} input maps").format(maps=m.in_channels)
            rows.append(self.tr("{count} kernels {kh}×{kw}×{depth}, stride {s}, padding {pad}; {reads}").format(
                count=m.out_channels, kh=kh, kw=kw, depth=per_kernel, s=s, pad=pad, reads=reads))
        else:
            reads = " " + self.tr("(each half reads both towers)") if box.tower is not None else ""
            rows.append(self.tr("fully connected: {inputs:,} → {outputs:,}").format(
                inputs=m.in_channels, outputs=m.out_channels) + reads)
        rows.append(self.tr("output {shape}").format(shape=_shape(m.output_shape)))
        rows.append(self.tr("parameters {params:,} · neurons {neurons:,} · multiply-adds {macs:,} per image").format(
            params=m.params, neurons=m.neurons, macs=m.macs)
                    + (" " + self.tr("(the whole layer, both towers)") if box.tower is not None else ""))
        then = []
        for r in (*box.stage.after,):
            if r.kind == "lrn":
                then.append(self.tr("LRN (each tower its own maps)") if r.groups > 1 else
                            self.tr("LRN (across all maps)"))
            elif r.kind in ("maxpool", "avgpool"):
                (k, _), (s, _) = r.kernel_size, r.stride
                pool = self.tr("max-pool {k}×{k} stride {s} → {shape}") if r.kind == "maxpool" else \
                    self.tr("average-pool {k}×{k} stride {s} → {shape}")
                then.append(pool.format(k=k, s=s, shape=_shape(r.output_shape))
                            + (" " + self.tr("(overlapping)") if k > s else ""))
            elif r.kind == "dropout":
                then.append(self.tr("dropout {p:g}").format(p=r.dropout))
            elif r.kind in ("relu", "tanh"):
                then.append("ReLU" if r.kind == "relu" else "tanh")
        before = [self.tr("dropout {p:g} on its input").format(p=r.dropout) for r in box.stage.before
                  if r.kind == "dropout"]
        if before:
            rows.append(self.tr("before: {what}").format(what=", ".join(before)))
        if then:
            rows.append(self.tr("then: {what}").format(what=" → ".join(then)))
        zero = self.stats.get(box.key)
        tip = tr_core(STAT_TIP)
        if zero is not None:
            rows.append(self.tr("zero {percent:.1f}%: {tip}").format(percent=100 * zero, tip=tip))
        elif box.stage.find("relu") is not None:
            rows.append(self.tr("(with an image shown: {tip})").format(tip=tip))
        unit = self.unit_in(box)
        if unit is not None:
            rows.append("<span style='color:#c81e1e'>" + self.tr("selected: unit {unit} (the red mark)").format(
                unit=unit + 1) + "</span>")
        rows.append("<i>" + (self.tr("click: show its activation maps for the current image") if m.kind == "conv" else
                             self.tr("click: show its values, one bar per unit, for the current image")) + "</i>")
        return "<br>".join(rows)
