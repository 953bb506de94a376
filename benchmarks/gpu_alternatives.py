"""The paper model's training step on a GPU, every alternative of issue 16 against torchvision's AlexNet.

    python3 benchmarks/gpu_alternatives.py [--batch 256] [--rounds 5] [--steps 10] [--leak-steps 10000]
    python3 benchmarks/gpu_alternatives.py --cpu-check      # the equality check alone (what a CPU machine runs)
    python3 benchmarks/gpu_alternatives.py --dry-run        # this script's GPU path on the CPU, tiny: no figure

On CUDA, the paper model at 227 px, batch 256, synthetic tensors on the GPU, SGD as the engine builds it (fused),
in fp32 (cuDNN's default TF32 for convolutions, as the engine leaves it) and bf16 autocast:

* the grouped conv2/conv4/conv5 as ``nn.Conv2d`` ("grouped"), as two ungrouped convolutions on the two halves
  ("split") and the same on two CUDA streams ("streams"): ``train_backend.models.grouped.set_grouped_conv``;
* channels-last on and off (model and input);
* the LRN eager (the custom autograd function) or ``compile_lrn`` (its formula through ``torch.compile``);
* ``torchvision.models.alexnet`` (the reference) in both layouts, in the same process.

Each combination's images/s is the median over interleaved rounds (every combination once per round, one untimed
step after each switch, as ``benchmarks/train_step.py``), printed with its ratio to torchvision in the same layout
and to torchvision's faster layout, and how much GPU memory its step needs above the resident models; then the
fastest combination is named.  After that, on fresh models: ``torch.cuda.max_memory_allocated`` at the batch for
the engine's default (grouped, channels-last, eager LRN, bf16), the fastest combination and torchvision, and a leak
check: ``torch.cuda.memory_allocated`` after ``--leak-steps`` steps of the fastest combination must equal it
after 5.  An equality check of the alternatives on the GPU (fp32, TF32 off, batch 32) runs first.

Time on one H100/H200 with the defaults (estimated from ``benchmarks/gpu.py``'s figures, not yet run): 1-2.5 min
of ``torch.compile`` (8 LRN graphs: 2 layers x 2 layouts x 2 precisions; less with a warm compiler cache), under
1 min of timing (28 combinations x 57 steps), ~3 min of leak check (10,000 steps at ~15,000 img/s): about 5-7
minutes, under 8.  ``--budget-s`` (default 450) shortens the leak check, saying so, if the run would end past it.
Without CUDA it prints one line saying what it needs, runs the equality check on the CPU (seconds) and exits 0.
``--dry-run`` runs the GPU path's code on the CPU at a tiny size (the paper model at width 0.25, 67 px, batch 4,
one round of one step, 20 leak steps, no memory figures, ``compile_lrn`` served by its eager formula): a check
that the script runs through before a GPU session spends its device time on it, not a measurement.
"""

from __future__ import annotations

import argparse
import copy
import gc
import time

import torch
import torch.nn.functional as F

from common import machine, median

from train_backend.models import build_model
from train_backend.models.grouped import GROUPED_CONV_MODES, set_grouped_conv
from train_backend.models.lrn import PAPER_ALPHA, PAPER_BETA, PAPER_K, compile_lrn, local_response_norm, lrn_formula

START = time.perf_counter()


def say(text: str) -> None:
    print(text, flush=True)  # partial output survives a run cut short


def _forward_backward(model, x, y):
    model.zero_grad(set_to_none=True)
    out = model(x)
    F.cross_entropy(out, y).backward()
    return out.detach().float(), {n: p.grad.detach().float().clone() for n, p in model.named_parameters()}


def _rel_diff(a: torch.Tensor, b: torch.Tensor) -> float:
    return float((a - b).abs().max() / b.abs().max().clamp_min(1e-30))


#: on the GPU, the alternatives against the grouped layer in fp32 with TF32 off: different cuDNN algorithms sum in
#: different orders (~1e-6 relative); a wrong stream synchronisation would show as O(1)
GPU_TOLERANCE = 1e-3


