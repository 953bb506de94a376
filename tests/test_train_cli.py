import json
import subprocess
import sys

import pytest

from tests.conftest import requires_fashion_mnist
from train_backend.cli import main


def test_train_a_few_steps_on_synthetic_then_evaluate(tmp_path, capsys):
    out = tmp_path / "run"
    code = main(["train", "--recipe", "quick", "--dataset", "synthetic", "--max-steps", "4", "--batch-size", "8",
                 "--input-size", "67", "--val-subset", "16", "--out", str(out), "--quiet"])
    text = capsys.readouterr().out
    assert code == 0, text
    assert "training paper AlexNet (60,965,224 parameters)"[:22] in text
    assert "step 4/4" in text and "max_steps: reached 4 steps" in text
    assert (out / "last.pt").exists()
    cfg = json.loads((out / "config.json").read_text())
    assert cfg["recipe"] == "quick" and cfg["batch_size"] == 8 and cfg["input_size"] == 67
    code = main(["evaluate", "--weights", str(out / "last.pt"), "--limit", "16", "--json"])
    res = json.loads(capsys.readouterr().out)
    assert code == 0 and res["images"] == 16 and 0 <= res["top1_error"] <= 1
    # resume: --max-steps counts the whole run
    code = main(["train", "--recipe", "quick", "--dataset", "synthetic", "--max-steps", "6", "--batch-size", "8",
                 "--input-size", "67", "--val-subset", "16", "--out", str(out), "--resume", str(out / "last.pt"),
                 "--quiet"])
    text = capsys.readouterr().out
    assert code == 0 and "resuming at step 4" in text and "step 6/6" in text


