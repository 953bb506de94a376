"""Every value a run can be given, described once: the rows of this table carry each setting's kind, bounds,
choices, help, group, whether it is bookkeeping and its command-line spelling, and everything else is made from
them: ``alexnet-gui train``'s named flags and ``--set KEY=VALUE``, the settings dialog, the bounds
:meth:`TrainConfig.problems <train_backend.config.TrainConfig.problems>` checks, the keys ``runs`` leaves out of
"differs", and README's settings table (:func:`markdown_table`).

A :class:`Setting` is either a field of :class:`~train_backend.config.TrainConfig` (``target="config"``) or
an option of a model (``target="model"``: the keyword-only arguments of its constructor, found in the model
registry).  Text becomes a value through :func:`parse_value`; :func:`row_problems` says which values are out of
their row's bounds or choices (the config adds its few rules across fields).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable

from .data import DATASET_NAMES
from .data.augment import EVAL_RESIZES
from .errors import AlexNetGuiError
from .i18n import QT_TRANSLATE_NOOP, Text
from .models import MODEL_NAMES, model_option_defaults
from .optional import tensorboard_problem

#: a :class:`~train_backend.config.TrainConfig`: the table reads and sets its fields by name (config.py checks a
#: config against the rows, so this module does not import it)
TrainConfig = Any

#: the dialog's tabs, in order
GROUPS = (
    QT_TRANSLATE_NOOP("Settings", "Data"),
    QT_TRANSLATE_NOOP("Settings", "Model"),
    QT_TRANSLATE_NOOP("Settings", "Augmentation"),
    QT_TRANSLATE_NOOP("Settings", "Optimisation"),
    QT_TRANSLATE_NOOP("Settings", "Schedule"),
    QT_TRANSLATE_NOOP("Settings", "Engine"),
    QT_TRANSLATE_NOOP("Settings", "Logging"),
    QT_TRANSLATE_NOOP("Settings", "Model options"),
)
DEVICES = ("auto", "cpu", "cuda", "mps")
SCHEDULES = ("plateau", "step", "cosine", "constant")
#: the update rules: torch's SGD, or the paper's (``engine/optim.py``: weight decay inside the velocity, the lr
#: applied when the velocity is formed, so a ÷10 drop does not rescale the momentum already gathered)
OPTIMIZERS = ("sgd", "paper", "adam")
#: how pixels become inputs (``normalize`` on): "standardised" (x/255 - mean) / std with the data set's statistics;
#: the paper's raw 0-255 RGB minus the training set's "mean-image" (cropped with the input, as Caffe) or its
#: "mean-pixel", no division by a std
PIXELS = ("standardised", "mean-image", "mean-pixel")
#: TrainConfig's fields that are no setting: the recipe a config came from, and the model options (spread out
#: into rows of their own)
NOT_SETTINGS = ("recipe", "model_options")
_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")
_NONE = ("none", "auto", "")


@dataclass(frozen=True)
class Setting:
    key: str
    group: str
    label: str
    kind: str  # "int", "float", "bool", "choice", "text", "path", "kernels"
    help: str = ""
    optional: bool = False  # None is a value ("none" / "auto" on the command line)
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    above_minimum: bool = False  # the minimum itself is refused (lr: positive, not 0)
    below_maximum: bool = False  # the maximum itself is refused (momentum: below 1)
    none_label: str = "none"  # what None means, for the dialog ("auto", "no limit", ...)
    target: str = "config"  # "config": a TrainConfig field; "model": a model option
    models: tuple[str, ...] = ()  # for model options: the models that have it
    #: says how a run was computed, not what was computed, or has a column of its own: ``runs`` leaves it out of
    #: "differs" and of a comparison's labels
    bookkeeping: bool = False
    #: the flag ``alexnet-gui train`` takes it by ("": ``--`` and the key with dashes); a bool's flag also has its
    #: ``--no-`` form
    cli: str = ""
    metavar: str = ""  # the value's name in ``--help`` ("": the key in capitals, or the choices)
    #: flags that set one value without an argument (``--tanh``: activation tanh)
    switches: tuple[tuple[str, Any], ...] = ()
    choice_type: type = str  # what a choice's text becomes (towers and channels: int)
    #: choices also accepted (a regular expression on the text: the device's ``cuda:N``)
    also_accepts: str = ""
    #: the dialog offers the machine's devices rather than :attr:`choices`
    machine_devices: bool = False
    browse: str = ""  # a path's dialog: "folder" or "weights" (a file)
    #: when on, a problem this setting's value brings with it (an optional package missing), or None
    needs: Callable[[], str | None] | None = None

    @property
    def flag(self) -> str:
        return self.cli or "--" + self.key.replace("_", "-")

    @property
    def name(self) -> str:
        """The label as a sentence names it: no unit in brackets, lower case unless an abbreviation."""
        text = re.sub(r"\s*\(.*?\)", "", self.label).strip()
        return text[0].lower() + text[1:] if len(text) > 1 and text[1].islower() else text

    def accepts_choice(self, text: str) -> bool:
        return text in self.choices or bool(self.also_accepts and re.fullmatch(self.also_accepts, text))


def _s(key: str, group: str, label: str, kind: str, help: str = "", **kw: Any) -> Setting:
    return Setting(key, group, label, kind, help, **kw)


#: TrainConfig's fields ("recipe" names the preset the values came from; "model_options" is spread out below)
CONFIG_SETTINGS: tuple[Setting, ...] = (
    _s(
        "dataset",
        "Data",
        QT_TRANSLATE_NOOP("Settings", "Data set"),
        "choice",
        QT_TRANSLATE_NOOP("Settings", "the data to train on"),
        choices=DATASET_NAMES,
        bookkeeping=True,
    ),
    _s(
        "data_root",
        "Data",
        QT_TRANSLATE_NOOP("Settings", "Data folder"),
        "path",
        QT_TRANSLATE_NOOP("Settings", "where the data set is (default: its usual places)"),
        optional=True,
        none_label=QT_TRANSLATE_NOOP("Settings", "default location"),
        bookkeeping=True,
        browse="folder",
    ),
    _s(
        "download",
        "Data",
        QT_TRANSLATE_NOOP("Settings", "Download if missing"),
        "bool",
        QT_TRANSLATE_NOOP("Settings", "let torchvision download the data set"),
        bookkeeping=True,
    ),
    _s(
        "val_subset",
        "Data",
        QT_TRANSLATE_NOOP("Settings", "Validation subset"),
        "int",
        QT_TRANSLATE_NOOP("Settings", "validate on this many images (a fixed seeded subset)"),
        optional=True,
        minimum=1,
        none_label=QT_TRANSLATE_NOOP("Settings", "all"),
    ),
    _s(
        "val_fraction",
        "Data",
        QT_TRANSLATE_NOOP("Settings", "Validation fraction"),
        "float",
        QT_TRANSLATE_NOOP("Settings", "folders without train/ + val/: the share of each class held out for validation"),
        minimum=0.0,
        maximum=1.0,
        below_maximum=True,
    ),
    _s(
        "split_seed",
        "Data",
        QT_TRANSLATE_NOOP("Settings", "Split seed"),
        "int",
        QT_TRANSLATE_NOOP("Settings", "the seed of that split (independent of the run's seed)"),
        minimum=0,
        maximum=2**31 - 1,
    ),
    _s(
        "model",
        "Model",
        QT_TRANSLATE_NOOP("Settings", "Model"),
        "choice",
        QT_TRANSLATE_NOOP("Settings", "the network"),
        choices=MODEL_NAMES,
    ),
    _s(
        "init_weights",
        "Model",
        QT_TRANSLATE_NOOP("Settings", "Start from weights"),
        "path",
        QT_TRANSLATE_NOOP(
            "Settings",
            "'torchvision' (ImageNet) or a checkpoint / .pth file; fc8 is re-initialised for the data set's classes",
        ),
        optional=True,
        none_label=QT_TRANSLATE_NOOP("Settings", "random initialisation"),
        browse="weights",
    ),
    _s(
        "input_size",
        "Model",
        QT_TRANSLATE_NOOP("Settings", "Input size (px)"),
        "int",
        QT_TRANSLATE_NOOP("Settings", "the square crop the network sees"),
        minimum=16,
        maximum=1024,
    ),
    _s(
        "channels",
        "Model",
        QT_TRANSLATE_NOOP("Settings", "Input channels"),
        "choice",
        QT_TRANSLATE_NOOP("Settings", "1 (grey) or 3 (RGB); grey data is repeated to 3"),
        choices=("1", "3"),
        choice_type=int,
    ),
    _s(
        "freeze_features",
        "Model",
        QT_TRANSLATE_NOOP("Settings", "Freeze conv1-conv5"),
        "bool",
        QT_TRANSLATE_NOOP("Settings", "train only the FC layers (fine-tuning)"),
    ),
    _s(
        "resize",
        "Augmentation",
        QT_TRANSLATE_NOOP("Settings", "Resize (px)"),
        "int",
        QT_TRANSLATE_NOOP(
            "Settings",
            "the shorter side before cropping (auto: 256 for 224/227 crops, the same ratio for smaller ones)",
        ),
        optional=True,
        minimum=16,
        maximum=4096,
        none_label=QT_TRANSLATE_NOOP("Settings", "auto"),
    ),
    _s(
        "flip",
        "Augmentation",
        QT_TRANSLATE_NOOP("Settings", "Horizontal flips"),
        "bool",
        QT_TRANSLATE_NOOP("Settings", "random mirror images in training"),
    ),
    _s(
        "lighting",
        "Augmentation",
        QT_TRANSLATE_NOOP("Settings", "PCA lighting σ"),
        "float",
        QT_TRANSLATE_NOOP("Settings", "the paper's colour augmentation; 0 = off"),
        minimum=0.0,
        maximum=2.0,
    ),
    _s(
        "normalize",
        "Augmentation",
        QT_TRANSLATE_NOOP("Settings", "Normalise inputs"),
        "bool",
        QT_TRANSLATE_NOOP(
            "Settings", "subtract the data set's mean and divide by its std (d2l feeds raw [0, 1] pixels)"
        ),
    ),
    _s(
        "pixels",
        "Augmentation",
        QT_TRANSLATE_NOOP("Settings", "Input pixels"),
        "choice",
        QT_TRANSLATE_NOOP(
            "Settings",
            "standardised: (x/255 − mean)/std; mean-image: the paper's raw 0–255 RGB minus the training set's mean image "
            "(computed once, cached, cropped with the input as Caffe does); mean-pixel: 0–255 minus the mean pixel",
        ),
        choices=PIXELS,
    ),
    _s(
        "ten_crop_val",
        "Augmentation",
        QT_TRANSLATE_NOOP("Settings", "Ten-crop validation"),
        "bool",
        QT_TRANSLATE_NOOP("Settings", "validate on the paper's ten patches, softmax averaged"),
        cli="--ten-crop",
    ),
    _s(
        "eval_resize",
        "Augmentation",
        QT_TRANSLATE_NOOP("Settings", "Validation resize"),
        "choice",
        QT_TRANSLATE_NOOP(
            "Settings",
            "shorter: the shorter side to the resize and the central square (the paper); square: the whole image "
            "squashed to resize x resize (the fine-tune script)",
        ),
        choices=EVAL_RESIZES,
    ),
    _s(
        "epochs",
        "Optimisation",
        QT_TRANSLATE_NOOP("Settings", "Epochs"),
        "int",
        QT_TRANSLATE_NOOP("Settings", "passes over the training set"),
        minimum=1,
        maximum=100_000,
    ),
    _s(
        "max_steps",
        "Optimisation",
        QT_TRANSLATE_NOOP("Settings", "Max steps"),
        "int",
        QT_TRANSLATE_NOOP("Settings", "stop after this many steps in all (a resumed run counts from its start)"),
        optional=True,
        minimum=1,
        none_label=QT_TRANSLATE_NOOP("Settings", "no limit"),
    ),
    _s(
        "time_budget_s",
        "Optimisation",
        QT_TRANSLATE_NOOP("Settings", "Time budget (s)"),
        "float",
        QT_TRANSLATE_NOOP(
            "Settings", "stop after this much training time, pauses excluded (the cosine schedule then decays over it)"
        ),
        optional=True,
        minimum=0.0,
        above_minimum=True,
        none_label=QT_TRANSLATE_NOOP("Settings", "no limit"),
        cli="--time-budget",
        metavar="SECONDS",
    ),
    _s(
        "batch_size",
        "Optimisation",
        QT_TRANSLATE_NOOP("Settings", "Batch size"),
        "int",
        QT_TRANSLATE_NOOP("Settings", "images per step"),
        minimum=1,
        maximum=65_536,
    ),
    _s(
        "lr",
        "Optimisation",
        QT_TRANSLATE_NOOP("Settings", "Learning rate"),
        "float",
        QT_TRANSLATE_NOOP("Settings", "the step size ε"),
        minimum=0.0,
        above_minimum=True,
        maximum=100.0,
    ),
    _s(
        "momentum",
        "Optimisation",
        QT_TRANSLATE_NOOP("Settings", "Momentum"),
        "float",
        QT_TRANSLATE_NOOP("Settings", "the share of the last update kept"),
        minimum=0.0,
        maximum=1.0,
        below_maximum=True,
    ),
    _s(
        "weight_decay",
        "Optimisation",
        QT_TRANSLATE_NOOP("Settings", "Weight decay"),
        "float",
        QT_TRANSLATE_NOOP("Settings", "L2 penalty on the weights"),
        minimum=0.0,
        maximum=1.0,
    ),
    _s(
        "optimizer",
        "Optimisation",
        QT_TRANSLATE_NOOP("Settings", "Update rule"),
        "choice",
        QT_TRANSLATE_NOOP(
            "Settings",
            "sgd: PyTorch's SGD; paper: v ← 0.9·v − 0.0005·ε·w − ε·∂L/∂w, w ← w + v (the same at a constant lr; "
            "after a ÷10 drop torch rescales the gathered momentum at once, the paper's does not); adam: torch's Adam "
            "(seed 001's script)",
        ),
        choices=OPTIMIZERS,
    ),
    _s(
        "feature_lr_mult",
        "Optimisation",
        QT_TRANSLATE_NOOP("Settings", "Conv-layer lr ×"),
        "float",
        QT_TRANSLATE_NOOP("Settings", "conv1-conv5 learn at this multiple of the lr (fine-tuning's 0.1×)"),
        minimum=0.0,
        maximum=100.0,
    ),
    _s(
        "schedule",
        "Schedule",
        QT_TRANSLATE_NOOP("Settings", "LR schedule"),
        "choice",
        QT_TRANSLATE_NOOP(
            "Settings", "plateau: ÷10 when validation stops improving (the paper); step: StepLR; cosine; constant"
        ),
        choices=SCHEDULES,
    ),
    _s(
        "plateau_patience",
        "Schedule",
        QT_TRANSLATE_NOOP("Settings", "Plateau patience (epochs)"),
        "int",
        QT_TRANSLATE_NOOP("Settings", "plateau: validations without improvement before the ÷10"),
        minimum=0,
        maximum=1000,
    ),
    _s(
        "plateau_min_lr",
        "Schedule",
        QT_TRANSLATE_NOOP("Settings", "Plateau minimum lr"),
        "float",
        QT_TRANSLATE_NOOP("Settings", "plateau: the lr is not divided below this"),
        minimum=0.0,
        maximum=1.0,
    ),
    _s(
        "step_size",
        "Schedule",
        QT_TRANSLATE_NOOP("Settings", "Step size (epochs)"),
        "int",
        QT_TRANSLATE_NOOP("Settings", "StepLR: epochs between lr drops"),
        minimum=1,
        maximum=10_000,
    ),
    _s(
        "gamma",
        "Schedule",
        QT_TRANSLATE_NOOP("Settings", "Step factor γ"),
        "float",
        QT_TRANSLATE_NOOP("Settings", "StepLR: the lr is multiplied by this"),
        minimum=0.0,
        above_minimum=True,
        maximum=1.0,
    ),
    _s(
        "warmup_steps",
        "Schedule",
        QT_TRANSLATE_NOOP("Settings", "Warm-up steps"),
        "int",
        QT_TRANSLATE_NOOP("Settings", "linear warm-up (cosine and constant schedules)"),
        minimum=0,
        maximum=10_000_000,
    ),
    _s(
        "device",
        "Engine",
        QT_TRANSLATE_NOOP("Settings", "Device"),
        "choice",
        QT_TRANSLATE_NOOP("Settings", "auto picks CUDA, then MPS, then the CPU; cuda:N names one GPU"),
        choices=DEVICES,
        also_accepts=r"cuda:\d+",
        machine_devices=True,
        bookkeeping=True,
    ),
    _s(
        "seed",
        "Engine",
        QT_TRANSLATE_NOOP("Settings", "Seed"),
        "int",
        QT_TRANSLATE_NOOP("Settings", "data order, augmentation, initialisation and dropout"),
        minimum=0,
        maximum=2**31 - 1,
    ),
    _s(
        "num_workers",
        "Engine",
        QT_TRANSLATE_NOOP("Settings", "Loader workers"),
        "int",
        QT_TRANSLATE_NOOP("Settings", "data-loading processes"),
        optional=True,
        minimum=0,
        maximum=256,
        none_label=QT_TRANSLATE_NOOP("Settings", "auto"),
        cli="--workers",
        bookkeeping=True,
    ),
    _s(
        "batch_augment",
        "Engine",
        QT_TRANSLATE_NOOP("Settings", "Augment on the device"),
        "bool",
        QT_TRANSLATE_NOOP("Settings", "augment in-memory data sets a batch at a time on the device"),
        optional=True,
        none_label=QT_TRANSLATE_NOOP("Settings", "auto (CUDA)"),
        bookkeeping=True,
    ),
    _s(
        "amp",
        "Engine",
        QT_TRANSLATE_NOOP("Settings", "Mixed precision (CUDA)"),
        "bool",
        QT_TRANSLATE_NOOP(
            "Settings",
            "bf16 where supported, else fp16 with a scaler; off: fp32, as the paper, d2l and the fine-tune script train",
        ),
        bookkeeping=True,
    ),
    _s(
        "cpu_bf16",
        "Engine",
        QT_TRANSLATE_NOOP("Settings", "bf16 on the CPU"),
        "bool",
        QT_TRANSLATE_NOOP(
            "Settings",
            "bf16 autocast where the CPU computes bf16 (AVX-512, AMX): more steps in the same time; fp32 elsewhere",
        ),
        bookkeeping=True,
    ),
    _s(
        "channels_last",
        "Engine",
        QT_TRANSLATE_NOOP("Settings", "Channels-last memory"),
        "bool",
        QT_TRANSLATE_NOOP("Settings", "NHWC tensors for the convolutions"),
        optional=True,
        none_label=QT_TRANSLATE_NOOP("Settings", "auto (CUDA, CPU)"),
        bookkeeping=True,
    ),
    _s(
        "compile_lrn",
        "Engine",
        QT_TRANSLATE_NOOP("Settings", "Compile the LRN"),
        "bool",
        QT_TRANSLATE_NOOP(
            "Settings",
            "torch.compile fuses each LRN layer for the training batch: more images/s after some seconds of compiling "
            "at the first step; on a CPU it needs a C++ compiler",
        ),
        bookkeeping=True,
    ),
    _s(
        "tower_devices",
        "Engine",
        QT_TRANSLATE_NOOP("Settings", "Tower devices (paper model)"),
        "text",
        QT_TRANSLATE_NOOP(
            "Settings",
            "the paper model's two towers on two devices, e.g. cuda:0,cuda:1 (conv3 and the FC layers on the first)",
        ),
        optional=True,
        none_label=QT_TRANSLATE_NOOP("Settings", "one device"),
        metavar="DEV1,DEV2",
    ),
    _s(
        "metrics_every",
        "Engine",
        QT_TRANSLATE_NOOP("Settings", "Read metrics every (steps)"),
        "int",
        QT_TRANSLATE_NOOP("Settings", "how often the loss is read back from the device"),
        optional=True,
        minimum=1,
        none_label=QT_TRANSLATE_NOOP("Settings", "auto"),
        bookkeeping=True,
    ),
    _s(
        "val_every_steps",
        "Logging",
        QT_TRANSLATE_NOOP("Settings", "Validate every (steps)"),
        "int",
        QT_TRANSLATE_NOOP("Settings", "also validate mid-epoch"),
        optional=True,
        minimum=1,
        none_label=QT_TRANSLATE_NOOP("Settings", "each epoch"),
        cli="--val-every",
    ),
    _s(
        "log_every",
        "Logging",
        QT_TRANSLATE_NOOP("Settings", "Script log line every (steps)"),
        "int",
        QT_TRANSLATE_NOOP(
            "Settings", "print the fine-tune script's Training:/Valid: lines every N iterations (alexnet-gui train)"
        ),
        optional=True,
        minimum=1,
        none_label=QT_TRANSLATE_NOOP("Settings", "off"),
        bookkeeping=True,
    ),
    _s(
        "kernel_interval_s",
        "Logging",
        QT_TRANSLATE_NOOP("Settings", "conv1 snapshots every (s)"),
        "float",
        QT_TRANSLATE_NOOP("Settings", "0: after every step"),
        minimum=0.0,
        maximum=3600.0,
        bookkeeping=True,
    ),
    _s(
        "checkpoint_interval_s",
        "Logging",
        QT_TRANSLATE_NOOP("Settings", "Checkpoint every (s)"),
        "float",
        QT_TRANSLATE_NOOP("Settings", "also save last.pt this often during long epochs"),
        minimum=0.0,
        above_minimum=True,
        maximum=1e7,
        bookkeeping=True,
    ),
    _s(
        "tensorboard",
        "Logging",
        QT_TRANSLATE_NOOP("Settings", "TensorBoard event files"),
        "bool",
        QT_TRANSLATE_NOOP(
            "Settings",
            "write <run>/tensorboard/ (scalars, conv1 kernels, histograms, hparams) for 'tensorboard --logdir RUNS'; "
            "needs the optional tensorboard package",
        ),
        needs=tensorboard_problem,
    ),
    _s(
        "tensorboard_histogram_every",
        "Logging",
        QT_TRANSLATE_NOOP("Settings", "TensorBoard histograms every (steps)"),
        "int",
        QT_TRANSLATE_NOOP("Settings", "weight and gradient histograms and conv1 kernel images"),
        minimum=1,
        maximum=10_000_000,
        cli="--tensorboard-every",
        metavar="STEPS",
    ),
)

#: How each model option is shown and parsed (the options themselves come from the model registry).
_MODEL_OPTION_META: dict[str, dict[str, Any]] = {
    "lrn": dict(
        label=QT_TRANSLATE_NOOP("Settings", "Local response normalisation"),
        kind="bool",
        help=QT_TRANSLATE_NOOP("Settings", "LRN after conv1 and conv2"),
    ),
    "overlapping_pool": dict(
        label=QT_TRANSLATE_NOOP("Settings", "Overlapping pooling"),
        kind="bool",
        help=QT_TRANSLATE_NOOP("Settings", "3×3 stride 2 (off: 2×2 stride 2)"),
        cli="--overlap",
    ),
    "activation": dict(
        label=QT_TRANSLATE_NOOP("Settings", "Activation"),
        kind="choice",
        choices=("relu", "tanh"),
        help=QT_TRANSLATE_NOOP("Settings", "the non-linearity"),
        switches=(("--tanh", "tanh"),),
    ),
    "towers": dict(
        label=QT_TRANSLATE_NOOP("Settings", "Towers"),
        kind="choice",
        choices=("2", "1"),
        choice_type=int,
        help=QT_TRANSLATE_NOOP(
            "Settings",
            "2: the two-GPU net (grouped conv2/4/5, LRN per tower); 1: the paper's one-GPU net "
            "(half the kernels in conv1-conv4)",
        ),
    ),
    "lrn_convention": dict(
        label=QT_TRANSLATE_NOOP("Settings", "LRN convention"),
        kind="choice",
        choices=("paper", "pytorch"),
        help=QT_TRANSLATE_NOOP("Settings", "paper: α as written; pytorch: α / n, as nn.LocalResponseNorm and Caffe"),
    ),
    "lrn_k": dict(label=QT_TRANSLATE_NOOP("Settings", "LRN k"), kind="float", minimum=0.0, maximum=100.0),
    "lrn_n": dict(label=QT_TRANSLATE_NOOP("Settings", "LRN n"), kind="int", minimum=1, maximum=64),
    "lrn_alpha": dict(label=QT_TRANSLATE_NOOP("Settings", "LRN α"), kind="float", minimum=0.0, maximum=10.0),
    "lrn_beta": dict(label=QT_TRANSLATE_NOOP("Settings", "LRN β"), kind="float", minimum=0.0, maximum=10.0),
    "lrn_across_towers": dict(
        label=QT_TRANSLATE_NOOP("Settings", "LRN across towers"),
        kind="bool",
        help=QT_TRANSLATE_NOOP(
            "Settings", "the window runs over both towers' maps (Caffe's bvlc_alexnet), not per tower"
        ),
    ),
    "init": dict(
        label=QT_TRANSLATE_NOOP("Settings", "Initialisation"),
        kind="choice",
        choices=("paper", "kaiming"),
        help=QT_TRANSLATE_NOOP(
            "Settings", "paper: N(0, 0.01), biases 1 in conv2/4/5 and fc6/fc7; kaiming: He, for fast small runs"
        ),
    ),
    "dropout": dict(
        label=QT_TRANSLATE_NOOP("Settings", "Dropout"),
        kind="float",
        help=QT_TRANSLATE_NOOP("Settings", "on the outputs of fc6 and fc7"),
        minimum=0.0,
        maximum=0.99,
    ),
    "width": dict(
        label=QT_TRANSLATE_NOOP("Settings", "Width ×"),
        kind="float",
        help=QT_TRANSLATE_NOOP("Settings", "scales every conv layer's kernel count"),
        minimum=0.01,
        maximum=4.0,
    ),
    "hidden": dict(label=QT_TRANSLATE_NOOP("Settings", "fc6/fc7 width"), kind="int", minimum=1, maximum=65_536),
    "remove": dict(
        label=QT_TRANSLATE_NOOP("Settings", "Remove a conv layer"),
        kind="choice",
        choices=("conv3", "conv4", "conv5"),
        optional=True,
        none_label=QT_TRANSLATE_NOOP("Settings", "none (the whole network)"),
        help=QT_TRANSLATE_NOOP(
            "Settings", "the depth experiment: the paper's net without one of its middle conv layers"
        ),
    ),
    "kernels": dict(
        label=QT_TRANSLATE_NOOP("Settings", "Kernels conv1-conv5"),
        kind="kernels",
        optional=True,
        none_label=QT_TRANSLATE_NOOP("Settings", "by towers and width"),
        help=QT_TRANSLATE_NOOP(
            "Settings", "five kernel counts, e.g. 96,256,384,384,256 (overrides towers' counts and width)"
        ),
    ),
}


def _model_settings() -> tuple[Setting, ...]:
    owners: dict[str, list[str]] = {}
    for name in MODEL_NAMES:
        for key in model_option_defaults(name):
            owners.setdefault(key, []).append(name)
    out = []
    for key, models in owners.items():
        meta = dict(_MODEL_OPTION_META.get(key) or {"label": key, "kind": "text"})
        out.append(Setting(key, "Model options", target="model", models=tuple(models), **meta))
    return tuple(out)


SETTINGS: tuple[Setting, ...] = CONFIG_SETTINGS + _model_settings()
BY_KEY: dict[str, Setting] = {s.key: s for s in SETTINGS}


def setting_for(key: str) -> Setting:
    """The row of ``key`` (a KeyError for a key no row has)."""
    return BY_KEY[key]


class SettingError(AlexNetGuiError, ValueError):
    """A value that is not of its setting's kind (said like argparse says it)."""


