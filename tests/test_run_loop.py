"""The window's run loop as a user meets it (issue 23): Start says its plan before it runs and does it; continuing a
run trains in that run's own folder and its curve stays one; a change of meaning asks first; nothing is left behind
by a start that is refused; Pause says "Pausing…"; the settings can be read while a run trains."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from train_backend.runs import METRICS_FILE

pytestmark = pytest.mark.gui


def run_folders(tmp_path: Path) -> list[Path]:
    root = tmp_path / "runs"
    return sorted(p for p in root.iterdir() if p.is_dir()) if root.is_dir() else []


def steps_logged(folder: Path) -> list[int]:
    lines = (folder / METRICS_FILE).read_text().splitlines()
    return [r["step"] for r in map(json.loads, lines) if r["kind"] == "step"]


def train_until_stopped(qtbot, win, min_steps: int = 3, beyond: int = 0):
    """Start, train until the curve is ``min_steps`` past step ``beyond``, stop; the TrainEnd."""
    win.lab.start_training()
    qtbot.waitUntil(lambda: win.lab.state == "running" and last_step(win) >= beyond + min_steps,
                    timeout=60_000)
    with qtbot.waitSignal(win.lab.run_finished, timeout=60_000) as blocker:
        win.lab.stop_training()
    return blocker.args[0]


def curve_steps(win) -> list[float]:
    return [float(v) for v in win.curves.loss.x]


def last_step(win) -> float:
    steps = curve_steps(win)
    return steps[-1] if steps else 0.0


def test_the_idle_window_says_what_start_will_do(qtbot, window):
    plan = window.lab.session.plan()
    assert window.act_start.text() == "New run"
    assert window.act_start.toolTip().startswith(f"New run · quick · synthetic · {plan.total_steps:,} steps")
    assert window.lbl_progress.text().startswith("Start ▸ New run · quick · synthetic")
    window.lab.set_recipe("paper")  # the plan follows the recipe (and the data set, the settings, the weights)
    assert "New run · paper" in window.act_start.toolTip() and "paper" in window.lbl_progress.text()


def test_continue_trains_in_the_runs_own_folder_with_one_continuous_curve(qtbot, window, tmp_path):
    window.lab.config = window.lab.config.replace(epochs=100)
    first = train_until_stopped(qtbot, window)
    folders = run_folders(tmp_path)
    assert len(folders) == 1 and first.reason == "stopped"
    assert window.act_start.text() == "Continue"
    assert window.act_start.toolTip().startswith(f"Continue {folders[0].name} at step {first.step:,} of ")
    assert "· in its folder" in window.act_start.toolTip()
    assert "Start ▸ Continue" in window.lbl_progress.text()
    second = train_until_stopped(qtbot, window, beyond=first.step)
    assert run_folders(tmp_path) == folders  # no second folder
    logged = steps_logged(folders[0])
    assert logged == sorted(logged) and logged[0] == 1 and logged[-1] == second.step > first.step
    qtbot.waitUntil(lambda: last_step(window) == second.step, timeout=10_000)
    drawn = curve_steps(window)
    assert drawn == sorted(drawn) and drawn[0] == 1  # one run, from its first step, never two mixed


def test_load_last_weights_continues_that_run_in_its_folder_and_draws_its_past(qtbot, window, tmp_path):
    """Seen: Runs ▸ Load last weights ▸ Start resumed at step 89 into a new folder, and the curves kept the previous
    run's steps 1–6 with a straight line to step 89."""
    window.lab.config = window.lab.config.replace(epochs=100)
    a = train_until_stopped(qtbot, window, min_steps=6)  # run A
    window.lab.start_training(fresh=True)  # run B, a few steps: its curve is the one on screen
    qtbot.waitUntil(lambda: window.lab.state == "running" and window.curves.loss.total_added >= 2, timeout=60_000)
    with qtbot.waitSignal(window.lab.run_finished, timeout=60_000):
        window.lab.stop_training()
    folders = run_folders(tmp_path)
    assert len(folders) == 2
    run_a = next(f for f in folders if steps_logged(f)[-1] == a.step)
    with qtbot.waitSignal(window.lab.session.plan_changed, timeout=30_000,
                          check_params_cb=lambda plan: plan.kind == "continue" and plan.run_dir == str(run_a)):
        window.lab.load_weights(str(run_a / "last.pt"))
    assert window.act_start.text() == "Continue" and run_a.name in window.act_start.toolTip()
    window.lab.start_training()
    qtbot.waitUntil(lambda: window.lab.state == "running" and window.curves.loss.total_added > a.step, timeout=60_000)
    with qtbot.waitSignal(window.lab.run_finished, timeout=60_000):
        window.lab.stop_training()
    assert len(run_folders(tmp_path)) == 2  # no third folder
    drawn = curve_steps(window)
    assert drawn[0] == 1 and drawn == sorted(drawn) and len(drawn) == len(set(drawn))
    assert set(range(1, a.step + 1)) <= set(drawn)  # run A's own past, not run B's


