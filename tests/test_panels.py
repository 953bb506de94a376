"""Panels fed with payload dataclasses directly (no threads)."""

import numpy as np
import pytest

from train_backend.io.checkpoints import InputSpec, untrained_weights
from train_backend.payloads import RunInfo, StepMetrics, ValidationResult
from train_backend.models.lrn import local_response_norm
from train_backend.analysis.probes import kernel_snapshot, probe_image
from tests.imagefiles import gradient_rgb

pytestmark = pytest.mark.gui


@pytest.fixture(scope="module")
def probe():
    w = untrained_weights("paper", num_classes=8, classes=[f"c{i}" for i in range(8)],
                          input_spec=InputSpec(67, 3, (0.5,) * 3, (0.25,) * 3), width=0.25, hidden=32, init="kaiming")
    return w, probe_image(w, gradient_rgb(90, 80))


def info(schedule="step", start_step=0):
    return RunInfo("cpu", "CPU", None, "paper", 1, "synthetic", "generated", ("a",), 10, 5, 5, 100, start_step, 0,
                   {"schedule": schedule, "recipe": "test"}, None)


def shown(run_info):
    """What the lab sends the curves as the app's own run starts."""
    from train_backend.payloads import RunShown

    return RunShown("run", run_info.config, run_info.start_step, run_info)


def steps(a, b, lr=lambda s: 0.01):
    return tuple(StepMetrics(s, 0, s, 100, 10**6, 2.0 / (1 + s / 100), 0.5, lr(s), 100.0, float(s), 10.0)
                 for s in range(a, b))


def test_curves_bounded_memory_lr_marks_and_hover(qtbot, tmp_path):
    from alexnet_gui.panels import CurvesPanel

    p = CurvesPanel(max_points=500)
    qtbot.addWidget(p)
    p.show_run(shown(info("step")))
    for a in range(1, 20_001, 1000):
        p.add_steps(steps(a, a + 1000, lr=lambda s: 0.01 if s < 12_000 else 0.001))
    assert p.loss.total_added == 20_000
    assert len(p.loss) <= 501 and p.loss.x[-1] == pytest.approx(20_000, abs=p.loss.stride)
    assert [round(s) for s, _ in p.lr_marks] == [12_000]
    p.add_validation(ValidationResult(0, 5000, 1.5, 0.4, 0.1, np.eye(2, dtype=np.int64), 10, False, True))
    text = p.describe_step(5000)
    assert "step" in text and "top-1 40.00%" in text and "lr drops at step 12,000" in text
    p.export_csv(str(tmp_path / "c.csv"))
    rows = (tmp_path / "c.csv").read_text().splitlines()
    assert rows[0].startswith("kind,step,loss") and rows[-1].startswith("validation,5000")
    p.export_png(str(tmp_path / "c.png"), width=800)
    from PIL import Image

    assert Image.open(tmp_path / "c.png").width == 800


def test_cosine_schedule_marks_no_drops(qtbot):
    from alexnet_gui.panels import CurvesPanel

    p = CurvesPanel()
    qtbot.addWidget(p)
    p.show_run(shown(info("cosine")))
    p.add_steps(steps(1, 200, lr=lambda s: 0.01 * 0.5 * (1 + np.cos(np.pi * s / 200))))
    assert p.lr_marks == []


