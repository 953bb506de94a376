"""The paper's two towers on two devices (models/towers.py): placement logic on the CPU (``cpu,cpu``), the real
thing on two GPUs."""

import copy

import pytest
import torch

from train_backend.analysis.probes import kernel_snapshot
from train_backend.data import load_dataset
from train_backend.engine import Trainer
from train_backend.models import build_model
from train_backend.models.towers import PerTower, TowerPlacementError, parse_tower_devices, place_towers, \
    unplace_towers
from train_backend.config import TrainConfig

TINY = {"width": 0.25, "hidden": 64, "init": "kaiming", "dropout": 0.0}


def tiny(**kw):
    torch.manual_seed(0)
    return build_model("paper", num_classes=8, in_channels=3, **{**TINY, **kw})


def joined_grads(model):
    """Each parameter's gradient under its one-device name (the towers' slices joined)."""
    out = {}
    for name, module in model.named_children():
        if isinstance(module, PerTower):
            for p in ("weight", "bias"):
                if getattr(module.towers[0], p, None) is not None:
                    out[f"{name}.{p}"] = torch.cat([getattr(t, p).grad.to("cpu") for t in module.towers], 0)
        else:
            for p, v in module.named_parameters():
                out[f"{name}.{p}"] = v.grad.to("cpu")
    return out


def check_equal(devices, x):
    one = tiny()
    placed = place_towers(copy.deepcopy(one), devices)
    assert list(placed.state_dict()) == list(one.state_dict())  # the checkpoint names are the one-device names
    for k, v in one.state_dict().items():
        assert torch.equal(placed.state_dict()[k].cpu(), v), k
    a, b = one(x), placed(x.to(placed._tower_devices[0]))
    torch.testing.assert_close(b.cpu(), a, rtol=1e-5, atol=1e-6)  # convolution algorithms differ in rounding only
    (a * torch.arange(8.0)).sum().backward()
    (b * torch.arange(8.0, device=b.device)).sum().backward()
    ga = {n: p.grad for n, p in one.named_parameters()}
    gb = joined_grads(placed)
    assert set(ga) == set(gb)
    for n in ga:
        torch.testing.assert_close(gb[n], ga[n], rtol=1e-4, atol=1e-6)
    return one, placed


def test_towers_on_cpu_cpu_give_the_one_device_outputs_and_gradients():
    x = torch.randn(4, 3, 67, 67, generator=torch.Generator().manual_seed(1))
    one, placed = check_equal("cpu,cpu", x)
    # the kernels view reads conv1.weight: both towers, as GPU 1 and GPU 2
    snap_one, snap_placed = kernel_snapshot(one), kernel_snapshot(placed)
    assert snap_placed.towers == 2
    for t_one, t_placed in zip(snap_one.tiles, snap_placed.tiles):
        assert torch.equal(torch.from_numpy(t_one), torch.from_numpy(t_placed))
    # weights load either way, and unplacing gives the grouped model back
    fresh = place_towers(tiny(init="paper"), "cpu,cpu")
    fresh.load_state_dict(one.state_dict())
    back = unplace_towers(fresh)
    assert not any(isinstance(m, PerTower) for m in back.children())
    with torch.no_grad():
        torch.testing.assert_close(back(x), one(x), rtol=0, atol=0)


def test_no_lrn_ablation_places_too():
    x = torch.randn(2, 3, 67, 67)
    one = tiny(lrn=False)
    placed = place_towers(copy.deepcopy(one), "cpu,cpu")
    torch.testing.assert_close(placed(x), one(x), rtol=1e-5, atol=1e-6)


def test_bad_tower_devices_are_refused_clearly():
    with pytest.raises(TowerPlacementError, match="two devices"):
        parse_tower_devices("cuda:0")
    with pytest.raises(TowerPlacementError, match="CUDA devices"):
        parse_tower_devices("cpu,mps")
    with pytest.raises(TowerPlacementError, match="two towers"):
        place_towers(tiny(towers=1), "cpu,cpu")
    with pytest.raises(TowerPlacementError, match="two towers"):
        place_towers(build_model("d2l", num_classes=8), "cpu,cpu")
    if torch.cuda.device_count() < 2:
        with pytest.raises(TowerPlacementError, match="CUDA|GPU"):
            parse_tower_devices("cuda:0,cuda:1")


def test_a_run_with_tower_devices_trains_and_saves_one_device_names(tmp_path):
    bundle = load_dataset("synthetic", n_train=64, n_val=16, size=48)
    cfg = TrainConfig(recipe="test", model="paper", model_options=dict(TINY), dataset="synthetic", input_size=67,
                      epochs=1, max_steps=2, batch_size=16, lr=0.01, schedule="constant", num_workers=0, seed=3,
                      device="cpu", kernel_interval_s=0.0, tower_devices="cpu,cpu")
    ref = Trainer(cfg.replace(tower_devices=None), bundle=bundle)
    assert ref.run().ok
    trainer = Trainer(cfg, run_dir=tmp_path, bundle=bundle)
    end = trainer.run()
    assert end.ok, end.message
    ckpt = torch.load(tmp_path / "last.pt", weights_only=False)
    assert set(ckpt["state_dict"]) == set(ref.model.state_dict())
    for k, v in ref.model.state_dict().items():
        torch.testing.assert_close(ckpt["state_dict"][k], v, rtol=1e-4, atol=1e-5)
    # a placed run's checkpoint resumes placed
    more = Trainer(cfg.replace(max_steps=3), run_dir=tmp_path, bundle=bundle)
    assert more.run(resume_from=tmp_path / "last.pt").step == 3


@pytest.mark.skipif(torch.cuda.device_count() < 2, reason="needs two CUDA GPUs (this machine has "
                    f"{torch.cuda.device_count()}); the placement logic is tested on cpu,cpu above")
def test_towers_on_two_gpus():
    x = torch.randn(8, 3, 227, 227, generator=torch.Generator().manual_seed(1))
    one = tiny().cuda(0)
    placed = place_towers(copy.deepcopy(one), "cuda:0,cuda:1")
    assert placed.conv2.towers[1].weight.device == torch.device("cuda", 1)
    assert placed.conv3.weight.device == torch.device("cuda", 0)
    torch.testing.assert_close(placed(x.cuda(0)), one(x.cuda(0)), rtol=1e-4, atol=1e-5)


@pytest.mark.skipif(torch.cuda.device_count() >= 2, reason="checks the message of a machine without two GPUs")
def test_tower_devices_without_the_gpus_end_the_run_with_a_clear_message():
    bundle = load_dataset("synthetic", n_train=16, n_val=8, size=48)
    cfg = TrainConfig(recipe="test", model="paper", model_options=dict(TINY), dataset="synthetic", input_size=67,
                      epochs=1, max_steps=1, batch_size=8, num_workers=0, device="cpu", tower_devices="cuda:0,cuda:1")
    end = Trainer(cfg, bundle=bundle).run()
    assert end.reason == "config"
    assert "tower device cuda:" in end.message and ("not available" in end.message or "GPU" in end.message)
    assert any(p.startswith("tower devices need") for p in TrainConfig(model="d2l", tower_devices="cpu,cpu").problems())
