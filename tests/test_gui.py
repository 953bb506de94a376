"""The real main window, offscreen, driven through its toolbar actions."""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

from tests.imagefiles import gradient_rgb

pytestmark = pytest.mark.gui


def drop_files(win, paths):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    ev = QDropEvent(QPointF(100, 100), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton,
                    Qt.KeyboardModifier.NoModifier)
    win.dropEvent(ev)
    return ev


def wait_state(qtbot, win, state, timeout=60_000):
    qtbot.waitUntil(lambda: win.lab.state == state, timeout=timeout)


def test_window_has_docks_toolbar_and_menus(window):
    from alexnet_gui.panels import PANELS

    assert list(window.docks) == list(PANELS)  # one dock per registered panel, in registration order
    assert {"curves", "kernels", "predictions", "activations", "lrn", "top_patches", "explain",
            "evaluation", "figure4"} <= set(window.docks)
    assert [a.text() for a in window.menu_view.actions()][:len(PANELS)] == [p.title for p in PANELS.values()]
    assert window.act_start.shortcut().toString() == "Space"
    for a in (window.act_start, window.act_stop, window.act_open_image, window.act_open_dataset, window.act_load,
              window.act_save, window.act_export, window.act_settings):
        assert a.toolTip() and not a.icon().isNull()
    titles = [a.text() for a in window.menu_view.actions() if a.text()]
    assert "Training curves" in titles and "LRN effect" in titles
    window.docks["lrn"].toggleViewAction().trigger()
    assert not window.docks["lrn"].isVisible() or window.docks["lrn"].isHidden()
    window.restore_default_layout()
    assert all(not d.isFloating() for d in window.docks.values())
    # every panel fits the 1280 x 800 window the fixture makes (a wide panel widened it to 1691 px once)
    assert window.width() == 1280 and window.minimumSizeHint().width() <= 1280
    wide = {k: d.minimumSizeHint().width() for k, d in window.docks.items() if d.minimumSizeHint().width() > 640}
    assert not wide, f"panels wider than half the window at their smallest: {wide}"


def test_untrained_weights_are_said_in_the_predictions_panel(qtbot, window):
    qtbot.waitUntil(lambda: window.predictions.prediction is not None, timeout=30_000)
    assert window.predictions.banner.isVisible()
    assert "Untrained" in window.predictions.banner.text()
    assert "UNTRAINED" in window.lbl_weights.text()


def test_start_pause_resume_stop_via_toolbar(qtbot, window, tmp_path):
    window.lab.config = window.lab.config.replace(epochs=50)
    with qtbot.waitSignal(window.lab.state_changed, timeout=60_000, check_params_cb=lambda s: s == "running"):
        window.act_start.trigger()
    assert window.act_start.text() == "Pause"
    window.act_start.trigger()  # → pause
    wait_state(qtbot, window, "paused")
    assert window.act_start.text() == "Resume"
    steps_paused = window.curves.loss.total_added
    qtbot.wait(400)
    assert window.curves.loss.total_added == steps_paused  # nothing trains while paused
    window.act_start.trigger()  # → resume
    wait_state(qtbot, window, "running")
    qtbot.waitUntil(lambda: window.curves.loss.total_added > steps_paused, timeout=60_000)
    with qtbot.waitSignal(window.lab.run_finished, timeout=60_000) as blocker:
        window.act_stop.trigger()
    end = blocker.args[0]
    assert end.reason == "stopped" and Path(end.checkpoint).exists()
    wait_state(qtbot, window, "error" if not end.ok else "finished")
    assert window.act_start.text() == "Continue"
    assert len(window.curves.loss) > 0 and window.kernels.snapshot is not None


def test_start_pressed_twice_starts_once(qtbot, window):
    window.lab.config = window.lab.config.replace(max_steps=3)
    started = []
    window.lab.worker.sig_run_info.connect(started.append)
    window.act_start.trigger()
    window.act_start.trigger()
    window.lab.toggle_start_pause()
    qtbot.waitUntil(lambda: window.lab.last_end is not None, timeout=60_000)
    qtbot.wait(200)
    assert len(started) == 1 and window.lab.last_end.reason == "max_steps"


