"""What a run is built from: the model (fresh, from a checkpoint or from other weights), the optimiser
(features and classifier as parameter groups), the learning-rate schedule and the training images' augmentation."""

from __future__ import annotations

import math
import time
from typing import Any, Callable

import torch

from ..io.checkpoints import CheckpointError, InputSpec, upgrade_model_config
from ..io.weights import load_weights
from ..data import DatasetBundle, TensorImages
from ..data.augment import BatchAugment, build_train_transform
from ..models.lrn import compile_lrn
from ..models import WEIGHTS_ALIASES, AlexNetBase, build_model
from ..config import ConfigError, TrainConfig, input_spec_for
from .optim import PaperSGD


def build_input_spec(cfg: TrainConfig, bundle: DatasetBundle, ckpt: dict | None = None,
                     note: Callable[[str], None] | None = None) -> InputSpec:
    """The run's input spec: the data set's statistics, or (``pixels`` mean-image / mean-pixel) 0-255 minus the
    training split's mean image, computed once and cached; a resumed checkpoint's own mean image when it has one."""
    if cfg.normalize and cfg.pixels != "standardised":
        saved = (ckpt or {}).get("input") or {}
        if cfg.pixels == "mean-image" and saved.get("mean_image") is not None:
            return input_spec_for(cfg, bundle.mean, bundle.std, InputSpec.from_dict(saved).mean_image)
        from ..data.augment import resize_size_for
        from ..data.mean_image import mean_image_for

        resize = cfg.resize or resize_size_for(cfg.input_size)
        return input_spec_for(cfg, bundle.mean, bundle.std, mean_image_for(bundle, resize, note=note))
    return input_spec_for(cfg, bundle.mean, bundle.std)


def build_run_model(cfg: TrainConfig, bundle: DatasetBundle, ckpt: dict | None,
                    note: Callable[[str], None] | None = None) -> tuple[AlexNetBase, InputSpec]:
    """The model a run trains (a resumed checkpoint's, ``init_weights``' or a fresh one) and its input spec."""
    spec = build_input_spec(cfg, bundle, ckpt, note)
    n = bundle.num_classes
    if ckpt is not None:
        mcfg = upgrade_model_config(dict(ckpt["model"]), int(ckpt.get("version", 1)))
        name = mcfg.pop("name")
        model = build_model(name, **mcfg)
        model.load_state_dict(ckpt["state_dict"])
        if model.num_classes != n:
            raise CheckpointError(f"the checkpoint has {model.num_classes} classes but {bundle.name} has {n}")
        return model, spec
    if cfg.init_weights:
        if cfg.init_weights in WEIGHTS_ALIASES:
            if cfg.model != "torchvision":
                raise ConfigError("torchvision's ImageNet weights need --model torchvision")
            if cfg.channels != 3:
                raise ConfigError("ImageNet weights need 3 input channels")
            model = build_model("torchvision", num_classes=n, weights="imagenet", **cfg.model_options)
        else:
            loaded = load_weights(cfg.init_weights, num_classes=n, reinit_classifier=True,
                                  expect_variant=cfg.model)
            model = loaded.model
        return model, spec
    return build_model(cfg.model, num_classes=n, in_channels=cfg.channels, **cfg.model_options), spec


def build_optimizer(model: AlexNetBase, cfg: TrainConfig, device: torch.device) -> torch.optim.Optimizer:
    """SGD with the conv layers ("features", at ``feature_lr_mult``) and the rest ("classifier") as groups:
    torch's, or the paper's update rule (``optimizer="paper"``, :class:`~.optim.PaperSGD`)."""
    features, head = [], []
    for name, module in model.named_children():
        params = [p for p in module.parameters() if p.requires_grad]
        (features if name.startswith("conv") else head).extend(params)
    groups = []
    if features:
        groups.append({"params": features, "lr": cfg.lr * cfg.feature_lr_mult, "name": "features",
                       "lr_mult": cfg.feature_lr_mult})
    groups.append({"params": head, "lr": cfg.lr, "name": "classifier", "lr_mult": 1.0})
    if cfg.optimizer == "paper":
        return PaperSGD(groups, lr=cfg.lr, momentum=cfg.momentum, weight_decay=cfg.weight_decay)
    if cfg.optimizer == "adam":  # seed 001's script (alexnet-pytorch): Adam(lr=1e-4), "the one that WORKS"
        return torch.optim.Adam(groups, lr=cfg.lr, weight_decay=cfg.weight_decay)
    # fused: weight decay, momentum and the update in one pass over each tensor instead of one per operation
    # (the optimiser step of 57 M parameters is a visible share of a CPU training step; benchmarks/README.md)
    fused = device.type in ("cpu", "cuda")
    return torch.optim.SGD(groups, lr=cfg.lr, momentum=cfg.momentum, weight_decay=cfg.weight_decay,
                           fused=fused or None)


