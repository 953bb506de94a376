"""The paper's ablations, one experiment each: ReLU against tanh (Figure 1), LRN, overlapping pooling, two towers
against the one-GPU net, dropout; and its other claims: LRN on the four-layer CIFAR-10 net, PCA lighting, crops and
flips, removing a middle conv layer, an ensemble of five.  The figures are the paper's (Krizhevsky, Sutskever & Hinton
2012; its Tables 1 and 2 are held in ``train_backend/paper_results.py``); differences are the paper's arm minus the
other, in fractions (-0.014 = 1.4 points lower error)."""

from __future__ import annotations

from ..data import DATASETS
from ..config import TrainConfig
from ..recipes import recipe
from ..i18n import QT_TRANSLATE_NOOP
from .registry import CIFAR_SETUP, Arm, Claim, Experiment, register_experiment

#: the learning rates each arm of Figure 1 tries before its runs (a sweep of a quarter of the budget each)
FIGURE1_SWEEP = (0.003, 0.01, 0.03, 0.1)


def alexnet_base(dataset: str) -> TrainConfig:
    """The paper's network at the ``quick`` recipe's 83 px (learns visibly on a CPU within a minute): batch 32, He
    initialisation, cosine lr over the budget, validation every 100 steps on a fixed 1,000-image subset, and a
    report from every step (``metrics_every=1``) so every arm's curve has the same resolution.  Unlike ``quick``
    itself, the paper's dropout 0.5 on fc6 and fc7, fp32 arithmetic, and the paper's kernel and unit counts on every
    CPU (quick halves them where bf16 is not computed): the arms compare the paper's network, and README's figures
    were measured so."""
    return recipe("quick", dataset=dataset, channels=3, val_every_steps=100, val_subset=1000, metrics_every=1,
                  kernel_interval_s=60.0, batch_augment=True, cpu_bf16=False,
                  model_options={"dropout": 0.5, "width": 1.0, "hidden": 4096})  # the paper's sizes on every CPU


def figure1_base(dataset: str) -> TrainConfig:
    """Figure 1's setting: the four-layer net at 32 px, no augmentation and no regularisation ("no regularization
    of any kind was employed"), SGD with momentum 0.9 at a constant lr 0.01, batch 128; a step report every batch
    (the training error to 25 % is read from them), validation every 200 steps on 1,000 images."""
    spec = DATASETS.get(dataset)
    return TrainConfig(recipe="figure1", model="convnet4", dataset=dataset, input_size=32, resize=32,
                       channels=spec.channels if spec is not None else 3, flip=False, lighting=0.0,
                       epochs=10_000, batch_size=128, lr=0.01, momentum=0.9, weight_decay=0.0, schedule="constant",
                       val_every_steps=200, val_subset=1000, metrics_every=1, num_workers=0,
                       kernel_interval_s=60.0, batch_augment=True)


def overlap_base(dataset: str) -> TrainConfig:
    """:func:`alexnet_base` at 99 px instead of 83: there every pooling layer's input is odd (conv1 23, pool1 11,
    pool2 5), so 3x3/2 and 2x2/2 pooling give equal maps everywhere (pool5 2x2 in both), as the paper's comparison
    has it ("output of equivalent dimensions"); at 83 px pool5 is 1x1 against 2x2 (the check refuses it)."""
    return alexnet_base(dataset).replace(input_size=99)


register_experiment(Experiment(
    "relu-vs-tanh", QT_TRANSLATE_NOOP("Experiments", "ReLU vs tanh (Figure 1)"),
    QT_TRANSLATE_NOOP("Experiments", "the four-layer CIFAR-10 net of Figure 1 with ReLU against the same net with "
                                     "tanh, each at the learning rate its own short sweep finds fastest: steps and "
                                     "time to 25 % training error"), "activation",
    (Arm("relu", QT_TRANSLATE_NOOP("Experiments", "ReLU"), "relu"),
     Arm("tanh", QT_TRANSLATE_NOOP("Experiments", "tanh"), "tanh")),
    Claim("speed", QT_TRANSLATE_NOOP("Experiments", "a four-layer CNN with ReLUs reaches 25 % training error on "
                                                    "CIFAR-10 six times faster than with tanh (Figure 1)"), target=0.25, ratio=6.0),
    figure1_base, sweep=FIGURE1_SWEEP, paper_setup=CIFAR_SETUP))

