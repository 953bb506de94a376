"""Training configurations and the named recipes a user picks (``paper``, ``d2l``, ``finetune``, ``quick``).

A :class:`TrainConfig` holds every value a run uses; a recipe is a function that returns one, and
every field can be overridden (CLI flags, the GUI's settings dialog).  Runs record the exact
config they used (``config.json`` in the run folder, and inside each checkpoint).
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field, fields
from typing import Any, Callable

from .data.augment import EVAL_RESIZES
from .errors import AlexNetGuiError
from .models import model_problems

SCHEDULES = ("plateau", "step", "cosine", "constant")
#: the update rules: torch's SGD, or the paper's (``engine/optim.py``: weight decay inside the velocity, the lr
#: applied when the velocity is formed, so a ÷10 drop does not rescale the momentum already gathered)
OPTIMIZERS = ("sgd", "paper", "adam")
#: how pixels become inputs (``normalize`` on): "standardised" (x/255 - mean) / std with the data set's statistics;
#: the paper's raw 0-255 RGB minus the training set's "mean-image" (cropped with the input, as Caffe) or its
#: "mean-pixel", no division by a std
PIXELS = ("standardised", "mean-image", "mean-pixel")


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
            raise ConfigError("; ".join(problems))

    def problems(self) -> list[str]:
        """Every value that cannot work, one sentence each (empty when the config can run)."""
        problems = []
        if not (self.lr > 0):
            problems.append(f"learning rate must be positive (got {self.lr})")
        if self.batch_size < 1:
            problems.append(f"batch size must be at least 1 (got {self.batch_size})")
        if self.epochs < 1:
            problems.append(f"epochs must be at least 1 (got {self.epochs})")
        if self.max_steps is not None and self.max_steps < 1:
            problems.append(f"max steps must be at least 1 (got {self.max_steps})")
        if self.time_budget_s is not None and not (self.time_budget_s > 0):
            problems.append(f"time budget must be positive (got {self.time_budget_s})")
        if not (0 <= self.momentum < 1):
            problems.append(f"momentum must be in [0, 1) (got {self.momentum})")
        if self.weight_decay < 0:
            problems.append(f"weight decay must not be negative (got {self.weight_decay})")
        if self.pixels not in PIXELS:
            problems.append(f"pixels must be one of {', '.join(PIXELS)} (got {self.pixels!r})")
        elif self.pixels != "standardised" and not self.normalize:
            problems.append(f"pixels {self.pixels} centres the inputs, and normalize is off: turn one of them around")
        if self.optimizer not in OPTIMIZERS:
            problems.append(f"optimizer must be one of {', '.join(OPTIMIZERS)} (got {self.optimizer!r})")
        if self.schedule not in SCHEDULES:
            problems.append(f"schedule must be one of {', '.join(SCHEDULES)} (got {self.schedule!r})")
        if self.channels not in (1, 3):
            problems.append(f"channels must be 1 or 3 (got {self.channels})")
        if self.lighting < 0:
            problems.append("PCA lighting sigma must not be negative")
        if self.feature_lr_mult < 0:
            problems.append("feature lr multiplier must not be negative")
        if self.val_subset is not None and self.val_subset < 1:
            problems.append("validation subset must hold at least one image")
        if self.step_size < 1:
            problems.append(f"step size must be at least 1 epoch (got {self.step_size})")
        if not (0 < self.gamma <= 1):
            problems.append(f"gamma (the step schedule's factor) must be in (0, 1] (got {self.gamma})")
        if self.plateau_patience < 0 or self.plateau_min_lr < 0:
            problems.append("plateau patience and minimum lr must not be negative")
        if self.warmup_steps < 0:
            problems.append(f"warm-up steps must not be negative (got {self.warmup_steps})")
        if self.num_workers is not None and self.num_workers < 0:
            problems.append(f"loader workers must not be negative (got {self.num_workers})")
        for name in ("val_every_steps", "metrics_every"):
            if getattr(self, name) is not None and getattr(self, name) < 1:
                problems.append(f"{name.replace('_', ' ')} must be at least 1 (got {getattr(self, name)})")
        if not (self.kernel_interval_s >= 0):
            problems.append(f"the conv1 snapshot interval must not be negative (got {self.kernel_interval_s})")
        if not (self.checkpoint_interval_s > 0):
            problems.append(f"the checkpoint interval must be positive (got {self.checkpoint_interval_s})")
        if self.seed < 0:
            problems.append(f"seed must not be negative (got {self.seed})")
        if self.resize is not None and self.resize < self.input_size:
            problems.append(f"resize ({self.resize} px) must be at least the input size ({self.input_size} px)")
        if not (self.device in ("auto", "cpu", "cuda", "mps") or self.device.startswith("cuda:")):
            problems.append(f"device must be auto, cpu, cuda, cuda:N or mps (got {self.device!r})")
        problems += model_problems(self.model, self.model_options, self.input_size)
        if self.tower_devices is not None:
            if self.model != "paper" or self.model_options.get("towers", 2) != 2:
                problems.append("tower devices need the paper model with its two towers (--model paper, towers 2)")
            if len([p for p in str(self.tower_devices).split(",") if p.strip()]) != 2:
                problems.append(f"tower devices must be two devices, e.g. cuda:0,cuda:1 (got {self.tower_devices!r})")
            if self.compile_lrn:
                problems.append("compile_lrn does not work with tower devices yet: leave one of them off")
        if not (0 <= self.val_fraction < 1):
            problems.append(f"validation fraction must be in [0, 1) (got {self.val_fraction})")
        if self.eval_resize not in EVAL_RESIZES:
            problems.append(f"eval resize must be one of {', '.join(EVAL_RESIZES)} (got {self.eval_resize!r})")
        if self.log_every is not None and self.log_every < 1:
            problems.append(f"log interval must be at least 1 iteration (got {self.log_every})")
        if self.tensorboard_histogram_every < 1:
            problems.append(f"the TensorBoard histogram interval must be at least 1 step "
                            f"(got {self.tensorboard_histogram_every})")
        if self.tensorboard:
            from .optional import tensorboard_problem

            missing = tensorboard_problem()
            if missing:
                problems.append(missing)
        return problems


def paper() -> TrainConfig:
    """Section 5: the paper's update rule (``optimizer="paper"``: momentum 0.9 and weight decay 5e-4 inside the
    velocity), batch 128, lr 0.01 / 10 on plateau, ~90 epochs, in fp32 (``amp=False``; bf16 is one setting away).
    Inputs as the paper's: raw 0-255 RGB minus the training set's mean image, no division by a std
    (``pixels="mean-image"``)."""
    return TrainConfig(recipe="paper", model="paper", dataset="folder", input_size=227, epochs=90,
                       batch_size=128, lr=0.01, momentum=0.9, weight_decay=5e-4, optimizer="paper",
                       pixels="mean-image",
                       schedule="plateau", lighting=0.1, flip=True, ten_crop_val=True, amp=False)


def d2l() -> TrainConfig:
    """Dive into Deep Learning's AlexNet chapter, as its code runs: d2l's own network (``model="d2l"``: one
    input channel, conv1 padding 1, no LRN or towers, 6400 inputs to fc6, Xavier-uniform weights),
    Fashion-MNIST resized to 224 with no augmentation and no normalisation (``ToTensor`` only), plain SGD
    (no momentum, no weight decay) at lr 0.01, batch 128, 10 epochs, fp32.  d2l's published runs reach about
    0.88 train and test accuracy (:data:`REFERENCES`)."""
    return TrainConfig(recipe="d2l", model="d2l", dataset="fashion-mnist", input_size=224, channels=1, resize=224,
                       epochs=10, batch_size=128, lr=0.01, momentum=0.0, weight_decay=0.0, schedule="constant",
                       lighting=0.0, flip=False, normalize=False, amp=False)


def finetune() -> TrainConfig:
    """The seed's cats-vs-dogs fine-tune script, exactly: torchvision's ImageNet AlexNet with a new fc8 for the
    data set's classes; SGD lr 0.001, momentum 0.9, no weight decay, one lr for every layer; StepLR(step_size=1,
    gamma=0.1) stepped once per epoch; 3 epochs of batch 128.  Training images: Resize(256) -> CenterCrop(256) ->
    RandomCrop(224) -> horizontal flip -> normalise (no PCA lighting); validation: Resize((256, 256)) (aspect
    not kept) -> TenCrop(224), softmax averaged.  The script's log line every iteration (``log_every=1``).
    Options, not defaults: conv layers at a fraction of the lr (``feature_lr_mult=0.1``) or frozen.
    """
    return TrainConfig(recipe="finetune", model="torchvision", init_weights="torchvision", dataset="folder",
                       input_size=224, epochs=3, batch_size=128, lr=0.001, momentum=0.9,
                       weight_decay=0.0, schedule="step", step_size=1, gamma=0.1, feature_lr_mult=1.0,
                       lighting=0.0, flip=True, ten_crop_val=True, eval_resize="square", log_every=1, amp=False)


def quick() -> TrainConfig:
    """For a 2-core CPU with no GPU: the paper's network at 83 px, learning visibly within a minute.

    83 px leaves a 1x1 map after pool5 (the adaptive pool spreads it over fc6's 6x6 input, so the layers
    are the paper's) with half the convolution of 112 px; in a short run more updates beat a bigger
    picture, so the size, batch 32 (twice the updates of 64 for the same images) and lr 0.01 were chosen by
    the accuracy a 2-core CPU reaches in a fixed time.  He initialisation and a 30-step warm-up replace
    N(0, 0.01) (which needs many epochs to get going); the lr follows a cosine curve (over the time budget when
    one is set); validation runs every 100 steps on 1,000 held-out images.  On a CPU that computes bf16
    (AVX-512 or AMX) it trains in bf16 autocast (``cpu_bf16``), which fits more steps in the same time.  No
    dropout: in so short a run nothing overfits, and dropping half of fc6's and fc7's outputs only slows the
    start.  The measurements behind each choice are in ``benchmarks/README.md`` (``time_to_accuracy.py``).
    """
    return TrainConfig(recipe="quick", model="paper", model_options={"init": "kaiming", "dropout": 0.0},
                       dataset="fashion-mnist",
                       input_size=83, epochs=2, batch_size=32, lr=0.01, momentum=0.9, weight_decay=5e-4,
                       schedule="cosine", warmup_steps=30, lighting=0.1, flip=True, val_subset=1000,
                       val_every_steps=100, num_workers=0, cpu_bf16=True)


def seed001() -> TrainConfig:
    """Seed 001's port (the alexnet-pytorch repository's ``model.py``) with the constants its script declares:
    its own network (``model="seed001"``), 227 px centre crops (``CenterCrop(227)``: no random crops, no flips,
    no PCA lighting), ImageNet's mean and std, batch 128, 90 epochs, lr x 0.1 every 30 epochs (``StepLR(30,
    0.1)``), and the paper's SGD (lr 0.01, momentum 0.9, weight decay 5e-4), the lines the script keeps beside
    the optimizer it runs — which is ``Adam(lr=1e-4)`` ("the one that WORKS"), with no weight decay: so this recipe
    runs Adam at 1e-4 (``optimizer="adam"``); ``--optimizer paper --lr 0.01 --set weight_decay=5e-4`` runs the lines
    it keeps."""
    return TrainConfig(recipe="seed001", model="seed001", dataset="folder", input_size=227, resize=227, epochs=90,
                       batch_size=128, lr=1e-4, momentum=0.9, weight_decay=0.0, optimizer="adam", schedule="step",
                       step_size=30, gamma=0.1, lighting=0.0, flip=False)


RECIPES: dict[str, Callable[[], TrainConfig]] = {"paper": paper, "d2l": d2l, "finetune": finetune, "quick": quick,
                                                 "seed001": seed001}


#: the classes a recipe's network has where its data set does not say (a folder's classes are known only once it is
#: read): the seed's fine-tune script replaces fc8 for cats and dogs
RECIPE_CLASSES: dict[str, int] = {"finetune": 2}


def recipe_classes(name: str) -> int | None:
    """The class count the recipe's own script uses when its data set does not fix one (``summary --recipe``)."""
    return RECIPE_CLASSES.get(name)


@dataclass(frozen=True)
class Reference:
    """A published figure a recipe's run can be held against (drawn on the curves as a dashed line)."""

    metric: str  # "test_accuracy"
    value: float
    source: str
    #: how the curves should follow the run: "steps" (loss per step) or "epochs" (d2l's animation: train loss,
    #: train accuracy and test accuracy per epoch)
    curves: str = "steps"


REFERENCES: dict[str, Reference] = {
    "d2l": Reference("test_accuracy", 0.88, "d2l.ai, AlexNet on Fashion-MNIST at 224 px: about 0.88 train and test "
                     "accuracy after 10 epochs (published runs 0.881 / 0.884)", curves="epochs"),
}


def recipe(name: str, **overrides: Any) -> TrainConfig:
    """A recipe's config with overrides applied (``None`` values are ignored)."""
    if name not in RECIPES:
        raise ConfigError(f"unknown recipe {name!r}; choose one of {', '.join(RECIPES)}")
    return RECIPES[name]().replace(**overrides)


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
    w.source = f"fresh, untrained (for {cfg.dataset})"  # the captions say what these weights are, and for what
    w.checkpoint = {"dataset": cfg.dataset}
    return w