def test_drop_an_image_fills_the_top5(qtbot, window, tmp_path):
    img = tmp_path / "dropped.png"
    gradient_rgb(120, 90).save(img)
    with qtbot.waitSignal(window.lab.probe_shown, timeout=30_000):
        ev = drop_files(window, [img])
    assert ev.isAccepted()
    names = [n.text() for n in window.predictions.names]
    assert all(n and n != "…" for n in names)
    assert set(names) <= set(window.lab.session.weights.classes)
    assert sum(b.value() for b in window.predictions.bars) <= 1000
    assert "dropped.png" in window.predictions.caption.text()
    assert window.activations.acts is not None and window.activations.layer.currentText() == "conv1"
    assert set(window.lrn.snaps) == {"lrn1", "lrn2"}


def test_bad_drop_shows_a_message_and_changes_nothing(qtbot, window, tmp_path):
    qtbot.waitUntil(lambda: window.predictions.prediction is not None, timeout=30_000)
    before = window.predictions.caption.text()
    bad = tmp_path / "notes.jpg"
    bad.write_text("not an image")
    drop_files(window, [bad])
    assert window.predictions.error.isVisible()
    assert "notes.jpg" in window.predictions.error.text() and "not an image" in window.predictions.error.text()
    assert window.predictions.caption.text() == before


def test_several_files_make_a_thumbnail_strip(qtbot, window, tmp_path):
    paths = []
    for i in range(3):
        p = tmp_path / f"img{i}.png"
        gradient_rgb(60 + 10 * i, 50).save(p)
        paths.append(p)
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"\x89PNG broken")
    drop_files(window, paths + [broken])
    assert window.predictions.strip.isVisible() and window.predictions.strip.count() == 4
    assert "broken.png" in window.predictions.error.text()
    with qtbot.waitSignal(window.lab.probe_shown, timeout=30_000):
        window.predictions.strip.setCurrentRow(2)
    assert "img2.png" in window.predictions.caption.text()


def test_ten_crop_toggle_reclassifies(qtbot, window, tmp_path):
    qtbot.waitUntil(lambda: window.predictions.prediction is not None, timeout=30_000)
    with qtbot.waitSignal(window.lab.probe_shown, timeout=30_000):
        window.predictions.ten_crop.setChecked(True)
    assert window.predictions.prediction.ten_crop


