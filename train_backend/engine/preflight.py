"""What a run can be refused for before anything is written: checked by :func:`check_before_run` before a run folder
exists (``Trainer.run`` calls it first, and ``alexnet-gui train`` before it builds a trainer), so a refused start
leaves nothing behind.  Each refusal is an :class:`~train_backend.errors.AlexNetGuiError` of one line."""

from __future__ import annotations

import functools
import os
from pathlib import Path

import torch

from ..data.registry import check_root
from ..devices import resolve_device
from ..io.checkpoints import CheckpointError
from ..models import build_model, count_neurons, summarize
from ..config import ConfigError, TrainConfig


def check_before_run(cfg: TrainConfig, run_dir: str | os.PathLike | None = None,
                     resume_from: str | os.PathLike | None = None, data_root: bool = True) -> None:
    """Refuse (ConfigError, CheckpointError, DataError) what would stop a run at its start: a run folder that is a
    file, a device that is not here, a checkpoint that does not exist, a data root that does not exist, a batch
    whose activations alone cannot fit in the device's memory (``data_root=False``: the data is loaded already)."""
    cfg.validate()
    if run_dir is not None and Path(run_dir).exists() and not Path(run_dir).is_dir():
        raise ConfigError(f"the run folder '{run_dir}' is a file: name a folder (new, or a run's)")
    device = resolve_device(cfg.device)
    if resume_from is not None and not Path(resume_from).is_file():
        raise CheckpointError(f"'{resume_from}': no such file" if not Path(resume_from).exists()
                              else f"'{resume_from}' is not a checkpoint file")
    if data_root:
        check_root(cfg.dataset, cfg.data_root)
    problem = batch_memory_problem(cfg, device)
    if problem:
        raise ConfigError(problem)


def device_memory(device: torch.device) -> int | None:
    """Bytes of memory a batch can use on ``device``: a GPU's own, else the machine's (None: unknown)."""
    if device.type == "cuda":
        return torch.cuda.get_device_properties(device).total_memory
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return None


@functools.lru_cache(maxsize=32)
def neurons_per_image(model: str, options: tuple, channels: int, size: int) -> int:
    """The outputs of the conv and fc layers for one image (:func:`~train_backend.models.count_neurons`), counted on
    a model without storage (the meta device) where the network allows."""
    def count(device: str) -> int:
        with torch.device(device):
            net = build_model(model, num_classes=10, in_channels=channels, **dict(options))
        return count_neurons(summarize(net, size))

    try:
        return count("meta")
    except Exception:  # noqa: BLE001 - a layer that needs real storage: count on the CPU
        return count("cpu")


def batch_memory_problem(cfg: TrainConfig, device: torch.device) -> str | None:
    """Why a batch of ``cfg.batch_size`` cannot fit (None: it may): the activations training keeps for the backward
    pass are at least the conv and fc layers' outputs, one value each (2 bytes under bf16 / fp16, else 4), compared
    with the device's memory."""
    memory = device_memory(device)
    if memory is None:
        return None
    options = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in cfg.model_options.items()))
    try:
        neurons = neurons_per_image(cfg.model, options, cfg.channels, cfg.input_size)
    except Exception:  # noqa: BLE001 - a network that cannot be built says so at set-up, with its own words
        return None
    half = (device.type == "cuda" and cfg.amp) or (device.type == "cpu" and cfg.cpu_bf16)
    need = neurons * cfg.batch_size * (2 if half else 4)
    if need <= memory:
        return None
    where = "the GPU's" if device.type == "cuda" else "this machine's"
    return (f"batch size {cfg.batch_size:,} cannot fit: its activations alone need at least {_gib(need)} "
            f"({neurons:,} values per image for the {cfg.model} model at {cfg.input_size} px), more than "
            f"{where} {_gib(memory)} of memory; try a batch size of at most {max(1, memory // (neurons * 8)):,}")


def _gib(n: int) -> str:
    return f"{n / 2**30:,.1f} GiB"