def build_scheduler(cfg: TrainConfig, opt: torch.optim.Optimizer, total_steps: int,
                    train_time: Callable[[], float]) -> Any:
    """The config's schedule; ``train_time()`` is the training time so far (for a time budget's cosine).

    ``train_time`` must not hold the trainer strongly: the scheduler lives on the trainer, and a strong
    reference back would make every trainer cyclic garbage, kept (with its model and optimizer state)
    until Python's oldest generation is collected."""
    if cfg.schedule == "plateau":
        return torch.optim.lr_scheduler.ReduceLROnPlateau(opt, mode="min", factor=0.1,
                                                          patience=cfg.plateau_patience,
                                                          min_lr=cfg.plateau_min_lr)
    if cfg.schedule == "step":
        return torch.optim.lr_scheduler.StepLR(opt, step_size=cfg.step_size, gamma=cfg.gamma)
    total, warm = max(1, total_steps), cfg.warmup_steps

    def progress(step: int) -> float:
        """Fraction of the run done: by time when there is a time budget, else by steps."""
        if cfg.time_budget_s:
            return min(1.0, train_time() / cfg.time_budget_s)
        return min(1.0, (step - warm) / max(1, total - warm))

    if cfg.schedule == "cosine":
        def factor(step: int) -> float:
            if step < warm:
                return (step + 1) / warm
            return 0.5 * (1 + math.cos(math.pi * progress(step)))
    else:
        def factor(step: int) -> float:
            return (step + 1) / warm if step < warm else 1.0
    return torch.optim.lr_scheduler.LambdaLR(opt, factor)


def build_train_transforms(cfg: TrainConfig, spec: InputSpec, device: torch.device,
                           train: Any) -> tuple[Any, BatchAugment | None]:
    """The training images' transform (each image in the loader's workers), and the augmentation of whole batches on
    ``device`` that replaces it for a tensor data set when ``batch_augment`` asks (by default on CUDA), else None."""
    tf = build_train_transform(cfg.input_size, spec.mean, spec.std, cfg.channels, resize=cfg.resize, flip=cfg.flip,
                               lighting=cfg.lighting, mean_image=spec.mean_image)
    use_batch = cfg.batch_augment if cfg.batch_augment is not None else device.type == "cuda"
    if not (use_batch and isinstance(train, TensorImages)):
        return tf, None
    return tf, BatchAugment(cfg.input_size, spec.mean, spec.std, cfg.channels, resize=cfg.resize, flip=cfg.flip,
                            lighting=cfg.lighting, mean_image=spec.mean_image).to(device)


def warm_up_compiled_lrn(model: AlexNetBase, cfg: TrainConfig, device: torch.device, amp_dtype, channels_last: bool,
                         size: int, optimizer: torch.optim.Optimizer, note: Callable[[str], None]) -> None:
    """Opt-in ``compile_lrn``: the LRN layers' training pass through ``torch.compile`` (CUDA: the formula,
    fused by Triton; CPU: the forward and backward kernels, which inductor builds with the C++ compiler),
    compiled here with one forward and backward of a zero batch (the RNG untouched, no weight changed), so the
    first real step is not the slow one and a compiler that cannot run is found before training.
    ``note`` tells the user what happened."""
    if device.type not in ("cuda", "cpu"):
        note(f"compile_lrn works on CUDA and CPUs; on {device.type} the LRN stays the eager custom function")
        return
    n = compile_lrn(model, cfg.batch_size)
    if n == 0:
        note("compile_lrn: this model has no LRN layers, nothing to compile")
        return
    note(f"compiling the {n} LRN layers with torch.compile for batches of {cfg.batch_size} "
         f"(once per run, {'about 15-45 s' if device.type == 'cuda' else 'about 10-30 s'})")
    t = time.perf_counter()
    model.train()
    x = torch.zeros(cfg.batch_size, cfg.channels, size, size, device=device)
    if channels_last:
        x = x.contiguous(memory_format=torch.channels_last)
    try:
        with torch.random.fork_rng(devices=[device] if device.type == "cuda" else []):  # the CPU's RNG always
            with torch.autocast(device.type, dtype=amp_dtype, enabled=amp_dtype is not None):
                out = model(x)
            out.float().sum().backward()
    except torch.cuda.OutOfMemoryError:  # type: ignore[attr-defined]
        raise
    except Exception as err:  # noqa: BLE001 - no C++ compiler, no Triton, an unsupported GPU: train eagerly
        compile_lrn(model, None)
        first = (str(err).strip().splitlines() or [""])[0][:200]
        note(f"torch.compile could not compile the LRN ({type(err).__name__}: {first}); "
             "training goes on with the eager LRN")
    else:
        note(f"LRN compiled in {time.perf_counter() - t:.0f} s")
    finally:
        optimizer.zero_grad(set_to_none=True)