def test_export_kernels_png_svg_pdf(qtbot, window, tmp_path):
    qtbot.waitUntil(lambda: window.kernels.snapshot is not None, timeout=30_000)
    png = window.kernels.export(str(tmp_path / "k.png"), scale=3, npy=str(tmp_path / "k.npy"))
    img = Image.open(png)
    k = window.kernels.snapshot.tiles[0].shape[0]
    assert img.width == 2 * (2 * 3) + 12 * (11 + 1) * 3 - 3 and img.height > 2 * (k // 12) * 11 * 3
    assert np.load(tmp_path / "k.npy").shape == window.kernels.snapshot.weights.shape
    svg = Path(window.kernels.export(str(tmp_path / "k.svg"), scale=2)).read_text()
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    import xml.etree.ElementTree as ET

    ET.fromstring(svg)
    pdf = Path(window.kernels.export(str(tmp_path / "k.pdf"), scale=2)).read_bytes()
    assert pdf.startswith(b"%PDF")


def test_close_mid_training_joins_the_thread_and_leaves_a_checkpoint(qtbot, tmp_path, monkeypatch,
                                                                     no_thread_leaks):
    from PySide6.QtCore import QSettings

    from tests.conftest import closable_window
    from train_backend.io.weights import load_weights

    win = closable_window(tmp_path, monkeypatch)
    win.lab.start_training()
    qtbot.waitUntil(lambda: win.lab.state == "running" and win.curves.loss.total_added >= 2, timeout=60_000)
    import time

    t0 = time.monotonic()
    win.close()
    assert time.monotonic() - t0 < 10
    assert not win.lab.thread.isRunning()
    ckpts = list((tmp_path / "runs").glob("*/last.pt"))
    assert len(ckpts) == 1
    w = load_weights(ckpts[0])
    assert w.classes[0] == "red disc"
    s = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    assert s.value("recipe") == "quick" and s.value("dataset") == "synthetic"


def test_close_while_paused(qtbot, tmp_path, monkeypatch, no_thread_leaks):
    from tests.conftest import closable_window

    win = closable_window(tmp_path, monkeypatch)
    win.lab.start_training()
    qtbot.waitUntil(lambda: win.lab.state == "running", timeout=60_000)
    win.act_start.trigger()
    qtbot.waitUntil(lambda: win.lab.state == "paused", timeout=60_000)
    win.close()
    assert not win.lab.thread.isRunning()
    assert list((tmp_path / "runs").glob("*/last.pt"))


def test_bad_settings_are_refused_before_starting(qtbot, window):
    window.lab.config = window.lab.config.replace()
    window.lab.config.lr = -1.0
    assert not window.lab.start_training()
    assert window.lab.state == "idle"
    assert any("learning rate must be positive" in t for _, t in window.lab.messages)


def test_settings_dialog_edits_the_config(qtbot, window):
    from alexnet_gui.widgets.settings_dialog import SettingsDialog

    dlg = SettingsDialog(window.lab.config, ["auto", "cpu"], window)
    qtbot.addWidget(dlg)
    dlg.set_value("lr", 0.05)
    dlg.set_value("lrn", False)
    dlg.set_value("towers", 1)
    assert dlg.value("compile_lrn") is False
    dlg.set_value("compile_lrn", True)
    cfg = dlg.config()
    assert cfg.lr == 0.05 and cfg.model_options["lrn"] is False and cfg.model_options["towers"] == 1
    assert cfg.compile_lrn is True
    dlg.set_value("batch_size", 0)  # the widget does not go below the setting's minimum
    assert dlg.value("batch_size") == 1
    dlg.set_value("lr", 0.0)
    dlg.accept()
    assert "learning rate must be positive" in dlg.problem.text() and dlg.result() == 0


def test_settings_dialog_has_every_setting_grouped_with_the_recipes_value(qtbot, window):
    from alexnet_gui.widgets.settings_dialog import SettingsDialog
    from train_backend.recipes import recipe
    from train_backend.settings import GROUPS, SETTINGS

    cfg = recipe("finetune")
    dlg = SettingsDialog(cfg, ["auto", "cpu"], window)
    qtbot.addWidget(dlg)
    assert set(dlg.rows) == {s.key for s in SETTINGS}
    assert [dlg.tabs.tabText(i) for i in range(dlg.tabs.count())] == list(GROUPS)
    assert dlg._hints["lr"].text() == "recipe: 0.001" and dlg._hints["schedule"].text() == "recipe: step"
    assert "font-weight: bold" not in dlg._labels["lr"].styleSheet()
    dlg.set_value("lr", 0.01)  # changed from the recipe's: the name turns bold
    assert "font-weight: bold" in dlg._labels["lr"].styleSheet()
    assert not dlg.rows["lrn"].widget.isEnabled()  # the torchvision model has no LRN option
    assert dlg._hints["lrn"].text() == "(paper, convnet4 model only)"  # the nets that have the option
    dlg.set_value("step_size", 2)
    dlg.set_value("gamma", 0.5)
    dlg.set_value("time_budget_s", 600.0)
    dlg.set_value("dropout", 0.25)
    out = dlg.config()
    assert (out.step_size, out.gamma, out.time_budget_s, out.model_options) == (2, 0.5, 600.0, {"dropout": 0.25})
    dlg.set_value("time_budget_s", None)
    assert dlg.config().time_budget_s is None
    dlg._restore()
    assert dlg.value("lr") == 0.001 and dlg.value("step_size") == cfg.step_size
    dlg.set_value("model", "paper")  # the paper's options become editable, with their defaults
    assert dlg.rows["lrn"].widget.isEnabled() and dlg.value("towers") in (1, 2)
    dlg.set_value("kernels", None)
    dlg.rows["kernels"].widget.setText("1,2")
    dlg.accept()
    assert "kernel counts" in dlg.problem.text() and dlg.result() == 0


def test_load_a_bad_checkpoint_keeps_the_model(qtbot, window, tmp_path):
    bad = tmp_path / "bad.pt"
    bad.write_bytes(b"garbage" * 100)
    before = window.lab.session.weights
    window.lab.load_weights(str(bad))
    qtbot.waitUntil(lambda: any("bad.pt" in t for lvl, t in window.lab.messages if lvl == "error"), timeout=30_000)
    assert window.lab.session.weights == before


def test_load_a_checkpoint_reclassifies(qtbot, window, tmp_path):
    from train_backend.io.checkpoints import InputSpec, save_checkpoint
    from train_backend.models import build_model

    m = build_model("paper", num_classes=3, width=0.25, hidden=32)
    path = tmp_path / "three.pt"
    save_checkpoint(path, m, ["ant", "bee", "cow"], InputSpec(67, 3, (0.5,) * 3, (0.25,) * 3))
    with qtbot.waitSignal(window.lab.probe_shown, timeout=30_000):
        window.lab.load_weights(str(path))
    qtbot.waitUntil(lambda: window.predictions.prediction is not None and
                    set(window.predictions.prediction.classes) == {"ant", "bee", "cow"}, timeout=30_000)
    assert not window.predictions.banner.isVisible()


def test_a_drop_loads_weights_watches_a_run_folder_and_opens_the_images(qtbot, window, tmp_path):
    """Each dropped thing to its place: a checkpoint is loaded, a run folder watched, the images opened."""
    from train_backend.io.checkpoints import InputSpec, save_checkpoint
    from train_backend.models import build_model

    m = build_model("paper", num_classes=3, width=0.25, hidden=32)
    weights = tmp_path / "dropped.pt"
    save_checkpoint(weights, m, ["ant", "bee", "cow"], InputSpec(67, 3, (0.5,) * 3, (0.25,) * 3))
    run = tmp_path / "a-run"
    run.mkdir()
    (run / "config.json").write_text(window.lab.config.to_json())
    (run / "metrics.jsonl").write_text('{"kind": "step", "step": 1, "epoch": 0, "loss": 2.0}\n')
    image = tmp_path / "img.png"
    Image.new("RGB", (80, 80), (10, 200, 30)).save(image)
    ev = drop_files(window, [weights, run, image])
    assert ev.isAccepted()
    qtbot.waitUntil(lambda: window.predictions.prediction is not None and
                    set(window.predictions.prediction.classes) == {"ant", "bee", "cow"}, timeout=30_000)
    assert window.lab.session.watched is not None and Path(window.lab.session.watched.path) == run
    assert window.lab.session.images[window.lab.session.current].name == "img.png"


def test_launch_screenshot_command(tmp_path):
    shot = tmp_path / "shot.png"
    temp = tmp_path / "temp"  # the process's temporary folder: its throw-away settings must not stay behind
    temp.mkdir()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "ALEXNET_GUI_RUNS": str(tmp_path / "runs"),
           "TMPDIR": str(temp)}
    sample = Path(__file__).resolve().parent.parent / "resources" / "samples" / "sample-stripes.png"
    res = subprocess.run([sys.executable, "-m", "alexnet_gui", "launch", "--dataset", "synthetic", "--image",
                          str(sample), "--screenshot", str(shot)], capture_output=True, text=True, timeout=600,
                         env=env)
    assert res.returncode == 0, res.stderr
    img = Image.open(shot)
    assert img.width >= 1000 and img.height >= 700
    assert "screenshot" in res.stdout
    assert not [p.name for p in temp.iterdir() if p.name.startswith("alexnet-gui-shot-")]