def parse_value(setting: Setting, text: str) -> Any:
    """``text`` as ``setting``'s value; :class:`SettingError` says why not, in argparse's words."""
    raw = text.strip()
    if setting.optional and raw.lower() in _NONE:
        return None
    kind = setting.kind
    try:
        if kind == "int":
            return int(raw)
        if kind == "float":
            value = float(raw)
            if value != value:
                raise ValueError
            return value
    except ValueError:
        raise SettingError(f"invalid {kind} value: {text!r}") from None
    if kind == "bool":
        if raw.lower() in _TRUE:
            return True
        if raw.lower() in _FALSE:
            return False
        raise SettingError(f"invalid bool value: {text!r} (use true/false, yes/no, on/off or 1/0)")
    if kind == "choice":
        if not setting.accepts_choice(raw):
            raise SettingError(f"invalid choice: {text!r} (choose from {', '.join(setting.choices)})")
        return setting.choice_type(raw)
    if kind == "kernels":
        try:
            counts = tuple(int(p) for p in raw.replace("x", ",").split(",") if p.strip())
        except ValueError:
            raise SettingError(f"invalid kernel counts: {text!r} (five integers, e.g. 96,256,384,384,256)") from None
        if len(counts) != 5:
            raise SettingError(f"invalid kernel counts: {text!r} (five integers, e.g. 96,256,384,384,256)")
        return counts
    return raw


