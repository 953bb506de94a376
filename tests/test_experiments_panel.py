"""The Experiments panel on the real window: a tiny experiment runs on the worker, the table fills as arms finish,
Stop ends it with a report of what finished, and the window's own training and an experiment never run together."""

import json
from pathlib import Path

from tests.test_experiments import tiny_overrides


def open_panel(window):
    panel = window.panels["experiments"]
    window.docks["experiments"].raise_()
    panel.overrides = {**tiny_overrides("lrn"), "val_every_steps": 2}
    panel.experiment.setCurrentIndex(panel.experiment.findData("lrn"))
    panel.dataset.setCurrentIndex(panel.dataset.findData("synthetic"))
    panel.budget_kind.setCurrentIndex(panel.budget_kind.findData("steps"))
    return panel


def test_a_tiny_experiment_fills_the_table_with_the_papers_figures(window, qtbot):
    panel = open_panel(window)
    panel.budget.setValue(3)
    panel.seeds.setText("0")
    panel.btn_start.click()
    assert panel.running and not panel.btn_start.isEnabled()
    qtbot.waitUntil(lambda: not panel.running, timeout=120_000)
    assert not panel.error.isVisible(), panel.error.text()
    assert panel.table.rowCount() == 2
    assert [panel.cell(r, 0) for r in range(2)] == ["with LRN", "without LRN"]
    for r in range(2):
        assert 0 <= float(panel.cell(r, 2)) <= 100 and panel.cell(r, 6) == "3"
    assert "-1.40" in panel.verdict.text() and "direction agrees" in panel.verdict.text()
    assert set(panel._curves) == {("lrn", 0), ("no-lrn", 0)} and set(panel._val) == {("lrn", 0), ("no-lrn", 0)}
    report = json.loads((Path(panel.out) / "report.json").read_text())
    assert report["complete"] and report["data"]["dataset"] == "synthetic"
    assert panel.report["arms"][0]["top1_error"] == report["arms"][0]["top1_error"]
    assert str(window.lab.session.state.value) != "running"


def test_stop_ends_the_experiment_and_training_is_refused_meanwhile(window, qtbot):
    panel = open_panel(window)
    panel.budget.setValue(100_000)  # would run for hours: only Stop ends it
    panel.seeds.setText("0 1")
    panel.btn_start.click()
    qtbot.waitUntil(lambda: len(panel._curves) == 1 and len(panel._curves[("lrn", 0)][0]) >= 2, timeout=60_000)
    assert window.lab.start_training() is False  # the window's own training waits for the experiment
    assert window.lab.start_experiment("dropout") == "an experiment is already running"
    panel.btn_stop.click()
    qtbot.waitUntil(lambda: not panel.running, timeout=60_000)
    assert "stopped" in panel.status.text() and panel.btn_start.isEnabled()
    report = json.loads((Path(panel.out) / "report.json").read_text())
    assert not report["complete"] and [r["reason"] for r in report["runs"]] == ["stopped"]
    assert panel.cell(0, 1) == "0"  # no seed of either arm trained its budget


def test_bad_seeds_are_said_in_the_panel_and_nothing_starts(window, qtbot):
    panel = open_panel(window)
    panel.seeds.setText("zero")
    panel.btn_start.click()
    assert panel.error.isVisible() and "whole numbers" in panel.error.text() and not panel.running
    assert not window.lab.worker.experimenting


def test_an_experiment_is_refused_while_the_window_trains(window, qtbot):
    panel = open_panel(window)
    window.lab.config = window.lab.config.replace(epochs=100)
    assert window.lab.start_training()
    qtbot.waitUntil(lambda: window.lab.worker.training, timeout=60_000)
    panel.btn_start.click()
    assert panel.error.isVisible() and "training is running" in panel.error.text()
    assert not panel.running and not window.lab.worker.experimenting
    window.lab.stop_training()
    qtbot.waitUntil(lambda: not window.lab.worker.training, timeout=60_000)
