"""The paper tour: its sections, their numbers against the single sources, its buttons as the window's own
actions, and its check marks remembered across windows."""

from __future__ import annotations

import pytest
import torch

from train_backend.experiments import EXPERIMENTS
from train_backend.models import build_model
from train_backend.models.lrn import PAPER_ALPHA, PAPER_BETA, PAPER_K, PAPER_N
from train_backend.models.summary import count_parameters
from train_backend.paper_results import TABLE1, TABLE2
from train_backend.paper_tour import budget_for, tour_actions, tour_sections
from train_backend.recipes import recipe

SECTIONS = ("3.1", "3.2", "3.3", "3.4", "3.5", "4.1", "4.2", "5", "6", "6.1", "7")


def test_the_tour_lists_exactly_the_papers_sections_in_order():
    assert tuple(s.number for s in tour_sections()) == SECTIONS
    assert all(s.title and s.text and s.see and s.actions for s in tour_sections())


def _points(fraction):
    return round(abs(fraction) * 100, 2)


def _expected() -> dict[str, dict]:
    """Each section's numbers, read again from the sources."""
    claim = {name: e.claim for name, e in EXPERIMENTS.items()}
    with torch.device("meta"):
        two, one = build_model("paper"), build_model("paper", towers=1)
    convs = tuple(m.out_channels for m in two.modules() if isinstance(m, torch.nn.Conv2d))
    fcs = tuple(m.out_features for m in two.modules() if isinstance(m, torch.nn.Linear))
    paper = recipe("paper")
    t2 = TABLE2.row
    return {
        "3.1": dict(target=claim["relu-vs-tanh"].target, ratio=claim["relu-vs-tanh"].ratio),
        "3.2": dict(top1=_points(claim["towers"].top1), top5=_points(claim["towers"].top5),
                    parameters=count_parameters(two), one_gpu_parameters=count_parameters(one)),
        "3.3": dict(k=PAPER_K, n=PAPER_N, alpha=PAPER_ALPHA, beta=PAPER_BETA, top1=_points(claim["lrn"].top1),
                    top5=_points(claim["lrn"].top5), cifar_top1=_points(claim["lrn-cifar"].top1)),
        "3.4": dict(top1=_points(claim["overlap"].top1), top5=_points(claim["overlap"].top5)),
        "3.5": dict(kernels=convs, fc=fcs, parameters=count_parameters(two), input_size=paper.input_size),
        "4.1": dict(lighting_sigma=EXPERIMENTS["lighting"].arms[0].value,
                    lighting_top1=_points(claim["lighting"].top1)),
        "4.2": dict(p=EXPERIMENTS["dropout"].arms[0].value, ratio=claim["dropout"].ratio),
        "5": dict(batch=paper.batch_size, momentum=paper.momentum, weight_decay=paper.weight_decay, lr=paper.lr,
                  epochs=paper.epochs),
        "6": dict(table1_top1=TABLE1.row("CNN").top1, table1_top5=TABLE1.row("CNN").top5,
                  cnn1_top1=t2("1 CNN").top1, cnn1_top5=t2("1 CNN").top5, cnn5_top1=t2("5 CNNs").top1,
                  cnn5_top5=t2("5 CNNs").top5, cnn7_top5=t2("7 CNNs*").top5, cnn7_test=t2("7 CNNs*").test_top5,
                  fvs_test=t2("SIFT + FVs").test_top5),
        "6.1": dict(neighbours=6, fc7=fcs[1]),
        "7": dict(top1=_points(claim["depth"].top1)),
    }


def _shown(value) -> list[str]:
    """How a number may be written in the text."""
    if isinstance(value, tuple):
        return [str(v) for v in value]
    if isinstance(value, int) and value >= 10_000:
        return [f"{value:,}"]
    if isinstance(value, float):
        return [f"{value:g}", f"{value * 100:g} %" if value < 1 else f"{value:g}", f"{value:.1f}"]
    return [str(value)]


@pytest.mark.parametrize("number", SECTIONS)
def test_every_sections_numbers_equal_their_single_sources_and_are_in_its_text(number):
    section = {s.number: s for s in tour_sections()}[number]
    assert section.numbers == _expected()[number]
    for name, value in section.numbers.items():
        forms = _shown(value)
        if isinstance(value, tuple):
            assert all(f in section.text for f in forms), (name, value)
        else:
            assert any(f in section.text for f in forms), (name, value, section.text)


def test_the_experiments_of_the_tour_have_a_budget_for_a_cpu_and_a_longer_one_for_a_gpu():
    names = [a.split(":", 1)[1] for a in tour_actions() if a.startswith("experiment:")]
    assert set(names) == {"relu-vs-tanh", "overlap", "augment", "lighting", "dropout", "depth"}
    for name in names:
        assert name in EXPERIMENTS
        cpu, gpu = budget_for(name), budget_for(name, gpu=True)
        assert 10 <= cpu * len(EXPERIMENTS[name].arms) <= 600  # seconds to minutes on a 2-core CPU
        assert gpu > cpu


