"""The Explain panel in the real window: Grad-CAM follows a class clicked in the top-5, guided backprop and
occlusion draw over the crop the network sees, occlusion reports progress and can be cancelled, and a bad request
gets one message."""

from tests.imagefiles import gradient_rgb


def _ready(qtbot, window):
    window.lab.show_image(gradient_rgb(), "gradient")
    qtbot.waitUntil(lambda: window.predictions.prediction is not None and window.lab.probe_idle(), timeout=30_000)
    window.docks["explain"].raise_()
    return window.panels["explain"]


def test_a_class_clicked_in_the_top5_is_explained_with_gradcam(qtbot, window):
    panel = _ready(qtbot, window)
    pred = window.predictions.prediction
    window.predictions._on_class_clicked(2)  # the third class of the top-5
    qtbot.waitUntil(lambda: panel.result is not None and panel.result.class_index == pred.indices[2],
                    timeout=30_000)
    r = panel.result
    assert r.method == "gradcam" and r.layer == "conv5" and r.heat.shape == r.image.shape[:2]
    assert 0.0 <= r.heat.min() and r.heat.max() <= 1.0
    assert r.class_name == pred.classes[2] and panel.target.currentData() == pred.indices[2]
    assert "Grad-CAM at conv5" in panel.caption.text() and pred.classes[2] in panel.caption.text()
    panel.opacity.setValue(25)
    assert abs(panel.heat.opacity() - 0.25) < 1e-6
    panel.layer.setCurrentText("conv3")  # a change of layer asks again
    qtbot.waitUntil(lambda: panel.result.layer == "conv3", timeout=30_000)


def test_guided_backprop_and_occlusion_with_progress(qtbot, window):
    panel = _ready(qtbot, window)
    panel.method.setCurrentText("Guided backprop")
    qtbot.waitUntil(lambda: panel.result is not None and panel.result.method == "saliency", timeout=30_000)
    panel.method.setCurrentText("Occlusion")
    assert panel.patch.isEnabled() and not panel.layer.isEnabled()
    panel.patch.setValue(24)
    panel.stride.setValue(16)
    seen = []
    window.lab.worker.sig_analysis_progress.connect(lambda t, d, n: seen.append((d, n)))
    panel.explain()
    assert panel.cancel.isEnabled() and panel.progress.isVisible()
    qtbot.waitUntil(lambda: panel.result.method == "occlusion", timeout=60_000)
    assert panel.result.patch == 24 and panel.result.stride == 16 and not panel.progress.isVisible()
    assert seen and seen[-1][0] == seen[-1][1]


def test_cancel_and_bad_requests_leave_the_panel_usable(qtbot, window):
    panel = _ready(qtbot, window)
    panel.method.setCurrentText("Occlusion")
    panel.stride.setValue(2)  # many positions: long enough to cancel
    panel.explain()
    panel._cancel()
    qtbot.waitUntil(lambda: panel.token is None, timeout=60_000)
    assert panel.caption.text() == "cancelled" and not panel.cancel.isEnabled()
    panel.method.setCurrentText("Grad-CAM")
    panel.layer.addItem("fc7")
    panel.layer.setCurrentText("fc7")  # not a layer with maps
    qtbot.waitUntil(lambda: panel.token is None and panel.caption.text().startswith("could not explain"),
                    timeout=30_000)
    assert "fc7" in panel.caption.text()
    panel.layer.setCurrentText("conv5")
    qtbot.waitUntil(lambda: panel.result is not None and panel.result.layer == "conv5", timeout=30_000)
