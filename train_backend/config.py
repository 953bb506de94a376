"""A run's settings, :class:`TrainConfig`, and its rules: the bounds and choices of each value come from the
settings table (:mod:`train_backend.settings`), the rules across values are written here once, and
:func:`apply_settings` sets values by key (``--set``, the named flags, the settings dialog).

A :class:`TrainConfig` holds every value a run uses; runs record the exact config they used (``config.json`` in the
run folder, and inside each checkpoint).  The named presets are :mod:`train_backend.recipes`.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field, fields
from typing import Any, Callable

from .errors import AlexNetGuiError
from .i18n import QT_TRANSLATE_NOOP, joined
from .models import MODEL_NAMES, MODELS, model_option_defaults, model_problems
from .settings import row_problems, setting_for


class ConfigError(AlexNetGuiError, ValueError):
    """A setting that cannot work, said before anything starts."""


@dataclass
class TrainConfig:
    recipe: str = "custom"
    # model
    model: str = "paper"
    model_options: dict[str, Any] = field(default_factory=dict)
    init_weights: str | None = None  # None, "torchvision" (ImageNet) or a checkpoint / .pth path
    # data
    dataset: str = "synthetic"
    data_root: str | None = None
    download: bool = False
    input_size: int = 227
    channels: int = 3  # the model's input channels (grey data is repeated to 3 when this is 3)
    flip: bool = True
    lighting: float = 0.1  # PCA colour lighting sigma (0 = off)
    normalize: bool = True  # subtract the data set's mean, divide by its std (d2l feeds raw [0, 1] pixels)
    pixels: str = "standardised"  # PIXELS: the paper recipe's "mean-image" trains on 0-255 minus the mean image
    resize: int | None = None  # None: 256 for 224/227 crops, the same ratio for smaller ones
    val_subset: int | None = None  # validate on this many images (a fixed seeded subset) for quick feedback
    ten_crop_val: bool = False
    # optimisation (the paper's defaults)
    epochs: int = 90
    max_steps: int | None = None  # counts the whole run, resumed or not
    time_budget_s: float | None = None  # stop after this much training time; "cosine" then decays over the time
    batch_size: int = 128
    lr: float = 0.01
    momentum: float = 0.9
    weight_decay: float = 5e-4
    optimizer: str = "sgd"  # "sgd": torch.optim.SGD; "paper": v <- 0.9 v - 0.0005 lr w - lr grad, w <- w + v
    schedule: str = "plateau"  # lr / 10 when validation error stops improving
    plateau_patience: int = 2
    plateau_min_lr: float = 1e-5  # 0.01 divided by 10 three times, as in the paper
    step_size: int = 30  # "step": epochs between lr drops
    gamma: float = 0.1
    warmup_steps: int = 0
    freeze_features: bool = False  # finetune: keep conv1-conv5 fixed
    feature_lr_mult: float = 1.0  # finetune: conv layers at this multiple of the lr
    # engine
    device: str = "auto"
    seed: int = 0
    num_workers: int | None = None  # None: chosen per device
    batch_augment: bool | None = None  # augment in-memory uint8 data sets a batch at a time on the device (None: on CUDA)
    amp: bool = True  # mixed precision on CUDA (bf16 where supported, else fp16 + scaler); the exact recipes: off (fp32)
    cpu_bf16: bool = False  # bf16 autocast on a CPU that computes bf16 (AVX-512, AMX): more steps than fp32
    channels_last: bool | None = None  # None: on for CUDA and CPUs (not MPS)
    compile_lrn: bool = False  # torch.compile the LRN for the training batch (seconds of compiling once; faster after)
    tower_devices: str | None = None  # paper model: its two towers on two devices, e.g. "cuda:0,cuda:1"
    val_every_steps: int | None = None  # also validate mid-epoch every N steps
    metrics_every: int | None = None  # read metrics from the device every N steps (None: 1 on CPU, 10 on GPU)
    kernel_interval_s: float = 1.0  # conv1 snapshots at most this often (the GUI draws them at 1 Hz)
    checkpoint_interval_s: float = 900.0  # also save last.pt this often during long epochs
    # the paper's and the seed scripts' data handling, exactly (issue #12)
    val_fraction: float = 0.2  # folder data sets without train/ + val/: this fraction of each class validates
    split_seed: int = 0  # seed of that stratified split (not the training seed: the split stays put across runs)
    eval_resize: str = "shorter"  # "shorter": shorter side to `resize`, central square (the paper);
    #                               "square": Resize((resize, resize)), aspect not kept (the fine-tune script)
    log_every: int | None = None  # `alexnet-gui train`: the fine-tune script's log line every N iterations
    tensorboard: bool = False  # TensorBoard event files in <run>/tensorboard/ (the optional 'tensorboard' package)
    tensorboard_histogram_every: int = 100  # TensorBoard: weight/gradient histograms and conv1 images every N steps

    # ------------------------------------------------------------------ helpers
    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "TrainConfig":
        names = {f.name for f in fields(cls)}
        unknown = set(d) - names
        if unknown:
            raise ConfigError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        return cls(**{k: (dict(v) if k == "model_options" else v) for k, v in d.items()})

    def replace(self, **changes: Any) -> "TrainConfig":
        changes = {k: v for k, v in changes.items() if v is not None}
        cfg = dataclasses.replace(self, **{k: v for k, v in changes.items() if k != "model_options"})
        if "model_options" in changes:
            cfg.model_options = {**self.model_options, **changes["model_options"]}
        return cfg

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, sort_keys=True)

    def validate(self) -> None:
        """Raise :class:`ConfigError` for values that cannot work (before anything starts)."""
        problems = self.problems()
        if problems:
            raise ConfigError(joined("; ", problems))


    def problems(self) -> list[str]:
        """Every value that cannot work, one sentence each (empty when the config can run): each value against its
        row's bounds and choices, then the rules across values (:data:`RULES`)."""
        return row_problems(self) + [p for rule in RULES for p in rule(self)]


