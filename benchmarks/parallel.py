"""Training on several devices: the paper's two towers on two GPUs, and data parallel under torchrun.

    python3 benchmarks/parallel.py towers [--batch 128] [--steps 50]
    python3 benchmarks/parallel.py ddp [--batch 128] [--steps 200] [--dataset synthetic] [--cpu]

``towers``: the paper model's training step at 227 px (AMP, synthetic tensors on the GPU) on one GPU and with
``tower_devices cuda:0,cuda:1``; prints both images/s and the ratio.  Needs two CUDA GPUs.
``ddp``: ``alexnet-gui train`` (this checkout) with one process, then under ``torchrun --nproc-per-node N`` (N =
the GPU count, batch per process), the engine's own images/s from each run's metrics.jsonl and the ratio
(ideal: N).  Needs two or more GPUs; ``--cpu`` runs it with 2 gloo processes on the CPU instead (a check that it
works and what it costs there, not a GPU figure).
On a machine without the GPUs each prints what it needs and measures nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import torch
import torch.nn.functional as F

from common import machine, median, scratch_dir

ROOT = Path(__file__).resolve().parent.parent


def towers(args) -> None:
    n = torch.cuda.device_count()
    if n < 2:
        print(f"towers: needs two CUDA GPUs (this machine has {n}): not measured. The placement itself is "
              "tested on the CPU (tests/test_towers.py, device list cpu,cpu)")
        return
    from train_backend.models import build_model
    from train_backend.models.towers import place_towers

    x = torch.randn(args.batch, 3, 227, 227, device="cuda:0")
    y = torch.randint(0, 1000, (args.batch,), device="cuda:0")

    def rate(model) -> float:
        opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
        times = []
        for i in range(args.steps + 5):
            torch.cuda.synchronize(0)
            torch.cuda.synchronize(1)
            t = time.perf_counter()
            opt.zero_grad(set_to_none=True)
            with torch.autocast("cuda", dtype=torch.bfloat16):
                loss = F.cross_entropy(model(x).float(), y)
            loss.backward()
            opt.step()
            torch.cuda.synchronize(0)
            torch.cuda.synchronize(1)
            if i >= 5:
                times.append(time.perf_counter() - t)
        return args.batch / median(times)

    torch.manual_seed(0)
    one = rate(build_model("paper").cuda(0))
    torch.manual_seed(0)
    two = rate(place_towers(build_model("paper"), "cuda:0,cuda:1"))
    print(f"towers, paper model, 227 px, batch {args.batch}, bf16 autocast: one GPU {one:,.0f} img/s, "
          f"towers on cuda:0,cuda:1 {two:,.0f} img/s, ratio {two / one:.2f}")


def _engine_rate(nproc: int, args, device: str) -> float:
    out = Path(scratch_dir("parallel-")) / f"run{nproc}"
    train = ["train", "--recipe", "quick", "--dataset", args.dataset, "--model", "paper", "--input-size", "227",
             "--epochs", "100", "--max-steps", str(args.steps), "--batch-size", str(args.batch), "--device", device,
             "--val-subset", "16", "--schedule", "constant", "--out", str(out), "--quiet"]
    if args.dataset == "synthetic" and device == "cpu":
        train[train.index("227")] = "67"
        train += ["--set", "width=0.25", "--set", "hidden=256"]
    launcher = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc-per-node", str(nproc)] \
        if nproc > 1 else [sys.executable]
    # torchrun gives each process one OpenMP thread: the single process gets the same, for a fair ratio
    env = {"OMP_NUM_THREADS": "1", **os.environ, "PYTHONPATH": str(ROOT)}
    r = subprocess.run([*launcher, "-m", "train_backend", *train], cwd=ROOT, env=env, capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(f"ddp: the {nproc}-process run failed:\n{r.stdout[-2000:]}\n{r.stderr[-2000:]}")
    steps = [json.loads(line) for line in (out / "metrics.jsonl").read_text().splitlines()]
    rates = [s["images_per_sec"] for s in steps if s.get("kind") == "step"]
    return median(rates[len(rates) // 4:])  # the first quarter warms up


def ddp(args) -> None:
    n = torch.cuda.device_count()
    if args.cpu:
        one, two = _engine_rate(1, args, "cpu"), _engine_rate(2, args, "cpu")
        print(f"ddp on the CPU (gloo, {os.cpu_count()} cores; tiny model at 67 px for synthetic data), batch "
              f"{args.batch} per process: 1 process {one:,.0f} img/s, 2 processes {two:,.0f} img/s "
              f"(global), ratio {two / one:.2f}")
        return
    if n < 2:
        print(f"ddp: needs two or more CUDA GPUs (this machine has {n}): not measured. --cpu runs the gloo form "
              "on this CPU; tests/test_distributed.py checks it with two CPU processes")
        return
    one, many = _engine_rate(1, args, "cuda"), _engine_rate(n, args, "cuda")
    print(f"ddp, paper model at 227 px on {args.dataset}, batch {args.batch} per process: 1 GPU {one:,.0f} img/s, "
          f"{n} GPUs (NCCL) {many:,.0f} img/s, ratio {many / one:.2f} (ideal {n})")


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("what", choices=("towers", "ddp"))
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--steps", type=int, default=None)
    p.add_argument("--dataset", default="synthetic")
    p.add_argument("--cpu", action="store_true", help="ddp: two gloo processes on the CPU")
    args = p.parse_args()
    args.steps = args.steps or (50 if args.what == "towers" else 200)
    print(machine())
    (towers if args.what == "towers" else ddp)(args)


if __name__ == "__main__":
    main()