def test_bad_settings_exit_2_with_a_message(tmp_path, capsys):
    code = main(["train", "--lr", "-1", "--batch-size", "0", "--out", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 2 and "learning rate must be positive" in err and "batch size" in err


def test_compile_lrn_flag_is_recorded_and_explained_on_the_cpu(tmp_path, capsys, monkeypatch):
    from train_backend.models import lrn as lrn_module

    # the kernels uncompiled (the real compile is tests/test_engine.py's); the engine's path is the same
    monkeypatch.setattr(lrn_module, "lrn_kernels",
                        lambda: (lrn_module.lrn_forward_kernel, lrn_module.lrn_backward_kernel))
    out = tmp_path / "run"
    code = main(["train", "--recipe", "quick", "--dataset", "synthetic", "--max-steps", "1", "--batch-size", "8",
                 "--input-size", "67", "--val-subset", "8", "--device", "cpu", "--compile-lrn", "--out", str(out),
                 "--quiet"])
    text = capsys.readouterr().out
    assert code == 0, text
    assert "compiling the 2 LRN layers with torch.compile for batches of 8" in text
    assert json.loads((out / "config.json").read_text())["compile_lrn"] is True
    notes = [json.loads(line) for line in (out / "metrics.jsonl").read_text().splitlines()]
    assert any(r["kind"] == "note" and r["text"].startswith("LRN compiled in") for r in notes)


def test_cpu_bf16_is_quicks_and_can_be_turned_off(capsys):
    assert _config(capsys)["cpu_bf16"] is True  # quick, the default recipe
    assert _config(capsys, "--no-cpu-bf16")["cpu_bf16"] is False
    assert _config(capsys, "--recipe", "paper")["cpu_bf16"] is False
    assert _config(capsys, "--recipe", "paper", "--cpu-bf16")["cpu_bf16"] is True


@pytest.mark.parametrize("bf16", [True, False])
def test_quick_takes_half_the_kernels_where_the_cpu_does_not_compute_bf16(bf16, monkeypatch, capsys):
    """Issue 28: on an AVX2-only CPU (no bf16) quick trains in fp32 with width 0.5 and hidden 2048, the rest the same;
    where bf16 is computed it keeps the paper's widths and trains in bf16.  The experiments keep the paper's
    widths on every CPU."""
    from train_backend import recipes
    from train_backend.experiments.paper import alexnet_base

    monkeypatch.setattr(recipes, "cpu_computes_bf16", lambda: bf16)
    cfg = recipes.recipe("quick")
    assert cfg.model_options.get("width", 1.0) == (1.0 if bf16 else 0.5)
    assert cfg.model_options.get("hidden", 4096) == (4096 if bf16 else 2048)
    assert (cfg.input_size, cfg.batch_size, cfg.lr, cfg.schedule, cfg.cpu_bf16) == (83, 32, 0.01, "cosine", True)
    assert cfg.model_options["init"] == "kaiming" and cfg.model_options["dropout"] == 0.0
    assert _config(capsys)["model_options"].get("width", 1.0) == (1.0 if bf16 else 0.5)  # train's default recipe
    base = alexnet_base("fashion-mnist").model_options
    assert base["width"] == 1.0 and base.get("hidden", 4096) == 4096


def test_print_config(tmp_path, capsys):
    code = main(["train", "--recipe", "paper", "--no-lrn", "--out", str(tmp_path), "--print-config"])
    cfg = json.loads(capsys.readouterr().out)
    assert code == 0 and cfg["model_options"]["lrn"] is False and cfg["momentum"] == 0.9


@requires_fashion_mnist
def test_train_on_real_fashion_mnist(tmp_path):
    res = subprocess.run([sys.executable, "-m", "train_backend", "train", "--recipe", "quick", "--max-steps", "3",
                          "--batch-size", "16", "--val-subset", "32", "--out", str(tmp_path / "r")],
                         capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr
    assert "on fashion-mnist (60,000 train / 10,000 val, 10 classes)" in res.stdout


def test_help():
    for cmd in ("train", "evaluate"):
        res = subprocess.run([sys.executable, "-m", "train_backend", cmd, "--help"], capture_output=True, text=True)
        assert res.returncode == 0 and "usage:" in res.stdout


def _config(capsys, *argv):
    code = main(["train", *argv, "--print-config"])
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out)


def test_set_reaches_every_config_field_and_model_option(capsys):
    from train_backend.settings import BY_KEY, SETTINGS, format_value
    from train_backend.config import TrainConfig
    from train_backend.recipes import recipe
    from dataclasses import fields

    # every field of the config (but the recipe's name and the options dict) and every model option has a setting
    assert {f.name for f in fields(TrainConfig)} - {"recipe", "model_options"} == \
        {s.key for s in SETTINGS if s.target == "config"}
    cfg = _config(capsys, "--recipe", "paper", "--set", "step_size=1", "--set", "gamma=0.5", "--set",
                  "feature_lr_mult=0.1", "--set", "dropout=0.3", "--set", "width=0.5", "--set", "lighting=0",
                  "--set", "flip=false", "--set", "checkpoint_interval_s=60", "--set", "max_steps=none",
                  "--set", "kernels=64,192,384,256,256", "--set", "towers=1", "--time-budget", "90")
    assert (cfg["step_size"], cfg["gamma"], cfg["feature_lr_mult"], cfg["lighting"], cfg["flip"]) == (1, 0.5, 0.1, 0, False)
    assert cfg["checkpoint_interval_s"] == 60 and cfg["max_steps"] is None and cfg["time_budget_s"] == 90
    assert cfg["model_options"] == {"dropout": 0.3, "width": 0.5, "kernels": [64, 192, 384, 256, 256], "towers": 1}
    # --set wins over a named flag; the value round-trips through format_value
    assert _config(capsys, "--lr", "0.1", "--set", "lr=0.2")["lr"] == 0.2
    base = recipe("quick")
    for s in SETTINGS:
        if s.target == "config":
            text = format_value(s, getattr(base, s.key))
            if s.kind != "path" or getattr(base, s.key) is not None:
                assert _config(capsys, "--set", f"{s.key}={text}")[s.key] == getattr(base, s.key), s.key
    assert BY_KEY["time_budget_s"].optional


@pytest.mark.parametrize("argv, message", [
    (["--set", "lr=abc"], "argument --set: lr=abc: invalid float value: 'abc'"),
    (["--lr", "abc"], "argument --lr: invalid float value: 'abc'"),
    (["--set", "flip=maybe"], "flip=maybe: invalid bool value: 'maybe'"),
    (["--set", "schedule=sometimes"], "invalid choice: 'sometimes'"),
    (["--set", "nonsense=1"], "unknown setting 'nonsense'"),
    (["--set", "lr"], "expected KEY=VALUE"),
])
def test_set_refuses_what_argparse_would(capsys, argv, message):
    with pytest.raises(SystemExit) as exc:
        main(["train", *argv, "--print-config"])
    assert exc.value.code == 2 and message in capsys.readouterr().err


@pytest.mark.parametrize("flag, setting", [(["--lr", "-1"], "lr=-1"), (["--batch-size", "0"], "batch_size=0"),
                                           (["--time-budget", "0"], "time_budget_s=0")])
def test_named_flags_and_set_give_the_same_validation_message(capsys, flag, setting):
    code = main(["train", *flag, "--print-config"])
    named = capsys.readouterr().err
    code2 = main(["train", "--set", setting, "--print-config"])
    assert code == code2 == 2 and named == capsys.readouterr().err and named.startswith("alexnet-gui: error: ")


def test_set_model_option_of_another_model_and_bad_option_values(capsys):
    code = main(["train", "--recipe", "finetune", "--set", "lrn=false", "--print-config"])
    assert code == 2 and "the torchvision model has no option 'lrn'" in capsys.readouterr().err
    # quick's He init was the paper model's option; its "no dropout" is one torchvision's model has too
    assert _config(capsys, "--set", "model=torchvision")["model_options"] == {"dropout": 0.0}
    code = main(["train", "--set", "dropout=1.5", "--print-config"])
    assert code == 2 and "dropout must be in [0, 1)" in capsys.readouterr().err
    code = main(["train", "--set", "gamma=0", "--set", "step_size=0", "--print-config"])
    err = capsys.readouterr().err
    assert code == 2 and "gamma" in err and "step size" in err


def test_list_settings_shows_every_key_with_the_recipes_value(capsys):
    from train_backend.settings import SETTINGS

    assert main(["train", "--recipe", "paper", "--list-settings"]) == 0
    out = capsys.readouterr().out
    for s in SETTINGS:
        if s.target == "config" or "paper" in s.models:
            assert f"  {s.key} " in out, s.key
    assert "towers" in out and "= 2" in out


def test_time_budget_stops_the_run(tmp_path, capsys):
    code = main(["train", "--recipe", "quick", "--dataset", "synthetic", "--batch-size", "8", "--input-size", "67",
                 "--val-subset", "8", "--time-budget", "3", "--out", str(tmp_path / "r"), "--quiet"])
    text = capsys.readouterr().out
    assert code == 0 and "time_budget: used the 3 s time budget" in text


def test_log_every_prints_the_finetune_scripts_lines(tmp_path, capsys):
    import re

    out = tmp_path / "run"
    code = main(["train", "--recipe", "quick", "--dataset", "synthetic", "--max-steps", "3", "--batch-size", "8",
                 "--input-size", "67", "--val-subset", "16", "--log-every", "1", "--device", "cpu", "--out", str(out)])
    text = capsys.readouterr().out
    assert code == 0, text
    lines = [line for line in text.splitlines() if line.startswith(("Training:", "Valid:"))]
    assert [line[:49] for line in lines[:3]] == [f"Training:Epoch[000/002] Iteration[{i:03d}/256] Loss: "
                                                for i in (1, 2, 3)]
    assert all(re.fullmatch(r"Training:Epoch\[000/002\] Iteration\[00\d/256\] Loss: \d+\.\d{4} Acc:\d+\.\d\d%", x)
               for x in lines[:3])
    assert re.fullmatch(r"Valid:\t Epoch\[000/002\] Iteration\[002/002\] Loss: \d+\.\d{4} Acc:\d+\.\d\d%", lines[3])
    assert "validation @" not in text and "\r" not in text
    metrics = (out / "metrics.jsonl").read_text()
    assert "Training:" not in metrics and json.loads((out / "config.json").read_text())["log_every"] == 1


def test_split_and_eval_flags_reach_the_config(tmp_path, capsys):
    code = main(["train", "--recipe", "finetune", "--val-fraction", "0.1", "--split-seed", "7", "--eval-resize",
                 "shorter", "--out", str(tmp_path), "--print-config"])
    cfg = json.loads(capsys.readouterr().out)
    assert code == 0 and (cfg["val_fraction"], cfg["split_seed"], cfg["eval_resize"]) == (0.1, 7, "shorter")
    assert main(["train", "--val-fraction", "1", "--out", str(tmp_path)]) == 2
    assert "validation fraction must be below 1" in capsys.readouterr().err