def equality_check(device: str, batch: int, size: int, tiny: bool, assert_close: bool) -> list[str]:
    """The alternatives against the grouped NCHW model: logits and every gradient, in each layout; plus
    ``lrn_formula`` (what ``compile_lrn`` compiles) against the paper LRN.  Returns lines to print; with
    ``assert_close`` a mismatch raises (``torch.testing.assert_close``, default float32 tolerances)."""
    options = {"width": 0.25, "hidden": 64} if tiny else {}
    torch.manual_seed(0)
    ref_model = build_model("paper", num_classes=10 if tiny else 1000, init="kaiming", dropout=0.0,
                            **options).to(device)
    x = torch.randn(batch, 3, size, size, device=device)
    y = torch.randint(0, ref_model.num_classes, (batch,), device=device)
    ref_out, ref_grads = _forward_backward(ref_model, x, y)
    lines, worst = [], 0.0
    for channels_last in (False, True):
        for mode in GROUPED_CONV_MODES:
            if mode == "grouped" and not channels_last:
                continue  # the reference itself
            m = copy.deepcopy(ref_model)
            set_grouped_conv(m, mode)
            xi = x
            if channels_last:
                m.to(memory_format=torch.channels_last)
                xi = x.contiguous(memory_format=torch.channels_last)
            out, grads = _forward_backward(m, xi, y)
            if assert_close:
                torch.testing.assert_close(out, ref_out)
                for name in ref_grads:
                    torch.testing.assert_close(grads[name], ref_grads[name], msg=lambda s, n=name: f"{n}: {s}")
            d = max([_rel_diff(out, ref_out)] + [_rel_diff(grads[n], ref_grads[n]) for n in ref_grads])
            worst = max(worst, d)
            verdict = "" if assert_close else "  OK" if d <= GPU_TOLERANCE else "  MISMATCH: its figures mean nothing"
            lines.append(f"  {mode:<8} {'channels_last' if channels_last else 'NCHW':<13} logits and all "
                         f"{len(ref_grads)} gradients: max relative difference {d:.1e}{verdict}")
    # the LRN: the plain formula compile_lrn hands to torch.compile, against the custom function (both towers' maps)
    a = torch.randn(4, 2, 48, 13, 13, device=device, dtype=torch.float64, requires_grad=True)
    b = a.detach().clone().requires_grad_(True)
    ya = lrn_formula(a, 2, 2, PAPER_ALPHA, PAPER_BETA, PAPER_K)
    yb = local_response_norm(b, 5, PAPER_ALPHA, PAPER_BETA, PAPER_K)
    g = torch.randn_like(ya)
    ya.backward(g)
    yb.backward(g)
    torch.testing.assert_close(ya, yb)
    torch.testing.assert_close(a.grad, b.grad)
    lrn_diff = max(float((ya - yb).detach().abs().max()), float((a.grad - b.grad).abs().max()))
    lines.append(f"  LRN: lrn_formula (compile_lrn's) vs the paper LRN, float64, forward and backward: max difference "
                 f"{lrn_diff:.1e}")
    lines.append(f"  worst relative difference of the alternatives: {worst:.1e}")
    return lines


def cpu_check() -> list[str]:
    """The tiny paper model (width 0.25, 67 px, batch 4) on the CPU: seconds; "streams" runs as "split" there."""
    return equality_check("cpu", batch=4, size=67, tiny=True, assert_close=True)


class Combo:
    def __init__(self, net: str, channels_last: bool, mode: str | None = None, lrn: bool = False) -> None:
        self.net, self.channels_last, self.mode, self.lrn = net, channels_last, mode, lrn

    @classmethod
    def parse(cls, key: str) -> Combo:
        """The combination a label of :meth:`__str__` names."""
        words = key.split()
        if words[0] == "torchvision":
            return cls("torchvision", words[1] == "channels_last")
        return cls("paper", words[2] == "channels_last", words[1], words[3] == "compiled")

    def __str__(self) -> str:
        layout = "channels_last" if self.channels_last else "NCHW"
        if self.net == "torchvision":
            return f"torchvision {layout}"
        return f"paper {self.mode} {layout} {'compiled LRN' if self.lrn else 'eager LRN'}"


DEFAULT = "paper grouped channels_last eager LRN"  # what the engine trains with on CUDA (compile_lrn is opt-in)


