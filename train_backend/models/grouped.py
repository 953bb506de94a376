"""Grouped convolutions computed other ways, for measuring which is fastest (issue 16; ``benchmarks/gpu_alternatives.py``).

cuDNN's grouped convolutions are slow for some shapes and memory layouts.  The paper's conv2, conv4 and conv5 have
two groups (its two towers), and the same layer can be computed as one ungrouped convolution per group on that
group's channel slice, the outputs joined along the channels:

* ``"grouped"``: ``nn.Conv2d`` itself (one grouped call; the default, and what every model is built with);
* ``"split"``: :class:`SplitConv2d`, G ungrouped ``F.conv2d`` calls on the slices;
* ``"streams"``: :class:`StreamsConv2d`, as ``"split"`` with group i > 0 on its own CUDA stream, so the groups'
  kernels can overlap (autograd runs each backward on its forward's stream); on any other device it is ``"split"``.

Both are subclasses of ``nn.Conv2d`` that add no state: the parameters are the grouped layer's own (``weight``
(out, in/G, kh, kw), ``bias`` (out,)), so state dicts, checkpoints, ``isinstance`` checks, hooks and the kernels
panel's ``conv.weight`` are unchanged.  :func:`set_grouped_conv` switches a built model's grouped layers between the
three in place by changing each layer's class, keeping the very same ``Parameter`` objects (an optimizer built
before still works).  Outputs equal ``nn.Conv2d``'s up to floating-point summation order (tests/test_grouped_conv.py).
Nothing measured the alternatives yet on a GPU, so models keep ``"grouped"`` unless asked.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor, nn

GROUPED_CONV_MODES = ("grouped", "split", "streams")


class SplitConv2d(nn.Conv2d):
    """A grouped ``nn.Conv2d`` computed as one ungrouped convolution per group (same constructor, same parameters)."""

    def _conv_forward(self, input: Tensor, weight: Tensor, bias: Tensor | None) -> Tensor:
        g = self.groups
        if g == 1:
            return super()._conv_forward(input, weight, bias)
        padding = self.padding
        if self.padding_mode != "zeros":  # as nn.Conv2d: pad once, then convolve without padding
            input = F.pad(input, self._reversed_padding_repeated_twice, mode=self.padding_mode)
            padding = 0
        xs = input.chunk(g, dim=-3)  # (N, C, H, W) or unbatched (C, H, W): channels are dim -3
        ws = weight.chunk(g, 0)
        bs = bias.chunk(g, 0) if bias is not None else (None,) * g
        outs = self._run_groups(xs, ws, bs, padding)
        return torch.cat(outs, dim=-3)

    def _run_groups(self, xs, ws, bs, padding) -> list[Tensor]:
        return [F.conv2d(x, w, b, self.stride, padding, self.dilation, 1) for x, w, b in zip(xs, ws, bs)]


_side_streams: dict[tuple[int, int], torch.cuda.Stream] = {}


def _side_stream(device: torch.device, i: int) -> torch.cuda.Stream:
    """The i-th side stream of a CUDA device (created once, kept for the process)."""
    key = (device.index if device.index is not None else torch.cuda.current_device(), i)
    if key not in _side_streams:
        _side_streams[key] = torch.cuda.Stream(device=key[0])
    return _side_streams[key]


class StreamsConv2d(SplitConv2d):
    """As :class:`SplitConv2d`, with group 0 on the current CUDA stream and group i > 0 on side stream i."""

    def _run_groups(self, xs, ws, bs, padding) -> list[Tensor]:
        x0 = xs[0]
        if x0.device.type != "cuda" or len(xs) == 1:
            return super()._run_groups(xs, ws, bs, padding)
        current = torch.cuda.current_stream(x0.device)
        streams = [current] + [_side_stream(x0.device, i) for i in range(1, len(xs))]
        outs = []
        for s, x, w, b in zip(streams, xs, ws, bs):
            if s is not current:
                s.wait_stream(current)  # the input and weights are ready
                x.record_stream(s)  # allocated on the current stream, read on s (here and in the backward pass)
            with torch.cuda.stream(s):
                outs.append(F.conv2d(x, w, b, self.stride, padding, self.dilation, 1))
        for s, out in zip(streams[1:], outs[1:]):
            current.wait_stream(s)  # the join waits for every group
            out.record_stream(current)  # allocated on s, used (and freed) on the current stream
        return outs


_CLASSES = {"grouped": nn.Conv2d, "split": SplitConv2d, "streams": StreamsConv2d}


def set_grouped_conv(model: nn.Module, mode: str) -> int:
    """Compute ``model``'s grouped convolutions (``groups > 1``) as ``mode`` (:data:`GROUPED_CONV_MODES`), in place.

    Only layers that are exactly ``nn.Conv2d``, :class:`SplitConv2d` or :class:`StreamsConv2d` are switched, by
    changing their class: parameters, buffers, hooks, device and training mode stay as they are.  Returns how many
    layers were switched (3 in the paper's two-tower net: conv2, conv4, conv5)."""
    if mode not in _CLASSES:
        raise ValueError(f"grouped conv mode must be one of {', '.join(GROUPED_CONV_MODES)}, got {mode!r}")
    known = tuple(_CLASSES.values())
    n = 0
    for m in model.modules():
        if type(m) in known and m.groups > 1:
            m.__class__ = _CLASSES[mode]
            n += 1
    return n


def grouped_conv_mode(model: nn.Module) -> str | None:
    """The mode of ``model``'s grouped convolutions (None if it has none; "mixed" if they differ)."""
    modes = {name for m in model.modules() if isinstance(m, nn.Conv2d) and m.groups > 1
             for name, cls in _CLASSES.items() if type(m) is cls}
    return None if not modes else modes.pop() if len(modes) == 1 else "mixed"
