"""Local response normalisation exactly as the AlexNet paper writes it.

    b_i = a_i / (k + alpha * sum_{j=max(0, i-n/2)}^{min(N-1, i+n/2)} a_j^2) ** beta

with k=2, n=5, alpha=1e-4, beta=0.75 (section 3.3).  PyTorch's ``nn.LocalResponseNorm`` and
Caffe divide alpha by n, so the same numbers there give a five-times weaker normalisation;
``convention="pytorch"`` reproduces that behaviour for comparison.

The implementation is a custom autograd function: the channel-window sum is a handful of
in-place shifted adds (no padding, no 5-D pooling), the backward pass is written out analytically,
and new tensors are kept to a minimum (on a CPU, fresh memory costs more than the arithmetic), which
makes it several times faster than ``nn.LocalResponseNorm`` (see ``benchmarks/lrn.py``).

On a GPU each of those passes is its own kernel launch over the whole activation.  There
:func:`compile_lrn` switches a model's LRN layers, for the training batch shape only, to
``torch.compile`` of the plain formula (:func:`lrn_formula`): one fused kernel each way, more training
images/s for the paper model after some seconds of compiling at the first step.
Every other shape (the last short batch of an epoch, validation, probes) keeps the eager function, so
nothing recompiles later: a recompile per new shape costs as much as the first compile, and dynamic
shapes measured slower than eager.

On a CPU the eager function's dozen passes per direction are arithmetic in cache-sized pieces rather than
memory traffic, and the autograd of the plain formula compiled by inductor measured *slower* than eager.  There :func:`compile_lrn` compiles the forward and the analytic backward as two functions of their
own instead (:func:`lrn_kernels`), on the layout the tensor has: channels-last maps as rows of one tower's
channels (the window runs along the contiguous dimension), contiguous ones as (N, towers, C, H, W).  That
made the LRN layers faster than eager on a CPU (a whole step at 227 px a little faster),
at some seconds of compiling and only where a C++ compiler is installed: an option, not the default.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor, nn

PAPER_K = 2.0
PAPER_N = 5
PAPER_ALPHA = 1e-4
PAPER_BETA = 0.75

CONVENTIONS = ("paper", "pytorch")

#: autocast's half-precision types: the LRN computes in float32 for them and gives the result back in theirs.  In
#: bf16 (8 significant bits) the denominator k + alpha * sum, about 2.0, moves in steps of 1/64, so the normalisation
#: would vanish for all but the largest activations.
LOW_PRECISION = (torch.float16, torch.bfloat16)


def _window_sum(t: Tensor, front: int, back: int) -> Tensor:
    """Sum of ``t`` over channels [i-front, i+back] (zero outside), channel dim -3, as a new tensor.

    Few passes over memory and few new tensors (on a CPU both cost more than the arithmetic).  For the
    paper's window (2 before, 2 after) three adds do it: pairs ``p[j] = t[j] + t[j+1]``, then
    ``out[i] = p[i-2] + p[i] + t[i+2]`` written straight into the result, instead of a copy and four
    shifted adds.
    """
    c = t.shape[-3]
    if front == back == 2 and c >= 4:
        pair = t.narrow(-3, 0, c - 1) + t.narrow(-3, 1, c - 1)  # pair[j] = t[j] + t[j+1]
        out = torch.empty_like(t)
        torch.add(pair.narrow(-3, 0, c - 3), pair.narrow(-3, 2, c - 3), out=out.narrow(-3, 2, c - 3))  # i in [2, c-1)
        out.narrow(-3, 0, 1).copy_(pair.narrow(-3, 0, 1))  # i = 0: t0 + t1
        torch.add(t.narrow(-3, 0, 1), pair.narrow(-3, 1, 1), out=out.narrow(-3, 1, 1))  # i = 1: t0 + t1 + t2
        torch.add(pair.narrow(-3, c - 3, 1), t.narrow(-3, c - 1, 1), out=out.narrow(-3, c - 1, 1))  # i = c-1
        out.narrow(-3, 0, c - 2).add_(t.narrow(-3, 2, c - 2))  # + t[i+2] for i < c-2
        return out
    out = t.clone()
    for d in range(1, front + 1):  # out[i] += t[i - d]
        if d < c:
            out.narrow(-3, d, c - d).add_(t.narrow(-3, 0, c - d))
    for d in range(1, back + 1):  # out[i] += t[i + d]
        if d < c:
            out.narrow(-3, 0, c - d).add_(t.narrow(-3, d, c - d))
    return out


def _pow_neg(d: Tensor, beta: float) -> Tensor:
    """``d ** -beta``; for the paper's beta = 3/4 as rsqrt(d) * sqrt(rsqrt(d)) (square roots are far
    cheaper than the exp/log of a general power)."""
    if beta == 0.75:
        r = torch.rsqrt(d)
        return r.mul_(torch.sqrt(r))
    return d.pow(-beta)


def _window(size: int, convention: str) -> tuple[int, int, float]:
    """(front, back, alpha divisor) for a window ``size`` in a convention."""
    if convention == "paper":
        half = size // 2
        return half, half, 1.0
    if convention == "pytorch":
        return size // 2, (size - 1) // 2, float(size)
    raise ValueError(f"unknown LRN convention {convention!r}; use one of {CONVENTIONS}")


class _PaperLRN(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x: Tensor, front: int, back: int, alpha: float, beta: float, k: float):
        denom = _window_sum(x * x, front, back).mul_(alpha).add_(k)  # k + alpha * sum a_j^2
        scale = _pow_neg(denom, beta)
        out = x * scale
        ctx.save_for_backward(x, out, scale, denom)
        ctx.params = (front, back, alpha, beta)
        return out

    @staticmethod
    def backward(ctx, grad_out: Tensor):
        x, out, scale, denom = ctx.saved_tensors
        front, back, alpha, beta = ctx.params
        # d b_i / d a_m = delta_im * s_i - 2 alpha beta a_m * b_i / d_i   for m in window(i);
        # m in W(i) <=> i in W'(m), the window mirrored (front and back swapped).
        t = (grad_out * out).div_(denom)
        acc = _window_sum(t, back, front).mul_(x)
        del t
        grad_x = (grad_out * scale).add_(acc, alpha=-2.0 * alpha * beta)  # (addcmul is 5x slower on a CPU)
        return grad_x, None, None, None, None, None


def local_response_norm(
    x: Tensor,
    size: int = PAPER_N,
    alpha: float = PAPER_ALPHA,
    beta: float = PAPER_BETA,
    k: float = PAPER_K,
    convention: str = "paper",
) -> Tensor:
    """Normalise ``x`` (N, C, H, W) or (C, H, W) across channels; see the module docstring."""
    if size < 1:
        raise ValueError("LRN size n must be >= 1")
    if x.dim() < 3:
        raise ValueError(f"LRN needs a (C, H, W) or (N, C, H, W) tensor, got shape {tuple(x.shape)}")
    front, back, div = _window(size, convention)
    if x.dtype in LOW_PRECISION:
        return _PaperLRN.apply(x.float(), front, back, alpha / div, beta, k).to(x.dtype)
    return _PaperLRN.apply(x, front, back, alpha / div, beta, k)


def lrn_formula(x: Tensor, front: int, back: int, alpha: float, beta: float, k: float) -> Tensor:
    """The formula in plain differentiable ops (zero-padded window sum), for ``torch.compile`` to fuse.

    ``alpha`` is already divided by the convention's divisor (see :func:`local_response_norm`).
    """
    c = x.shape[-3]
    sq = F.pad((x * x).unsqueeze(-4), (0, 0, 0, 0, front, back)).squeeze(-4)
    total = sq.narrow(-3, 0, c)
    for j in range(1, front + back + 1):
        total = total + sq.narrow(-3, j, c)
    return x * (k + alpha * total).pow(-beta)


_compiled_formula = None


def _compiled():
    global _compiled_formula
    if _compiled_formula is None:
        _compiled_formula = torch.compile(lrn_formula, dynamic=False)
    return _compiled_formula


def _window_sum_padded(t: Tensor, dim: int, front: int, back: int) -> Tensor:
    """The window sum as plain ops (zero padding and shifted slices along ``dim``, -1 or -3) for the compiler."""
    c = t.shape[dim]
    pad = (front, back) if dim == -1 else (0, 0, 0, 0, front, back)
    p = F.pad(t, pad)
    total = p.narrow(dim, 0, c)
    for j in range(1, front + back + 1):
        total = total + p.narrow(dim, j, c)
    return total


def _scale(d: Tensor, beta: float) -> Tensor:
    if beta == 0.75:
        r = torch.rsqrt(d)
        return r * torch.sqrt(r)
    return d.pow(-beta)


def lrn_forward_kernel(x: Tensor, dim: int, front: int, back: int, alpha: float, beta: float, k: float):
    """(output, denominator) of the LRN, channels along ``dim``: the forward half of :class:`_KernelLRN`.
    The arithmetic is float32 whatever ``x`` is (see :data:`LOW_PRECISION`); the output has ``x``'s dtype."""
    xf = x.float() if x.dtype in LOW_PRECISION else x
    d = _window_sum_padded(xf * xf, dim, front, back) * alpha + k
    return (xf * _scale(d, beta)).to(x.dtype), d


