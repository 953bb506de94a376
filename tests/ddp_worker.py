"""A process of the data parallel tests (tests/test_distributed.py), started by ``python -m torch.distributed.run``.

``python -m torch.distributed.run --standalone --nproc-per-node 2 tests/ddp_worker.py MODE OUT_DIR``:
each rank trains the tests' tiny model on the synthetic set with :class:`Trainer` under torchrun's environment
and saves what the test compares into ``OUT_DIR/rank{RANK}.pt``.  MODE ``train``: a short run (rank 0's run
folder is ``OUT_DIR/run``; an optional third argument is the device), then the weights; MODE ``resume``: 5 steps
straight, and 2 steps then a resume to 5, then both runs' weights; MODE ``grad``: one step without dropout or augmentation, then the
gradients of that step (already averaged over the ranks by DDP) and the model's starting weights.
"""

import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout's packages

from train_backend.data import load_dataset  # noqa: E402
from train_backend.engine import Callback, Trainer  # noqa: E402
from train_backend.engine.distributed import torchrun_context  # noqa: E402
from train_backend.config import TrainConfig  # noqa: E402
from tests.tiny import TINY, tiny_config  # noqa: E402


def no_augmentation(**kw) -> TrainConfig:
    return tiny_config(model_options={**TINY, "dropout": 0.0}, flip=False, lighting=0.0, resize=67, **kw)


class Gradients(Callback):
    """The first step's gradients (the optimizer has stepped; ``.grad`` is kept until the next step)."""

    def __init__(self):
        self.grads = None

    def on_step(self, trainer):
        if self.grads is None:
            self.grads = {n: p.grad.detach().clone() for n, p in trainer.model.named_parameters()}


class StartWeights(Callback):
    def on_setup(self, trainer):
        self.weights = {k: v.detach().clone() for k, v in trainer.model.state_dict().items()}


def main() -> int:
    mode, out = sys.argv[1], Path(sys.argv[2])
    device = sys.argv[3] if len(sys.argv) > 3 else "cpu"
    ctx = torchrun_context()
    bundle = load_dataset("synthetic", n_train=96, n_val=30, size=48)
    if mode == "resume":  # 5 steps straight, and 2 + a resume to 5: the same weights (dropout off)
        # three runs in these processes: the group is joined once, here, and the trainers use it as they find it
        torch.distributed.init_process_group("gloo")
        cfg = tiny_config(model_options={**TINY, "dropout": 0.0}, max_steps=5, epochs=3)  # augmentation on
        straight = Trainer(cfg, run_dir=out / "straight", bundle=bundle, distributed=ctx)
        end = straight.run()
        first = Trainer(cfg.replace(max_steps=2), run_dir=out / "stopped", bundle=bundle, distributed=ctx)
        first.run()
        resumed = Trainer(cfg, run_dir=out / "stopped", bundle=bundle, distributed=ctx)
        end2 = resumed.run(resume_from=out / "stopped" / "last.pt")
        torch.save({"end": end.__dict__, "end2": end2.__dict__, "straight": straight.model.state_dict(),
                    "resumed": resumed.model.state_dict()}, out / f"rank{ctx.rank}.pt")
        return 0 if end.ok and end2.ok else 1
    if mode == "train":
        trainer = Trainer(tiny_config(max_steps=4, val_every_steps=2, device=device), run_dir=out / "run", bundle=bundle,
                          distributed=ctx)
        end = trainer.run()
        torch.save({"end": end.__dict__, "run_dir": str(trainer.run_dir) if trainer.run_dir else None,
                    "weights": trainer.model.state_dict(), "history": trainer.state.history,
                    "batches_per_epoch": trainer.batches_per_epoch}, out / f"rank{ctx.rank}.pt")
    else:
        grads, start = Gradients(), StartWeights()
        trainer = Trainer(no_augmentation(batch_size=16, max_steps=1, val_every_steps=None, weight_decay=0.0), [start, grads],
                          bundle=bundle, distributed=ctx)
        end = trainer.run()
        torch.save({"end": end.__dict__, "grads": grads.grads, "start": start.weights}, out / f"rank{ctx.rank}.pt")
    return 0 if end.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