def format_value(setting: Setting, value: Any) -> str:
    """A value as the command line would write it (so ``--set KEY=`` + this round-trips)."""
    if value is None:
        return "none"
    if setting.kind == "bool":
        return "true" if value else "false"
    if setting.kind == "kernels":
        return ",".join(str(v) for v in value)
    return str(value)


def arg_type(key: str):
    """An argparse ``type=`` for a named flag: the same parsing and message as ``--set KEY=VALUE``."""
    import argparse

    setting = BY_KEY[key]

    def convert(text: str) -> Any:
        try:
            return parse_value(setting, text)
        except SettingError as err:
            raise argparse.ArgumentTypeError(str(err)) from None

    convert.__name__ = setting.kind
    return convert


def assignment_arg(text: str) -> tuple[str, Any]:
    """An argparse ``type=`` for ``--set KEY=VALUE`` (errors in argparse's words, as :func:`arg_type`)."""
    import argparse

    try:
        return parse_assignment(text)
    except SettingError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def parse_assignment(text: str) -> tuple[str, Any]:
    """``KEY=VALUE`` (as ``--set`` takes it) to (key, value); :class:`SettingError` names what is wrong."""
    key, sep, value = text.partition("=")
    key = key.strip().replace("-", "_")
    if not sep or not key:
        raise SettingError(f"expected KEY=VALUE, got {text!r}")
    if key not in BY_KEY:
        near = [k for k in BY_KEY if key in k or k in key]
        hint = f" (did you mean {', '.join(near[:3])}?)" if near else ""
        raise SettingError(f"unknown setting {key!r}{hint}; 'alexnet-gui train --list-settings' lists them all")
    try:
        return key, parse_value(BY_KEY[key], value)
    except SettingError as err:
        raise SettingError(f"{key}={value}: {err}") from None


