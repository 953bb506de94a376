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
``torch.compile`` of the plain formula (:func:`lrn_formula`): one fused kernel each way, about 15 %
more training images/s for the paper model on an H100, after ~15-45 s of compiling at the first step.
Every other shape (the last short batch of an epoch, validation, probes) keeps the eager function, so
nothing recompiles later: a recompile per new shape costs as much as the first compile, and dynamic
shapes measured slower than eager.
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
        if g > 1:  # (..., C, H, W) -> (..., g, C/g, H, W): splitting a dimension is a view, whatever the layout
            if x.dim() < 3 or x.shape[-3] % g:
                raise ValueError(f"LRN with {g} groups needs a channel count divisible by {g}, got {tuple(x.shape)}")
            x = x.unflatten(-3, (g, x.shape[-3] // g))
        if self.compiled_batch is not None and self.training and x.dim() == 4 + (g > 1) \
                and x.shape[0] == self.compiled_batch:
            front, back, div = _window(self.size, self.convention)
            out = _compiled()(x, front, back, self.alpha / div, self.beta, self.k)
        else:
            out = local_response_norm(x, self.size, self.alpha, self.beta, self.k, self.convention)
        return out.flatten(-4, -3) if g > 1 else out

    def extra_repr(self) -> str:
        return (f"size={self.size}, alpha={self.alpha}, beta={self.beta}, k={self.k}, convention={self.convention!r}"
                + (f", groups={self.groups}" if self.groups > 1 else ""))