def test_save_checkpoint_when_idle_and_load_it_back(qtbot, window, tmp_path):
    from train_backend.io.weights import load_weights

    path = tmp_path / "saved.pt"
    window.lab.save_checkpoint(str(path))
    qtbot.waitUntil(lambda: any(f"saved checkpoint {path}" in t for _, t in window.lab.messages), timeout=30_000)
    w = load_weights(path)
    assert w.classes[0] == "red disc" and w.input.size == 67


def test_cyclic_garbage_is_collected_on_the_gui_thread_only(qtbot, window):
    """A Qt object in a reference cycle is freed by the GUI thread's collector, never by a thread that merely
    allocates (a collection on the worker thread that frees a Qt object can deadlock the window)."""
    import gc
    import threading
    import weakref

    from PySide6.QtCore import QObject

    from alexnet_gui import collector

    collector._collector.timer.start(500)  # the app's interval (the tests' collector waits for each teardown)
    assert not gc.isenabled()
    freed_on = []
    obj = QObject()
    obj.me = obj  # a cycle through the Qt wrapper: only the cyclic collector can free it
    weakref.finalize(obj, lambda: freed_on.append(threading.get_ident()))
    del obj
    kept = []  # new containers that stay alive: enough to trigger an automatic collection in the thread making them
    churn = threading.Thread(target=lambda: kept.extend([i] for i in range(20_000)))
    churn.start()
    churn.join()
    assert freed_on == []
    qtbot.waitUntil(lambda: bool(freed_on), timeout=5_000)
    assert freed_on == [threading.main_thread().ident]