register_experiment(Experiment(
    "lrn", QT_TRANSLATE_NOOP("Experiments", "Local response normalisation"),
    QT_TRANSLATE_NOOP("Experiments", "the paper's network with and without LRN after conv1 and conv2"), "lrn",
    (Arm("lrn", QT_TRANSLATE_NOOP("Experiments", "with LRN"), True),
     Arm("no-lrn", QT_TRANSLATE_NOOP("Experiments", "without LRN"), False)),
    Claim("error", QT_TRANSLATE_NOOP("Experiments", "response normalisation reduces top-1 and top-5 error by 1.4 % "
                                                    "and 1.2 %"), top1=-0.014,
          top5=-0.012),
    alexnet_base))

register_experiment(Experiment(
    "overlap", QT_TRANSLATE_NOOP("Experiments", "Overlapping pooling"),
    QT_TRANSLATE_NOOP("Experiments", "the paper's network with 3x3 stride-2 (overlapping) against 2x2 stride-2 pooling"), "overlapping_pool",
    (Arm("overlap", QT_TRANSLATE_NOOP("Experiments", "3x3/2 pooling"), True),
     Arm("no-overlap", QT_TRANSLATE_NOOP("Experiments", "2x2/2 pooling"), False)),
    Claim("error", QT_TRANSLATE_NOOP("Experiments", "overlapping pooling reduces top-1 and top-5 error by 0.4 % and "
                                                    "0.3 %"), top1=-0.004,
          top5=-0.003),
    overlap_base))

register_experiment(Experiment(
    "towers", QT_TRANSLATE_NOOP("Experiments", "Two towers vs one GPU"),
    QT_TRANSLATE_NOOP("Experiments", "the paper's two-tower network against its one-GPU net (half the kernels in "
                                     "conv1-conv4, no groups)"), "towers",
    (Arm("two-towers", QT_TRANSLATE_NOOP("Experiments", "two towers"), 2),
     Arm("one-gpu", QT_TRANSLATE_NOOP("Experiments", "one-GPU net"), 1)),
    Claim("error", QT_TRANSLATE_NOOP("Experiments", "the two-GPU net has 1.7 % lower top-1 and 1.2 % lower top-5 error "
                                                    "than the one-GPU net with half the kernels"), top1=-0.017, top5=-0.012),
    alexnet_base))

register_experiment(Experiment(
    "dropout", QT_TRANSLATE_NOOP("Experiments", "Dropout"),
    QT_TRANSLATE_NOOP("Experiments", "the paper's network with dropout 0.5 on fc6 and fc7 against none"), "dropout",
    (Arm("dropout", QT_TRANSLATE_NOOP("Experiments", "dropout 0.5"), 0.5),
     Arm("no-dropout", QT_TRANSLATE_NOOP("Experiments", "no dropout"), 0.0)),
    Claim("overfitting", QT_TRANSLATE_NOOP("Experiments", "without dropout the network overfits substantially; dropout "
                                                          "roughly doubles the iterations needed to converge"), ratio=2.0),
    alexnet_base))


# ------------------------------------------------------------------------------ the paper's other claims


def lrn_cifar_base(dataset: str) -> TrainConfig:
    """The four-layer net of Figure 1 at 32 px, trained to generalise this time: random crops from 36 px and
    flips, weight decay 5e-4, cosine lr 0.01 over the budget (the paper's CIFAR-10 note gives test errors, not
    a training speed)."""
    return figure1_base(dataset).replace(resize=36, flip=True, weight_decay=5e-4, schedule="cosine",
                                         val_every_steps=100)