def _pixels_rule(cfg: TrainConfig) -> list[str]:
    if cfg.pixels != "standardised" and not cfg.normalize:
        return [QT_TRANSLATE_NOOP("Settings", "pixels {pixels} centres the inputs, and normalize is off: turn one of "
                                              "them around").format(pixels=cfg.pixels)]
    return []


def _resize_rule(cfg: TrainConfig) -> list[str]:
    if cfg.resize is not None and cfg.resize < cfg.input_size:
        return [QT_TRANSLATE_NOOP("Settings", "resize ({resize} px) must be at least the input size ({size} px)").format(
            resize=cfg.resize, size=cfg.input_size)]
    return []


def _model_rule(cfg: TrainConfig) -> list[str]:
    return model_problems(cfg.model, cfg.model_options, cfg.input_size)


def _tower_devices_rule(cfg: TrainConfig) -> list[str]:
    if cfg.tower_devices is None:
        return []
    problems = []
    if cfg.model != "paper" or cfg.model_options.get("towers", 2) != 2:
        problems.append(QT_TRANSLATE_NOOP("Settings", "tower devices need the paper model with its two towers (--model "
                                                      "paper, towers 2)"))
    if len([p for p in str(cfg.tower_devices).split(",") if p.strip()]) != 2:
        problems.append(QT_TRANSLATE_NOOP("Settings", "tower devices must be two devices, e.g. cuda:0,cuda:1 (got "
                                                      "{value})").format(value=repr(cfg.tower_devices)))
    if cfg.compile_lrn:
        problems.append(QT_TRANSLATE_NOOP("Settings", "compile_lrn does not work with tower devices yet: leave one of "
                                                      "them off"))
    return problems


