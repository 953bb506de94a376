"""Where a training step's time goes, layer by layer: the paper's AlexNet beside torchvision's, same input and batch.

    python3 benchmarks/layer_profile.py [--size 227] [--batch 32] [--rounds 5] [--layout channels_last|contiguous]
                                        [--threads N] [--cpu-time] [--isa native|avx2]

Each network is run once to record every layer's input; then each layer alone is timed, forward and backward (its
output's gradient a fixed random tensor), interleaved over rounds, the median kept.  The rows pair the layers by their
role (conv1 with conv1, pool1 with pool1; the paper's LRN layers have no partner), and the last lines give the sums,
the whole step measured the same way (forward, backward and the fused SGD step), and the ratio paper ÷ torchvision.
This is how issue 16's "find what 227 costs" is answered: at 227 px the paper's conv1 has 96 kernels on a 55x55 map
where torchvision's has 64 on 56x56, conv3 reads 256 maps instead of 192, conv4 and conv5 are grouped (cheaper), and
the two LRN layers come on top.

``--isa avx2`` limits the process to AVX2 kernels (no AVX-512, no bf16).

``--cpu-time`` times with the process's CPU time (``time.process_time``) instead of the wall clock: steadier on a
machine that other jobs share, and with ``--threads 1`` it is the work itself.
"""

from __future__ import annotations

import argparse
import time
from collections import OrderedDict

from common import add_isa_argument, machine, median  # first: --isa must be set before torch starts

import torch
import torch.nn.functional as F
from torch import nn

from train_backend.models import build_model


def torchvision_layers(model: nn.Module) -> "OrderedDict[str, nn.Module]":
    """torchvision's AlexNet as named layers in order (conv1, relu1, pool1, ..., fc8), like the paper model's."""
    named: OrderedDict[str, nn.Module] = OrderedDict()
    conv = relu = pool = 0
    for m in model.features:
        if isinstance(m, nn.Conv2d):
            conv += 1
            named[f"conv{conv}"] = m
        elif isinstance(m, nn.ReLU):
            relu += 1
            named[f"relu{conv}"] = m
        elif isinstance(m, nn.MaxPool2d):
            pool += 1
            named[f"pool{conv}"] = m
    named["avgpool"] = model.avgpool
    named["flatten"] = nn.Flatten(1)
    fc = 5
    for m in model.classifier:
        if isinstance(m, nn.Dropout):
            named[f"drop{fc + 1}"] = m  # torchvision drops the *inputs* of fc6 and fc7
        elif isinstance(m, nn.Linear):
            fc += 1
            named[f"fc{fc}"] = m
        elif isinstance(m, nn.ReLU):
            named[f"relu{fc}"] = m
    return named


def paper_layers(model: nn.Module) -> "OrderedDict[str, nn.Module]":
    return OrderedDict(model.named_children())


def record_inputs(layers: "OrderedDict[str, nn.Module]", x: torch.Tensor) -> dict[str, torch.Tensor]:
    inputs = {}
    with torch.no_grad():
        for name, m in layers.items():
            inputs[name] = x.clone()
            x = m(x)
    return inputs