# ------------------------------------------------------------------------------------------------ in the window
def _menu_actions(menu_bar) -> set:
    """Every action reachable from the menu bar (submenus included)."""
    found, menus = set(), [a.menu() for a in menu_bar.actions() if a.menu() is not None]
    while menus:
        menu = menus.pop()
        for a in menu.actions():
            if a.menu() is not None:
                menus.append(a.menu())
            elif not a.isSeparator():
                found.add(a)
    return found


def test_every_tour_button_triggers_the_same_action_as_its_menu_item(qtbot, window):
    panel = window.panels["paper"]
    in_menus = _menu_actions(window.menuBar())
    pressed = 0
    for section in tour_sections():
        buttons = panel.buttons[section.key]
        assert len(buttons) == len(section.actions)
        for name, button in zip(section.actions, buttons):
            action = window.tour_actions[name]
            assert button.defaultAction() is action
            assert action in in_menus, f"{name} is no menu item"
            fired = []
            action.triggered.connect(lambda *_: fired.append(1))
            qtbot.mouseClick(button, qtbot_button())
            assert fired == [1], name
            pressed += 1
            if name == "show:paper-recipe":
                window._recipe_dialog.close()
            elif name.startswith("experiment:"):
                experiment = name.split(":", 1)[1]
                experiments = window.panels["experiments"]
                assert experiments.name == experiment
                assert experiments.budget_kind.currentData() == "time"
                assert experiments.budget.value() == budget_for(experiment)  # the window's device is the CPU
        assert panel.checks[section.key].isChecked()
    assert pressed == len(tour_actions())
    lrn = window.panels["lrn"].params()
    assert (lrn["k"], lrn["n"], lrn["beta"], lrn["convention"]) == (PAPER_K, PAPER_N, PAPER_BETA, "paper")
    assert lrn["alpha"] == pytest.approx(PAPER_ALPHA, rel=0.05)


def qtbot_button():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


def test_help_paper_tour_shows_and_raises_the_paper_panel(qtbot, window):
    dock = window.docks["paper"]
    dock.close()
    assert window.act_tour in _menu_actions(window.menuBar())
    window.act_tour.trigger()
    qtbot.waitUntil(dock.isVisible, timeout=5_000)
    assert window.docks["predictions"] in window.tabifiedDockWidgets(dock)
    qtbot.waitUntil(lambda: not window.panels["paper"].visibleRegion().isEmpty(), timeout=5_000)  # in front
    assert window.panels["predictions"].visibleRegion().isEmpty()  # its tab behind


def test_the_check_marks_last_after_the_window_is_closed(qtbot, window, tmp_path, monkeypatch):
    from PySide6.QtCore import QSettings

    from alexnet_gui.main_window import LaunchOptions, MainWindow

    panel = window.panels["paper"]
    assert panel.seen() == []
    window.act_show_figure4.trigger()  # from the View menu: the section is seen all the same
    qtbot.mouseClick(panel.buttons["7"][0], qtbot_button())
    panel.checks["3.5"].setChecked(True)
    panel.checks["3.5"].setChecked(False)  # unticked by hand: not remembered
    assert panel.seen() == ["6.1", "7"]
    settings_file = window.settings.fileName()
    window.shutdown(30)
    window.close()

    again = MainWindow(LaunchOptions(dataset="synthetic", default_layout=True, continue_last=False),
                       settings=QSettings(settings_file, QSettings.Format.IniFormat))
    qtbot.addWidget(again)
    try:
        assert again.panels["paper"].seen() == ["6.1", "7"]
        assert "Seen 2 of 11" in again.panels["paper"].header.text()
    finally:
        again.shutdown(30)
        again.close()


def test_the_paper_panel_draws_its_sections(qtbot, window, tmp_path):
    window.act_tour.trigger()
    panel = window.panels["paper"]
    qtbot.waitUntil(lambda: panel.isVisible() and panel.width() > 100, timeout=5_000)
    image = panel.grab().toImage()
    assert image.width() > 100 and image.height() > 100
    assert image.save(str(tmp_path / "tour.png"))


def test_choosing_an_experiment_is_refused_while_one_runs(qtbot):
    from alexnet_gui.panels.experiments import ExperimentsPanel

    panel = ExperimentsPanel()
    qtbot.addWidget(panel)
    assert panel.select_experiment("dropout", 42)
    assert (panel.name, panel.budget.value(), panel.budget_kind.currentData()) == ("dropout", 42, "time")
    panel.running = True
    assert not panel.select_experiment("depth", 60)
    assert panel.name == "dropout"
    assert not panel.select_experiment("no-such-experiment")