#: the rules across values (one value's bounds and choices are its row's)
RULES: tuple[Callable[[TrainConfig], list[str]], ...] = (_pixels_rule, _resize_rule, _model_rule, _tower_devices_rule)


def apply_settings(cfg: TrainConfig, values: dict[str, Any]) -> TrainConfig:
    """A copy of ``cfg`` with config fields and model options set (None is a value here, unlike ``replace``).

    A model option the chosen model does not have is a :class:`ConfigError` naming the ones it has.
    """
    model_before = cfg.model
    cfg = dataclasses.replace(cfg, model_options=dict(cfg.model_options))
    for key, value in values.items():  # config fields first: a new model decides which options exist
        if setting_for(key).target == "config":
            setattr(cfg, key, value)
    if cfg.model != model_before and cfg.model in MODEL_NAMES:  # the old network's options go with it
        known = model_option_defaults(cfg.model)
        cfg.model_options = {k: v for k, v in cfg.model_options.items() if k in known}
        if "input_size" not in values and model_problems(cfg.model, cfg.model_options, cfg.input_size):
            cfg.input_size = MODELS[cfg.model].native_size  # a network that takes its own size (LeNet 28, d2l 224)
    for key, value in values.items():
        setting = setting_for(key)
        if setting.target != "model":
            continue
        if cfg.model not in setting.models:
            known = ", ".join(model_option_defaults(cfg.model)) or "none"
            raise ConfigError(f"the {cfg.model} model has no option {key!r} (its options: {known})")
        cfg.model_options[key] = value
    return cfg


def input_spec_for(cfg: TrainConfig, mean, std, mean_image=None):
    """How ``cfg`` feeds images to its model: its size, channels and resize, and the data set's statistics
    (``mean``/``std``, matched to the channels), or none at all (mean 0, std 1) when it does not normalise.

    ``pixels`` "mean-image" / "mean-pixel": 0-255 values (std 1/255) minus ``mean_image`` (C, R, R in [0, 1] units,
    the training set's, from :func:`~train_backend.data.mean_image.mean_image_for`) or its average pixel; without a
    mean image (nothing loaded yet) the data set's known mean pixel stands in."""
    from .data.augment import norm_stats
    from .io.checkpoints import InputSpec

    if not cfg.normalize:
        return InputSpec(cfg.input_size, cfg.channels, (0.0,) * cfg.channels, (1.0,) * cfg.channels, cfg.resize)
    if cfg.pixels == "standardised":
        mean, std = norm_stats(mean, std, cfg.channels)
        return InputSpec(cfg.input_size, cfg.channels, tuple(mean), tuple(std), cfg.resize)
    if mean_image is not None:
        pixel = [float(v) for v in mean_image.reshape(mean_image.shape[0], -1).mean(1)]
        mean, _ = norm_stats(pixel, pixel, cfg.channels)
    else:
        mean, _ = norm_stats(mean, std, cfg.channels)
    image = mean_image if cfg.pixels == "mean-image" else None
    return InputSpec(cfg.input_size, cfg.channels, tuple(mean), (1 / 255,) * cfg.channels, cfg.resize, image)


def untrained_for_config(cfg: TrainConfig):
    """A freshly initialised model shaped for ``cfg`` (its dataset's classes and normalisation), labelled
    untrained: what the app shows before anything is trained or loaded."""
    from .data import known_dataset_info
    from .io.checkpoints import untrained_weights

    mean, std, classes = known_dataset_info(cfg.dataset)
    w = untrained_weights(cfg.model, num_classes=len(classes) if classes else 1000, classes=classes,
                          input_spec=input_spec_for(cfg, mean, std), in_channels=cfg.channels, seed=cfg.seed,
                          **cfg.model_options)
    # the captions say what these weights are, and for what
    w.source = QT_TRANSLATE_NOOP("Weights", "fresh, untrained (for {dataset})").format(dataset=cfg.dataset)
    w.checkpoint = {"dataset": cfg.dataset}
    return w