def test_d2l_recipe_gets_d2ls_per_epoch_plot_with_the_published_figure(qtbot, tmp_path):
    """Train loss and accuracy as running means through each epoch, test accuracy per epoch, 0.88 marked."""
    from dataclasses import replace

    from alexnet_gui.panels import CurvesPanel
    from train_backend.payloads import EpochMetrics

    p = CurvesPanel()
    qtbot.addWidget(p)
    p.show()
    p.show_run(shown(info("cosine")))
    assert not p.plot_epoch.isVisible() and p.plot_err.isVisible()
    p.show_run(shown(replace(info("constant"), config={"schedule": "constant", "recipe": "d2l"})))
    assert p.plot_epoch.isVisible() and not p.plot_err.isVisible()
    assert p.ref_line.isVisible() and p.ref_line.value() == pytest.approx(0.88)
    assert "0.88 test accuracy" in p.ref_line.label.format
    # epoch 0: two reports of 50 steps (loss 2 then 1, accuracy 0.2 then 0.6); epoch 1 starts afresh
    p.add_steps((StepMetrics(50, 0, 50, 100, 200, 2.0, 0.2, 0.01, 1.0, 1.0, None),
                 StepMetrics(100, 0, 100, 100, 200, 1.0, 0.6, 0.01, 1.0, 1.0, None),
                 StepMetrics(150, 1, 50, 100, 200, 0.5, 0.9, 0.01, 1.0, 1.0, None)))
    assert list(p.epoch_train_loss.x) == [0.5, 1.0, 1.5]
    assert list(p.epoch_train_loss.y) == pytest.approx([2.0, 1.5, 0.5])
    assert list(p.epoch_train_acc.y) == pytest.approx([0.2, 0.4, 0.9])
    p.add_epoch(EpochMetrics(0, 100, 1.5, 0.6, 0.9, 0.3, 0.05, 0.01, 10.0))
    p._redraw()
    assert p.epoch_test_acc == [(1.0, pytest.approx(0.7))]
    x, y = p.c_epoch_test_acc.getData()
    assert list(x) == [1.0] and list(y) == pytest.approx([0.7])
    p.export_csv(str(tmp_path / "c.csv"))
    assert (tmp_path / "c.csv").read_text().splitlines()[-1].startswith("epoch,100,1.500000,,0.600000,0.900000")


def test_curves_follow_the_run_in_steps_until_the_user_zooms(qtbot):
    from alexnet_gui.panels import CurvesPanel
    from alexnet_gui.panels.curves import headroom_ceil, nice_ceil

    assert [nice_ceil(v) for v in (0.7, 1, 57.5, 120, 250, 251, 1001)] == [1, 1, 100, 200, 250, 500, 2000]
    assert headroom_ceil(2.3) == pytest.approx(2.5) and headroom_ceil(0.71) == pytest.approx(0.75)

    p = CurvesPanel()
    qtbot.addWidget(p)
    p.show_run(shown(info("cosine")))
    p.add_steps(steps(1, 60))
    p._redraw()
    (x0, x1), (y0, y1) = p.plot_loss.vb.viewRange()
    assert (x0, x1) == (0, 100) and y0 == 0 and y1 >= 2.0 / (1 + 1 / 100)  # all the data, x to a round number
    assert p.plot_err.vb.viewRange()[1] == [0, 100]
    picture = p.plot_loss.getAxis("bottom").picture
    p.add_steps(steps(60, 80))
    p._redraw()
    assert p.plot_loss.vb.viewRange()[0] == [0, 100]  # still fits: the range (and the cached axis) stay
    assert p.plot_loss.getAxis("bottom").picture is picture
    p.add_steps(steps(80, 130))
    p._redraw()
    assert p.plot_loss.vb.viewRange()[0] == [0, 200]  # outgrown: the next round number

    p.plot_loss.vb.sigRangeChangedManually.emit([True, True])  # what a mouse pan or zoom emits
    p.plot_loss.setXRange(10, 20, padding=0)
    p.add_steps(steps(130, 300))
    p._redraw()
    assert not p.following and p.plot_loss.vb.viewRange()[0] == pytest.approx([10, 20])
    p.plot_loss.enableAutoRange()  # the plot's "A" button
    p._redraw()
    assert p.following and p.plot_loss.vb.viewRange()[0] == [0, 500]


def test_kernels_panel_towers_hover_select_and_change(qtbot, probe):
    from alexnet_gui.panels import KernelsPanel

    w, _ = probe
    k = KernelsPanel()
    qtbot.addWidget(k)
    snap = kernel_snapshot(w.model)
    k.set_snapshot(snap)
    assert k.views[0].isVisibleTo(k) and k.views[1].isVisibleTo(k)
    assert "GPU 1" in k.titles[0].text() and "kernels 1–12" in k.titles[0].text()
    assert "kernel 13 (GPU 2)" in k.describe(1, 0)
    k.select(1, 3)
    assert "kernel 16" in k.zoom_label.text()
    w2 = snap.weights.copy()
    w2[0] += 0.5
    from dataclasses import replace

    k.set_snapshot(replace(snap, weights=w2, step=10))
    assert k.change_fraction() > 0
    assert "since the run started" in k.step_label.text()
    k.mode.setCurrentIndex(k.mode.findData("change"))
    changed = k.display.tiles[0][0]
    assert changed.std() < 1e-6  # kernel 1 moved uniformly: one flat colour in the change view
    tv = untrained_weights("torchvision", num_classes=3, classes=["a", "b", "c"])
    k.set_snapshot(kernel_snapshot(tv.model))
    assert not k.views[1].isVisibleTo(k) and "conv1" in k.titles[0].text()


