"""The Runs panel and watching a run from disk, on run folders the tests write (config.json, metrics.jsonl as the
engine writes it, kernels.npz with the core's writer): the table, the overlay and its legend, delete with
confirmation, opening a run's weights, and following a folder another process appends to through truncation,
replacement and deletion."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from train_backend.payloads import StepMetrics, TrainEnd, ValidationResult
from train_backend.recipes import recipe
from train_backend.runs import RunLock

ROOT = Path(__file__).resolve().parents[1]


def step_record(step: int, epoch: int, per_epoch: int, loss: float, top1: float) -> dict:
    m = StepMetrics(step=step, epoch=epoch, batch=(step - 1) % per_epoch + 1, batches_per_epoch=per_epoch,
                    total_steps=1000, loss=loss, top1=top1, lr=0.01, images_per_sec=100.0, elapsed_s=0.1 * step,
                    eta_s=1.0)
    return {"kind": "step", **m.__dict__}


def validation_record(step: int, epoch: int, top1: float, top5: float) -> dict:
    r = ValidationResult(epoch=epoch, step=step, loss=1.0, top1_error=top1, top5_error=top5,
                         confusion=np.zeros((2, 2), np.int64), images=16, ten_crop=False, subset=True)
    return {"kind": "validation", **{k: v for k, v in r.__dict__.items() if k not in ("confusion", "wrong",
                                                                                       "images_seen")}}


def write_run(folder: Path, steps: int = 40, end: str | None = "finished", best: float = 0.5,
              started: float | None = None, **model_options) -> Path:
    """A run folder as the engine leaves it: config.json, metrics.jsonl (start, steps, validations, end)."""
    cfg = recipe("quick").replace(dataset="synthetic", batch_size=8,
                                  model_options={"init": "kaiming", **model_options})
    folder.mkdir(parents=True)
    (folder / "config.json").write_text(cfg.to_json())
    lines = [{"kind": "start", "time": started or time.time()}]
    for s in range(1, steps + 1):
        lines.append(step_record(s, (s - 1) // 10, 10, 2.0 - s / steps, 0.2 + 0.5 * s / steps))
        if s % 10 == 0:
            frac = s / steps
            lines.append(validation_record(s, (s - 1) // 10, best + (1 - frac) * 0.3, best / 2 + (1 - frac) * 0.1))
    if end:
        lines.append({"kind": "end", **TrainEnd(end, "done", steps, (steps - 1) // 10).__dict__})
    (folder / "metrics.jsonl").write_text("".join(json.dumps(r) + "\n" for r in lines))
    for name in ("last.pt", "best.pt") if end else ():
        (folder / name).write_bytes(b"a stand-in checkpoint")
    return folder


def runs_panel(window, qtbot):
    panel = window.runs
    n = panel.scans
    panel.refresh()
    qtbot.waitUntil(lambda: panel.scans > n and not panel.background.busy("scan"), timeout=20_000)
    return panel


def row_of(panel, name: str) -> dict[str, str]:
    from alexnet_gui.panels.runs import COLUMNS

    for row in range(panel.table.rowCount()):
        cells = {c: panel.table.item(row, i).text() for i, c in enumerate(COLUMNS)}
        if cells["Name"].lstrip("⚠ ") == name:
            return cells
    raise AssertionError(f"{name} is not listed")


@pytest.fixture
def three_runs(tmp_path):
    root = tmp_path / "runs"  # the window fixture's runs folder ($ALEXNET_GUI_RUNS)
    now = time.time()
    write_run(root / "20260101-100000-quick-synthetic", steps=40, best=0.30, started=now - 300)
    write_run(root / "20260101-110000-quick-synthetic", steps=30, best=0.45, started=now - 200, lrn=False)
    damaged = write_run(root / "20260101-120000-quick-synthetic", steps=20, end=None, started=now - 100)
    with open(damaged / "metrics.jsonl", "a") as f:
        f.write("this is no json\n{\"kind\": \"step\", \"step\": 21, \"lo")  # garbage and a cut-off line
    return root


def test_the_runs_panel_lists_the_runs_with_their_columns(qtbot, window, three_runs):
    panel = runs_panel(window, qtbot)
    assert panel.table.rowCount() == 3
    names = [panel.table.item(r, 0).text().lstrip("⚠ ") for r in range(3)]
    assert names == ["20260101-120000-quick-synthetic", "20260101-110000-quick-synthetic",
                     "20260101-100000-quick-synthetic"]  # newest first
    a = row_of(panel, "20260101-100000-quick-synthetic")
    assert (a["State"], a["Recipe"], a["Data set"], a["Steps"]) == ("finished", "quick", "synthetic", "40")
    assert a["Best top-1"] == "30.00 %" and a["Best top-5"] == "15.00 %" and a["Problems"] == ""
    b = row_of(panel, "20260101-110000-quick-synthetic")
    assert "lrn=off" in b["Differs from defaults"] and b["Best top-1"] == "45.00 %"
    c = row_of(panel, "20260101-120000-quick-synthetic")
    assert c["State"] == "crashed" and c["Steps"] == "20"
    assert "not records" in c["Problems"] and "cut off" in c["Problems"]
    row = next(r for r in range(3) if "120000" in panel.table.item(r, 0).text())
    assert panel.table.item(row, 0).text().startswith("⚠") and "problems:" in panel.table.item(row, 0).toolTip()
    assert "3 runs, 1 with problems" in panel.status.text()


def test_overlay_draws_one_curve_per_selected_run_with_the_axes_chosen(qtbot, window, three_runs):
    panel = runs_panel(window, qtbot)
    a, b = (str(three_runs / n) for n in ("20260101-100000-quick-synthetic", "20260101-110000-quick-synthetic"))
    panel.select_paths([a, b])
    qtbot.waitUntil(lambda: len(panel.drawn) == 2, timeout=20_000)
    labels = [label for label, _ in panel.drawn]
    assert any("lrn=off" in label for label in labels) and any("lrn=on" in label for label in labels)
    legend_texts = [item.text for _, item in panel.legend.items]
    assert sorted(legend_texts) == sorted(labels)
    # validation top-1 error against step (the default): a point per validation, in per cent
    curve = dict((label, item) for label, item in panel.drawn)
    xs, ys = next(v for k, v in curve.items() if "lrn=on" in k).getData()
    assert list(xs) == [10, 20, 30, 40] and ys[-1] == pytest.approx(30.0)
    panel.x_box.setCurrentIndex(panel.x_box.findData("epoch"))
    panel.y_box.setCurrentIndex(panel.y_box.findData("loss"))
    assert len(panel.drawn) == 2 and panel.plot.getAxis("bottom").labelText == "epoch"
    xs, ys = next(item for label, item in panel.drawn if "lrn=off" in label).getData()
    assert len(xs) == 30 and xs[-1] == pytest.approx(3.0) and ys[-1] == pytest.approx(1.0)
    panel.x_box.setCurrentIndex(panel.x_box.findData("images"))
    xs, _ = next(item for label, item in panel.drawn if "lrn=on" in label).getData()
    assert xs[-1] == pytest.approx(8 * 40)  # images seen: steps x the batch size of config.json
    panel.select_paths([a, b, str(three_runs / "20260101-120000-quick-synthetic")])
    qtbot.waitUntil(lambda: len(panel.drawn) == 3, timeout=20_000)  # the damaged run draws what it has
    assert "not records" in panel.overlay_note.toolTip()


def test_delete_asks_and_removes_but_never_a_running_run(qtbot, window, three_runs):
    panel = runs_panel(window, qtbot)
    victim = three_runs / "20260101-110000-quick-synthetic"
    asked = []
    panel.confirm = lambda title, text: asked.append(text) or False  # the user says Cancel
    panel.select_paths([str(victim)])
    panel.btn_delete.click()
    assert asked and str(victim) in asked[0] and victim.is_dir()
    panel.confirm = lambda title, text: asked.append(text) or True  # the user says Yes
    panel.btn_delete.click()
    qtbot.waitUntil(lambda: panel.table.rowCount() == 2, timeout=20_000)
    assert not victim.exists() and any("deleted 1 run folder" in t for _, t in window.lab.messages)
    running = three_runs / "20260101-100000-quick-synthetic"
    with RunLock(running):
        panel = runs_panel(window, qtbot)
        assert row_of(panel, running.name)["State"] == "running"
        asked.clear()
        panel.select_paths([str(running)])
        panel.btn_delete.click()
        assert not asked and running.is_dir()
        assert "cannot delete a running run" in window.lab.messages[-1][1] and str(os.getpid()) in window.lab.messages[-1][1]


def test_load_best_weights_of_a_run_in_the_app(qtbot, window, three_runs):
    from train_backend.io.checkpoints import InputSpec, save_checkpoint
    from train_backend.models import build_model

    run = three_runs / "20260101-100000-quick-synthetic"
    m = build_model("paper", num_classes=3, width=0.25, hidden=32)
    save_checkpoint(run / "best.pt", m, ["ant", "bee", "cow"], InputSpec(67, 3, (0.5,) * 3, (0.25,) * 3))
    panel = runs_panel(window, qtbot)
    panel.select_paths([str(run)])
    assert panel.btn_best.isEnabled() and panel.btn_last.isEnabled()
    panel.btn_best.click()
    qtbot.waitUntil(lambda: window.lab.session.weights is not None and window.lab.session.weights.classes == ("ant", "bee", "cow"),
                    timeout=30_000)
    assert window.lab.session.weights_spec == str(run / "best.pt")


WRITER = textwrap.dedent("""
    import json, os, sys, time
    import numpy as np
    from tests.test_runs_gui import step_record
    from train_backend.runs import RunLock, write_kernel_file
    run, go = sys.argv[1], sys.argv[2]
    rng = np.random.default_rng(0)
    def wait(name):
        while not os.path.exists(os.path.join(go, name)):
            time.sleep(0.05)
    with RunLock(run):
        with open(os.path.join(run, "metrics.jsonl"), "a") as f:
            for s in range(1, 31):
                line = json.dumps(step_record(s, 0, 100, 2.0, 0.5)) + "\\n"
                if s == 30:  # the last line in two pieces, the newline late
                    f.write(line[:20]); f.flush(); time.sleep(0.6); line = line[20:]
                f.write(line); f.flush()
                if s % 10 == 0:
                    write_kernel_file(run, rng.normal(size=(8, 3, 5, 5)).astype(np.float32), step=s)
                    time.sleep(0.4)
        wait("more")
        with open(os.path.join(run, "metrics.jsonl"), "a") as f:
            for s in range(31, 41):
                f.write(json.dumps(step_record(s, 0, 100, 1.5, 0.6)) + "\\n"); f.flush()
        wait("end")
