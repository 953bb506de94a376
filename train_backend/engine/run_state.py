"""A run's progress (:class:`TrainState`) and what a resumable checkpoint holds besides the weights:
the optimiser, the schedule, the AMP scaler, the RNGs (dropout's masks) and the progress itself."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import torch

from ..io.checkpoints import InputSpec, make_checkpoint
from ..data import DatasetBundle
from ..config import TrainConfig


@dataclass
class TrainState:
    epoch: int = 0
    batch_in_epoch: int = 0
    step: int = 0
    elapsed_s: float = 0.0
    best_val_top1_error: float | None = None
    epoch_loss_sum: float = 0.0
    epoch_correct: float = 0.0
    epoch_seen: int = 0
    history: list[dict[str, Any]] = field(default_factory=list)  # epoch and validation records

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def training_checkpoint(model, bundle: DatasetBundle | None, input_spec: InputSpec, config: TrainConfig,
                        state: TrainState, resumable: tuple[Any, Any, Any] | None) -> dict[str, Any]:
    """The checkpoint of a run; ``resumable`` (optimizer, scheduler, scaler) adds what resuming needs."""
    extra: dict[str, Any] = {"dataset": bundle.name if bundle else None,
                             "recipe": config.recipe, "config": config.to_dict(),
                             "progress": {"epoch": state.epoch, "batch_in_epoch": state.batch_in_epoch,
                                          "step": state.step},
                             "history": list(state.history)}
    if resumable is not None:
        optimizer, scheduler, scaler = resumable
        extra.update({
            "optimizer": optimizer.state_dict(),
            "scheduler": scheduler.state_dict() if scheduler is not None else None,
            "scaler": scaler.state_dict() if scaler is not None else None,
            "rng": {"torch": torch.get_rng_state(),
                    "cuda": torch.cuda.get_rng_state_all() if torch.cuda.is_available() else []},
            "trainer_state": state.to_dict(),
        })
    return make_checkpoint(model, bundle.classes, input_spec, **extra)


def restore_training(ckpt: dict[str, Any], optimizer, scheduler, scaler) -> TrainState:
    """Loads a resumable checkpoint's optimiser, schedule, scaler and RNG state; returns its progress."""
    optimizer.load_state_dict(ckpt["optimizer"])
    if ckpt.get("scheduler") is not None and scheduler is not None:
        scheduler.load_state_dict(ckpt["scheduler"])
    if ckpt.get("scaler") is not None and scaler is not None:
        scaler.load_state_dict(ckpt["scaler"])
    st = ckpt.get("trainer_state") or {}
    state = TrainState(**{k: v for k, v in st.items() if k in TrainState.__dataclass_fields__})
    rng = ckpt.get("rng") or {}
    if "torch" in rng:
        torch.set_rng_state(rng["torch"])
    if rng.get("cuda") and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(rng["cuda"])
    return state