def test_the_last_runs_trainer_is_freed_when_the_next_run_starts(qtbot, window):
    """The window keeps only the latest run's trainer (for a full checkpoint); the one before is freed when the next
    run starts, not when Python's oldest generation comes round (RSS grew ~600 MB per run with the paper model
    while the cosine schedule's closure made each trainer cyclic garbage)."""
    import gc
    import weakref

    window.lab.config = window.lab.config.replace(max_steps=2, schedule="cosine")
    ends = []
    window.lab.run_finished.connect(ends.append)
    window.lab.start_training(fresh=True)
    qtbot.waitUntil(lambda: len(ends) == 1, timeout=60_000)
    first = weakref.ref(window.lab.worker.trainer)
    first_optimizer_state = weakref.ref(first().optimizer)
    gc.collect()  # a long run's trainer has aged into the oldest generation: put this one there too
    window.lab.start_training(fresh=True)
    qtbot.waitUntil(lambda: len(ends) == 2, timeout=60_000)
    assert ends[1].ok
    assert first() is None and first_optimizer_state() is None
    assert window.lab.worker.trainer is not None and window.lab.worker.trainer.optimizer is not None  # saving still works


def test_streaming_steps_and_kernels_do_not_relayout_the_window(qtbot, window):
    """While a run streams step figures (status line, curves' read-out) and conv1 snapshots (kernel titles), the
    main window is not re-laid out for each: with QLabels it was ~5 times a second, each re-placing every dock
    and toolbar (livetext.py).  Only a validation's re-classification of the current image may re-lay it out."""
    from PySide6.QtCore import QEvent, QObject

    class Relayouts(QObject):
        count = 0

        def eventFilter(self, obj, ev):
            if obj is window and ev.type() == QEvent.Type.LayoutRequest:
                self.count += 1
            return False

    window.lab.config = window.lab.config.replace(epochs=1000, max_steps=100_000)
    window.kernels.mode.setCurrentIndex(1)  # the last of the kernels panel's own changes before the run
    batches, kernel_draws, validations, probes = [], [], [], []
    window.lab.worker.sig_steps.connect(batches.append)
    window.lab.worker.sig_validation.connect(validations.append)
    window.lab.probe_shown.connect(probes.append)  # each validation's re-probe of the current image
    real_draw = window.kernels.set_snapshot
    window.kernels.set_snapshot = lambda snap: (kernel_draws.append(snap.step), real_draw(snap))
    window.lab.start_training(fresh=True)
    qtbot.waitUntil(lambda: len(batches) >= 2 and len(kernel_draws) >= 2, timeout=60_000)
    qtbot.wait(300)
    relayouts = Relayouts()
    window.installEventFilter(relayouts)
    n_batches, n_kernels, n_val, n_probes = len(batches), len(kernel_draws), len(validations), len(probes)
    status = window.lbl_progress.text()
    qtbot.wait(3000)
    window.removeEventFilter(relayouts)
    n_val = len(validations) - n_val
    n_probes = len(probes) - n_probes
    status_after = window.lbl_progress.text()
    assert "step" in window.curves.summary.text() and "kernels" in window.kernels.titles[0].text()
    with qtbot.waitSignal(window.lab.run_finished, timeout=60_000):
        window.act_stop.trigger()
    assert len(batches) - n_batches >= 6 and len(kernel_draws) - n_kernels >= 2
    assert status_after != status and "img/s" in status_after
    # steps and kernels never re-lay out the window; a probe's answer (after a validation) may, once: a probe asked
    # before the 3 s (a validation just before) can land inside them, hence the one more
    assert relayouts.count <= max(n_val, n_probes) + 1, \
        f"{relayouts.count} re-layouts in 3 s with {n_val} validations and {n_probes} probes answered"


