"""The paper's update rule as an optimizer (section 5 of the paper).

    v ← 0.9·v − 0.0005·ε·w − ε·∂L/∂w
    w ← w + v

The weight decay is inside the velocity and the learning rate ε multiplies the step *when the velocity is formed*.
PyTorch's SGD keeps ``buf ← μ·buf + g + λ·w`` and applies ``w ← w − ε·buf``: the same updates while ε is constant,
but when ε drops (the paper's ÷10) torch's next step multiplies the *whole* accumulated momentum by the new ε at
once, where the paper's velocity keeps its old size and decays at the rate μ.  The ``paper`` recipe uses this
(``TrainConfig.optimizer = "paper"``); every other recipe keeps ``torch.optim.SGD``.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable

import torch

class PaperSGD(torch.optim.Optimizer):
    """``v ← μ·v − λ·ε·w − ε·∂L/∂w``, ``w ← w + v`` per parameter (μ = momentum, λ = weight decay, ε = the group's
    lr at this step).  The velocity starts at zero and is kept in ``state[p]["velocity"]``."""

    def __init__(self, params: Iterable[Any], lr: float = 0.01, momentum: float = 0.9,
                 weight_decay: float = 5e-4) -> None:
        if lr < 0 or not (0 <= momentum < 1) or weight_decay < 0:
            raise ValueError(f"invalid PaperSGD settings: lr {lr}, momentum {momentum}, weight decay {weight_decay}")
        super().__init__(params, {"lr": lr, "momentum": momentum, "weight_decay": weight_decay})

    @torch.no_grad()
    def step(self, closure: Callable[[], float] | None = None) -> float | None:  # type: ignore[override]
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for group in self.param_groups:
            lr, mu, wd = float(group["lr"]), float(group["momentum"]), float(group["weight_decay"])
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                v = state.get("velocity")
                if v is None:
                    v = state["velocity"] = torch.zeros_like(p, memory_format=torch.preserve_format)
                v.mul_(mu)
                if wd:
                    v.add_(p, alpha=-lr * wd)
                v.add_(p.grad, alpha=-lr)
                p.add_(v)
        return loss
