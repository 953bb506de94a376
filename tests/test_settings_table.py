"""The settings table is the one source: a setting added as a row (and a TrainConfig field) is a train flag, a
``--set`` key, a dialog row, a bound problems() checks and a key ``runs`` compares, with nothing else written."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest

from train_backend import config, recipes, settings
from train_backend.cli import main
from train_backend.runs.folder import config_differences

README = Path(__file__).resolve().parents[1] / "README.md"


def _print_config(capsys, *flags: str) -> dict:
    assert main(["train", *flags, "--print-config"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.fixture
def label_smoothing(monkeypatch):
    """A new setting, added in one place: a TrainConfig field and its row (nothing else)."""
    extended = dataclasses.make_dataclass("TrainConfig", [("label_smoothing", float, 0.0)], bases=(config.TrainConfig,))
    monkeypatch.setattr(recipes, "TrainConfig", extended)  # the recipes build the config with the new field
    row = settings.Setting("label_smoothing", "Optimisation", "Label smoothing", "float", "soften the targets",
                           minimum=0.0, maximum=1.0, below_maximum=True)
    monkeypatch.setattr(settings, "CONFIG_SETTINGS", settings.CONFIG_SETTINGS + (row,))
    monkeypatch.setattr(settings, "SETTINGS", settings.SETTINGS + (row,))
    monkeypatch.setattr(settings, "BY_KEY", {**settings.BY_KEY, row.key: row})
    return row


def test_a_setting_added_once_is_a_flag_a_set_key_a_bound_and_a_difference(label_smoothing, capsys):
    assert _print_config(capsys, "--label-smoothing", "0.1")["label_smoothing"] == 0.1  # a named flag
    assert _print_config(capsys, "--set", "label_smoothing=0.2")["label_smoothing"] == 0.2  # --set
    assert _print_config(capsys)["label_smoothing"] == 0.0
    assert main(["train", "--label-smoothing", "1", "--print-config"]) == 2  # the row's bound
    assert "label smoothing must be below 1 (got 1.0)" in capsys.readouterr().err
    assert "label_smoothing" in settings.describe_all()
    assert "`label_smoothing`" in settings.markdown_table()
    run = recipes.recipe("quick").to_dict() | {"label_smoothing": 0.3}
    assert config_differences(run)["label_smoothing"] == 0.3  # runs' "differs"
    assert "label_smoothing" not in settings.bookkeeping_keys()


def test_a_bookkeeping_row_leaves_runs_differs(label_smoothing, monkeypatch):
    row = dataclasses.replace(label_smoothing, bookkeeping=True)
    monkeypatch.setattr(settings, "SETTINGS", settings.SETTINGS[:-1] + (row,))
    assert "label_smoothing" in settings.bookkeeping_keys()
    run = recipes.recipe("quick").to_dict() | {"label_smoothing": 0.3}
    assert "label_smoothing" not in config_differences(run)


def test_a_setting_added_once_is_a_dialog_row(label_smoothing, qtbot):
    from alexnet_gui.widgets.settings_dialog import SettingsDialog

    dlg = SettingsDialog(recipes.recipe("quick"), ["auto", "cpu"])
    qtbot.addWidget(dlg)
    assert "label_smoothing" in dlg.rows and dlg.rows["label_smoothing"].widget.maximum() == 1.0
    assert dlg._labels["label_smoothing"].text() == "Label smoothing"


def test_every_flag_users_type_today_still_works(capsys):
    cfg = _print_config(capsys, "--lr", "0.02", "--batch-size", "16", "--val-every", "7", "--no-cpu-bf16",
                        "--compile-lrn", "--optimizer", "paper", "--no-amp", "--time-budget", "60", "--workers", "0",
                        "--ten-crop", "--tensorboard-every", "5", "--no-lrn", "--no-overlap", "--tanh", "--towers",
                        "1", "--init", "kaiming", "--channels", "3", "--download", "--freeze-features",
                        "--batch-augment", "--split-seed", "3", "--val-fraction", "0.1", "--eval-resize", "square",
                        "--log-every", "2", "--val-subset", "10", "--max-steps", "9", "--epochs", "2", "--momentum",
                        "0.5", "--weight-decay", "0", "--schedule", "step", "--input-size", "67", "--device", "cpu",
                        "--seed", "4", "--dataset", "synthetic")
    assert (cfg["lr"], cfg["batch_size"], cfg["val_every_steps"], cfg["cpu_bf16"], cfg["compile_lrn"]) == \
        (0.02, 16, 7, False, True, )
    assert (cfg["optimizer"], cfg["amp"], cfg["time_budget_s"], cfg["num_workers"], cfg["ten_crop_val"]) == \
        ("paper", False, 60.0, 0, True)
    assert cfg["tensorboard_histogram_every"] == 5 and cfg["download"] and cfg["freeze_features"]
    assert cfg["model_options"] == {"init": "kaiming", "dropout": 0.0, "lrn": False, "overlapping_pool": False,
                                    "activation": "tanh", "towers": 1}
    assert (cfg["split_seed"], cfg["val_fraction"], cfg["eval_resize"], cfg["log_every"], cfg["val_subset"]) == \
        (3, 0.1, "square", 2, 10)
    assert (cfg["max_steps"], cfg["epochs"], cfg["momentum"], cfg["weight_decay"], cfg["schedule"]) == \
        (9, 2, 0.5, 0.0, "step")
    assert (cfg["input_size"], cfg["device"], cfg["seed"], cfg["dataset"], cfg["batch_augment"]) == \
        (67, "cpu", 4, "synthetic", True)


def test_the_flags_help_is_the_rows(capsys):
    with pytest.raises(SystemExit):
        main(["train", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert " ".join(settings.BY_KEY["compile_lrn"].help.split()) in text


def test_lr_past_its_row_is_refused_by_the_cli_and_the_config_alike(capsys):
    assert main(["train", "--lr", "500", "--print-config"]) == 2
    assert "learning rate must be at most 100" in capsys.readouterr().err
    assert "learning rate must be at most 100 (got lr=500)" in config.TrainConfig(lr=500).problems()
    assert main(["train", "--set", "batch_size=100000000", "--print-config"]) == 2
    assert "batch size must be at most 65536" in capsys.readouterr().err


def test_readme_settings_table_is_the_generated_one():
    text = README.read_text(encoding="utf-8")
    found = re.search(r"<!-- settings table: begin -->\n(.*?)\n<!-- settings table: end -->", text, re.S)
    assert found, "README has no generated settings table"
    assert found.group(1) == settings.markdown_table(), "README's settings table is stale: regenerate it"