def layer_timer(m: nn.Module, x: torch.Tensor, clock, first: bool):
    """A function timing one forward and one backward of layer ``m`` on (a copy of) ``x``; the ``first`` layer's
    input needs no gradient (the images), as in training: conv1's backward then computes its weights' only."""
    with torch.no_grad():
        grad = torch.randn_like(m(x.clone()))

    def run() -> tuple[float, float]:
        leaf = x.clone().requires_grad_(not first)  # a fresh copy: in-place ReLUs would write into the recording
        xi = leaf.clone()  # not a leaf, so an in-place layer may write into it (its backward passes the gradient on)
        t0 = clock()
        out = m(xi)
        t1 = clock()
        out.backward(grad)
        t2 = clock()
        return t1 - t0, t2 - t1

    return run


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--size", type=int, default=227)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--classes", type=int, default=1000)
    p.add_argument("--layout", choices=("channels_last", "contiguous"), default="channels_last",
                   help="memory layout (the engine trains channels-last on CPUs and CUDA)")
    p.add_argument("--threads", type=int, default=None)
    p.add_argument("--cpu-time", action="store_true", help="time with process CPU time instead of the wall clock")
    add_isa_argument(p)
    args = p.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    clock = time.process_time if args.cpu_time else time.perf_counter
    import torchvision

    torch.manual_seed(0)
    fmt = torch.channels_last if args.layout == "channels_last" else torch.contiguous_format
    nets = {"paper": build_model("paper", num_classes=args.classes),
            "torchvision": torchvision.models.alexnet(num_classes=args.classes)}
    layers = {"paper": paper_layers(nets["paper"]), "torchvision": torchvision_layers(nets["torchvision"])}
    x = torch.randn(args.batch, 3, args.size, args.size).contiguous(memory_format=fmt)
    y = torch.randint(0, args.classes, (args.batch,))
    timers, steps = {}, {}
    for net, model in nets.items():
        model.to(memory_format=fmt).train()
        inputs = record_inputs(layers[net], x)
        timers[net] = {name: layer_timer(m, inputs[name], clock, first=i == 0)
                       for i, (name, m) in enumerate(layers[net].items()) if not isinstance(m, nn.Flatten)}
        opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=5e-4, fused=True)

        def step(model=model, opt=opt) -> float:
            t = clock()
            opt.zero_grad(set_to_none=True)
            F.cross_entropy(model(x), y).backward()
            opt.step()
            return clock() - t

        steps[net] = step
    fwd = {net: {n: [] for n in timers[net]} for net in nets}
    bwd = {net: {n: [] for n in timers[net]} for net in nets}
    whole = {net: [] for net in nets}
    for net in nets:  # warm-up: every layer's memory touched once
        steps[net]()
        for run in timers[net].values():
            run()
    for _ in range(args.rounds):
        for net in nets:
            steps[net]()
            whole[net].append(steps[net]())
            for name, run in timers[net].items():
                f, b = run()
                fwd[net][name].append(f)
                bwd[net][name].append(b)
    unit = "CPU ms" if args.cpu_time else "ms"
    print(f"layer_profile: batch {args.batch}, {args.size}px, {args.layout}, {args.classes} classes, "
          f"{'process CPU time' if args.cpu_time else 'wall clock'}; {machine()}")
    print(f"  {'layer':<9} {'paper fwd':>10} {'bwd':>8} {'torchvision fwd':>16} {'bwd':>8} {'paper - tv':>11}   ({unit})")
    names = list(dict.fromkeys([*timers["paper"], *timers["torchvision"]]))
    order = {n: i for i, n in enumerate(timers["paper"])}
    names.sort(key=lambda n: order.get(n, len(order)))
    total = {net: 0.0 for net in nets}
    for n in names:
        cells, sums = [], []
        for net in nets:
            if n in fwd[net]:
                f, b = median(fwd[net][n]) * 1e3, median(bwd[net][n]) * 1e3
                total[net] += f + b
                cells.append(f"{f:10.1f} {b:8.1f}" if net == "paper" else f"{f:16.1f} {b:8.1f}")
                sums.append(f + b)
            else:
                cells.append(f"{'-':>10} {'-':>8}" if net == "paper" else f"{'-':>16} {'-':>8}")
                sums.append(0.0)
        print(f"  {n:<9} {cells[0]} {cells[1]} {sums[0] - sums[1]:+11.1f}")
    print(f"  {'sum':<9} {total['paper']:19.1f} {total['torchvision']:25.1f} {total['paper'] - total['torchvision']:+11.1f}")
    w = {net: median(whole[net]) * 1e3 for net in nets}
    print(f"  whole step (forward, backward, SGD): paper {w['paper']:.1f} {unit}, torchvision {w['torchvision']:.1f} "
          f"-> paper / torchvision speed {w['torchvision'] / w['paper']:.3f}")

if __name__ == "__main__":
    main()
