"""Readable panels (issue 23): colour scales with units, legends outside the data, fully connected layers as bars,
labels that keep their contrast, empty states without nonsense axes, tick labels that never collide, ranges that
follow the data, and spin boxes without "900.000000". Panels are fed payloads directly (no threads)."""

from dataclasses import replace

import numpy as np
import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage, QPainter

from train_backend.analysis.probes import kernel_snapshot, probe_image
from train_backend.io.checkpoints import InputSpec, untrained_weights
from train_backend.payloads import ValidationResult
from tests.imagefiles import gradient_rgb

pytestmark = pytest.mark.gui


@pytest.fixture(scope="module")
def probe():
    w = untrained_weights("paper", num_classes=8, classes=[f"c{i}" for i in range(8)],
                          input_spec=InputSpec(67, 3, (0.5,) * 3, (0.25,) * 3), width=0.25, hidden=32, init="kaiming")
    return w, probe_image(w, gradient_rgb(90, 80))


def _shown(qtbot, widget, width=500, height=400):
    qtbot.addWidget(widget)
    widget.resize(width, height)
    widget.show()
    qtbot.wait(30)
    return widget


def _label_rects(axis) -> list[tuple[QRectF, str]]:
    """The tick labels an axis would draw now: pyqtgraph's own draw specs."""
    img = QImage(8, 8, QImage.Format.Format_ARGB32)
    p = QPainter(img)
    try:
        _, _, texts = axis.generateDrawSpecs(p)
    finally:
        p.end()
    return [(rect, text) for rect, _, text in texts]


def _assert_apart(axis) -> list[str]:
    labels = _label_rects(axis)
    for i, (a, ta) in enumerate(labels):
        for b, tb in labels[i + 1:]:
            assert not a.intersects(b), f"tick labels {ta!r} and {tb!r} overlap on the {axis.orientation} axis"
    return [t for _, t in labels]


# ---------------------------------------------------------------------------------------------- colour scales
def test_the_kernels_have_a_colour_scale_in_weights_that_follows_the_mode(qtbot, probe):
    from alexnet_gui.panels import KernelsPanel

    w, _ = probe
    k = _shown(qtbot, KernelsPanel(), 700, 360)
    snap = kernel_snapshot(w.model)
    k.set_snapshot(snap)
    m = float(np.abs(snap.weights).max())
    assert k.colour_scale.shown_range() == pytest.approx((-m, m))
    assert k.colour_scale.label().startswith("weight") and k.colour_scale_view.isVisible()
    k.mode.setCurrentIndex(k.mode.findData("per_kernel"))
    assert k.colour_scale.shown_range() == pytest.approx((-1, 1)) and "its kernel's largest" in k.colour_scale.label()
    w2 = snap.weights.copy()
    w2[0] += 0.25
    k.mode.setCurrentIndex(k.mode.findData("change"))
    k.set_snapshot(replace(snap, weights=w2, step=5))
    assert k.colour_scale.label().startswith("Δ weight") and k.colour_scale.shown_range() == pytest.approx((-0.25, 0.25))


def test_activation_maps_have_colour_scales_in_activation_units(qtbot, probe):
    from alexnet_gui.panels import ActivationsPanel

    _, pr = probe
    a = _shown(qtbot, ActivationsPanel())
    a.set_activations(pr.activations)
    v = pr.activations.layers["conv1"].values
    assert a.colour_scale.label() == "activation"
    assert a.colour_scale.shown_range() == pytest.approx((v.min(), v.max()))
    assert a.map_scale.shown_range() == pytest.approx((v[0].min(), v[0].max()))
    a.layer.setCurrentText("conv2")
    v2 = pr.activations.layers["conv2"].values
    assert a.colour_scale.shown_range() == pytest.approx((v2.min(), v2.max()))  # follows the layer shown
    a.shared.setChecked(False)
    assert a.colour_scale.shown_range() == pytest.approx((0, 1)) and "stretched" in a.colour_scale.label()


