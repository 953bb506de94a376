"""GPU training throughput of the paper's AlexNet at 227 px, batch 256, AMP + channels-last.

    python3 benchmarks/gpu.py [--batch 256] [--steps 300] [--data-root DIR]

(a) synthetic tensors already on the GPU: the model's own speed; (b) the real loader as a user gets it:
the engine training on Fashion-MNIST resized to 227, the uint8 batch augmented on the GPU
(``BatchAugment``, the CUDA default for in-memory data sets); (c) the same with per-image augmentation in
DataLoader workers (pinned memory), for comparison; (d) as (b) with ``compile_lrn`` (the LRN layers through
torch.compile for the training batch), and (a) with and without it.  Prints each and the ratios to (a):
what the loader costs.
Run it on a machine with a GPU (the device tool); CPU-only machines print a note and exit.
"""

from __future__ import annotations

import argparse
import time

import torch
import torch.nn.functional as F

from common import machine, step_rates


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--batch", type=int, default=256)
    p.add_argument("--steps", type=int, default=300)  # short runs are served from the loader's prefetch queue
    p.add_argument("--dataset", default="fashion-mnist")
    p.add_argument("--data-root", default=None)
    args = p.parse_args()
    if not torch.cuda.is_available():
        print("gpu: no CUDA device here; run this on a GPU machine")
        return
    from train_backend.engine import Trainer
    from train_backend.models.lrn import compile_lrn
    from train_backend.models import build_model
    from train_backend.recipes import recipe

    dev = torch.device("cuda")
    torch.backends.cudnn.benchmark = True
    amp = torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16

    def synthetic(compiled: bool) -> tuple[float, float]:
        """(images/s, seconds of the first step) on tensors already on the GPU."""
        m = build_model("paper", num_classes=1000).to(dev).to(memory_format=torch.channels_last)
        if compiled:
            compile_lrn(m, args.batch)
        opt = torch.optim.SGD(m.parameters(), lr=0.01, momentum=0.9, weight_decay=5e-4, fused=True)  # as the engine
        x = torch.randn(args.batch, 3, 227, 227, device=dev).contiguous(memory_format=torch.channels_last)
        y = torch.randint(0, 1000, (args.batch,), device=dev)
        scaler = torch.amp.GradScaler("cuda", enabled=amp == torch.float16)

        def step():
            opt.zero_grad(set_to_none=True)
            with torch.autocast("cuda", dtype=amp):
                loss = F.cross_entropy(m(x).float(), y)
            scaler.scale(loss).backward()
            scaler.step(opt)
            scaler.update()

        t = time.perf_counter()
        step()
        torch.cuda.synchronize()
        first = time.perf_counter() - t
        for _ in range(5):
            step()
        torch.cuda.synchronize()
        t = time.perf_counter()
        for _ in range(args.steps):
            step()
        torch.cuda.synchronize()
        return args.batch * args.steps / (time.perf_counter() - t), first

    synth, _ = synthetic(False)
    synth_c, first_c = synthetic(True)

    def engine(batch_augment: bool, compiled: bool = False) -> tuple[float, str]:
        rec = step_rates()
        end = Trainer(cfg.replace(batch_augment=batch_augment, compile_lrn=compiled), [rec]).run()
        ips = sorted(rec.ips[2:])
        return (float(ips[len(ips) // 2]) if len(ips) > 1 else float("nan")), end.reason

    cfg = recipe("paper", dataset=args.dataset, data_root=args.data_root, input_size=227, batch_size=args.batch,
                 max_steps=args.steps + 10, val_every_steps=None, val_subset=256, device="cuda", ten_crop_val=False,
                 metrics_every=5, model_options={"init": "kaiming"})
    runs: dict[str, list[float]] = {"b": [], "d": []}
    for _ in range(2):  # (b) and (d) alternate: the first engine run of a process reads low
        for key in ("b", "d"):
            ips, reason = engine(True, compiled=key == "d")
            runs[key].append(ips)
    loader, loader_c = (sum(runs[k]) / len(runs[k]) for k in ("b", "d"))
    per_image, reason_c = engine(False)
    print(f"gpu: paper AlexNet, 227 px, batch {args.batch}, AMP {str(amp).replace('torch.', '')} + channels_last; "
          f"{machine()}")
    print(f"  (a) synthetic tensors on the GPU: {synth:,.0f} img/s; with compile_lrn {synth_c:,.0f} img/s "
          f"({synth_c / synth:.2f}x, first step {first_c:.0f} s)")
    print(f"  (b) real loader ({args.dataset}, engine, batch augmentation on the GPU, {reason}): {loader:,.0f} img/s "
          f"(runs {', '.join(f'{x:,.0f}' for x in runs['b'])})")
    print(f"  (c) real loader, per-image augmentation in DataLoader workers ({reason_c}): {per_image:,.0f} img/s")
    print(f"  (d) real loader as (b), with compile_lrn: {loader_c:,.0f} img/s "
          f"(runs {', '.join(f'{x:,.0f}' for x in runs['d'])}; {loader_c / loader:.2f}x (b))")
    print(f"  ratio (b)/(a) = {loader / synth:.2f}, (c)/(a) = {per_image / synth:.2f}, "
          f"(b)/(c) = {loader / per_image:.2f}  (the paper: ~230 img/s on two GTX 580s)")


if __name__ == "__main__":
    main()
