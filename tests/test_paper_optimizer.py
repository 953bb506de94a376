"""The paper's update rule (``optimizer: paper``), by hand, against PyTorch's SGD; how it is chosen and where the
exact recipes' precision is said."""

from __future__ import annotations

import pytest
import torch

from train_backend.engine.build import build_optimizer
from train_backend.engine.optim import PaperSGD
from train_backend.models import build_model
from train_backend.config import ConfigError, TrainConfig
from train_backend.recipes import recipe
from train_backend.config import apply_settings
from train_backend.settings import BY_KEY

GRADS = [torch.tensor([0.5, -1.0]), torch.tensor([0.25, 2.0]), torch.tensor([-0.75, 0.5]),
         torch.tensor([1.0, 1.0])]
LRS = [0.01, 0.01, 0.001, 0.001]  # a ÷10 drop after the second step


def _run(make, lrs=LRS, grads=GRADS):
    w = torch.nn.Parameter(torch.tensor([1.0, -2.0]))
    opt = make([w])
    trace = []
    for lr, g in zip(lrs, grads):
        for group in opt.param_groups:
            group["lr"] = lr
        w.grad = g.clone()
        opt.step()
        trace.append(w.detach().clone())
    return trace


def test_the_paper_rule_follows_the_formula_by_hand_across_a_learning_rate_drop():
    mu, wd = 0.9, 0.0005
    w, v = torch.tensor([1.0, -2.0], dtype=torch.float64), torch.zeros(2, dtype=torch.float64)
    expected = []
    for lr, g in zip(LRS, GRADS):
        v = mu * v - wd * lr * w - lr * g.double()  # v ← 0.9·v − 0.0005·ε·w − ε·∂L/∂w
        w = w + v  # w ← w + v
        expected.append(w.clone())
    got = _run(lambda p: PaperSGD(p, lr=0.01, momentum=mu, weight_decay=wd))
    for e, g in zip(expected, got):
        torch.testing.assert_close(g.double(), e, rtol=0, atol=1e-6)


def test_it_equals_torch_sgd_at_a_constant_rate_and_differs_after_the_drop():
    paper = lambda p: PaperSGD(p, lr=0.01, momentum=0.9, weight_decay=5e-4)  # noqa: E731
    torch_sgd = lambda p: torch.optim.SGD(p, lr=0.01, momentum=0.9, weight_decay=5e-4)  # noqa: E731
    a, b = _run(paper), _run(torch_sgd)
    torch.testing.assert_close(a[0], b[0], rtol=0, atol=1e-6)  # constant ε: the same updates
    torch.testing.assert_close(a[1], b[1], rtol=0, atol=1e-6)
    # after ÷10 torch multiplies the gathered momentum by the new ε at once; the paper's velocity keeps its size
    step_paper, step_torch = a[2] - a[1], b[2] - b[1]
    assert not torch.allclose(step_paper, step_torch, atol=1e-6)
    assert step_paper.abs().sum() > 3 * step_torch.abs().sum()


def test_the_paper_recipe_uses_it_in_fp32_and_the_others_keep_torch_sgd():
    model = build_model("paper", num_classes=3, kernels=(8, 8, 8, 8, 8), hidden=16)
    cfg = recipe("paper")
    assert cfg.optimizer == "paper" and cfg.amp is False
    opt = build_optimizer(model, cfg, torch.device("cpu"))
    assert isinstance(opt, PaperSGD) and [g["name"] for g in opt.param_groups] == ["features", "classifier"]
    assert all(g["weight_decay"] == 5e-4 and g["momentum"] == 0.9 for g in opt.param_groups)
    for name in ("d2l", "finetune"):
        assert recipe(name).amp is False and recipe(name).optimizer == "sgd"
    quick = recipe("quick")
    assert quick.optimizer == "sgd" and quick.cpu_bf16 is True
    assert type(build_optimizer(model, quick, torch.device("cpu"))) is torch.optim.SGD
    assert apply_settings(cfg, {"amp": True}).amp is True  # bf16 is one setting away
    seed = recipe("seed001")  # seed 001's script runs Adam(lr=1e-4), without weight decay
    assert (seed.optimizer, seed.lr, seed.weight_decay) == ("adam", 1e-4, 0.0)
    assert type(build_optimizer(build_model("seed001", num_classes=3), seed, torch.device("cpu"))) is torch.optim.Adam


def test_the_setting_is_registered_validated_and_on_the_command_line(capsys):
    assert BY_KEY["optimizer"].choices == ("sgd", "paper", "adam")
    assert apply_settings(TrainConfig(), {"optimizer": "paper"}).optimizer == "paper"
    with pytest.raises(ConfigError, match="optimizer"):
        TrainConfig(optimizer="rmsprop").validate()
    from train_backend.cli import main

    assert main(["train", "--recipe", "quick", "--optimizer", "paper", "--no-amp", "--print-config"]) == 0
    import json

    cfg = json.loads(capsys.readouterr().out)
    assert cfg["optimizer"] == "paper" and cfg["amp"] is False


def test_a_paper_optimizer_run_resumes_exactly_with_its_velocity(tmp_path):
    from tests.tiny import tiny_config
    from train_backend.data import load_dataset
    from train_backend.engine import Trainer

    data = load_dataset("synthetic", n_train=64, n_val=16, size=48)
    full = Trainer(tiny_config(optimizer="paper", epochs=1), [], bundle=data)
    assert full.run().reason == "finished" and isinstance(full.optimizer, PaperSGD)
    Trainer(tiny_config(optimizer="paper", epochs=1, max_steps=2), [], run_dir=tmp_path / "a", bundle=data).run()
    again = Trainer(tiny_config(optimizer="paper", epochs=1), [], run_dir=tmp_path / "a", bundle=data)
    assert again.run(resume_from=tmp_path / "a" / "last.pt").reason == "finished"
    for a, b in zip(full.model.state_dict().values(), again.model.state_dict().values()):
        torch.testing.assert_close(a, b, rtol=0, atol=0)


def test_the_status_bar_says_the_precision_fp32_included(qtbot):
    from PySide6.QtWidgets import QMainWindow

    from alexnet_gui.status_bar import StatusBar
    from train_backend.payloads import RunInfo

    win = QMainWindow()
    qtbot.addWidget(win)
    bar = StatusBar(win.statusBar())

    def info(amp):
        return RunInfo("cpu", "CPU (2 threads)", amp, "paper", 1, "synthetic", "generated", ("a", "b"), 10, 5, 2, 4,
                       0, 0, {}, None)

    bar.show_run(info(None))
    assert bar.lbl_device.text() == "device: CPU (2 threads), fp32"
    bar.show_run(info("bfloat16"))
    assert bar.lbl_device.text() == "device: CPU (2 threads), bf16"