def test_lrn_maps_have_colour_scales_and_follow_k(qtbot, probe):
    from alexnet_gui.panels import LRNPanel

    _, pr = probe
    p = _shown(qtbot, LRNPanel(), 700, 420)
    p.set_snapshots(pr.lrn)
    c = p.channel.value() - 1
    pre = pr.lrn[p.layer.currentText()].pre[c]
    assert p.colour_scale.shown_range()[1] == pytest.approx(max(pre.max(), p.post_live[c].max()))
    assert "activation" in p.colour_scale.label() and p.diff_scale.label() == "after − before"
    lo, hi = p.diff_scale.shown_range()
    assert lo == pytest.approx(-hi) and hi == pytest.approx(np.abs(p.post_live[c] - pre).max())


def test_lrn_histogram_range_follows_the_values_after_every_change(qtbot, probe):
    """k = 0.1 makes "after" ≈ 0.1^-0.75 = 5.6 × "before": the histogram kept the range of "before"."""
    from alexnet_gui.panels import LRNPanel

    _, pr = probe
    p = _shown(qtbot, LRNPanel(), 700, 420)
    p.set_snapshots(pr.lrn)
    p._on_busiest()
    for k in (0.1, 2.0, 10.0):
        p.set_params(k=k)
        qtbot.wait(10)
        c = p.channel.value() - 1
        top = float(max(p.post_live[c].max(), pr.lrn[p.layer.currentText()].pre[c].max()))
        x, _ = p.h_post.getData()
        assert x.max() == pytest.approx(top, rel=1e-6)  # the bins reach the largest value
        x0, x1 = p.hist.getPlotItem().vb.viewRange()[0]
        assert x0 <= 0 + 1e-9 and top <= x1 <= 1.1 * top  # the view shows them, and no more than them
        assert p.colour_scale.shown_range()[1] == pytest.approx(top)


def test_explain_overlays_have_a_colour_scale_named_by_method(qtbot):
    from alexnet_gui.panels import ExplainPanel
    from train_backend.analysis.explain import ExplanationMap

    p = _shown(qtbot, ExplainPanel())
    heat = np.linspace(0, 1, 64 * 64, dtype=np.float32).reshape(64, 64)
    image = np.zeros((64, 64, 3), np.uint8)
    r = ExplanationMap("gradcam", "conv5", 1, "b", 0.4, heat, image, heat[:8, :8], "centre",
                       ((1, "b", 0.4),), False)
    p.show_result(r)
    assert p.colour_scale.label().startswith("Grad-CAM (relative") and p.colour_scale.shown_range() == (0.0, 1.0)
    p.show_result(replace(r, method="occlusion", layer="input", patch=16, stride=8))
    assert "drop in the class's p" in p.colour_scale.label()


# ---------------------------------------------------------------------------------------------- legends
def _outside(legend, plot) -> None:
    assert legend.isVisible() and legend.items, "the legend is shown and lists the curves"
    assert not legend.sceneBoundingRect().intersects(plot.vb.sceneBoundingRect()), "the legend covers the data"


def test_curve_legends_sit_outside_the_data(qtbot):
    from alexnet_gui.panels import CurvesPanel
    from tests.test_panels import info, shown, steps

    p = _shown(qtbot, CurvesPanel(), 420, 520)
    p.show_run(shown(info("step")))
    p.add_steps(steps(1, 200))
    p._redraw()
    qtbot.wait(20)
    _outside(p.legends[0], p.plot_loss)
    _outside(p.legends[1], p.plot_err)
    assert [item.text for _, item in p.legends[1].items] == ["train top-1 (smoothed)", "val top-1", "val top-5"]
    # a narrow panel: the legend wraps instead of widening the plot past the window
    p.resize(260, 520)
    qtbot.wait(30)
    _outside(p.legends[1], p.plot_err)
    assert p.plot_err.sceneBoundingRect().right() <= p.graphics.width()