def lrn_backward_kernel(x: Tensor, d: Tensor, g: Tensor, dim: int, front: int, back: int, alpha: float,
                        beta: float) -> Tensor:
    """The gradient for ``x`` (see :class:`_PaperLRN`'s backward; the window mirrored)."""
    xf, gf = (x.float(), g.float()) if x.dtype in LOW_PRECISION else (x, g)
    s = _scale(d, beta)
    return (gf * s - (2.0 * alpha * beta) * xf * _window_sum_padded(gf * xf * s / d, dim, back, front)).to(x.dtype)


_kernels = None


def lrn_kernels():
    """The forward and backward kernels compiled (once per process; each new shape compiles at its first call)."""
    global _kernels
    if _kernels is None:
        _kernels = (torch.compile(lrn_forward_kernel, dynamic=False),
                    torch.compile(lrn_backward_kernel, dynamic=False))
    return _kernels


def _kernel_view(x: Tensor, groups: int):
    """``x`` (N, C, H, W) as the kernels' view, the channel dim, and how to give a result ``x``'s shape back."""
    n, c, h, w = x.shape
    if x.stride(1) == 1 and c > 1 and x.is_contiguous(memory_format=torch.channels_last):
        rows = x.permute(0, 2, 3, 1).reshape(n * h * w, groups, c // groups)  # a view of channels-last memory
        return rows, -1, lambda t: t.reshape(n, h, w, c).permute(0, 3, 1, 2)
    return x.contiguous().view(n, groups, c // groups, h, w), -3, lambda t: t.reshape(n, c, h, w)


class _KernelLRN(torch.autograd.Function):
    """The LRN through the compiled kernels (CPU); the same maths as :class:`_PaperLRN`."""

    @staticmethod
    def forward(ctx, x: Tensor, groups: int, front: int, back: int, alpha: float, beta: float, k: float):
        view, dim, back_to_x = _kernel_view(x, groups)
        out, d = lrn_kernels()[0](view, dim, front, back, alpha, beta, k)
        ctx.save_for_backward(view, d)
        ctx.params = (dim, front, back, alpha, beta, back_to_x)
        return back_to_x(out)

    @staticmethod
    def backward(ctx, grad_out: Tensor):
        view, d = ctx.saved_tensors
        dim, front, back, alpha, beta, back_to_x = ctx.params
        # the gradient in the forward's view (a view again when it has x's layout, else one copy)
        g = (grad_out.permute(0, 2, 3, 1) if dim == -1 else grad_out).reshape(view.shape)
        grad = lrn_kernels()[1](view, d, g, dim, front, back, alpha, beta)
        return back_to_x(grad), None, None, None, None, None, None


def compile_lrn(model: nn.Module, batch_size: int | None) -> int:
    """Train ``model``'s LRN layers through ``torch.compile`` for batches of ``batch_size`` (``None``: back to
    eager everywhere); returns how many layers were switched.  Compiling happens at the first call."""
    n = 0
    for m in model.modules():
        if isinstance(m, LocalResponseNorm):
            m.compiled_batch = batch_size
            n += 1
    return n


def reference_lrn_numpy(a, size=PAPER_N, alpha=PAPER_ALPHA, beta=PAPER_BETA, k=PAPER_K, groups=1):
    """The paper's formula as a direct loop over channels (float64 NumPy), for tests and teaching.

    ``groups``: the channels split into that many equal towers, each normalised on its own (the sum
    never reaches across a tower's edge), as each GPU did with its own kernel maps."""
    import numpy as np

    a = np.asarray(a, dtype=np.float64)
    n_ch = a.shape[-3]
    per = n_ch // groups
    out = np.empty_like(a)
    for i in range(n_ch):
        first, last = (i // per) * per, (i // per) * per + per - 1
        lo, hi = max(first, i - size // 2), min(last, i + size // 2)
        s = np.zeros(a.shape[:-3] + a.shape[-2:])
        for j in range(lo, hi + 1):
            s += a[..., j, :, :] ** 2
        out[..., i, :, :] = a[..., i, :, :] / (k + alpha * s) ** beta
    return out


class LocalResponseNorm(nn.Module):
    """The paper's LRN as a module; ``convention="pytorch"`` divides alpha by n like ``nn.LocalResponseNorm``."""

    def __init__(
        self,
        size: int = PAPER_N,
        alpha: float = PAPER_ALPHA,
        beta: float = PAPER_BETA,
        k: float = PAPER_K,
        convention: str = "paper",
        groups: int = 1,
    ) -> None:
        super().__init__()
        _window(size, convention)  # validate early
        if groups < 1:
            raise ValueError(f"LRN groups must be at least 1, got {groups!r}")
        self.size, self.alpha, self.beta, self.k, self.convention = size, alpha, beta, k, convention
        #: towers normalised separately (2 in the paper's two-GPU net: lrn1 over 48 + 48 maps, lrn2 128 + 128)
        self.groups = groups
        self.compiled_batch: int | None = None  # see compile_lrn

    def forward(self, x: Tensor) -> Tensor:
        g = self.groups
        if self.compiled_batch is not None and self.training and x.device.type == "cpu" and x.dim() == 4 \
                and x.shape[0] == self.compiled_batch and x.shape[1] % g == 0:
            front, back, div = _window(self.size, self.convention)
            return _KernelLRN.apply(x, g, front, back, self.alpha / div, self.beta, self.k)
        if g > 1:  # (..., C, H, W) -> (..., g, C/g, H, W): splitting a dimension is a view, whatever the layout
            if x.dim() < 3 or x.shape[-3] % g:
                raise ValueError(f"LRN with {g} groups needs a channel count divisible by {g}, got {tuple(x.shape)}")
            x = x.unflatten(-3, (g, x.shape[-3] // g))
        if self.compiled_batch is not None and self.training and x.dim() == 4 + (g > 1) \
                and x.shape[0] == self.compiled_batch:
            front, back, div = _window(self.size, self.convention)
            low = x.dtype in LOW_PRECISION  # float32 arithmetic (see LOW_PRECISION); the casts fuse into the kernel
            out = _compiled()(x.float() if low else x, front, back, self.alpha / div, self.beta, self.k)
            out = out.to(x.dtype) if low else out
        else:
            out = local_response_norm(x, self.size, self.alpha, self.beta, self.k, self.convention)
        return out.flatten(-4, -3) if g > 1 else out

    def extra_repr(self) -> str:
        return (f"size={self.size}, alpha={self.alpha}, beta={self.beta}, k={self.k}, convention={self.convention!r}"
                + (f", groups={self.groups}" if self.groups > 1 else ""))
