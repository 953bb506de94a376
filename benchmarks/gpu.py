"""GPU training throughput of the paper's AlexNet at 227 px, batch 256, AMP + channels-last.

    python3 benchmarks/gpu.py [--batch 256] [--steps 30]

(a) synthetic tensors already on the GPU: the model's own speed; (b) the real loader: the engine
training on Fashion-MNIST resized to 227 (DataLoader workers, pinned memory, per-image augmentation),
the path a user gets.  Prints both and the ratio (b)/(a): how much the loader costs.
Run it on a machine with a GPU (the device tool); CPU-only machines print a note and exit.
"""

from __future__ import annotations

import argparse
import time

import torch
import torch.nn.functional as F

from common import machine


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--batch", type=int, default=256)
    p.add_argument("--steps", type=int, default=30)
    p.add_argument("--dataset", default="fashion-mnist")
    p.add_argument("--data-root", default=None)
    args = p.parse_args()
    if not torch.cuda.is_available():
        print("gpu: no CUDA device here; run this on a GPU machine")
        return
    from train_backend.engine import Callback, Trainer
    from train_backend.models import build_model
    from train_backend.recipes import recipe

    dev = torch.device("cuda")
    torch.backends.cudnn.benchmark = True
    amp = torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
    m = build_model("paper", num_classes=1000).to(dev).to(memory_format=torch.channels_last)
    opt = torch.optim.SGD(m.parameters(), lr=0.01, momentum=0.9, weight_decay=5e-4)
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

    for _ in range(5):
        step()
    torch.cuda.synchronize()
    t = time.perf_counter()
    for _ in range(args.steps):
        step()
    torch.cuda.synchronize()
    synth = args.batch * args.steps / (time.perf_counter() - t)

    class Rec(Callback):
        def __init__(self):
            self.ips = []

        def on_batch_end(self, tr, metrics):
            self.ips.append(metrics.images_per_sec)

    rec = Rec()
    cfg = recipe("paper", dataset=args.dataset, data_root=args.data_root, input_size=227, batch_size=args.batch, max_steps=args.steps + 10,
                 val_every_steps=None, val_subset=256, device="cuda", ten_crop_val=False, metrics_every=5,
                 model_options={"init": "kaiming"})
    end = Trainer(cfg, [rec]).run()
    loader = float(sorted(rec.ips[2:])[len(rec.ips[2:]) // 2]) if len(rec.ips) > 3 else float("nan")
    print(f"gpu: paper AlexNet, 227 px, batch {args.batch}, AMP {str(amp).replace('torch.', '')} + channels_last; "
          f"{machine()}")
    print(f"  (a) synthetic tensors on the GPU: {synth:,.0f} img/s")
    print(f"  (b) real loader ({args.dataset}, engine, {end.reason}): {loader:,.0f} img/s")
    print(f"  ratio (b)/(a) = {loader / synth:.2f}  (the paper: ~230 img/s on two GTX 580s)")


if __name__ == "__main__":
    main()
