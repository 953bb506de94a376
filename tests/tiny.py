"""The tests' tiny paper model and run config (quick to train on the synthetic set), shared by the test modules
and by ``tests/ddp_worker.py``, which torchrun starts as a script (so this module imports nothing of pytest)."""

from train_backend.config import TrainConfig

TINY = {"width": 0.25, "hidden": 64, "init": "kaiming"}


def tiny_config(**kw) -> TrainConfig:
    base = dict(recipe="test", model="paper", model_options=dict(TINY), dataset="synthetic", input_size=67,
                epochs=2, batch_size=16, lr=0.01, momentum=0.9, weight_decay=5e-4, schedule="constant",
                lighting=0.1, num_workers=0, seed=3, device="cpu", kernel_interval_s=0.0)
    base.update(kw)
    return TrainConfig(**base)