def test_loaded_weights_make_start_fine_tune_and_say_so(qtbot, window, tmp_path):
    path = tmp_path / "trained.pt"
    window.lab.config = window.lab.config.replace(max_steps=2)
    with qtbot.waitSignal(window.lab.run_finished, timeout=60_000):
        window.lab.start_training()
    from train_backend.io.checkpoints import save_checkpoint

    w = window.lab.worker.weights  # idle: the run's weights, saved as plain weights (no optimiser state: no run)
    save_checkpoint(str(path), w.model, w.classes, w.input)
    assert window.act_start.text() == "New run"  # a finished run: the next Start is a new run, not a fine-tune
    window.lab.load_weights(str(path))
    qtbot.waitUntil(lambda: window.act_start.text() == "Fine-tune", timeout=30_000)
    assert window.act_start.toolTip().startswith("Fine-tune trained.pt on synthetic")
    window.act_untrained.trigger()  # Fresh untrained model: the plan is a new run again
    qtbot.waitUntil(lambda: window.act_start.text() == "New run", timeout=30_000)


def test_continuing_on_another_data_set_asks_first_and_writes_nothing_on_cancel(qtbot, window, tmp_path,
                                                                                 monkeypatch):
    window.lab.config = window.lab.config.replace(epochs=100)
    train_until_stopped(qtbot, window)
    before = {p: sorted(q.name for q in p.iterdir()) for p in run_folders(tmp_path)}
    asked = []
    monkeypatch.setattr(window.lab, "ask_start_choice", lambda plan, answer: asked.append((plan, answer)))
    window.lab.set_dataset("cifar10")
    assert "asks first" in window.act_start.toolTip()
    assert window.lab.start_training() is False and len(asked) == 1
    plan, answer = asked[0]
    assert "synthetic" in plan.question and [c for c, _ in plan.choices] == ["continue", "finetune", "cancel"]
    answer("cancel")
    assert window.lab.state in ("idle", "finished") and not window.lab.worker.training
    after = {p: sorted(q.name for q in p.iterdir()) for p in run_folders(tmp_path)}
    assert after == before  # nothing written


def test_a_start_refused_at_set_up_leaves_no_empty_folder(qtbot, window, tmp_path):
    missing = tmp_path / "no-such-data"
    window.lab.session.config = window.lab.config.replace(dataset="folder", data_root=str(missing))
    with qtbot.waitSignal(window.lab.run_finished, timeout=60_000) as blocker:
        window.lab.start_training()
    assert blocker.args[0].reason == "config" and "does not exist" in blocker.args[0].message
    assert run_folders(tmp_path) == []
    assert window.act_start.text() == "New run"


