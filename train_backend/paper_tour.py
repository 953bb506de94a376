"""The paper tour: sections 3.1-3.5, 4.1-4.2, 5, 6, 6.1 and 7 of the paper in the project's own short words, each
with what the lab shows of it and the names of the window's actions that set the lab up to show it.

Every number comes from its single source in the core, never retyped: the paper's tables
(:mod:`train_backend.paper_results`), the experiments' claims (:mod:`train_backend.experiments`), the networks
themselves (built on PyTorch's ``meta`` device: shapes and parameter counts without memory or time), the recipes
and the LRN constants.  Each section keeps the numbers it quotes in :attr:`TourSection.numbers` (the tests compare
them with the sources).  The GUI's Paper panel draws :func:`tour_sections`; the window maps each action name to
one of its ordinary QActions (the tour adds no second way of doing anything).

Action names: ``experiment:<name>`` selects that experiment in the Experiments panel with :func:`budget_for`'s
budget; ``show:<view>`` shows a view (``towers``, ``lrn``, ``architecture``, ``paper-recipe``, ``evaluation``,
``figure4``).

Plain Python and torch: no Qt.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from .experiments import EXPERIMENTS
from .experiments.registry import PAPER_SETUP
from .models.lrn import PAPER_ALPHA, PAPER_BETA, PAPER_K, PAPER_N
from .paper_results import TABLE1, TABLE2
from .recipes import recipe


@dataclass(frozen=True)
class ExperimentBudget:
    """Seconds of training per arm (and seed) that fit a machine: ``cpu_s`` a 2-core CPU with no GPU (the whole
    experiment in a few minutes), ``gpu_s`` one GPU (long enough for the claim to have a chance), and a note."""

    cpu_s: int
    gpu_s: int
    gpu_note: str


#: per experiment; the others take :data:`DEFAULT_BUDGET`.  Figure 1's small net reaches 25 % training error in
#: about 150 steps (README's measured table: ~21 s of training), the AlexNet arms learn visibly in two minutes
BUDGETS: dict[str, ExperimentBudget] = {
    "relu-vs-tanh": ExperimentBudget(60, 600, "a GPU runs CIFAR-10 for several epochs an arm, with three seeds"),
    "depth": ExperimentBudget(60, 1800, "a GPU gives each of the four arms half an hour and three seeds"),
}
DEFAULT_BUDGET = ExperimentBudget(120, 1800, "a GPU gives each arm half an hour (tens of epochs at 83 px) and "
                                             "three seeds: differences larger than the seed-to-seed spread")


def budget_for(experiment: str, gpu: bool = False) -> int:
    """Seconds per arm for ``experiment`` on this kind of machine."""
    b = BUDGETS.get(experiment, DEFAULT_BUDGET)
    return b.gpu_s if gpu else b.cpu_s


def budget_text(experiment: str) -> str:
    b = BUDGETS.get(experiment, DEFAULT_BUDGET)
    arms = len(EXPERIMENTS[experiment].arms)
    return (f"Budget: {b.cpu_s} s per arm on a 2-core CPU (about {arms * b.cpu_s / 60:.0f} min for its {arms} "
            f"arms); with a GPU, {b.gpu_s // 60} min per arm: {b.gpu_note}")


@dataclass(frozen=True)
class TourSection:
    """One step of the tour: the paper's section number and title, a few sentences, what the lab shows, the
    window's action names (one button each) and the numbers the text quotes (name -> value, from the sources)."""

    number: str
    title: str
    text: str
    see: str
    actions: tuple[str, ...]
    numbers: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return self.number


@lru_cache(maxsize=None)
def network_facts(towers: int = 2) -> dict[str, Any]:
    """The paper's network (``towers=1``: its one-GPU net) as built here: conv kernel counts, fc widths and the
    parameter count at 1,000 classes (built on the meta device: no memory, no time)."""
    import torch

    from .models import build_model
    from .models.summary import count_parameters

    with torch.device("meta"):
        model = build_model("paper", towers=towers)
    convs = [m.out_channels for m in model.modules() if isinstance(m, torch.nn.Conv2d)]
    fcs = {name: m.out_features for name, m in model.named_modules() if isinstance(m, torch.nn.Linear)}
    return {"kernels": tuple(convs), "fc": fcs, "parameters": count_parameters(model)}


def neighbours_k() -> int:
    """How many nearest training images Figure 4 (right) shows: the neighbour search's default."""
    from .analysis.features import find_neighbours

    return int(inspect.signature(find_neighbours).parameters["k"].default)


def _pts(fraction: float | None) -> float:
    """A claim's difference (a fraction, the paper's arm minus the other) as the paper's points: -0.014 -> 1.4."""
    return round(abs(fraction or 0.0) * 100, 2)


