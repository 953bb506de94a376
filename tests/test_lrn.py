import numpy as np
import pytest
import torch
from torch import nn

from train_backend.models import lrn as lrn_module
from train_backend.models.lrn import LocalResponseNorm, compile_lrn, local_response_norm, lrn_formula, reference_lrn_numpy
from train_backend.models import build_model


@pytest.mark.parametrize("channels,size", [(96, 5), (7, 5), (10, 3), (4, 5), (9, 1)])
def test_paper_formula_matches_numpy_loop(channels, size, rng):
    a = np.maximum(rng.normal(0, 20, size=(2, channels, 5, 6)), 0).astype(np.float32)
    got = LocalResponseNorm(size=size)(torch.from_numpy(a)).numpy()
    want = reference_lrn_numpy(a, size=size)
    np.testing.assert_allclose(got, want, rtol=2e-6, atol=1e-6)


def test_default_constants_are_the_papers():
    m = LocalResponseNorm()
    assert (m.k, m.size, m.alpha, m.beta, m.convention) == (2.0, 5, 1e-4, 0.75, "paper")


def test_large_activations_are_normalised_strongly(rng):
    # with big activations the alpha term matters: the paper's LRN is five times stronger than PyTorch's
    a = torch.full((1, 5, 1, 1), 100.0)
    paper = LocalResponseNorm()(a)
    torch_style = nn.LocalResponseNorm(5, alpha=1e-4, beta=0.75, k=2.0)(a)
    want_centre = 100.0 / (2 + 1e-4 * 5 * 100.0**2) ** 0.75
    assert paper[0, 2, 0, 0].item() == pytest.approx(want_centre, rel=1e-6)
    assert paper[0, 2, 0, 0] < torch_style[0, 2, 0, 0]


