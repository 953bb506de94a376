"""The Evaluation and Figure 4 panels in the real window (synthetic data, a tiny model): what they ask the worker for,
what they draw, a stop and a cancel that leave them usable, and weights for other classes named once."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF

from train_backend.io.checkpoints import InputSpec, untrained_weights

LIMIT = 40


def _evaluate(qtbot, win, limit=LIMIT):
    panel = win.panels["evaluation"]
    panel.limit.setValue(limit)
    panel.evaluate()
    assert panel.busy and not panel.btn_evaluate.isEnabled() and panel.btn_stop.isEnabled()
    qtbot.waitUntil(lambda: not panel.busy, timeout=60_000)
    return panel


class _Click:
    def __init__(self, x, y):
        self._pos = QPointF(x, y)
        self.accepted = False

    def pos(self):
        return self._pos

    def accept(self):
        self.accepted = True


def test_evaluate_draws_the_confusion_and_a_cell_lists_its_images(qtbot, window):
    win = window
    assert win.docks["evaluation"] in win.tabifiedDockWidgets(win.docks["curves"])
    assert win.docks["figure4"] in win.tabifiedDockWidgets(win.docks["curves"])
    assert win.height() <= 800  # two more tabbed docks do not stretch the window
    panel = _evaluate(qtbot, win)
    r = panel.result
    assert r is not None and r.images == LIMIT
    assert panel.confusion.shape == (8, 8) and panel.confusion.sum() == LIMIT  # every image evaluated, once
    assert np.array_equal(panel.confusion, r.confusion)
    assert panel.heat.image.shape == (8, 8)  # rows (true classes) normalised for the colour
    np.testing.assert_allclose(panel.heat.image.sum(1)[r.confusion.sum(1) > 0], 1.0, rtol=1e-6)
    assert "top-1 error" in panel.summary.text() and f"{LIMIT:,} images" in panel.summary.text()
    acc = r.per_class_accuracy()
    np.testing.assert_allclose(panel.bars.opts["width"], np.nan_to_num(acc, nan=0.0))
    # a click on the fullest cell (the image's pixels: x the prediction, y the true class) lists that many images
    t, p = np.unravel_index(np.argmax(r.confusion), r.confusion.shape)
    click = _Click(p + 0.5, t + 0.5)
    panel._on_heat_click(click)
    assert click.accepted and panel.cell == (t, p)
    count = int(r.confusion[t, p])
    assert len(panel.cell_indices) == count and f"{count} image" in panel.cell_label.text()
    qtbot.waitUntil(lambda: panel.cell_strip.count() == min(count, 48), timeout=30_000)
    assert set(panel._cell_images.indices.tolist()) <= set(r.images_seen.index.tolist())
    assert (panel._cell_images.labels == t).all()
    # an empty cell lists nothing and asks for nothing
    empty = np.argwhere(r.confusion == 0)
    if len(empty):
        panel.select_cell(int(empty[0][0]), int(empty[0][1]))
        assert len(panel.cell_indices) == 0 and panel.cell_strip.count() == 0 and "0 images" in \
            panel.cell_label.text()


def test_a_wrong_image_clicked_becomes_the_current_image(qtbot, window):
    win = window
    panel = _evaluate(qtbot, win)
    wrong = panel.result.wrong
    assert wrong, "an untrained network gets some of 40 images wrong"
    qtbot.waitUntil(lambda: panel.wrong_strip.count() == len(wrong), timeout=30_000)
    assert panel._wrong_images.indices.tolist() == [w.index for w in wrong]
    panel.wrong_strip.choose(1 if len(wrong) > 1 else 0)
    row = 1 if len(wrong) > 1 else 0
    current = win.lab.session.images[win.lab.session.current]
    assert f"#{wrong[row].index}" in current.name and "synthetic val" in current.name
    assert np.array_equal(np.asarray(win.lab.current_image().convert("RGB")), panel._wrong_images.images[row])
    qtbot.waitUntil(win.lab.probe_idle, timeout=30_000)  # the other panels probe it


def test_stop_reports_evaluation_stopped_and_leaves_the_panel_usable(qtbot, window):
    win = window
    panel = win.panels["evaluation"]
    panel.limit.setValue(0)  # the whole split
    panel.evaluate()
    panel.stop()
    qtbot.waitUntil(lambda: not panel.busy, timeout=60_000)
    assert panel.summary.text().startswith("evaluation stopped") and panel.result is None
    assert ("info", "evaluation stopped") in win.lab.messages
    assert panel.btn_evaluate.isEnabled() and not panel.btn_stop.isEnabled() and not panel.progress.isVisible()
    panel = _evaluate(qtbot, win, limit=16)
    assert panel.result is not None and panel.confusion.sum() == 16


def test_figure4_left_grid_fills_with_top5_and_the_true_class_marked(qtbot, window):
    panel = window.panels["figure4"]
    panel.classify_grid()
    qtbot.waitUntil(lambda: panel.grid_payload is not None, timeout=60_000)
    grid = panel.grid_payload
    assert len(panel.cells) == len(grid) == 8
    for n, cell in enumerate(panel.cells):
        assert len(cell.bars.rows) == 5
        label = int(grid.images.labels[n])
        marked = [i for i, row in enumerate(cell.bars.rows) if row[2]]
        expect = [i for i, c in enumerate(grid.top_indices[n]) if c == label]
        assert marked == expect and cell.true_row == (expect[0] if expect else -1)
    first = grid.images.indices.tolist()
    panel.new_sample()
    qtbot.waitUntil(lambda: panel.grid_payload is not grid, timeout=60_000)
    assert panel.grid_payload.seed == 1 and panel.grid_payload.images.indices.tolist() != first


def test_neighbours_fill_both_rows_and_a_cancel_leaves_the_panel_usable(qtbot, window):
    panel = window.panels["figure4"]
    panel.search_limit.setValue(0)  # the whole training split: long enough to cancel
    panel.find_neighbours()
    assert panel.busy and panel.btn_cancel.isEnabled()
    panel.cancel_neighbours()
    qtbot.waitUntil(lambda: not panel.busy, timeout=60_000)
    assert panel.neighbours is None and "cancelled" in panel.nb_note.text() and panel.btn_find.isEnabled()

    panel.k.setValue(6)
    panel.search_limit.setValue(24)
    panel.find_neighbours()
    qtbot.waitUntil(lambda: not panel.busy, timeout=60_000)
    nb = panel.neighbours
    assert nb is not None and nb.index_size == 24 and nb.layer == "relu7"
    assert panel.feature_row.count() == 6 and panel.pixel_row.count() == 6
    for row in (nb.features, nb.pixels):
        assert len(row.indices) == 6 and np.all(np.diff(row.distances) >= 0)  # nearest first
    assert "d " in panel.feature_row.item(0).text()

    panel.find_neighbours()
    stale = panel._nb_token
    panel.nb_request.cancel()  # cancelled: the next search is a new request, the old one's answers are ignored
    qtbot.waitUntil(lambda: not panel.busy, timeout=60_000)
    panel.find_neighbours()
    assert panel._nb_token != stale
    drawn = panel.neighbours
    panel.nb_request._on_done(stale, "neighbours", None)  # an older answer is ignored
    panel.nb_request._on_failed(stale, "neighbours", "cancelled")
    assert panel.neighbours is drawn and panel.busy
    qtbot.waitUntil(lambda: not panel.busy, timeout=60_000)
    assert panel.neighbours is not drawn and panel.feature_row.count() == 6

    # a neighbour clicked becomes the current image (the data set's image, fetched on the worker)
    nb = panel.neighbours
    panel.pixel_row.choose(2)
    want = f"{nb.dataset} {nb.split} #{int(nb.pixels.indices[2])} ({nb.pixels.classes[2]})"
    qtbot.waitUntil(lambda: window.lab.session.current_image() is not None
                    and window.lab.session.images[window.lab.session.current].name == want, timeout=60_000)


def test_weights_for_other_classes_are_named_once_and_change_nothing(qtbot, window):
    win = window
    other = untrained_weights("paper", num_classes=5, input_spec=InputSpec(67, 3, (0.45,) * 3, (0.3,) * 3),
                              width=0.25, hidden=64)
    win.lab.worker.set_weights(other)
    qtbot.waitUntil(lambda: len(win.lab.session.weights.classes) == 5, timeout=30_000)
    panel = win.panels["evaluation"]
    before = len(win.lab.messages)
    panel.evaluate()
    qtbot.waitUntil(lambda: not panel.busy, timeout=60_000)
    errors = [m for m in win.lab.messages[before:] if m[0] == "error"]
    assert len(errors) == 1 and "5 classes but synthetic has 8" in errors[0][1]
    assert panel.result is None and panel.error.isVisible() and "5 classes" in panel.error.text()
    assert panel.btn_evaluate.isEnabled()

    f4 = win.panels["figure4"]
    before = len(win.lab.messages)
    f4.classify_grid()
    qtbot.waitUntil(lambda: f4.btn_grid.isEnabled(), timeout=30_000)
    assert f4.grid_payload is None and "5 classes but synthetic has 8" in f4.grid_error.text()
    f4.search_limit.setValue(16)
    f4.find_neighbours()
    qtbot.waitUntil(lambda: not f4.busy, timeout=30_000)
    assert f4.neighbours is None and "5 classes but synthetic has 8" in f4.nb_error.text()
    assert len(win.lab.messages) - before == 2  # one line each, in the status bar