def test_activations_panel_layers(qtbot, probe):
    from alexnet_gui.panels import ActivationsPanel

    _, pr = probe
    a = ActivationsPanel()
    qtbot.addWidget(a)
    a.set_activations(pr.activations)
    assert a.layer.count() == 20 and a.layer.currentText() == "conv1"
    assert "conv1" in a.stats.text() and "24×15×15" in a.stats.text()
    a.layer.setCurrentText("fc6")
    assert "a vector" in a.stats.text()
    a.shared.setChecked(False)
    a.layer.setCurrentText("relu2")
    a._show_channel(3)
    assert "channel 4" in a.map_label.text()


def test_lrn_panel_sliders_rerun_the_normalisation(qtbot, probe):
    from alexnet_gui.panels import LRNPanel

    _, pr = probe
    p = LRNPanel()
    qtbot.addWidget(p)
    p.set_snapshots(pr.lrn)
    snap = pr.lrn["lrn1"]
    np.testing.assert_array_equal(p.post_live, snap.post)  # the model's own constants: its own output
    assert "k = 2.0, n = 5, α = 1.0e-04, β = 0.75" in p.formula.text()
    half = snap.pre.shape[0] // 2
    assert "inside the channel's tower" in p.formula.text() and f"1–{half} | {half + 1}–{2 * half}" in p.formula.text()
    p.set_params(k=1.0, beta=1.0)
    torch = __import__("torch")
    want = torch.cat([local_response_norm(torch.from_numpy(half), size=5, alpha=1e-4, beta=1.0, k=1.0)
                      for half in np.split(snap.pre, snap.params["groups"])])  # each tower on its own
    np.testing.assert_allclose(p.post_live, want.numpy(), rtol=1e-5, atol=1e-6)
    assert "k = 1.0" in p.formula.text() and "β = 1.00" in p.formula.text()
    p.set_params(convention="pytorch")
    assert "α/n" in p.formula.text()
    p.reset_params()
    np.testing.assert_array_equal(p.post_live, snap.post)
    p._on_busiest()
    assert p.channel.value() == int(np.argmax(snap.pre_stats.mean)) + 1
    assert "post/pre ratio" in p.figures.text()
    p.set_snapshots({})
    assert p.empty_note.isVisibleTo(p)


def test_predictions_panel(qtbot, probe):
    from alexnet_gui.panels import PredictionsPanel

    _, pr = probe
    p = PredictionsPanel()
    qtbot.addWidget(p)
    p.set_image(gradient_rgb(), "x.png")
    p.set_prediction(pr.prediction)
    assert p.banner.isVisibleTo(p)
    assert p.names[0].text() == pr.prediction.classes[0]
    assert p.bars[0].format().endswith("%")
    p.show_error("cannot load image 'y.jpg': the file is empty")
    assert p.error.isVisibleTo(p)


def test_the_kernels_panel_gives_the_grids_the_width_until_a_kernel_is_enlarged(qtbot, probe):
    """An empty "click a kernel to enlarge it" column took a quarter of the panel's width from the grids."""
    from alexnet_gui.panels import KernelsPanel

    w, _ = probe
    k = KernelsPanel()
    qtbot.addWidget(k)
    k.resize(700, 320)
    k.show()
    k.set_snapshot(kernel_snapshot(w.model))
    qtbot.wait(20)
    assert not k.zoom_column.isVisible()
    assert sum(v.width() for v in k.views) > 0.9 * k.width()
    assert "click one to enlarge it" in k.info.text()
    k.select(0, 2)
    qtbot.wait(20)
    assert k.zoom_column.isVisible() and "kernel 3" in k.zoom_label.text()
    k.set_snapshot(kernel_snapshot(w.model))  # a new snapshot keeps it enlarged
    assert k.zoom_column.isVisible()
    k.unselect()
    qtbot.wait(20)
    assert not k.zoom_column.isVisible() and k.selected is None