def current_value(cfg: TrainConfig, key: str) -> Any:
    """A setting's value in ``cfg`` (a model option not set there: the model's default)."""
    setting = BY_KEY[key]
    if setting.target == "config":
        return getattr(cfg, key)
    if key in cfg.model_options:
        return cfg.model_options[key]
    defaults = model_option_defaults(cfg.model)
    return defaults.get(key)


def describe_all(cfg: TrainConfig | None = None) -> str:
    """Every setting with its kind and (for ``cfg``) its value, grouped: what ``--list-settings`` prints."""
    lines = []
    for group in GROUPS:
        members = [s for s in SETTINGS if s.group == group]
        lines.append(f"{group}:")
        for s in members:
            kind = "|".join(s.choices) if s.choices else s.kind
            if s.optional:
                kind += "|none"
            value = f" = {format_value(s, current_value(cfg, s.key))}" if cfg is not None and (
                s.target == "config" or cfg.model in s.models) else ""
            only = f" [{', '.join(s.models)} model]" if s.target == "model" and len(s.models) < len(MODEL_NAMES) \
                else ""
            lines.append(f"  {s.key:<22} {kind:<24}{value}{only}  {s.help}".rstrip())
    return "\n".join(lines)


def bookkeeping_keys() -> frozenset[str]:
    """TrainConfig's keys ``runs`` leaves out of "differs": the bookkeeping rows, and what is no setting."""
    return frozenset({s.key for s in SETTINGS if s.bookkeeping} | set(NOT_SETTINGS))