def test_pytorch_nn_lrn_needs_alpha_times_n_to_match_paper(rng):
    x = torch.from_numpy(np.maximum(rng.normal(0, 30, (3, 16, 4, 4)), 0).astype(np.float32))
    ours = local_response_norm(x)
    theirs = nn.LocalResponseNorm(5, alpha=5 * 1e-4, beta=0.75, k=2.0)(x)
    torch.testing.assert_close(ours, theirs, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("size", [5, 4])
def test_pytorch_convention_matches_nn_localresponsenorm(size, rng):
    x = torch.from_numpy(np.maximum(rng.normal(0, 30, (2, 11, 3, 3)), 0).astype(np.float32))
    ours = LocalResponseNorm(size, alpha=1e-4, convention="pytorch")(x)
    theirs = nn.LocalResponseNorm(size, alpha=1e-4, beta=0.75, k=2.0)(x)
    torch.testing.assert_close(ours, theirs, rtol=1e-5, atol=1e-6)


def test_backward_is_exact_gradcheck():
    x = (torch.rand(2, 9, 3, 4, dtype=torch.float64) * 4).requires_grad_()
    assert torch.autograd.gradcheck(lambda t: local_response_norm(t, alpha=0.05), (x,))
    assert torch.autograd.gradcheck(lambda t: local_response_norm(t, size=4, alpha=0.05, convention="pytorch"), (x,))


def test_gradient_equals_autograd_of_the_naive_formula(rng):
    x = torch.from_numpy(np.maximum(rng.normal(0, 40, (2, 12, 5, 5)), 0)).requires_grad_()
    g = torch.from_numpy(rng.normal(size=(2, 12, 5, 5)))
    local_response_norm(x).backward(g)
    fast = x.grad.clone()
    x.grad = None
    sq = torch.nn.functional.pad(x * x, (0, 0, 0, 0, 2, 2))
    s = sum(sq[:, i:i + 12] for i in range(5))
    (x / (2 + 1e-4 * s) ** 0.75).backward(g)
    torch.testing.assert_close(fast, x.grad)


def test_unbatched_input_and_bad_arguments():
    x = torch.rand(6, 2, 2)
    torch.testing.assert_close(local_response_norm(x), local_response_norm(x[None])[0])
    with pytest.raises(ValueError):
        LocalResponseNorm(convention="caffe")
    with pytest.raises(ValueError):
        local_response_norm(torch.rand(5, 5))


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU (run on a GPU machine)")
@pytest.mark.parametrize("dtype", [torch.float64, torch.float32, torch.bfloat16])
def test_cuda_forward_and_backward_equal_the_formula(dtype, rng):
    """On the GPU: the fast LRN against the naive formula computed in float64 on the CPU."""
    x64 = torch.from_numpy(np.maximum(rng.normal(0, 40, (4, 96, 13, 13)), 0))
    g64 = torch.from_numpy(rng.normal(size=(4, 96, 13, 13)))
    x = x64.to("cuda", dtype).requires_grad_()
    y = local_response_norm(x)
    y.backward(g64.to("cuda", dtype))
    ref_x = x64.clone().requires_grad_()
    sq = torch.nn.functional.pad(ref_x * ref_x, (0, 0, 0, 0, 2, 2))
    ref = ref_x / (2 + 1e-4 * sum(sq[:, i:i + 96] for i in range(5))) ** 0.75
    ref.backward(g64)
    tol = {torch.float64: 1e-10, torch.float32: 1e-4, torch.bfloat16: 3e-2}[dtype]
    assert y.dtype == dtype and x.grad.dtype == dtype
    torch.testing.assert_close(y.double().cpu(), ref.detach(), rtol=tol, atol=tol)
    torch.testing.assert_close(x.grad.double().cpu(), ref_x.grad, rtol=tol, atol=tol * ref_x.grad.abs().max().item())


@pytest.mark.parametrize("convention", ["paper", "pytorch"])
@pytest.mark.parametrize("shape", [(3, 11, 6, 5), (7, 4, 4)])
def test_the_formula_for_torch_compile_equals_the_custom_function(convention, shape, rng):
    """``lrn_formula`` (what compile_lrn hands to torch.compile): same values and gradients, float64."""
    x = torch.from_numpy(np.maximum(rng.normal(0, 40, shape), 0))
    g = torch.from_numpy(rng.normal(size=shape))
    front, back, div = lrn_module._window(5, convention)
    a, b = x.clone().requires_grad_(), x.clone().requires_grad_()
    ya = lrn_formula(a, front, back, 1e-4 / div, 0.75, 2.0)
    yb = local_response_norm(b, convention=convention)
    ya.backward(g)
    yb.backward(g)
    torch.testing.assert_close(ya, yb, rtol=1e-12, atol=1e-12)
    torch.testing.assert_close(a.grad, b.grad, rtol=1e-10, atol=1e-12)
    if convention == "paper" and len(shape) == 4:
        np.testing.assert_allclose(ya.detach().numpy(), reference_lrn_numpy(x.numpy()), rtol=1e-12)


def test_compiled_lrn_serves_only_the_training_batch(monkeypatch):
    """compile_lrn: the training batch's shape goes through the compiled formula; short batches, eval and
    probes stay eager, so nothing recompiles mid-run; None switches back."""
    calls = []

    def fake_forward(x, *args):  # the CPU's compiled path (CUDA's is the formula: test_cuda_torch_compiled_...)
        calls.append(tuple(x.shape))
        return lrn_module.lrn_forward_kernel(x, *args)

    monkeypatch.setattr(lrn_module, "lrn_kernels", lambda: (fake_forward, lrn_module.lrn_backward_kernel))
    model = build_model("paper", num_classes=10, width=0.25, hidden=64)
    assert compile_lrn(model, 4) == 2
    model.train()
    model(torch.rand(4, 3, 67, 67)).sum().backward()
    assert [c[0] for c in calls] == [4, 4] and calls[0] != calls[1]  # lrn1 and lrn2
    model(torch.rand(3, 3, 67, 67))  # the epoch's last, shorter batch
    model.eval()
    with torch.no_grad():
        model(torch.rand(4, 3, 67, 67))  # validation
    assert len(calls) == 2
    assert compile_lrn(model, None) == 2
    model.train()
    model(torch.rand(4, 3, 67, 67))
    assert len(calls) == 2
    assert compile_lrn(build_model("torchvision", num_classes=10), 4) == 0


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU (run on a GPU machine)")
@pytest.mark.parametrize("dtype", [torch.float32, torch.bfloat16])
def test_cuda_torch_compiled_formula_equals_the_formula(dtype, rng):
    """The real torch.compile path on the GPU against the float64 formula, forward and backward."""
    x64 = torch.from_numpy(np.maximum(rng.normal(0, 40, (8, 96, 13, 13)), 0))
    g64 = torch.from_numpy(rng.normal(size=(8, 96, 13, 13)))
    layer = LocalResponseNorm()
    layer.compiled_batch = 8
    x = x64.to("cuda", dtype).contiguous(memory_format=torch.channels_last).requires_grad_()
    y = layer(x)
    y.backward(g64.to("cuda", dtype))
    ref_x = x64.clone().requires_grad_()
    ref = local_response_norm(ref_x)
    ref.backward(g64)
    tol = {torch.float32: 1e-4, torch.bfloat16: 3e-2}[dtype]
    torch.testing.assert_close(y.double().cpu(), ref.detach(), rtol=tol, atol=tol)
    torch.testing.assert_close(x.grad.double().cpu(), ref_x.grad, rtol=tol, atol=tol * ref_x.grad.abs().max().item())


@pytest.mark.parametrize("layout", ["contiguous", "channels_last"])
def test_grouped_lrn_normalises_each_tower_on_its_own(layout, rng):
    """groups=2 (the two-GPU net): the window sum stops at the towers' edge, in both memory layouts."""
    a = rng.uniform(0, 4, size=(2, 16, 3, 3)).astype(np.float32)
    x = torch.from_numpy(a)
    if layout == "channels_last":
        x = x.contiguous(memory_format=torch.channels_last)
    out = LocalResponseNorm(groups=2)(x)
    np.testing.assert_allclose(out.numpy(), reference_lrn_numpy(a, groups=2), rtol=1e-5, atol=1e-6)
    halves = [reference_lrn_numpy(a[:, :8]), reference_lrn_numpy(a[:, 8:])]
    np.testing.assert_allclose(out.numpy(), np.concatenate(halves, axis=1), rtol=1e-5, atol=1e-6)
    assert not np.allclose(out.numpy(), reference_lrn_numpy(a), rtol=1e-5, atol=1e-6)  # tower edge matters
    t = torch.rand(1, 12, 2, 2, dtype=torch.float64, requires_grad=True) + 0.1
    assert torch.autograd.gradcheck(LocalResponseNorm(groups=2), (t.detach().requires_grad_(),))
    with pytest.raises(ValueError, match="divisible"):
        LocalResponseNorm(groups=2)(torch.rand(1, 5, 2, 2))


@pytest.mark.parametrize("layout", ["contiguous", "channels_last"])
@pytest.mark.parametrize("groups,convention", [(1, "paper"), (2, "paper"), (2, "pytorch"), (1, "pytorch")])
def test_cpu_kernels_equal_the_formula_in_both_layouts(layout, groups, convention, monkeypatch, rng):
    """compile_lrn on a CPU: the forward and backward kernels (uncompiled here, the same code inductor compiles),
    on the view each layout gets, against the float64 reference loop and the eager function's gradient."""
    monkeypatch.setattr(lrn_module, "lrn_kernels", lambda: (lrn_module.lrn_forward_kernel,
                                                            lrn_module.lrn_backward_kernel))
    a = np.maximum(rng.normal(0, 40, (3, 16, 5, 4)), 0)
    g = torch.from_numpy(rng.normal(size=a.shape))
    layer = LocalResponseNorm(groups=groups, convention=convention).double()
    layer.compiled_batch = 3
    x = torch.from_numpy(a)
    if layout == "channels_last":
        x, g = x.contiguous(memory_format=torch.channels_last), g.contiguous(memory_format=torch.channels_last)
    x.requires_grad_()
    y = layer(x)
    y.backward(g)
    eager_x = torch.from_numpy(a).requires_grad_()
    eager = local_response_norm(eager_x.unflatten(1, (groups, 16 // groups)), convention=convention).flatten(1, 2)
    eager.backward(g)
    if convention == "paper":
        np.testing.assert_allclose(y.detach().numpy(), reference_lrn_numpy(a, groups=groups), rtol=1e-12)
    torch.testing.assert_close(y, eager, rtol=1e-12, atol=1e-12)
    torch.testing.assert_close(x.grad, eager_x.grad, rtol=1e-10, atol=1e-12)
    assert y.is_contiguous(memory_format=torch.channels_last) == (layout == "channels_last")
    t = (torch.rand(3, 8, 2, 3, dtype=torch.float64) + 0.1).requires_grad_()
    assert torch.autograd.gradcheck(lambda v: lrn_module._KernelLRN.apply(v, groups, 2, 2, 1e-2, 0.75, 2.0), (t,))


def test_cpu_compiled_kernels_equal_the_eager_lrn(rng):
    """The real torch.compile of the kernels on a CPU (skipped where inductor has no C++ compiler)."""
    layer = LocalResponseNorm(groups=2)
    layer.compiled_batch = 4
    a = np.maximum(rng.normal(0, 40, (4, 32, 6, 6)), 0).astype(np.float32)
    g = torch.from_numpy(rng.normal(size=a.shape).astype(np.float32)).contiguous(memory_format=torch.channels_last)
    x = torch.from_numpy(a).contiguous(memory_format=torch.channels_last).requires_grad_()
    try:
        y = layer(x)
    except Exception as err:  # noqa: BLE001 - inductor's missing-compiler errors have no common type
        pytest.skip(f"torch.compile cannot build CPU kernels here: {type(err).__name__}: {err}"[:300])
    y.backward(g)
    ref_x = torch.from_numpy(a).requires_grad_()
    ref = LocalResponseNorm(groups=2)(ref_x)
    ref.backward(g)
    torch.testing.assert_close(y, ref, rtol=1e-5, atol=1e-5)
    torch.testing.assert_close(x.grad, ref_x.grad, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("compiled", [False, True])
def test_bf16_input_is_normalised_in_float32(compiled, monkeypatch, rng):
    """Under autocast the LRN gets bf16 maps: it computes in float32 and answers in bf16, so each output is the
    formula's exact value on those inputs rounded once (relative error <= 2^-9 + a hair), where bf16 arithmetic is
    off by up to ~1 %; gradients come back in bf16 too."""
    monkeypatch.setattr(lrn_module, "lrn_kernels", lambda: (lrn_module.lrn_forward_kernel,
                                                            lrn_module.lrn_backward_kernel))
    a = np.maximum(rng.normal(0, 30, (4, 16, 8, 8)), 0)
    layer = LocalResponseNorm(groups=2)
    layer.compiled_batch = 4 if compiled else None
    x = torch.from_numpy(a).to(torch.bfloat16).contiguous(memory_format=torch.channels_last).requires_grad_()
    y = layer(x)
    y.float().sum().backward()
    assert y.dtype == torch.bfloat16 and x.grad.dtype == torch.bfloat16
    want = reference_lrn_numpy(x.detach().double().numpy(), groups=2)  # the formula on the bf16 values
    on = want > 0

    def worst(out):
        return (np.abs(out.detach().double().numpy() - want)[on] / want[on]).max()

    in_bf16 = lrn_module._PaperLRN.apply(x.detach().unflatten(1, (2, 8)), 2, 2, 1e-4, 0.75, 2.0).flatten(1, 2)
    assert in_bf16.dtype == torch.bfloat16  # what the maps would get with bf16 arithmetic
    assert worst(y) < 2.0 ** -8 < worst(in_bf16)