def test_launch_screenshot_with_a_bad_image_reports_it_and_does_not_wait_for_a_probe(tmp_path):
    """A bad --image gets no probe: the picture is written at once, not after a 120 s wait for one."""
    import time

    bad = tmp_path / "bad.png"
    bad.write_bytes(b"this is not a PNG")
    shot = tmp_path / "shot.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "ALEXNET_GUI_RUNS": str(tmp_path / "runs")}
    t0 = time.monotonic()
    res = subprocess.run([sys.executable, "-m", "alexnet_gui", "launch", "--dataset", "synthetic", "--image",
                          str(bad), "--screenshot", str(shot)], capture_output=True, text=True, timeout=600, env=env)
    elapsed = time.monotonic() - t0
    assert res.returncode == 0, res.stderr
    assert "bad.png" in res.stderr and shot.exists()
    assert elapsed < 90, f"{elapsed:.0f} s: it waited for a probe that never comes"


def test_the_status_bar_says_a_run_s_ending_once_and_whole(qtbot, window):
    window.lab.config = window.lab.config.replace(max_steps=3)
    with qtbot.waitSignal(window.lab.run_finished, timeout=60_000) as blocker:
        window.act_start.trigger()
    end = blocker.args[0]
    qtbot.wait(50)
    labels = (window.lbl_message, window.lbl_progress)
    assert [end.message in label.text() for label in labels] == [True, False]  # once, not twice
    assert window.lbl_message.fits(), window.lbl_message.text()  # and not cut off
    # the ending in a word, then what Start does next (the last figures stay in the curves and the notification)
    assert window.lbl_progress.text().startswith("done at step 3 · Start ▸ New run · quick · synthetic")
    assert window.lbl_weights.width() >= window.lbl_weights.fontMetrics().horizontalAdvance(
        window.lbl_weights.text())


def test_the_device_label_names_what_the_engine_would_pick(monkeypatch):
    import torch

    from train_backend.devices import device_label as _device_label

    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: True)
    assert _device_label("auto") == "auto (MPS)"  # a Mac: the engine trains on Metal, not the CPU
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: False)
    assert _device_label("auto") == "auto (CPU)" and _device_label("cpu") == "cpu"
    assert _device_label("cuda") == "cuda (not available here)"


def test_choosing_d2l_shows_d2ls_plot_before_the_run(qtbot, window):
    assert window.curves.plot_err.isVisible() and not window.curves.plot_epoch.isVisible()
    window.lab.set_recipe("d2l")
    assert window.lab.config.model == "d2l" and window.lab.config.normalize is False
    assert window.curves.plot_epoch.isVisible() and window.curves.ref_line.value() == 0.88
    window.lab.set_recipe("quick")
    assert window.curves.plot_err.isVisible() and not window.curves.plot_epoch.isVisible()