def test_a_bad_data_set_folder_is_refused_when_chosen(qtbot, window, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    window.lab.open_dataset_folder(str(empty))
    qtbot.waitUntil(lambda: window.lab.messages and "cannot be trained on" in window.lab.messages[-1][1], timeout=30_000)
    assert window.lab.config.dataset == "synthetic"


def test_pause_says_pausing_and_the_button_keeps_its_width(qtbot, window):
    window.lab.config = window.lab.config.replace(epochs=100)
    button = window.toolbar.widgetForAction(window.act_start)
    width = button.width()
    window.lab.start_training()
    qtbot.waitUntil(lambda: window.lab.state == "running", timeout=60_000)
    assert button.width() == width and window.act_start.text() == "Pause"
    seen = []
    window.lab.session.state_changed.connect(lambda _s: seen.append(window.act_start.text()))
    window.act_start.trigger()
    assert window.act_start.text() in ("Pausing…", "Resume")  # "Pausing…" until the batch under way ends
    qtbot.waitUntil(lambda: window.lab.state == "paused", timeout=60_000)
    assert window.act_start.text() == "Resume" and button.width() == width
    assert "Pausing…" in seen or seen[:1] == ["Resume"]
    assert window.lbl_progress.text().startswith("paused")  # the state first: never cut off
    with qtbot.waitSignal(window.lab.run_finished, timeout=60_000):
        window.lab.stop_training()
    assert button.width() == width


def test_the_settings_dialog_opens_read_only_while_training(qtbot, window):
    from PySide6.QtWidgets import QAbstractSpinBox, QDialogButtonBox

    window.lab.config = window.lab.config.replace(epochs=100)
    window.lab.start_training()
    qtbot.waitUntil(lambda: window.lab.state == "running", timeout=60_000)
    assert window.act_settings.isEnabled()
    window.open_settings()
    dlg = window._settings_dialog
    assert "read-only" in dlg.windowTitle()
    assert all(not box.isEnabled() for box in dlg.findChildren(QAbstractSpinBox))
    ok = dlg.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    assert ok is None or not ok.isVisible()
    dlg.reject()
    with qtbot.waitSignal(window.lab.run_finished, timeout=60_000):
        window.lab.stop_training()


def test_reopening_offers_the_run_left_unfinished(qtbot, tmp_path, monkeypatch, no_thread_leaks):
    """Close during training, reopen, Start: the same run continues in its folder (seen: a new folder from 0)."""
    from PySide6.QtCore import QSettings

    from alexnet_gui.main_window import LaunchOptions, MainWindow
    from tests.conftest import closable_window

    win = closable_window(tmp_path, monkeypatch)
    win.lab.start_training()
    qtbot.waitUntil(lambda: win.lab.state == "running" and win.curves.loss.total_added >= 3, timeout=60_000)
    win.close()
    (folder,) = run_folders(tmp_path)
    stopped_at = steps_logged(folder)[-1]

    again = MainWindow(LaunchOptions(default_layout=True),
                       settings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(again)
    again.show()
    qtbot.waitUntil(lambda: again.act_start.text() == "Continue", timeout=30_000)
    assert again.act_start.toolTip().startswith(f"Continue {folder.name} at step {stopped_at:,}")
    assert again.lab.config.dataset == "synthetic"  # the run's own settings
    again.lab.start_training()
    qtbot.waitUntil(lambda: again.lab.state == "running" and again.curves.loss.total_added > stopped_at + 1,
                    timeout=60_000)
    with qtbot.waitSignal(again.lab.run_finished, timeout=60_000):
        again.lab.stop_training()
    assert run_folders(tmp_path) == [folder]
    logged = steps_logged(folder)
    assert logged == sorted(logged) and logged[-1] > stopped_at
    again.close()


def test_predictions_say_which_classes_the_model_knows(qtbot, window, tmp_path):
    """Seen: a cat photo scored "Pullover 27.6 %" with no word that the model knows ten clothing classes."""
    from tests.imagefiles import gradient_rgb

    cat = tmp_path / "cat.png"
    gradient_rgb(90, 60).save(cat)
    with qtbot.waitSignal(window.lab.probe_shown, timeout=30_000):
        window.open_images([str(cat)])
    qtbot.waitUntil(window.lab.probe_idle, timeout=30_000)
    assert "the model knows the 8 synthetic classes only" in window.predictions.caption.text()
