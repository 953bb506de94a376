"""Grouped convolutions computed as ungrouped ones on the channel slices (models/grouped.py): the same outputs,
gradients and parameters as nn.Conv2d, switched in place on a built model; and benchmarks/gpu_alternatives.py's
CPU path (its GPU figures need a GPU)."""

import subprocess
import sys
from pathlib import Path

import pytest
import torch
from torch import nn
from torch.testing import assert_close

from train_backend.models import build_model
from train_backend.models.grouped import (GROUPED_CONV_MODES, SplitConv2d, StreamsConv2d, grouped_conv_mode,
                                          set_grouped_conv)

ROOT = Path(__file__).resolve().parents[1]
TINY = {"width": 0.25, "hidden": 64, "init": "kaiming", "dropout": 0.0}


def tiny():
    torch.manual_seed(0)
    return build_model("paper", num_classes=8, **TINY)


def logits_and_grads(model, x):
    model.zero_grad(set_to_none=True)
    out = model(x)
    (out * torch.linspace(-1, 1, out.shape[1])).sum().backward()
    return out.detach(), {n: p.grad.clone() for n, p in model.named_parameters()}


@pytest.mark.parametrize("cls", [SplitConv2d, StreamsConv2d])
@pytest.mark.parametrize("kw", [dict(groups=2, padding=2), dict(groups=4, stride=2, bias=False),
                                dict(groups=2, padding=1, padding_mode="reflect"), dict(groups=1, padding=1)])
def test_layer_equals_nn_conv2d_forward_and_backward(cls, kw):
    """In float64, so that the default tolerances measure the maths, not float32's summation order (the model
    test below is float32)."""
    torch.manual_seed(0)
    ref = nn.Conv2d(8, 12, 5 if kw.get("padding") == 2 else 3, **kw).double()
    alt = cls(8, 12, ref.kernel_size, **kw).double()
    alt.load_state_dict(ref.state_dict())
    x = torch.randn(3, 8, 11, 11, dtype=torch.float64)
    xa, xr = x.clone().requires_grad_(True), x.clone().requires_grad_(True)
    ya, yr = alt(xa), ref(xr)
    assert_close(ya, yr)
    g = torch.randn_like(yr)
    ya.backward(g)
    yr.backward(g)
    assert_close(xa.grad, xr.grad)
    for name, p in ref.named_parameters():
        assert_close(dict(alt.named_parameters())[name].grad, p.grad)
    assert_close(alt(x[0]), ref(x[0]))  # unbatched (C, H, W)


def test_same_parameter_layout_and_state_dict():
    ref = nn.Conv2d(48, 128, 5, padding=2, groups=2)
    alt = SplitConv2d(48, 128, 5, padding=2, groups=2)
    assert isinstance(alt, nn.Conv2d)
    assert {k: v.shape for k, v in alt.state_dict().items()} == {k: v.shape for k, v in ref.state_dict().items()}
    assert alt.weight.shape == (128, 24, 5, 5) and alt.bias.shape == (128,)


@pytest.mark.parametrize("mode", ["split", "streams"])
@pytest.mark.parametrize("channels_last", [False, True])
def test_switched_model_gives_the_grouped_logits_and_grads(mode, channels_last):
    model = tiny()
    x = torch.randn(3, 3, 67, 67)
    ref_out, ref_grads = logits_and_grads(model, x)
    keys = {k: v.shape for k, v in model.state_dict().items()}
    params = list(model.parameters())
    assert grouped_conv_mode(model) == "grouped"
    assert set_grouped_conv(model, mode) == 3  # conv2, conv4, conv5
    assert grouped_conv_mode(model) == mode and type(model.conv1) is nn.Conv2d  # conv1 and conv3 are not grouped
    assert type(model.conv2) is {"split": SplitConv2d, "streams": StreamsConv2d}[mode]
    assert all(a is b for a, b in zip(model.parameters(), params)) and len(list(model.parameters())) == len(params)
    assert {k: v.shape for k, v in model.state_dict().items()} == keys
    if channels_last:
        model.to(memory_format=torch.channels_last)
        x = x.contiguous(memory_format=torch.channels_last)
    out, grads = logits_and_grads(model, x)
    assert_close(out, ref_out)
    assert grads.keys() == ref_grads.keys()
    for name in ref_grads:
        assert_close(grads[name], ref_grads[name], msg=lambda s, n=name: f"{n}: {s}")
    set_grouped_conv(model, "grouped")
    assert type(model.conv2) is nn.Conv2d and grouped_conv_mode(model) == "grouped"


def test_optimizer_built_before_the_switch_still_trains_the_model():
    model = tiny()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    set_grouped_conv(model, "split")
    before = model.conv2.weight.detach().clone()
    logits_and_grads(model, torch.randn(2, 3, 67, 67))
    opt.step()
    assert not torch.equal(model.conv2.weight, before)


def test_checkpoints_load_across_modes_and_unknown_mode_is_an_error():
    grouped = tiny()
    split = build_model("paper", num_classes=8, **TINY)
    set_grouped_conv(split, "streams")
    split.load_state_dict(grouped.state_dict())
    x = torch.randn(2, 3, 67, 67)
    assert_close(split.eval()(x), grouped.eval()(x))
    with pytest.raises(ValueError, match="grouped, split, streams"):
        set_grouped_conv(grouped, "winograd")
    assert GROUPED_CONV_MODES == ("grouped", "split", "streams")
    assert set_grouped_conv(build_model("torchvision", num_classes=8), "split") == 0  # no grouped layer


def test_benchmark_cpu_path_checks_the_alternatives():
    """benchmarks/gpu_alternatives.py --cpu-check: what it runs on a machine without CUDA (the GPU figures need
    a GPU); the equality check must pass in seconds."""
    res = subprocess.run([sys.executable, "benchmarks/gpu_alternatives.py", "--cpu-check"], cwd=ROOT,
                         capture_output=True, text=True, timeout=180)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "CPU equality check passed" in res.stdout
    assert res.stdout.count("gradients: max relative difference") == 5