def test_the_experiment_and_lrn_legends_sit_outside_the_data(qtbot, probe):
    from alexnet_gui.panels import LRNPanel
    from alexnet_gui.panels.experiments import ExperimentsPanel

    e = _shown(qtbot, ExperimentsPanel())
    e.plot.plot([0, 10, 20], [0.9, 0.5, 0.4], name="paper (LRN)")
    e.plot.plot([0, 10, 20], [0.9, 0.6, 0.5], name="no LRN")
    qtbot.wait(20)
    _outside(e.legend, e.plot.getPlotItem())
    _, pr = probe
    lrn = _shown(qtbot, LRNPanel(), 700, 420)
    lrn.set_snapshots(pr.lrn)
    qtbot.wait(20)
    _outside(lrn.hist_legend, lrn.hist.getPlotItem())


# ---------------------------------------------------------------------------------------------- vector layers
def test_fully_connected_layers_are_drawn_as_one_bar_per_unit(qtbot, probe):
    from alexnet_gui.panels import ActivationsPanel

    _, pr = probe
    a = _shown(qtbot, ActivationsPanel())
    a.set_activations(pr.activations)
    assert a.maps_stack.currentWidget() is a.grid
    for name in ("fc6", "fc8"):
        a.layer.setCurrentText(name)
        v = pr.activations.layers[name].values
        assert a.maps_stack.currentWidget() is a.bar_plot and a.bar_plot.isVisible() and not a.grid.isVisible()
        heights = a.unit_bars.opts["height"]
        assert len(heights) == v.size and np.allclose(heights, v)
        assert "one bar per unit" in a.stats.text()
    a.layer.setCurrentText("conv2")
    assert a.maps_stack.currentWidget() is a.grid and a.side.isVisible()


# ---------------------------------------------------------------------------------------------- contrast
def test_figure4_labels_stay_dark_on_the_track_and_light_on_the_red_bar(qtbot):
    """The true class's label was white when p > 0.5, also where it ran past its bar onto the light track."""
    from alexnet_gui.panels.figure4 import (BAR_COLOUR, TRACK_COLOUR, TRUE_COLOUR, Top5Bars, contrast_ratio,
                                            text_colour_on)

    for background in (TRUE_COLOUR, BAR_COLOUR, TRACK_COLOUR):
        assert contrast_ratio(text_colour_on(background), background) >= 4.5  # WCAG AA for normal text
    bars = _shown(qtbot, Top5Bars(), 160, 75)
    bars.set_rows([("horizontal stripes", 0.52, True), ("zebra", 0.3, False)])
    qtbot.wait(10)
    img = bars.grab().toImage()
    track = QColor(TRACK_COLOUR)
    end = int(bars.width() * 0.52)
    past = [QColor(img.pixel(x, y)) for x in range(end + 2, bars.width() - 3) for y in range(2, 13)]
    assert any(c.lightness() < 100 for c in past), "the label goes on past the bar (the test needs that)"
    assert not any(c.lightness() > track.lightness() + 6 for c in past), "light text on the light track"
    inside = [QColor(img.pixel(x, y)) for x in range(3, end - 2) for y in range(2, 13)]
    assert any(c.lightness() > 200 for c in inside), "the text over the red bar is light"


# ---------------------------------------------------------------------------------------------- empty states
def test_evaluation_shows_an_empty_state_not_meaningless_axes(qtbot):
    from alexnet_gui.panels.evaluation import EvaluationPanel

    p = _shown(qtbot, EvaluationPanel(), 700, 420)
    assert p.empty_state.isVisible() and "No evaluation yet" in p.empty_state.text()
    assert not p.heat_plot.isVisible() and not p.acc_plot.isVisible()
    conf = np.array([[5, 1, 0], [2, 3, 1], [0, 0, 6]], np.int64)
    p.set_result(ValidationResult(0, 10, 0.9, 0.3, 0.0, conf, 18, False, False))
    qtbot.wait(20)
    assert not p.empty_state.isVisible() and p.heat_plot.isVisible() and p.acc_plot.isVisible()
    for axis in (p.heat_plot.getAxis("left"), p.heat_plot.getAxis("bottom")):
        assert "x0.001" not in axis.labelString() and axis.autoSIPrefixScale == 1.0