register_experiment(Experiment(
    "lrn-cifar", QT_TRANSLATE_NOOP("Experiments", "LRN on the four-layer CIFAR-10 net"),
    QT_TRANSLATE_NOOP("Experiments", "the four-layer net of Figure 1 with and without the paper's LRN after relu1 and "
                                     "relu2"), "lrn",
    (Arm("lrn", QT_TRANSLATE_NOOP("Experiments", "with LRN"), True),
     Arm("no-lrn", QT_TRANSLATE_NOOP("Experiments", "without LRN"), False)),
    Claim("error", QT_TRANSLATE_NOOP("Experiments", "on CIFAR-10 a four-layer CNN achieved a 13 % test error rate "
                                                    "without normalisation and 11 % with it"), top1=-0.02),
    lrn_cifar_base, paper_setup=CIFAR_SETUP))

register_experiment(Experiment(
    "lighting", QT_TRANSLATE_NOOP("Experiments", "PCA lighting"),
    QT_TRANSLATE_NOOP("Experiments", "the paper's network with PCA colour lighting (alpha ~ N(0, 0.1)) against none"), "lighting",
    (Arm("lighting", QT_TRANSLATE_NOOP("Experiments", "PCA lighting 0.1"), 0.1),
     Arm("no-lighting", QT_TRANSLATE_NOOP("Experiments", "no lighting"), 0.0)),
    Claim("error", QT_TRANSLATE_NOOP("Experiments", "PCA lighting reduces the top-1 error rate by over 1 %"), top1=-0.01),
    alexnet_base, on="config", colour=True))

register_experiment(Experiment(
    "augment", QT_TRANSLATE_NOOP("Experiments", "Crops and flips"),
    QT_TRANSLATE_NOOP("Experiments", "the paper's network with random crops and horizontal flips against the central "
                                     "crop alone"), "augmentation",
    (Arm("augment", QT_TRANSLATE_NOOP("Experiments", "crops and flips"), {"flip": True, "resize": None}),
     Arm("no-augment", QT_TRANSLATE_NOOP("Experiments", "no crops or flips"), {"flip": False, "resize": "input_size"})),
    Claim("overfitting", QT_TRANSLATE_NOOP("Experiments", "without crops and flips the network suffers from "
                                                          "substantial overfitting")),
    alexnet_base, on="config"))

register_experiment(Experiment(
    "depth", QT_TRANSLATE_NOOP("Experiments", "Removing a middle conv layer"),
    QT_TRANSLATE_NOOP("Experiments", "the paper's network against the same without conv3, without conv4 and without "
                                     "conv5"), "remove",
    (Arm("full", QT_TRANSLATE_NOOP("Experiments", "all five conv layers"), None),
     Arm("no-conv3", QT_TRANSLATE_NOOP("Experiments", "without conv3"), "conv3"),
     Arm("no-conv4", QT_TRANSLATE_NOOP("Experiments", "without conv4"), "conv4"), Arm("no-conv5", QT_TRANSLATE_NOOP("Experiments", "without conv5"), "conv5")),
    Claim("error", QT_TRANSLATE_NOOP("Experiments", "removing any of the middle convolutional layers results in a "
                                                    "loss of about 2 % top-1"),
          top1=-0.02),
    alexnet_base))

register_experiment(Experiment(
    "ensemble", QT_TRANSLATE_NOOP("Experiments", "An ensemble of CNNs"),
    QT_TRANSLATE_NOOP("Experiments", "the averaged softmax of 5 networks trained from different seeds against each "
                                     "network alone"), "members",
    (Arm("ensemble", QT_TRANSLATE_NOOP("Experiments", "5 CNNs"), 5),
     Arm("single", QT_TRANSLATE_NOOP("Experiments", "1 CNN"), 1)),
    Claim("error", QT_TRANSLATE_NOOP("Experiments", "averaging the predictions of five similar CNNs gives 38.1 % "
                                                    "top-1 / 16.4 % top-5 error against 40.7 % / 18.2 % for one "
                                                    "(Table 2, ILSVRC-2012 validation)"), top1=-0.026, top5=-0.018),
    alexnet_base, on="config", members=5))
