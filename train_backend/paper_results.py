"""The paper's own results (Tables 1 and 2), as data in one place: README's table, the experiment reports that relate
to them and the Evaluation view all read this module (``tests/test_paper_results.py`` checks README against it).

Errors are percentages, as the paper prints them.  Plain Python: no torch, no Qt (the GUI's panels import it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from .i18n import QT_TRANSLATE_NOOP, joined


@dataclass(frozen=True)
class PaperRow:
    """One row of a table: a model and its errors (%; None where the paper prints "—")."""

    model: str
    top1: float | None
    top5: float | None
    test_top5: float | None = None  # Table 2 only: top-5 error on the ILSVRC-2012 test set
    note: str = ""


@dataclass(frozen=True)
class PaperTable:
    number: int
    title: str
    columns: tuple[str, ...]  # the error columns, as the paper heads them
    rows: tuple[PaperRow, ...]
    protocol: str  # how the paper's figures were measured

    def row(self, model: str) -> PaperRow:
        for r in self.rows:
            if r.model == model:
                return r
        raise KeyError(f"Table {self.number} has no row {model!r}")


TABLE1 = PaperTable(
    1, "ILSVRC-2010 test set", ("top-1", "top-5"),
    (PaperRow("Sparse coding", 47.1, 28.2, note="the best result of the ILSVRC-2010 competition"),
     PaperRow("SIFT + FVs", 45.7, 25.7, note="the best published result since"),
     PaperRow("CNN", 37.5, 17.0, note="the paper's network")),
    "the ILSVRC-2010 test set (its labels are public), the ten-patch prediction: four corners, centre and their "
    "reflections of the central 256 x 256 square, softmax averaged")

TABLE2 = PaperTable(
    2, "ILSVRC-2012 validation and test sets", ("top-1 (val)", "top-5 (val)", "top-5 (test)"),
    (PaperRow("SIFT + FVs", None, None, 26.2, note="the second-best entry of the competition"),
     PaperRow("1 CNN", 40.7, 18.2, None, note="the paper's network"),
     PaperRow("5 CNNs", 38.1, 16.4, 16.4, note="five such networks, their predictions averaged"),
     PaperRow("1 CNN*", 39.0, 16.6, None,
              note="one extra (sixth) convolutional layer, pre-trained on all of ImageNet Fall 2011, then fine-tuned"),
     PaperRow("7 CNNs*", 36.7, 15.4, 15.3, note="two pre-trained nets (CNN*) with the five above, averaged")),
    "the ILSVRC-2012 validation set (50,000 images; the test labels are not public, so the test column is the "
    "competition's), the ten-patch prediction")

TABLES: dict[int, PaperTable] = {1: TABLE1, 2: TABLE2}

#: the experiments whose reports show a table (experiment name -> table numbers): the ablations are measured against
#: the one-CNN net of Table 2, and the ensemble experiment compares 5 CNNs with 1 CNN there
RELATED_TABLES: dict[str, tuple[int, ...]] = {
    "lrn": (2,), "overlap": (2,), "towers": (2,), "dropout": (2,), "lighting": (2,), "augment": (2,), "depth": (2,),
    "ensemble": (2,),
}


def _cell(v: float | None) -> str:
    return "—" if v is None else f"{v:.1f}"


def table_markdown(table: PaperTable) -> str:
    """The table as Markdown (README holds exactly this, and the reports that relate to it)."""
    cols = table.columns
    lines = [f"| model | {' | '.join(c + ' error %' for c in cols)} |", "|---|" + "---|" * len(cols)]
    for r in table.rows:
        values = (r.top1, r.top5, r.test_top5)[:len(cols)]
        lines.append(f"| {r.model} | {' | '.join(_cell(v) for v in values)} |")
    return "\n".join(lines)


def tables_markdown(numbers: Sequence[int] = (1, 2)) -> str:
    """Headed tables, for README and reports."""
    parts = []
    for n in numbers:
        t = TABLES[n]
        parts += [f"**Table {t.number}: {t.title}** (the paper; {t.protocol})", "", table_markdown(t), ""]
    return "\n".join(parts).rstrip() + "\n"


def report_tables_markdown(experiment: str) -> str:
    """The tables an experiment's report shows (empty when none relates to it), with a heading."""
    numbers = RELATED_TABLES.get(experiment, ())
    if not numbers:
        return ""
    return ("## The paper's results\n\nThe network whose parts this experiment compares reached these errors on "
            "ImageNet (1,000 classes, about 90 epochs):\n\n" + tables_markdown(numbers))


#: a few of ImageNet's class names by index, as torchvision (and this app's Caffe import) name them
_IMAGENET_NAMES = {0: "tench", 1: "goldfish", 999: "toilet tissue"}


def is_imagenet(classes: Sequence[str], trained: bool) -> bool:
    """Weights trained on ImageNet (torchvision's, a BVLC/Caffe import): trained, 1,000 classes named as ImageNet's
    are (an untrained model with ImageNet's names is not)."""
    return bool(trained) and len(classes) == 1000 and all(classes[i] == n for i, n in _IMAGENET_NAMES.items())


def imagenet_comparison(top1_error: float, top5_error: float, ten_crop: bool, subset: bool = False,
                        dataset: str = "", variant: str = "") -> str:
    """One paragraph (HTML-free text) putting a user's own errors (fractions) beside the paper's, with the
    differences of protocol said: the paper's figures are ten-crop on ILSVRC-2010 test (Table 1) and ILSVRC-2012
    validation (Table 2)."""
    one = TABLE2.row("1 CNN")
    cnn = TABLE1.row("CNN")
    differences = []
    if not ten_crop:
        differences.append(QT_TRANSLATE_NOOP("PaperResults", "one centre crop here, ten crops averaged in the paper"))
    differences.append(QT_TRANSLATE_NOOP("PaperResults", "{data}'s validation images here; Table 2 is the ILSVRC-2012 "
                                                         "validation set, Table 1 the ILSVRC-2010 test set").format(
        data=dataset or QT_TRANSLATE_NOOP("PaperResults", "this data set")))
    if subset:
        differences.append(QT_TRANSLATE_NOOP("PaperResults", "a subset of the images here"))
    if variant == "torchvision":
        differences.append(QT_TRANSLATE_NOOP("PaperResults", "torchvision's weights are the later one-tower variant "
                                                             "(64-192-384-256-256 kernels, no LRN), not the paper's "
                                                             "network"))
    five = TABLE2.row("5 CNNs")
    return QT_TRANSLATE_NOOP(
        "PaperResults", "Yours: top-1 {top1:.1f} %, top-5 {top5:.1f} %.  The paper's one CNN: {one_top1:.1f} % / "
                        "{one_top5:.1f} % (Table 2, ILSVRC-2012 val); {cnn_top1:.1f} % / {cnn_top5:.1f} % (Table 1, "
                        "ILSVRC-2010 test); 5 CNNs {five_top1:.1f} % / {five_top5:.1f} %.  Not the same measurement: "
                        "{differences}.").format(
        top1=100 * top1_error, top5=100 * top5_error, one_top1=one.top1, one_top5=one.top5, cnn_top1=cnn.top1,
        cnn_top5=cnn.top5, five_top1=five.top1, five_top5=five.top5, differences=joined("; ", differences))