class Bench:
    """The device, the input size and the models' options; the CUDA calls, which a dry run on the CPU skips."""

    def __init__(self, args) -> None:
        self.args = args
        self.dry = args.dry_run
        self.dev = torch.device("cpu" if self.dry else "cuda")
        self.size = 67 if self.dry else 227
        self.paper_options = {"width": 0.25, "hidden": 64} if self.dry else {}

    def sync(self) -> None:
        if not self.dry:
            torch.cuda.synchronize()

    def reset_peak(self) -> None:
        if not self.dry:
            torch.cuda.reset_peak_memory_stats()

    def allocated(self) -> int:
        return 0 if self.dry else torch.cuda.memory_allocated()

    def peak(self) -> int:
        return 0 if self.dry else torch.cuda.max_memory_allocated()

    def free(self) -> None:
        gc.collect()
        if not self.dry:
            torch.cuda.empty_cache()

    def model(self, net: str, channels_last: bool):
        """A fresh model and its optimizer (SGD as the engine builds it: fused) on the device."""
        torch.manual_seed(0)
        if net == "paper":
            m = build_model("paper", num_classes=1000, init="kaiming", **self.paper_options)
        else:
            import torchvision

            m = torchvision.models.alexnet(num_classes=1000)
        m = m.to(self.dev).train()
        if channels_last:
            m = m.to(memory_format=torch.channels_last)
        opt = torch.optim.SGD(m.parameters(), lr=0.01, momentum=0.9, weight_decay=5e-4, fused=True)
        return m, opt

    def batch(self, channels_last: bool):
        x = torch.randn(self.args.batch, 3, self.size, self.size, device=self.dev)
        if channels_last:
            x = x.contiguous(memory_format=torch.channels_last)
        return x, torch.randint(0, 1000, (self.args.batch,), device=self.dev)

    def step_fn(self, model, opt, x, y, amp):
        def step():
            opt.zero_grad(set_to_none=True)
            with torch.autocast(self.dev.type, dtype=amp or torch.float32, enabled=amp is not None):
                loss = F.cross_entropy(model(x).float(), y)
            loss.backward()
            opt.step()

        return step

    def apply(self, combo: Combo, model) -> None:
        if combo.net == "paper":
            set_grouped_conv(model, combo.mode)
            compile_lrn(model, self.args.batch if combo.lrn else None)

    def fresh(self, combo: Combo, amp):
        """A fresh model alone in ``combo``, and its training step."""
        self.free()
        m, opt = self.model(combo.net, combo.channels_last)
        self.apply(combo, m)
        return m, self.step_fn(m, opt, *self.batch(combo.channels_last), amp)

    def time_precision(self, name: str, amp, models) -> dict[str, tuple[float, float]]:
        """{combination: (images/s, MiB its step needs above the resident models)} for one precision."""
        args = self.args
        combos = [Combo("paper", cl, mode, lrn) for cl in (True, False) for mode in GROUPED_CONV_MODES
                  for lrn in (False, True)] + [Combo("torchvision", cl) for cl in (True, False)]
        inputs = {cl: self.batch(cl) for cl in (True, False)}
        steps = {}
        for c in combos:
            m, opt = models[c.net, c.channels_last]
            steps[str(c)] = (c, m, self.step_fn(m, opt, *inputs[c.channels_last], amp))
        t0 = time.perf_counter()
        for key, (c, m, step) in steps.items():  # warm-up: cuDNN autotuning, torch.compile of the LRN's shapes
            self.apply(c, m)
            t = time.perf_counter()
            step()
            self.sync()
            if c.lrn and time.perf_counter() - t > 2:
                say(f"  ({name}) {key}: first step {time.perf_counter() - t:.0f} s (compiling)")
            step()
        self.sync()
        say(f"  ({name}) warm-up of {len(steps)} combinations: {time.perf_counter() - t0:.0f} s")
        times: dict[str, list[float]] = {k: [] for k in steps}
        extra: dict[str, float] = {k: 0.0 for k in steps}
        for _ in range(args.rounds):
            for key, (c, m, step) in steps.items():  # interleaved: drifts hit every combination alike
                self.apply(c, m)
                step()  # untimed: the first step after a switch
                self.sync()
                self.reset_peak()
                base = self.allocated()
                t = time.perf_counter()
                for _ in range(args.steps):
                    step()
                self.sync()
                times[key].append((time.perf_counter() - t) / args.steps)
                extra[key] = max(extra[key], (self.peak() - base) / 2**20)
        return {k: (args.batch / median(ts), extra[k]) for k, ts in times.items()}

    def peak_memory(self, combo: Combo, amp) -> tuple[float, float]:
        """(max_memory_allocated, memory_allocated after the steps) in GiB: 5 steps of a fresh model alone."""
        m, step = self.fresh(combo, amp)
        self.reset_peak()
        for _ in range(5):
            step()
        self.sync()
        out = self.peak() / 2**30, self.allocated() / 2**30
        compile_lrn(m, None)
        return out

    def leak_check(self, combo: Combo, amp, amp_name: str, ips: float) -> None:
        args = self.args
        steps = args.leak_steps
        left = args.budget_s - (time.perf_counter() - START) - 15
        affordable = max(int(max(left, 0) * ips / args.batch * 0.9), 100)
        if steps > affordable:
            say(f"leak check: {steps:,} steps would take ~{steps * args.batch / ips:.0f} s, past --budget-s "
                f"{args.budget_s:.0f}: shortened to {affordable:,} steps")
            steps = affordable
        m, step = self.fresh(combo, amp)
        for _ in range(5):
            step()
        self.sync()
        self.reset_peak()
        after_few = self.allocated()
        t = time.perf_counter()
        for i in range(5, steps):
            step()
            if (i + 1) % 2000 == 0:
                self.sync()
                say(f"  leak check: {i + 1:,} steps, allocated {self.allocated() / 2**20:,.1f} MiB, "
                    f"{time.perf_counter() - t:.0f} s")
        self.sync()
        after_many = self.allocated()
        rate = (steps - 5) * args.batch / max(time.perf_counter() - t, 1e-9)
        verdict = "PASS (equal)" if after_many == after_few else f"LEAK? {after_many - after_few:+,} bytes"
        if self.dry:
            verdict = "dry run: nothing measured"
        say(f"leak check, {combo}, {amp_name}, batch {args.batch}: allocated after 5 steps {after_few:,} B, after "
            f"{steps:,} steps {after_many:,} B -> {verdict}; peak meanwhile {self.peak() / 2**30:.2f} GiB, "
            f"{rate:,.0f} img/s")
        compile_lrn(m, None)


