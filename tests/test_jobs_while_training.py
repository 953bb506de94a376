"""Nothing waits in silence: while a run trains (or is paused), Evaluate, Top patches, Figure 4's grid and neighbours
run on the live weights at the run's batch boundaries with their progress, and Stop / Cancel returns each panel to
idle within one batch; training goes on after them."""

from __future__ import annotations

from train_backend.session import RunState

from tests.imagefiles import gradient_rgb

ANSWER_S = 60_000  # generous for a loaded 2-core machine; without the fix these waited for the run (100,000 steps)


def _train(qtbot, window, steps):
    window.lab.config = window.lab.config.replace(epochs=1000, max_steps=100_000)
    window.lab.worker.sig_steps.connect(steps.append)
    assert window.lab.start_training(fresh=True)
    qtbot.waitUntil(lambda: window.lab.session.state == RunState.RUNNING and len(steps) >= 1, timeout=60_000)


def _stop(qtbot, window):
    with qtbot.waitSignal(window.lab.run_finished, timeout=60_000):
        window.act_stop.trigger()


def test_evaluate_runs_during_training_and_stop_returns_the_panel_to_idle(qtbot, window):
    steps = []
    _train(qtbot, window, steps)
    panel = window.panels["evaluation"]
    panel.limit.setValue(16)
    panel.evaluate()
    assert panel.busy and panel.btn_stop.isEnabled() and panel.progress.isVisible()
    assert "batch boundary" in panel.summary.text()  # the panel says what it waits for
    qtbot.waitUntil(lambda: not panel.busy, timeout=ANSWER_S)
    assert panel.result is not None and panel.result.images == 16
    assert window.lab.session.state == RunState.RUNNING
    modes = []  # at a later batch boundary, after the jobs before it: the loop's training mode is back
    window.lab.worker.control.submit(lambda trainer: modes.append(trainer.model.training))
    qtbot.waitUntil(lambda: bool(modes), timeout=ANSWER_S)
    assert modes == [True]

    panel.limit.setValue(0)  # the whole split: stopped well before its end
    panel.evaluate()
    panel.btn_stop.click()
    assert panel.progress.format() == "stopping…" or not panel.busy
    qtbot.waitUntil(lambda: not panel.busy, timeout=ANSWER_S)
    assert panel.btn_evaluate.isEnabled() and not panel.btn_stop.isEnabled() and not panel.progress.isVisible()
    assert "evaluation stopped" in panel.summary.text()
    n = len(steps)
    qtbot.waitUntil(lambda: len(steps) > n, timeout=ANSWER_S)  # training goes on
    _stop(qtbot, window)


def test_figure4_and_top_patches_answer_while_paused_and_cancel_at_once(qtbot, window):
    steps = []
    window.lab.show_image(gradient_rgb(), "gradient")
    qtbot.waitUntil(lambda: window.activations.acts is not None, timeout=30_000)
    _train(qtbot, window, steps)
    window.lab.toggle_start_pause()  # pause: the control still runs submitted work
    qtbot.waitUntil(lambda: window.lab.session.state == RunState.PAUSED, timeout=60_000)

    f4 = window.panels["figure4"]
    f4.classify_grid()
    assert "batch boundary" in f4.grid_note.text()
    qtbot.waitUntil(lambda: f4.grid_payload is not None, timeout=ANSWER_S)
    assert f4.btn_grid.isEnabled() and not f4.grid_progress.isVisible()

    f4.search_limit.setValue(24)
    f4.find_neighbours()
    qtbot.waitUntil(lambda: not f4.busy, timeout=ANSWER_S)
    assert f4.neighbours is not None and f4.neighbours.index_size == 24

    patches = window.panels["top_patches"]
    window.lab.session.select_unit("conv2", 3)
    patches.limit.setValue(24)
    patches.search()
    qtbot.waitUntil(lambda: patches.result is not None, timeout=ANSWER_S)
    assert patches.find.isEnabled() and not patches.progress.isVisible()
    assert window.lab.session.state == RunState.PAUSED

    window.lab.toggle_start_pause()  # resume; a long search is cancelled within one batch
    qtbot.waitUntil(lambda: window.lab.session.state == RunState.RUNNING, timeout=60_000)
    f4.search_limit.setValue(0)
    f4.find_neighbours()
    f4.btn_cancel.click()
    qtbot.waitUntil(lambda: not f4.busy, timeout=ANSWER_S)
    assert f4.btn_find.isEnabled() and "cancelled" in f4.nb_note.text()
    _stop(qtbot, window)


def test_a_cancel_before_the_job_starts_answers_at_once(qtbot, window):
    """A job still queued behind another (here: a long neighbours index) is answered "cancelled" when cancelled,
    not when its turn comes."""
    f4 = window.panels["figure4"]
    patches = window.panels["top_patches"]
    window.lab.show_image(gradient_rgb(), "gradient")
    qtbot.waitUntil(lambda: window.activations.acts is not None, timeout=30_000)
    f4.search_limit.setValue(0)
    f4.find_neighbours()  # the whole training split: the worker is busy for a while
    window.lab.session.select_unit("conv2", 3)
    patches.limit.setValue(24)
    patches.search()
    assert patches.token is not None
    patches.cancel.click()
    assert patches.token is None and "cancelled" in patches.info.text() and patches.find.isEnabled()
    ev = window.panels["evaluation"]
    ev.evaluate()
    ev.stop()
    assert not ev.busy and ev.btn_evaluate.isEnabled() and "evaluation stopped" in ev.summary.text()
    f4.cancel_neighbours()
    qtbot.waitUntil(lambda: not f4.busy, timeout=ANSWER_S)