""")


def test_open_run_follows_a_file_another_process_writes(qtbot, window, tmp_path):
    run = tmp_path / "elsewhere" / "live-run"
    run.mkdir(parents=True)
    (run / "config.json").write_text(recipe("quick").replace(dataset="synthetic").to_json())
    go = tmp_path / "go"
    go.mkdir()
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(run), str(go)], cwd=ROOT)
    try:
        assert window.lab.open_run(str(run))
        watcher, curves = window.lab.watcher, window.curves
        qtbot.waitUntil(lambda: curves.loss.total_added >= 10, timeout=30_000)
        qtbot.waitUntil(lambda: window.kernels.snapshot is not None, timeout=30_000)
        first_kernels = window.kernels.snapshot
        qtbot.waitUntil(lambda: curves.loss.total_added == 30, timeout=30_000)  # the split line, once whole
        qtbot.waitUntil(lambda: window.kernels.snapshot.step == 30, timeout=30_000)
        assert window.kernels.snapshot is not first_kernels
        assert window.lab.session.watched.state == "running" and window.lab.session.watched.step == 30
        assert "watching live-run: running" in window.status.lbl_progress.text()
        assert "live-run" in curves.plot_loss.titleLabel.text
        (go / "more").touch()
        qtbot.waitUntil(lambda: curves.loss.total_added == 40, timeout=30_000)
        (go / "end").touch()
        writer.wait(30)
        qtbot.waitUntil(lambda: window.lab.session.watched.state == "crashed", timeout=30_000)  # no end record

        # truncated under it: the curves start again with what the file holds now
        resets = watcher.resets
        with open(run / "metrics.jsonl", "w") as f:
            f.write("".join(json.dumps(step_record(s, 0, 100, 1.0, 0.9)) + "\n" for s in range(1, 6)))
        qtbot.waitUntil(lambda: watcher.resets > resets and curves.loss.total_added == 5, timeout=30_000)
        assert any("truncated or replaced" in t for _, t in window.lab.messages)
        # replaced by another file (a new inode), one with a garbage line
        resets = watcher.resets
        tmp = run / "metrics.new"
        tmp.write_text("".join(json.dumps(step_record(s, 0, 100, 0.5, 0.95)) + "\n" for s in range(1, 8))
                       + "garbage\n" + json.dumps({"kind": "step", "step": 9}) + "\n")
        os.replace(tmp, run / "metrics.jsonl")
        qtbot.waitUntil(lambda: watcher.resets > resets and curves.loss.total_added == 7, timeout=30_000)
        qtbot.waitUntil(lambda: window.lab.session.watched.problem is not None, timeout=30_000)
        assert "skipped" in window.lab.session.watched.problem
        # the folder disappears: said, nothing crashes; it comes back: followed again
        shutil.rmtree(run)
        qtbot.waitUntil(lambda: "gone" in (window.lab.session.watched.problem or ""), timeout=30_000)
        assert "gone" in window.status.lbl_progress.text()
        run.mkdir()
        (run / "metrics.jsonl").write_text(json.dumps(step_record(1, 0, 100, 0.7, 0.9)) + "\n")
        qtbot.waitUntil(lambda: window.lab.session.watched.problem is None and curves.loss.total_added == 1,
                        timeout=30_000)
        # training starts in the window: watching stops
        window.lab.start_training(fresh=True)
        assert window.lab.session.watched is None and not watcher.active
        qtbot.waitUntil(lambda: window.lab.last_end is not None or window.lab.state.value == "running", timeout=60_000)
        window.lab.stop_training()
        qtbot.waitUntil(lambda: window.lab.last_end is not None, timeout=60_000)
    finally:
        for name in ("more", "end"):
            (go / name).touch()
        writer.wait(30)


def test_open_run_refuses_a_missing_folder(qtbot, window, tmp_path):
    assert not window.lab.open_run(str(tmp_path / "nothing-here"))
    assert window.lab.session.watched is None and "no such folder" in window.lab.messages[-1][1]


def test_launch_screenshot_of_three_overlaid_runs_and_a_watched_run(tmp_path):
    now = time.time()
    compare = tmp_path / "lrn-ablation"
    write_run(compare / "a-paper", steps=60, best=0.30, started=now - 30)
    write_run(compare / "b-no-lrn", steps=60, best=0.36, started=now - 20, lrn=False)
    write_run(compare / "c-no-overlap", steps=40, best=0.33, started=now - 10, overlapping_pool=False)
    watched = write_run(tmp_path / "watched", steps=25, end="stopped")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "ALEXNET_GUI_RUNS": str(tmp_path / "runs")}
    shot = tmp_path / "runs.png"
    res = subprocess.run([sys.executable, "-m", "alexnet_gui", "launch", "--dataset", "synthetic", "--runs",
                          str(compare), "--open-run", str(watched), "--screenshot", str(shot)],
                         capture_output=True, text=True, timeout=600, env=env, cwd=ROOT)
    assert res.returncode == 0, res.stderr
    assert Image.open(shot).width >= 1000 and "3 runs listed, 3 runs overlaid" in res.stdout
    assert "watching watched: stopped, epoch 3, step 25" in res.stdout
    if os.environ.get("ALEXNET_GUI_KEEP_SHOT"):
        shutil.copy(shot, os.environ["ALEXNET_GUI_KEEP_SHOT"])


def test_the_window_watches_a_real_headless_training_run(qtbot, window, tmp_path):
    """alexnet-gui train --out DIR in another process, watched: running while it trains (its lock), its curves and
    kernels as it writes them, finished at its end."""
    run = tmp_path / "headless"
    cmd = [sys.executable, "-m", "train_backend", "train", "--dataset", "synthetic", "--max-steps", "30",
           "--batch-size", "8", "--input-size", "67", "--set", "width=0.25", "--set", "hidden=64", "--set",
           "kernel_interval_s=0.2", "--val-every", "15", "--val-subset", "16", "--workers", "0", "--device", "cpu",
           "--out", str(run)]
    trainer = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        qtbot.waitUntil(lambda: run.is_dir(), timeout=60_000)
        assert window.lab.open_run(str(run))
        states = set()
        window.lab.session.watch_changed.connect(lambda w: states.add(w.state) if w is not None else None)
        qtbot.waitUntil(lambda: trainer.poll() is not None, timeout=180_000)
        assert trainer.returncode == 0, trainer.stderr.read().decode()
        qtbot.waitUntil(lambda: window.lab.session.watched.state == "finished", timeout=30_000)
        assert "running" in states
        assert window.curves.loss.x[-1] == 30 and len(window.curves.val_steps) >= 2
        assert window.kernels.snapshot is not None and window.kernels.snapshot.towers == 2
        assert "watching headless: finished" in window.status.lbl_progress.text()
    finally:
        if trainer.poll() is None:
            trainer.kill()
        trainer.wait(30)


def test_a_rescan_reads_again_only_the_runs_that_changed(tmp_path):
    from alexnet_gui.panels.runs import scan

    root = tmp_path / "runs"
    write_run(root / "a", steps=20)
    write_run(root / "b", steps=20)
    write_run(root / "group" / "arm-1", steps=10)  # an experiment's arm, one level down
    (root / "not-a-run").mkdir()
    first = scan([root, tmp_path / "missing"], {})
    assert sorted(r.name for r in first.records) == ["a", "arm-1", "b"]
    assert first.errors == [f"{tmp_path / 'missing'}: no such folder"]
    with open(root / "b" / "metrics.jsonl", "a") as f:
        f.write(json.dumps(step_record(21, 2, 10, 0.5, 0.9)) + "\n")
    second = scan([root], first.cache)
    by_name = {r.name: r for r in second.records}
    old = {r.name: r for r in first.records}
    assert by_name["a"] is old["a"] and by_name["arm-1"] is old["arm-1"]  # unchanged: not read again
    assert by_name["b"] is not old["b"] and by_name["b"].steps == 21
    shutil.rmtree(root / "a")
    assert sorted(r.name for r in scan([root], second.cache).records) == ["arm-1", "b"]


def test_the_runs_panels_folders_are_remembered_between_sessions(qtbot, tmp_path, monkeypatch, no_thread_leaks):
    from tests.conftest import closable_window

    one, two = tmp_path / "cluster-runs", tmp_path / "more-runs"
    write_run(one / "20260101-100000-quick-synthetic", steps=10, best=0.5, started=time.time() - 60)
    two.mkdir()
    win = closable_window(tmp_path, monkeypatch)
    win.runs.add_folder(one)
    win.runs.add_folder(two)
    win.close()
    two.rmdir()  # a folder gone since is left out, silently
    again = closable_window(tmp_path, monkeypatch)
    try:
        assert again.runs.extra_roots == [one.resolve()]
        panel = runs_panel(again, qtbot)
        assert row_of(panel, "20260101-100000-quick-synthetic")["Steps"].startswith("10")
    finally:
        again.close()
