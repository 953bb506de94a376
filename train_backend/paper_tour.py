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
from .i18n import QT_TRANSLATE_NOOP
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
    "relu-vs-tanh": ExperimentBudget(60, 600, QT_TRANSLATE_NOOP("PaperTour", "a GPU runs CIFAR-10 for several epochs "
                                                                             "an arm, with three seeds")),
    "depth": ExperimentBudget(60, 1800, QT_TRANSLATE_NOOP("PaperTour", "a GPU gives each of the four arms half an "
                                                                       "hour and three seeds")),
}
DEFAULT_BUDGET = ExperimentBudget(120, 1800, QT_TRANSLATE_NOOP("PaperTour", "a GPU gives each arm half an hour (tens "
                                                                            "of epochs at 83 px) and three seeds: "
                                                                            "differences larger than the seed-to-seed "
                                                                            "spread"))


def budget_for(experiment: str, gpu: bool = False) -> int:
    """Seconds per arm for ``experiment`` on this kind of machine."""
    b = BUDGETS.get(experiment, DEFAULT_BUDGET)
    return b.gpu_s if gpu else b.cpu_s


def budget_text(experiment: str) -> str:
    b = BUDGETS.get(experiment, DEFAULT_BUDGET)
    arms = len(EXPERIMENTS[experiment].arms)
    text = QT_TRANSLATE_NOOP("PaperTour", "Budget: {cpu} s per arm on a 2-core CPU (about {minutes:.0f} min for its "
                                          "{arms} arms); with a GPU, {gpu} min per arm: {note}")
    return text.format(cpu=b.cpu_s, minutes=arms * b.cpu_s / 60, arms=arms, gpu=b.gpu_s // 60, note=b.gpu_note)


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

    def add(number, title, text, see, actions, args, **numbers):
        """A section: its title, text and "what you will see" are marked templates (``PaperTour``), formatted with
        ``args`` (the numbers as the text writes them)."""
        sections.append(TourSection(number, title, text.format(**args), see.format(**args), tuple(actions), numbers))

    add("3.1", QT_TRANSLATE_NOOP("PaperTour", "ReLU nonlinearity"),
        QT_TRANSLATE_NOOP("PaperTour", "Units that output max(0, x) instead of tanh(x) do not saturate, so their "
                                       "gradients stay large. In Figure 1 a four-layer net on CIFAR-10 reached "
                                       "{target:g} % training error {ratio} times sooner with ReLUs than with tanh, "
                                       "each at its own best learning rate."),
        QT_TRANSLATE_NOOP("PaperTour", "Both arms trained side by side after a short learning-rate sweep; the report "
                                       "says which reached {target:g} % training error first, and how many times "
                                       "sooner. {budget}."),
        ["experiment:relu-vs-tanh"], dict(target=relu.target * 100, ratio=_n(relu.ratio),
                                          budget=budget_text("relu-vs-tanh")),
        target=relu.target, ratio=relu.ratio)
    add("3.2", QT_TRANSLATE_NOOP("PaperTour", "Training on two GPUs"),
        QT_TRANSLATE_NOOP("PaperTour", "The network is split into two towers, one per GPU, that exchange maps only at "
                                       "conv3 and the fully connected layers. Against a one-GPU net with half the "
                                       "kernels in conv1-conv4 ({one:,} parameters, the two-tower net {two:,}) it cut "
                                       "top-1 and top-5 error by {top1} % and {top5} %."),
        QT_TRANSLATE_NOOP("PaperTour", "Figure 2, drawn from the loaded model: the towers and where they talk; beside "
                                       "it conv1's kernels per tower (Figure 3): one tower's kernels turn mostly "
                                       "colour-agnostic, the other's colour-specific, with the mean colour "
                                       "selectivity of each."),
        ["show:towers"], dict(one=one["parameters"], two=two["parameters"], top1=_pts(towers.top1),
                              top5=_pts(towers.top5)),
        top1=_pts(towers.top1), top5=_pts(towers.top5), parameters=two["parameters"],
        one_gpu_parameters=one["parameters"])
    add("3.3", QT_TRANSLATE_NOOP("PaperTour", "Local response normalisation"),
        QT_TRANSLATE_NOOP("PaperTour", "After ReLU in conv1 and conv2 each activity is divided by (k + α Σ a²)^β over "
                                       "n neighbouring maps, with k = {k}, n = {n}, α = {alpha}, β = {beta}: "
                                       "neighbouring kernels compete. It cut top-1 and top-5 error by {top1} % and "
                                       "{top5} %, and on CIFAR-10 a four-layer net's test error by {cifar:g} points."),
        QT_TRANSLATE_NOOP("PaperTour", "The LRN panel with the paper's constants on the current image: a map before "
                                       "and after normalisation and their difference; move k, n, α and β and watch it "
                                       "change. The `lrn` experiment measures the effect."),
        ["show:lrn"], dict(k=_n(PAPER_K), n=PAPER_N, alpha=_n(PAPER_ALPHA), beta=_n(PAPER_BETA), top1=_pts(lrn.top1),
                           top5=_pts(lrn.top5), cifar=_pts(lrn_cifar.top1)),
        k=PAPER_K, n=PAPER_N, alpha=PAPER_ALPHA, beta=PAPER_BETA, top1=_pts(lrn.top1),
        top5=_pts(lrn.top5), cifar_top1=_pts(lrn_cifar.top1))
    a_on, a_off = E["overlap"].arms
    add("3.4", QT_TRANSLATE_NOOP("PaperTour", "Overlapping pooling"),
        QT_TRANSLATE_NOOP("PaperTour", "Pooling windows that overlap ({on}) instead of tiling ({off}) cut top-1 and "
                                       "top-5 error by {top1} % and {top5} %, and the net overfits slightly less."),
        QT_TRANSLATE_NOOP("PaperTour", "Both poolings trained with the same seed and data order, at a size where "
                                       "their maps are equal. {budget}."),
        ["experiment:overlap"], dict(on=a_on.label, off=a_off.label, top1=_pts(overlap.top1), top5=_pts(overlap.top5),
                                     budget=budget_text("overlap")),
        top1=_pts(overlap.top1), top5=_pts(overlap.top5))
    kernels = "-".join(str(k) for k in two["kernels"])
    fc = two["fc"]
    add("3.5", QT_TRANSLATE_NOOP("PaperTour", "Overall architecture"),
        QT_TRANSLATE_NOOP("PaperTour", "Five convolutional layers ({kernels} kernels) and three fully connected "
                                       "({fc6}, {fc7}, {fc8}-way softmax): {parameters:,} parameters. The paper says "
                                       "224 px input, but the shapes need {size} (conv1's 11x11 stride 4 gives 55x55 "
                                       "maps)."),
        QT_TRANSLATE_NOOP("PaperTour", "Figure 2 live: each layer a box with its kernels, stride and output shape; "
                                       "hover for parameters, neurons and multiply-adds, click a layer for its "
                                       "activation maps."),
        ["show:architecture"], dict(kernels=kernels, fc6=fc["fc6"], fc7=fc["fc7"], fc8=fc["fc8"],
                                    parameters=two["parameters"], size=paper.input_size),
        kernels=two["kernels"], fc=(fc["fc6"], fc["fc7"], fc["fc8"]),
        parameters=two["parameters"], input_size=paper.input_size)
    l_on = lighting.arms[0]
    add("4.1", QT_TRANSLATE_NOOP("PaperTour", "Data augmentation"),
        QT_TRANSLATE_NOOP("PaperTour", "Random crops and horizontal flips multiply the data; without them the net "
                                       "overfits substantially. PCA colour lighting adds each image's principal colour "
                                       "components times α ~ N(0, {sigma}), and cut top-1 error by over {top1:g} %."),
        QT_TRANSLATE_NOOP("PaperTour", "Two experiments: crops and flips against the central crop alone, and PCA "
                                       "lighting against none. {budget}."),
        ["experiment:augment", "experiment:lighting"], dict(sigma=_n(l_on.value), top1=_pts(lighting.claim.top1),
                                                            budget=budget_text("augment")),
        lighting_sigma=l_on.value, lighting_top1=_pts(lighting.claim.top1))
    d_on = dropout.arms[0]
    add("4.2", QT_TRANSLATE_NOOP("PaperTour", "Dropout"),
        QT_TRANSLATE_NOOP("PaperTour", "The outputs of fc6 and fc7 are set to zero with probability {p} while "
                                       "training, so no neuron can rely on another. It curbs overfitting and takes "
                                       "about {ratio} times the iterations to converge."),
        QT_TRANSLATE_NOOP("PaperTour", "The network with and without dropout; the report compares the gap between "
                                       "validation and training error. {budget}."),
        ["experiment:dropout"], dict(p=_n(d_on.value), ratio=_n(dropout.claim.ratio), budget=budget_text("dropout")),
        p=d_on.value, ratio=dropout.claim.ratio)
    add("5", QT_TRANSLATE_NOOP("PaperTour", "Details of learning"),
        QT_TRANSLATE_NOOP("PaperTour", "Stochastic gradient descent, batch {batch}, momentum {momentum}, weight decay "
                                       "{decay} inside the update: {rule}. The learning rate starts at {lr} and is "
                                       "divided by 10 when validation error stops improving; about {epochs} epochs, "
                                       "nearly a week on two GTX 580 GPUs."),
        QT_TRANSLATE_NOOP("PaperTour", "The `paper` recipe's settings, read-only: the update rule, the schedule, the "
                                       "inputs. Choose `paper` in the toolbar's Recipe box to train with them."),
        ["show:paper-recipe"], dict(batch=paper.batch_size, momentum=_n(paper.momentum), decay=_n(paper.weight_decay),
                                    rule=PAPER_SETUP["optimizer"].split(";")[0], lr=_n(paper.lr), epochs=paper.epochs),
        batch=paper.batch_size, momentum=paper.momentum, weight_decay=paper.weight_decay,
        lr=paper.lr, epochs=paper.epochs)
    add("6", QT_TRANSLATE_NOOP("PaperTour", "Results"),
        QT_TRANSLATE_NOOP("PaperTour", "On ILSVRC-2010 test the net's top-1 / top-5 error was {t1_top1} % / {t1_top5} "
                                       "% (Table 1). On ILSVRC-2012 (Table 2) one CNN had {cnn1_top1} % / {cnn1_top5} "
                                       "% on validation, five averaged {cnn5_top1} % / {cnn5_top5} %, seven with "
                                       "pre-training {cnn7_top5} % top-5 ({cnn7_test} % on test, against {fvs_test} % "
                                       "for the next entry)."),
        QT_TRANSLATE_NOOP("PaperTour", "The Evaluation view: your model's top-1 and top-5 error, confusion matrix and "
                                       "mistakes; with ImageNet weights loaded the paper's Tables 1 and 2 beside your "
                                       "figures, and how the measurements differ."),
        ["show:evaluation"], dict(t1_top1=t1.top1, t1_top5=t1.top5, cnn1_top1=cnn1.top1, cnn1_top5=cnn1.top5,
                                  cnn5_top1=cnn5.top1, cnn5_top5=cnn5.top5, cnn7_top5=cnn7.top5,
                                  cnn7_test=cnn7.test_top5, fvs_test=fvs.test_top5),
        table1_top1=t1.top1, table1_top5=t1.top5, cnn1_top1=cnn1.top1, cnn1_top5=cnn1.top5,
        cnn5_top1=cnn5.top1, cnn5_top5=cnn5.top5, cnn7_top5=cnn7.top5, cnn7_test=cnn7.test_top5,
        fvs_test=fvs.test_top5)
    add("6.1", QT_TRANSLATE_NOOP("PaperTour", "Qualitative evaluations"),
        QT_TRANSLATE_NOOP("PaperTour", "Figure 4: test images with the net's top-5 labels, mostly sensible even when "
                                       "wrong; and test images beside the {k} training images whose last hidden layer "
                                       "(fc7, {fc7} numbers) is nearest in Euclidean distance: similar for the net, "
                                       "though not in pixels."),
        QT_TRANSLATE_NOOP("PaperTour", "Figure 4 for the loaded model and data: the top-5 grid, and the nearest "
                                       "training images of the current image."),
        ["show:figure4"], dict(k=k6, fc7=fc["fc7"]), neighbours=k6, fc7=fc["fc7"])
    add("7", QT_TRANSLATE_NOOP("PaperTour", "Discussion"),
        QT_TRANSLATE_NOOP("PaperTour", "Depth matters: removing any middle convolutional layer cost about {top1:g} % "
                                       "top-1. The paper used no unsupervised pre-training and expected larger, "
                                       "deeper nets (and video) to do better."),
        QT_TRANSLATE_NOOP("PaperTour", "The full network against the same without conv3, without conv4 and without "
                                       "conv5. {budget}."),
        ["experiment:depth"], dict(top1=_pts(depth.claim.top1), budget=budget_text("depth")),
        top1=_pts(depth.claim.top1))
    return tuple(sections)


def tour_actions() -> tuple[str, ...]:
    """Every action name the tour uses, in order, once."""
    return tuple(dict.fromkeys(a for s in tour_sections() for a in s.actions))