def _bound_problem(s: Setting, value: Any) -> str | None:
    """What is wrong with a number against its row's bounds (NaN is out of every bound), or None."""
    lo, hi = s.minimum, s.maximum
    if lo is not None and not (value > lo if s.above_minimum else value >= lo):
        if lo == 0:
            return QT_TRANSLATE_NOOP("Settings", "must be positive") if s.above_minimum else \
                QT_TRANSLATE_NOOP("Settings", "must not be negative")
        return (QT_TRANSLATE_NOOP("Settings", "must be more than {bound:g}") if s.above_minimum else
                QT_TRANSLATE_NOOP("Settings", "must be at least {bound:g}")).format(bound=lo)
    if hi is not None and not (value < hi if s.below_maximum else value <= hi):
        return (QT_TRANSLATE_NOOP("Settings", "must be below {bound:g}") if s.below_maximum else
                QT_TRANSLATE_NOOP("Settings", "must be at most {bound:g}")).format(bound=hi)
    return None


def row_problems(cfg: "TrainConfig") -> list[str]:
    """Each config value outside its row's bounds or choices, and what an enabled row needs, one sentence each."""
    problems = []
    for s in CONFIG_SETTINGS:
        value = getattr(cfg, s.key)
        got = f"{value}" if s.name.replace(" ", "_") == s.key else f"{s.key}={value}"  # the key to type
        name = Text(s.name, "Settings", s.label)  # the window says the row's label
        if value is None:
            if not s.optional:
                problems.append(QT_TRANSLATE_NOOP("Settings", "{name} needs a value ({key})").format(name=name,
                                                                                                   key=s.key))
            continue
        if s.kind in ("int", "float"):
            why = _bound_problem(s, value)
            if why:
                problems.append(QT_TRANSLATE_NOOP("Settings", "{name} {why} (got {value})").format(
                    name=name, why=why, value=got))
        elif s.kind == "choice" and not s.accepts_choice(str(value)):
            problems.append((QT_TRANSLATE_NOOP("Settings", "{name} must be one of {choices} or {pattern} (got {value})")
                             if s.also_accepts else
                             QT_TRANSLATE_NOOP("Settings", "{name} must be one of {choices} (got {value})")).format(
                name=name, choices=", ".join(s.choices), pattern=s.also_accepts, value=got))
        if s.needs is not None and value:
            missing = s.needs()
            if missing:
                problems.append(missing)
    return problems


