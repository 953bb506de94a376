"""Runs on disk: each run's size (the Runs panel, ``alexnet-gui runs``), its checkpoints removed keeping its curves
and config, and screenshot runs that never land in the user's runs folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_runs_gui import row_of, runs_panel, write_run
from train_backend.cli import main
from train_backend.runs import NotARunFolder, RunLock, RunLocked, human_size, read_run, remove_checkpoints, run_size

ROOT = Path(__file__).resolve().parent.parent
LAST, BEST = 3_000_000, 2_000_000


def a_run(folder: Path) -> Path:
    write_run(folder, steps=40)
    (folder / "last.pt").write_bytes(b"\0" * LAST)
    (folder / "best.pt").write_bytes(b"\1" * BEST)
    return folder


def test_a_run_s_size_counts_its_files_not_an_experiment_s_arms(tmp_path):
    run = a_run(tmp_path / "exp")
    (run / "tensorboard").mkdir()
    (run / "tensorboard" / "events").write_bytes(b"x" * 1000)
    arm = a_run(run / "arm-a")  # a run of its own: sized by itself
    small = sum(f.stat().st_size for f in run.iterdir() if f.is_file())
    assert run_size(run) == small + 1000
    rec = read_run(run)
    assert rec.size == small + 1000 and rec.checkpoint_bytes == LAST + BEST
    assert read_run(arm).size == run_size(arm) > LAST + BEST
    assert rec.to_dict()["size_bytes"] == rec.size
    assert (human_size(455_000_000), human_size(1_230_000_000), human_size(512)) == ("455 MB", "1.2 GB", "512 B")


def test_removing_checkpoints_keeps_the_curves_and_config_and_says_what_it_freed(tmp_path):
    run = a_run(tmp_path / "run")
    before = read_run(run)
    assert remove_checkpoints(run) == LAST + BEST
    assert not (run / "last.pt").exists() and not (run / "best.pt").exists()
    after = read_run(run)
    assert after.steps == before.steps == 40 and after.best_top1_error == before.best_top1_error
    assert after.config == before.config and after.checkpoints == {} and after.checkpoints_removed
    assert not after.problems  # removed on purpose: not listed as missing
    assert "freed" in (run / "checkpoints-removed.txt").read_text()
    assert after.size == before.size - LAST - BEST + (run / "checkpoints-removed.txt").stat().st_size
    assert remove_checkpoints(run) == 0  # nothing left to remove
    with pytest.raises(NotARunFolder):
        remove_checkpoints(tmp_path)
    running = a_run(tmp_path / "running")
    with RunLock(running), pytest.raises(RunLocked):
        remove_checkpoints(running)
    assert (running / "last.pt").exists()


def test_the_runs_command_shows_sizes_and_removes_checkpoints(tmp_path, capsys):
    a_run(tmp_path / "20260101-100000-quick-synthetic")
    assert main(["runs", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    header, row = out.splitlines()[:2]
    assert "size" in header.split() and " 5.0 MB " in row
    assert "1 run(s) in" in out and "5.0 MB on disk (5.0 MB of it checkpoints" in out and "--remove-checkpoints" in out
    assert main(["runs", str(tmp_path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["size_bytes"] > LAST + BEST
    assert main(["runs", str(tmp_path), "--remove-checkpoints", "20260101-100000-quick-synthetic"]) == 0
    out = capsys.readouterr().out
    assert "5.0 MB freed" in out and "curves, config and kernels are kept" in out
    assert not (tmp_path / "20260101-100000-quick-synthetic" / "last.pt").exists()
    assert main(["runs", str(tmp_path), "--remove-checkpoints", "nope"]) == 2
    assert "no such run folder" in capsys.readouterr().err


def test_the_runs_panel_shows_sizes_and_removes_checkpoints_after_saying_what_is_freed(qtbot, window, tmp_path):
    run = a_run(tmp_path / "runs" / "20260101-100000-quick-synthetic")  # the window fixture's runs folder
    panel = runs_panel(window, qtbot)
    assert row_of(panel, run.name)["Size"] == human_size(read_run(run).size)
    panel.select_paths([str(run)])
    assert panel.btn_free.isEnabled()
    asked = []
    panel.confirm = lambda title, text: asked.append(text) or False  # Cancel
    panel.btn_free.click()
    assert "free 5.0 MB" in asked[0] and "curves, config and kernels are kept" in asked[0]
    assert (run / "last.pt").exists()
    panel.confirm = lambda title, text: asked.append(text) or True  # Yes
    panel.btn_free.click()
    qtbot.waitUntil(lambda: any("5.0 MB freed" in t for _, t in window.lab.messages), timeout=20_000)
    assert not (run / "last.pt").exists() and (run / "metrics.jsonl").exists()
    panel = runs_panel(window, qtbot)
    assert row_of(panel, run.name)["Problems"] == "" and not panel.btn_free.isEnabled()


def test_tests_run_with_their_own_runs_folder():
    assert Path(os.environ["ALEXNET_GUI_RUNS"]).resolve() != (Path.home() / "alexnet-gui-runs").resolve()


def test_a_screenshot_s_training_run_goes_to_a_temporary_folder_removed_afterwards(tmp_path):
    user_runs, tmp = tmp_path / "user-runs", tmp_path / "tmp"
    tmp.mkdir()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "ALEXNET_GUI_RUNS": str(user_runs), "TMPDIR": str(tmp)}
    cmd = [sys.executable, "-m", "alexnet_gui", "launch", "--dataset", "synthetic", "--train-steps", "2",
           "--screenshot", str(tmp_path / "shot.png")]
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=600, env=env, cwd=ROOT)
    assert res.returncode == 0, res.stdout[-2000:] + res.stderr[-2000:]
    assert "reached 2 steps" in res.stdout
    assert not user_runs.exists() or not any(user_runs.iterdir())
    assert list(tmp.iterdir()) == []  # the run went with the screenshot's temporary folder