def _n(v: float) -> str:
    return f"{v:g}"


@lru_cache(maxsize=1)
def tour_sections() -> tuple[TourSection, ...]:
    """The tour, in the paper's order."""
    E = EXPERIMENTS
    relu, lrn, lrn_cifar, overlap, towers = (E[n].claim for n in ("relu-vs-tanh", "lrn", "lrn-cifar", "overlap",
                                                                   "towers"))
    lighting, dropout, depth = E["lighting"], E["dropout"], E["depth"]
    two, one = network_facts(2), network_facts(1)
    paper = recipe("paper")
    cnn1, cnn5, cnn7, fvs = TABLE2.row("1 CNN"), TABLE2.row("5 CNNs"), TABLE2.row("7 CNNs*"), TABLE2.row("SIFT + FVs")
    t1 = TABLE1.row("CNN")
    k6 = neighbours_k()
    sections = []

    def add(number, title, text, see, actions, **numbers):
        sections.append(TourSection(number, title, text, see, tuple(actions), numbers))

    add("3.1", "ReLU nonlinearity",
        f"Units that output max(0, x) instead of tanh(x) do not saturate, so their gradients stay large. In Figure 1 "
        f"a four-layer net on CIFAR-10 reached {relu.target * 100:g} % training error {_n(relu.ratio)} times sooner with "
        f"ReLUs than with tanh, each at its own best learning rate.",
        "Both arms trained side by side after a short learning-rate sweep; the report says which reached "
        f"{relu.target * 100:g} % training error first, and how many times sooner. " + budget_text("relu-vs-tanh") + ".",
        ["experiment:relu-vs-tanh"], target=relu.target, ratio=relu.ratio)
    add("3.2", "Training on two GPUs",
        f"The network is split into two towers, one per GPU, that exchange maps only at conv3 and the fully "
        f"connected layers. Against a one-GPU net with half the kernels in conv1-conv4 ({one['parameters']:,} "
        f"parameters, the two-tower net {two['parameters']:,}) it cut top-1 and top-5 error by "
        f"{_pts(towers.top1)} % and {_pts(towers.top5)} %.",
        "Figure 2, drawn from the loaded model: the towers and where they talk; beside it conv1's kernels per tower "
        "(Figure 3): one tower's kernels turn mostly colour-agnostic, the other's colour-specific, with the mean "
        "colour selectivity of each.",
        ["show:towers"], top1=_pts(towers.top1), top5=_pts(towers.top5), parameters=two["parameters"],
        one_gpu_parameters=one["parameters"])
    add("3.3", "Local response normalisation",
        f"After ReLU in conv1 and conv2 each activity is divided by (k + α Σ a²)^β over n neighbouring maps, with "
        f"k = {_n(PAPER_K)}, n = {PAPER_N}, α = {_n(PAPER_ALPHA)}, β = {_n(PAPER_BETA)}: neighbouring kernels compete. "
        f"It cut top-1 and top-5 error by {_pts(lrn.top1)} % and {_pts(lrn.top5)} %, and on CIFAR-10 a four-layer "
        f"net's test error by {_pts(lrn_cifar.top1):g} points.",
        "The LRN panel with the paper's constants on the current image: a map before and after normalisation and "
        "their difference; move k, n, α and β and watch it change. The `lrn` experiment measures the effect.",
        ["show:lrn"], k=PAPER_K, n=PAPER_N, alpha=PAPER_ALPHA, beta=PAPER_BETA, top1=_pts(lrn.top1),
        top5=_pts(lrn.top5), cifar_top1=_pts(lrn_cifar.top1))
    a_on, a_off = E["overlap"].arms
    add("3.4", "Overlapping pooling",
        f"Pooling windows that overlap ({a_on.label}) instead of tiling ({a_off.label}) cut top-1 and top-5 error by "
        f"{_pts(overlap.top1)} % and {_pts(overlap.top5)} %, and the net overfits slightly less.",
        "Both poolings trained with the same seed and data order, at a size where their maps are equal. "
        + budget_text("overlap") + ".",
        ["experiment:overlap"], top1=_pts(overlap.top1), top5=_pts(overlap.top5))
    kernels = "-".join(str(k) for k in two["kernels"])
    fc = two["fc"]
    add("3.5", "Overall architecture",
        f"Five convolutional layers ({kernels} kernels) and three fully connected ({fc['fc6']}, {fc['fc7']}, "
        f"{fc['fc8']}-way softmax): {two['parameters']:,} parameters. The paper says 224 px input, but the shapes "
        f"need {paper.input_size} (conv1's 11x11 stride 4 gives 55x55 maps).",
        "Figure 2 live: each layer a box with its kernels, stride and output shape; hover for parameters, neurons "
        "and multiply-adds, click a layer for its activation maps.",
        ["show:architecture"], kernels=two["kernels"], fc=(fc["fc6"], fc["fc7"], fc["fc8"]),
        parameters=two["parameters"], input_size=paper.input_size)
    l_on = lighting.arms[0]
    add("4.1", "Data augmentation",
        f"Random crops and horizontal flips multiply the data; without them the net overfits substantially. PCA "
        f"colour lighting adds each image's principal colour components times α ~ N(0, {_n(l_on.value)}), and cut "
        f"top-1 error by over {_pts(lighting.claim.top1):g} %.",
        "Two experiments: crops and flips against the central crop alone, and PCA lighting against none. "
        + budget_text("augment") + ".",
        ["experiment:augment", "experiment:lighting"], lighting_sigma=l_on.value,
        lighting_top1=_pts(lighting.claim.top1))
    d_on = dropout.arms[0]
    add("4.2", "Dropout",
        f"The outputs of fc6 and fc7 are set to zero with probability {_n(d_on.value)} while training, so no "
        f"neuron can rely on another. It curbs overfitting and takes about {_n(dropout.claim.ratio)} times the "
        f"iterations to converge.",
        "The network with and without dropout; the report compares the gap between validation and training error. "
        + budget_text("dropout") + ".",
        ["experiment:dropout"], p=d_on.value, ratio=dropout.claim.ratio)
    add("5", "Details of learning",
        f"Stochastic gradient descent, batch {paper.batch_size}, momentum {_n(paper.momentum)}, weight decay "
        f"{_n(paper.weight_decay)} inside the update: {PAPER_SETUP['optimizer'].split(';')[0]}. The learning rate starts at "
        f"{_n(paper.lr)} and is divided by 10 when validation error stops improving; about {paper.epochs} epochs, "
        f"nearly a week on two GTX 580 GPUs.",
        "The `paper` recipe's settings, read-only: the update rule, the schedule, the inputs. Choose `paper` in the "
        "toolbar's Recipe box to train with them.",
        ["show:paper-recipe"], batch=paper.batch_size, momentum=paper.momentum, weight_decay=paper.weight_decay,
        lr=paper.lr, epochs=paper.epochs)
    add("6", "Results",
        f"On ILSVRC-2010 test the net's top-1 / top-5 error was {t1.top1} % / {t1.top5} % (Table 1). On ILSVRC-2012 "
        f"(Table 2) one CNN had {cnn1.top1} % / {cnn1.top5} % on validation, five averaged {cnn5.top1} % / "
        f"{cnn5.top5} %, seven with pre-training {cnn7.top5} % top-5 ({cnn7.test_top5} % on test, against "
        f"{fvs.test_top5} % for the next entry).",
        "The Evaluation view: your model's top-1 and top-5 error, confusion matrix and mistakes; with ImageNet "
        "weights loaded the paper's Tables 1 and 2 beside your figures, and how the measurements differ.",
        ["show:evaluation"], table1_top1=t1.top1, table1_top5=t1.top5, cnn1_top1=cnn1.top1, cnn1_top5=cnn1.top5,
        cnn5_top1=cnn5.top1, cnn5_top5=cnn5.top5, cnn7_top5=cnn7.top5, cnn7_test=cnn7.test_top5,
        fvs_test=fvs.test_top5)
    add("6.1", "Qualitative evaluations",
        f"Figure 4: test images with the net's top-5 labels, mostly sensible even when wrong; and test images beside "
        f"the {k6} training images whose last hidden layer (fc7, {fc['fc7']} numbers) is nearest in Euclidean "
        f"distance: similar for the net, though not in pixels.",
        "Figure 4 for the loaded model and data: the top-5 grid, and the nearest training images of the current "
        "image.",
        ["show:figure4"], neighbours=k6, fc7=fc["fc7"])
    add("7", "Discussion",
        f"Depth matters: removing any middle convolutional layer cost about {_pts(depth.claim.top1):g} % top-1. The "
        f"paper used no unsupervised pre-training and expected larger, deeper nets (and video) to do better.",
        "The full network against the same without conv3, without conv4 and without conv5. "
        + budget_text("depth") + ".",
        ["experiment:depth"], top1=_pts(depth.claim.top1))
    return tuple(sections)


def tour_actions() -> tuple[str, ...]:
    """Every action name the tour uses, in order, once."""
    return tuple(dict.fromkeys(a for s in tour_sections() for a in s.actions))