def _flag_help(s: Setting) -> str:
    only = f" [{', '.join(s.models)} model]" if s.target == "model" and len(s.models) < len(MODEL_NAMES) else ""
    return ((s.help or s.label) + only + " (default: the recipe's)").replace("%", "%%")


def add_setting_flags(parser: Any) -> None:
    """A flag for every setting (its row's spelling, help and parsing; a bool's also with ``--no-``), each absent
    from the parsed arguments unless given: :func:`flag_values` collects those given."""
    import argparse

    for s in SETTINGS:
        if s.kind == "bool":
            parser.add_argument(s.flag, dest=s.key, action=argparse.BooleanOptionalAction, default=argparse.SUPPRESS,
                                help=_flag_help(s))
        else:
            metavar = s.metavar or ("{" + ",".join(s.choices) + "}" if s.choices else s.key.upper())
            parser.add_argument(s.flag, dest=s.key, type=arg_type(s.key), metavar=metavar, default=argparse.SUPPRESS,
                                help=_flag_help(s))
        for spelling, value in s.switches:
            parser.add_argument(spelling, dest=s.key, action="store_const", const=value, default=argparse.SUPPRESS,
                                help=f"the same as {s.flag} {format_value(s, value)}")


def flag_values(args: Any) -> dict[str, Any]:
    """The settings given as named flags (:func:`add_setting_flags`), key to value."""
    return {s.key: getattr(args, s.key) for s in SETTINGS if hasattr(args, s.key)}


def markdown_table() -> str:
    """README's settings table: every row's key, flag, kind, group and help."""
    lines = ["| Setting (`--set KEY=`) | Flag | Kind | Group | What it does |", "|---|---|---|---|---|"]
    for group in GROUPS:
        for s in (s for s in SETTINGS if s.group == group):
            kind = "|".join(s.choices) if s.choices else s.kind
            if s.optional:
                kind += "|none"
            if s.minimum is not None or s.maximum is not None:
                lo = "" if s.minimum is None else f"{s.minimum:g}"
                hi = "" if s.maximum is None else f"{s.maximum:g}"
                kind += f" {'(' if s.above_minimum else '['}{lo}, {hi}{')' if s.below_maximum else ']'}"
            flags = ", ".join([f"`{s.flag}`"] + [f"`{f}`" for f, _ in s.switches])
            what = (s.help or s.label) + (f" [{', '.join(s.models)} model]" if s.target == "model" and
                                          len(s.models) < len(MODEL_NAMES) else "")
            lines.append(f"| `{s.key}` | {flags} | {kind.replace('|', ' / ')} | {group} | "
                         f"{what.replace('|', '/')} |")
    return "\n".join(lines)