# ---------------------------------------------------------------------------------------------- ticks
def test_accuracy_tick_labels_never_collide_on_a_narrow_plot(qtbot):
    """A 130-px accuracy axis read "0.20.40.60.8"."""
    from alexnet_gui.panels.evaluation import EvaluationPanel

    p = _shown(qtbot, EvaluationPanel(), 700, 420)
    conf = np.diag([3, 4, 5]).astype(np.int64)
    p.set_result(ValidationResult(0, 10, 0.9, 0.0, 0.0, conf, 12, False, False))
    for width in (90, 130, 200):
        p.body.setSizes([300, width, 200])
        qtbot.wait(20)
        shown = _assert_apart(p.acc_plot.getAxis("bottom"))
        assert len(shown) >= 1


@pytest.mark.parametrize("span", [(0.0, 1.0), (0.0, 100.0), (0.0, 20_000.0), (1e5, 1.2e6), (-0.004, 0.004)])
def test_readable_axis_labels_keep_apart_at_any_width(qtbot, span):
    import pyqtgraph as pg

    from alexnet_gui.widgets.axes import ReadableAxis

    for width in (70, 110, 160, 260, 420):
        plot = pg.PlotWidget(axisItems={"bottom": ReadableAxis("bottom"), "left": ReadableAxis("left")})
        qtbot.addWidget(plot)
        plot.resize(width, max(60, width // 2))
        plot.setXRange(*span, padding=0.02)
        plot.setYRange(*span, padding=0.02)
        plot.show()
        qtbot.wait(5)
        bottom = plot.getAxis("bottom")
        shown = _assert_apart(bottom)
        assert shown or bottom.width() < 80, f"no label at all on a {bottom.width():.0f}-px axis"
        _assert_apart(plot.getAxis("left"))


def test_curve_ticks_keep_apart_on_a_narrow_panel(qtbot):
    from alexnet_gui.panels import CurvesPanel
    from tests.test_panels import info, shown, steps

    p = _shown(qtbot, CurvesPanel(), 230, 360)
    p.show_run(shown(info("step")))
    p.add_steps(steps(1, 12_000, lr=lambda s: 0.01))
    p._redraw()
    qtbot.wait(20)
    for plot in (p.plot_loss, p.plot_err):
        _assert_apart(plot.getAxis("bottom"))
        _assert_apart(plot.getAxis("left"))


# ---------------------------------------------------------------------------------------------- spin boxes
def test_settings_spin_boxes_show_the_decimals_a_value_needs(qtbot):
    from alexnet_gui.widgets.settings_dialog import FloatSpinBox, SettingsDialog, compact_number
    from train_backend.config import TrainConfig

    assert [compact_number(v) for v in (900.0, 0.01, 5e-4, 1e-7, 0.75, 2.0, -0.0)] == \
        ["900", "0.01", "0.0005", "0.0000001", "0.75", "2", "0"]
    cfg = TrainConfig().replace(lr=0.01, weight_decay=5e-4)
    dlg = SettingsDialog(cfg, ["auto", "cpu"])
    qtbot.addWidget(dlg)
    lr, wd = dlg.rows["lr"].widget, dlg.rows["weight_decay"].widget
    assert isinstance(lr, FloatSpinBox)
    assert lr.text() == "0.01" and wd.text() == "0.0005"
    assert dlg.value("lr") == 0.01 and dlg.value("weight_decay") == 5e-4  # not rounded
    floats = [row.widget for row in dlg.rows.values() if isinstance(row.widget, FloatSpinBox)]
    assert floats and not any(w.text().endswith("000000") for w in floats)
    budget = dlg.rows["time_budget_s"].widget
    budget.setValue(900)
    assert budget.text() == "900"
    # typed in: plain, with an exponent, and half-typed
    box = FloatSpinBox()
    qtbot.addWidget(box)
    box.setRange(0, 1)
    assert box.valueFromText("5e-4") == 5e-4
    from PySide6.QtGui import QValidator

    assert box.validate("5e-4", 4)[0] == QValidator.State.Acceptable
    assert box.validate("5e-", 3)[0] == QValidator.State.Intermediate
    assert box.validate("abc", 3)[0] == QValidator.State.Invalid
    box.lineEdit().setText("2.5e-3")
    box.interpretText()
    assert box.value() == 0.0025 and box.text() == "0.0025"
