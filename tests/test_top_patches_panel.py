"""Top patches from the window: a clicked conv map selects the unit in the session; the panel searches the data
set on the worker with progress and a Cancel, and draws the nine patches the core found."""

from tests.imagefiles import gradient_rgb


def _probe(qtbot, window):
    window.lab.show_image(gradient_rgb(), "gradient")
    qtbot.waitUntil(lambda: window.activations.acts is not None, timeout=30_000)


def test_a_clicked_map_selects_the_unit_and_the_panel_finds_its_patches(qtbot, window):
    panel = window.panels["top_patches"]
    assert not panel.find.isEnabled()  # no unit yet
    _probe(qtbot, window)
    window.activations.layer.setCurrentText("conv2")
    window.lab.session.select_unit("conv2", 3)  # what a click on the 4th map does
    assert panel.unit == ("conv2", 3) and panel.find.isEnabled() and "conv2" in panel.title.text()
    panel.limit.setValue(24)
    panel.search()
    assert not panel.find.isEnabled() and panel.cancel.isEnabled()
    qtbot.waitUntil(lambda: panel.result is not None, timeout=60_000)
    r = panel.result
    assert r.layer == "conv2" and r.unit == 3 and r.searched == 24 and len(r.patches) == 9
    assert list(r.activations) == sorted(r.activations, reverse=True)
    assert not panel.tiles[0][0].pixmap().isNull() and "#" in panel.tiles[0][1].text()
    assert panel.find.isEnabled() and not panel.progress.isVisible()


def test_the_grid_click_on_a_conv_map_reaches_the_session(qtbot, window):
    _probe(qtbot, window)
    window.activations.layer.setCurrentText("conv1")
    cols, h, w = window.activations._layout_info

    class Click:
        def pos(self):
            from PySide6.QtCore import QPointF
            return QPointF(1 * (w + 1) + w / 2, h / 2)  # the second map of the first row

        def accept(self):
            pass

    window.activations._on_grid_click(Click())
    assert window.lab.session.selected_unit == ("conv1", 1)
    assert window.panels["top_patches"].unit == ("conv1", 1)


def test_cancel_and_a_bad_data_set_leave_the_panel_usable(qtbot, window):
    panel = window.panels["top_patches"]
    _probe(qtbot, window)
    window.lab.session.select_unit("conv1", 0)
    panel.limit.setValue(0)  # the whole split: long enough to cancel
    panel.search()
    panel._cancel()
    qtbot.waitUntil(lambda: panel.token is None, timeout=60_000)
    assert panel.find.isEnabled()
    assert panel.info.text() == "search cancelled" and panel.result is None  # cancelled before it started
    window.lab.session.select_unit("fc6", 0)  # not a conv layer: one clear message, nothing drawn
    panel.search()
    qtbot.waitUntil(lambda: panel.token is None, timeout=30_000)
    assert panel.info.text().startswith("could not search") and "fc6" in panel.info.text()
    assert panel.result is None and all(cap.text() == "" for _, cap in panel.tiles)
    assert any("top patches" in text for _, text in window.lab.messages)
