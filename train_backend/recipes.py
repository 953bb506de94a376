"""The named recipes a user picks (``paper``, ``d2l``, ``finetune``, ``quick``, ``seed001``), a registry like the
models', data sets' and analyses': each recipe is a function that returns a :class:`~train_backend.config.TrainConfig`
(every field can then be overridden: CLI flags, the GUI's settings dialog), registered with :func:`register_recipe`
together with what is particular to it (the classes its script assumes, a published figure, how it takes another
data set).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from .config import ConfigError, TrainConfig
from .devices import cpu_computes_bf16
from .i18n import QT_TRANSLATE_NOOP


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


#: what ``quick`` changes on a CPU that does not compute bf16 (AVX2 without AVX-512, as on many laptops and cloud
#: VMs): there it trains in fp32, which fits far fewer steps of the full network into the same minutes.  Half the
#: kernels in every conv layer (``width`` 0.5) and half the units in fc6 and fc7 (``hidden`` 2048): the same towers,
#: LRN, pooling and layers, chosen by measuring fp32 under the AVX2 limits against larger batches and the conv
#: layers alone halved (benchmarks/README.md, ``time_to_accuracy.py --isa avx2``).
QUICK_WITHOUT_BF16 = {"width": 0.5, "hidden": 2048}


def quick() -> TrainConfig:
    """For a 2-core CPU with no GPU: the paper's network at 83 px, learning visibly within a minute.

    83 px leaves a 1x1 map after pool5 (the adaptive pool spreads it over fc6's 6x6 input, so the layers
    are the paper's) with half the convolution of 112 px; in a short run more updates beat a bigger
    picture, so the size, batch 32 (twice the updates of 64 for the same images) and lr 0.01 were chosen by
    the accuracy a 2-core CPU reaches in a fixed time.  He initialisation and a 30-step warm-up replace
    N(0, 0.01) (which needs many epochs to get going); the lr follows a cosine curve (over the time budget when
    one is set); validation runs every 100 steps on 1,000 held-out images.  On a CPU that computes bf16
    (AVX-512 or AMX) it trains in bf16 autocast (``cpu_bf16``), which fits more steps in the same time; on one
    that does not (AVX2 only) it trains in fp32 with half the kernels per conv layer and half the units in
    fc6 and fc7 (:data:`QUICK_WITHOUT_BF16`), the same two towers, LRN, pooling and layers.  No dropout: in so short a run nothing overfits, and dropping
    half of fc6's and fc7's outputs only slows the start.  The measurements behind each choice are in
    ``benchmarks/README.md`` (``time_to_accuracy.py``).
    """
    options = {"init": "kaiming", "dropout": 0.0}
    if not cpu_computes_bf16():
        options.update(QUICK_WITHOUT_BF16)
    return TrainConfig(recipe="quick", model="paper", model_options=options,
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


@dataclass(frozen=True)
class Reference:
    """A published figure a recipe's run can be held against (drawn on the curves as a dashed line)."""

    metric: str  # "test_accuracy"
    value: float
    source: str
    #: how the curves should follow the run: "steps" (loss per step) or "epochs" (d2l's animation: train loss,
    #: train accuracy and test accuracy per epoch)
    curves: str = "steps"


@dataclass(frozen=True)
class Recipe:
    """A named preset: calling it gives a fresh :class:`TrainConfig`."""

    name: str
    build: Callable[[], TrainConfig]
    #: the classes the recipe's network has where its data set does not say (a folder's classes are known only
    #: once it is read): the seed's fine-tune script replaces fc8 for cats and dogs
    classes: int | None = None
    reference: Reference | None = None
    #: a session opens it on its own data set, not on the one the machine has at hand (Fashion-MNIST or synthetic)
    opens_on_own_data: bool = False
    #: switching to it keeps its own data set unless the current one is a folder of the user's
    keeps_own_data: bool = False
    #: trained on another data set than its own, the network takes this many channels (grey data is repeated);
    #: None: the recipe's own channels stay (d2l's one-channel network)
    channels_for_other_data: int | None = 3

    @property
    def description(self) -> str:
        """The recipe in one sentence (:data:`SUMMARIES`, marked for translation), else its docstring's first."""
        if self.name in SUMMARIES:
            return SUMMARIES[self.name]
        text = " ".join((self.build.__doc__ or "").split("\n\n")[0].split())
        return text.split(". ")[0].rstrip(".") + "."

    def __call__(self) -> TrainConfig:
        return self.build()

    def for_dataset(self, cfg: TrainConfig, dataset: str) -> TrainConfig:
        """``cfg`` (this recipe's) set to train on ``dataset``, with what that changes for this recipe."""
        cfg = cfg.replace(dataset=dataset)
        if self.channels_for_other_data is not None and dataset != self().dataset:
            cfg.channels = self.channels_for_other_data
        return cfg


RECIPES: dict[str, Recipe] = {}

#: each recipe in one sentence, for the window (its docstring's first sentence; marked for translation)
SUMMARIES = {
    "paper": QT_TRANSLATE_NOOP("Recipes", "Section 5: the paper's update rule (``optimizer=\"paper\"``: momentum 0.9 "
                                          "and weight decay 5e-4 inside the velocity), batch 128, lr 0.01 / 10 on "
                                          "plateau, ~90 epochs, in fp32 (``amp=False``; bf16 is one setting away)."),
    "d2l": QT_TRANSLATE_NOOP("Recipes", "Dive into Deep Learning's AlexNet chapter, as its code runs: d2l's own "
                                        "network (``model=\"d2l\"``: one input channel, conv1 padding 1, no LRN or "
                                        "towers, 6400 inputs to fc6, Xavier-uniform weights), Fashion-MNIST resized "
                                        "to 224 with no augmentation and no normalisation (``ToTensor`` only), plain "
                                        "SGD (no momentum, no weight decay) at lr 0.01, batch 128, 10 epochs, fp32."),
    "finetune": QT_TRANSLATE_NOOP("Recipes", "The seed's cats-vs-dogs fine-tune script, exactly: torchvision's "
                                             "ImageNet AlexNet with a new fc8 for the data set's classes; SGD lr "
                                             "0.001, momentum 0.9, no weight decay, one lr for every layer; "
                                             "StepLR(step_size=1, gamma=0.1) stepped once per epoch; 3 epochs of "
                                             "batch 128."),
    "quick": QT_TRANSLATE_NOOP("Recipes", "For a 2-core CPU with no GPU: the paper's network at 83 px, learning "
                                          "visibly within a minute."),
    "seed001": QT_TRANSLATE_NOOP("Recipes", "Seed 001's port (the alexnet-pytorch repository's ``model.py``) with the "
                                            "constants its script declares: its own network (``model=\"seed001\"``), "
                                            "227 px centre crops (``CenterCrop(227)``: no random crops, no flips, no "
                                            "PCA lighting), ImageNet's mean and std, batch 128, 90 epochs, lr x 0.1 "
                                            "every 30 epochs (``StepLR(30, 0.1)``), and the paper's SGD (lr 0.01, "
                                            "momentum 0.9, weight decay 5e-4), the lines the script keeps beside the "
                                            "optimizer it runs — which is ``Adam(lr=1e-4)`` (\"the one that WORKS\"), "
                                            "with no weight decay: so this recipe runs Adam at 1e-4 "
                                            "(``optimizer=\"adam\"``); ``--optimizer paper --lr 0.01 --set "
                                            "weight_decay=5e-4`` runs the lines it keeps."),
}


def register_recipe(build: Callable[[], TrainConfig] | None = None, *, name: str | None = None,
                    **particulars: Any) -> Any:
    """Register ``build`` as a recipe under ``name`` (default: the function's name), once; a decorator, bare or
    with the recipe's particulars (:class:`Recipe`'s fields)."""

    def add(fn: Callable[[], TrainConfig]) -> Callable[[], TrainConfig]:
        key = name or fn.__name__
        if key in RECIPES:
            raise ValueError(f"a recipe named {key!r} is registered already")
        RECIPES[key] = Recipe(key, fn, **particulars)
        return fn

    return add(build) if build is not None else add


register_recipe(paper)
register_recipe(d2l, opens_on_own_data=True, keeps_own_data=True, channels_for_other_data=None,
                reference=Reference("test_accuracy", 0.88, QT_TRANSLATE_NOOP(
                    "Recipes", "d2l.ai, AlexNet on Fashion-MNIST at 224 px: about 0.88 train and test accuracy after "
                               "10 epochs (published runs 0.881 / 0.884)"), curves="epochs"))
register_recipe(finetune, classes=2)
register_recipe(quick)
register_recipe(seed001, opens_on_own_data=True)

#: the published figures, by recipe
REFERENCES: dict[str, Reference] = {n: r.reference for n, r in RECIPES.items() if r.reference is not None}


def recipe_classes(name: str) -> int | None:
    """The class count the recipe's own script uses when its data set does not fix one (``summary --recipe``)."""
    return RECIPES[name].classes if name in RECIPES else None


def recipe(name: str, **overrides: Any) -> TrainConfig:
    """A recipe's config with overrides applied (``None`` values are ignored)."""
    if name not in RECIPES:
        raise ConfigError(f"unknown recipe {name!r}; choose one of {', '.join(RECIPES)}")
    return RECIPES[name]().replace(**overrides)