def report(name: str, results: dict[str, tuple[float, float]]) -> tuple[str, float]:
    """Print one precision's table; returns the fastest paper combination and its images/s."""
    tv = {cl: results[f"torchvision {cl}"][0] for cl in ("channels_last", "NCHW")}
    best_tv = max(tv.values())
    say(f"{name}: images/s (median of rounds), x torchvision in the same layout, x torchvision's faster layout "
        f"({best_tv:,.0f} img/s), the step's memory above the resident models (parameters, gradients, momentum)")
    for key, (ips, mib) in sorted(results.items(), key=lambda kv: -kv[1][0]):
        layout = "channels_last" if "channels_last" in key else "NCHW"
        note = "  <- engine default" if key == DEFAULT else ""
        say(f"  {key:<40} {ips:9,.0f}   x{ips / tv[layout]:.2f}   x{ips / best_tv:.2f}   {mib:7,.0f} MiB{note}")
    paper = {k: v[0] for k, v in results.items() if k.startswith("paper")}
    fastest = max(paper, key=paper.get)
    say(f"  fastest ({name}): {fastest}, {paper[fastest]:,.0f} img/s = x{paper[fastest] / best_tv:.2f} of "
        f"torchvision's faster layout (budget >= 0.90), x{paper[fastest] / paper[DEFAULT]:.2f} of the engine default")
    return fastest, paper[fastest]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--batch", type=int, default=256)
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--steps", type=int, default=10, help="steps timed per combination and round")
    p.add_argument("--leak-steps", type=int, default=10_000)
    p.add_argument("--budget-s", type=float, default=450, help="shorten the leak check to end the run by then")
    p.add_argument("--no-bf16", action="store_true", help="fp32 only")
    p.add_argument("--cpu-check", action="store_true", help="only the CPU equality check of the alternatives")
    p.add_argument("--dry-run", action="store_true", help="the GPU path's code on the CPU, tiny sizes; no figure")
    args = p.parse_args()
    if args.cpu_check or not (torch.cuda.is_available() or args.dry_run):
        if not args.cpu_check:
            say("gpu_alternatives: needs a CUDA GPU (none here): no speed or memory figure measured; run it on a GPU "
                "machine (~6 min). The CPU equality check of the alternatives instead (streams run as split here):")
        t = time.perf_counter()
        for line in cpu_check():
            say(line)
        say(f"  CPU equality check passed in {time.perf_counter() - t:.1f} s")
        return
    bench = Bench(args)
    if args.dry_run:
        args.batch, args.rounds, args.steps, args.leak_steps = 4, 1, 1, 20
        import train_backend.models.lrn as lrn_module

        lrn_module._compiled_formula = lrn_formula  # compile_lrn's path, without compiling (slow on a CPU)
        say("gpu_alternatives --dry-run: the GPU path on the CPU at a tiny size; NOT a measurement")
        for line in cpu_check():
            say(line)
    else:
        torch.backends.cudnn.benchmark = True
        import torch._dynamo as dynamo

        for knob in ("recompile_limit", "cache_size_limit"):  # 8 LRN graphs: the default limit is 8
            if hasattr(dynamo.config, knob):
                setattr(dynamo.config, knob, max(64, getattr(dynamo.config, knob)))
        say(f"gpu_alternatives: paper AlexNet at {bench.size} px, batch {args.batch}; {machine()}")
        tf32 = torch.backends.cudnn.allow_tf32
        torch.backends.cudnn.allow_tf32, torch.backends.cudnn.benchmark = False, False
        lines = equality_check("cuda", batch=32, size=227, tiny=False, assert_close=False)
        torch.backends.cudnn.allow_tf32, torch.backends.cudnn.benchmark = tf32, True
        say("equality on the GPU (fp32, TF32 off, batch 32, the full model; relative to each tensor's largest value):")
        for line in lines:
            say(line)
        say(f"timing: {args.rounds} interleaved rounds x {args.steps} steps; fp32 means cuDNN TF32 "
            f"{'on' if tf32 else 'off'} for convolutions, matmul precision {torch.get_float32_matmul_precision()}")

    models = {(net, cl): bench.model(net, cl) for net in ("paper", "torchvision") for cl in (True, False)}
    precisions = [("fp32", None)]
    if not args.no_bf16:
        if args.dry_run or torch.cuda.is_bf16_supported():
            precisions.append(("bf16", torch.bfloat16))
        else:
            say("bf16: not supported on this GPU, skipped")
    best = None
    for name, amp in precisions:
        fastest, ips = report(name, bench.time_precision(name, amp, models))
        if best is None or ips > best[2]:
            best = (name, amp, ips, fastest)
        say(f"  [{time.perf_counter() - START:.0f} s]")
    name, amp, ips, fastest = best
    say(f"fastest combination overall: {fastest}, {name}, {ips:,.0f} img/s")
    for m, _ in models.values():
        compile_lrn(m, None)
    del models

    last, last_amp = precisions[-1]
    checks = [(DEFAULT, last_amp, last), ("torchvision channels_last", last_amp, last)]
    if (fastest, name) != (DEFAULT, last):
        checks.insert(1, (fastest, amp, name))
    say(f"GPU memory at batch {args.batch}, each model alone (5 steps)"
        + (": dry run, no CUDA, so the figures below are zeros" if args.dry_run else ":"))
    for key, a, aname in checks:
        peak, held = bench.peak_memory(Combo.parse(key), a)
        say(f"  {key + ', ' + aname:<46} max_memory_allocated {peak:6.2f} GiB (held between steps {held:.2f})")
    bench.leak_check(Combo.parse(fastest), amp, name, ips)
    say(f"total {time.perf_counter() - START:.0f} s")


if __name__ == "__main__":
    main()
