"""Experiments: one of the paper's ablations and claims (whatever the registry holds: ReLU vs tanh, LRN, overlapping
pooling, two towers, dropout, LRN on CIFAR-10, lighting, crops and flips, depth, ensembles), its arms
trained one after another on the worker, their training-error curves overlaid live, and the report's table (filled as
arms finish) beside the paper's figures.

The panel asks (``lab.start_experiment``) and draws the :class:`ExperimentEvent` payloads that come back; the
window refuses an experiment while its own training runs, and its training while an experiment runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QProgressBar, QPushButton,
                               QSpinBox, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from train_backend.data import DATASET_NAMES
from train_backend.experiments import EXPERIMENTS
from train_backend.experiments.events import ExperimentEvent
from train_backend.experiments.report import SMOOTH_STEPS, comparison_text, stat_text, verdict_text

from ..i18n import tr_core, translate
from ..widgets.error_label import ErrorLabel
from ..widgets.livetext import LiveText
from ..widgets.axes import legend_under, readable_axes
from train_backend.i18n import QT_TRANSLATE_NOOP

from .registry import register_panel

if TYPE_CHECKING:
    from ..lab import Lab

COLOURS = [(31, 119, 180), (214, 39, 40), (44, 160, 44), (148, 103, 189), (255, 127, 14), (23, 190, 207)]
COLUMNS = (QT_TRANSLATE_NOOP("ExperimentsPanel", "arm"), QT_TRANSLATE_NOOP("ExperimentsPanel", "seeds"),
           QT_TRANSLATE_NOOP("ExperimentsPanel", "top-1 error %"), QT_TRANSLATE_NOOP("ExperimentsPanel", "top-5 error %"),
           QT_TRANSLATE_NOOP("ExperimentsPanel", "train error %"), QT_TRANSLATE_NOOP("ExperimentsPanel", "val − train %"),
           QT_TRANSLATE_NOOP("ExperimentsPanel", "steps"), QT_TRANSLATE_NOOP("ExperimentsPanel", "steps to target"))


def parse_seeds(text: str) -> tuple[int, ...]:
    """"0 1 2" or "0, 1, 2" -> (0, 1, 2); ValueError with a sentence for anything else."""
    parts = text.replace(",", " ").split()
    if not parts:
        raise ValueError(translate("ExperimentsPanel", "give at least one seed (e.g. 0 or 0 1 2)"))
    try:
        seeds = tuple(int(p) for p in parts)
    except ValueError:
        raise ValueError(translate("ExperimentsPanel", "seeds must be whole numbers separated by spaces, got {text}")
                         .format(text=repr(text))) from None
    if min(seeds) < 0 or len(seeds) > 20:
        raise ValueError(translate("ExperimentsPanel", "seeds must not be negative, and at most 20 of them"))
    return tuple(dict.fromkeys(seeds))


@register_panel("experiments", QT_TRANSLATE_NOOP("Panels", "Experiments"), area="left", tab_with="curves")
class ExperimentsPanel(QWidget):
    """Pick an experiment, data set, budget and seeds; Start, Pause, Stop; live curves per arm; the report table."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ExperimentsPanel")
        self.lab: Lab | None = None
        #: extra config values every arm gets (the tests' tiny widths); the experiment's own setting cannot be one
        self.overrides: dict[str, Any] = {}
        self.running = False
        self.paused = False
        self.report: dict | None = None
        self.out = ""
        self._curves: dict[tuple[str, int], tuple[list, list, Any]] = {}  # (arm, seed) -> steps, errors, item
        self._val: dict[tuple[str, int], tuple[list, list, Any]] = {}
        self._arm_keys: list[str] = []

        self.experiment = QComboBox()
        # long titles and the data set's "auto" line must not widen the window: the combos shrink, tooltips tell
        self.experiment.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.experiment.setMinimumContentsLength(24)
        for e in EXPERIMENTS.values():
            self.experiment.addItem(tr_core(e.title), e.name)
        self.experiment.setToolTip(self.tr("The experiment: one of the paper's claims, its arms trained one after "
                                           "another"))
        self.experiment.currentIndexChanged.connect(self._on_experiment_changed)
        self.dataset = QComboBox()
        self.dataset.addItem(self.tr("auto"), None)
        self.dataset.setItemData(0, self.tr("CIFAR-10 when present, else Fashion-MNIST, else the synthetic set"),
                                 Qt.ItemDataRole.ToolTipRole)
        self.dataset.setToolTip(self.tr("The data set every arm trains on"))
        for name in DATASET_NAMES:
            if name != "folder":
                self.dataset.addItem(name, name)
        self.budget_kind = QComboBox()
        self.budget_kind.addItem(self.tr("seconds per arm"), "time")
        self.budget_kind.addItem(self.tr("steps per arm"), "steps")
        self.budget = QSpinBox()
        self.budget.setRange(1, 10_000_000)
        self.budget.setValue(300)
        self.seeds = QLineEdit("0")
        self.seeds.setMaximumWidth(90)
        self.seeds.setToolTip(self.tr("Every arm runs once per seed: e.g. 0 1 2"))
        self.btn_start = QPushButton(self.tr("Start"))
        self.btn_start.clicked.connect(self.start)
        self.btn_pause = QPushButton(self.tr("Pause"))
        self.btn_pause.clicked.connect(self.toggle_pause)
        self.btn_stop = QPushButton(self.tr("Stop"))
        self.btn_stop.clicked.connect(self.stop)
        top = QHBoxLayout()  # the seeds up here and the buttons no wider than their words: the panel fits the
        for w in (self.experiment, QLabel(self.tr("data")), self.dataset, QLabel(self.tr("seeds")),  # 1024 px window
                  self.seeds):
            top.addWidget(w)
        top.addStretch(1)
        controls = QHBoxLayout()
        for w in (QLabel(self.tr("budget")), self.budget, self.budget_kind, self.btn_start, self.btn_pause,
                  self.btn_stop):
            controls.addWidget(w)
        for b in (self.btn_start, self.btn_pause, self.btn_stop):
            b.setMinimumWidth(min(b.minimumSizeHint().width(),
                                  b.fontMetrics().horizontalAdvance(b.text()) + 16))
        controls.addStretch(1)

        self.about = QLabel()
        self.about.setWordWrap(True)
        self.error = ErrorLabel()
        self.status = LiveText("", chars=40)  # a step count each batch report: repainted, not re-laid out
        self.progress = QProgressBar()
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setMaximumWidth(260)

        self.plot = pg.PlotWidget(axisItems=readable_axes())
        self.plot.setLabel("bottom", self.tr("step"))
        self.plot.setLabel("left", self.tr("error"))
        self.plot.setTitle(self.tr("training error (last {n} batches), dots: validation").format(n=SMOOTH_STEPS),
                           size="9pt")
        self.legend = legend_under(self.plot.getPlotItem(), columns=2)  # under the plot, never over the curves
        self.plot.setYRange(0, 1)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([tr_core(c) for c in COLUMNS])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.verdict = QLabel("")
        self.verdict.setWordWrap(True)

        body = QHBoxLayout()
        body.addWidget(self.plot, 3)
        right = QVBoxLayout()
        right.addWidget(self.table, 1)
        right.addWidget(self.verdict)
        body.addLayout(right, 2)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addLayout(controls)
        lay.addWidget(self.about)
        row = QHBoxLayout()
        row.addWidget(self.progress)
        row.addWidget(self.status, 1)
        lay.addLayout(row)
        lay.addWidget(self.error)
        lay.addLayout(body, 1)
        self._on_experiment_changed()
        self._set_running(False)

    # ------------------------------------------------------------------ wiring
    def bind(self, lab: "Lab") -> None:
        self.lab = lab
        if lab.experiment_event is not None:
            lab.experiment_event.connect(self.on_event)

    @property
    def name(self) -> str:
        return self.experiment.currentData()

    def select_experiment(self, name: str, seconds_per_arm: int | None = None) -> bool:
        """Choose ``name`` (and a time budget per arm), as the user would in the boxes; refused (False) while an
        experiment runs: its choices are locked then."""
        index = self.experiment.findData(name)
        if index < 0 or self.running:
            return False
        self.experiment.setCurrentIndex(index)
        if seconds_per_arm is not None:
            self.budget_kind.setCurrentIndex(self.budget_kind.findData("time"))
            self.budget.setValue(int(seconds_per_arm))
        return True

    def _on_experiment_changed(self, *_: Any) -> None:
        e = EXPERIMENTS[self.name]
        arms = self.tr(" against ").join(f"{tr_core(a.label)} ({e.setting} = {a.value})" for a in e.arms)
        grey = self.tr(" <b>Needs colour data</b> (cifar10 or synthetic): on grey Fashion-MNIST both arms would "
                       "train alike, so it is refused there.") if e.colour else ""
        self.about.setText(self.tr("<b>{title}</b>: {arms}. <i>The paper:</i> {claim}.").format(
            title=tr_core(e.title), arms=arms, claim=tr_core(e.claim.text)) + grey)

    def _set_running(self, running: bool) -> None:
        self.running = running
        for w in (self.experiment, self.dataset, self.budget, self.budget_kind, self.seeds, self.btn_start):
            w.setEnabled(not running)
        self.btn_pause.setEnabled(running)
        self.btn_stop.setEnabled(running)
        if not running:
            self.paused = False
            self.btn_pause.setText(self.tr("Pause"))

    # ------------------------------------------------------------------ intents
    def start(self) -> None:
        """Ask the window to run the chosen experiment; a refusal or a bad field is said here, nothing starts."""
        self.error.clear_message()
        if self.lab is None or self.lab.start_experiment is None:
            self.error.show_message(self.tr("experiments need the window's worker"))
            return
        try:
            seeds = parse_seeds(self.seeds.text())
        except ValueError as err:
            self.error.show_message(str(err))
            return
        by_time = self.budget_kind.currentData() == "time"
        options = dict(dataset=self.dataset.currentData(), seeds=seeds,
                       steps=None if by_time else self.budget.value(),
                       time_budget_s=float(self.budget.value()) if by_time else None)
        if self.overrides:
            options["overrides"] = dict(self.overrides)
        problem = self.lab.start_experiment(self.name, **options)
        if problem:
            self.error.show_message(problem)
            return
        self._reset(EXPERIMENTS[self.name])
        self.status.setText(self.tr("starting…"))
        self._set_running(True)

    def toggle_pause(self) -> None:
        if self.running and self.lab is not None and self.lab.experiment_control is not None:
            self.lab.experiment_control("resume" if self.paused else "pause")

    def stop(self) -> None:
        if self.running and self.lab is not None and self.lab.experiment_control is not None:
            self.status.setText(self.tr("stopping after this batch…"))
            self.lab.experiment_control("stop")

    # ------------------------------------------------------------------ events
    def _reset(self, experiment) -> None:
        self.plot.clear()
        self._curves.clear()
        self._val.clear()
        self._arm_keys = [a.key for a in experiment.arms]
        self.report = None
        self.table.setRowCount(0)
        self.verdict.setText("")
        self.progress.setRange(0, 1)
        self.progress.setValue(0)

    def on_event(self, ev: ExperimentEvent) -> None:
        """Draw one event from the worker (GUI thread)."""
        if ev.kind == "start":
            self.out = ev.out
            self.progress.setRange(0, max(1, ev.total))
            self.status.setText(self.tr("data: {note}").format(note=tr_core(ev.message)))
        elif ev.kind == "arm":
            self.status.setText(self.tr("run {index}/{total}: {arm}, seed {seed}").format(
                index=ev.index + 1, total=ev.total, arm=tr_core(ev.label), seed=ev.seed))
            self._series(ev)
        elif ev.kind == "steps":
            steps, errors, item = self._series(ev)
            for s, e in ev.points:
                steps.append(s)
                errors.append(e)
            tail = np.asarray(errors, np.float64)
            smooth = np.convolve(tail, np.ones(SMOOTH_STEPS), "full")[:len(tail)] / \
                np.minimum(np.arange(1, len(tail) + 1), SMOOTH_STEPS)
            item.setData(np.asarray(steps, np.float64), smooth)
            step = self.tr("step {step} of {total}").format(step=ev.step, total=ev.total_steps) \
                if ev.total_steps and ev.total_steps < 10 ** 8 else self.tr("step {step}").format(step=ev.step)
            self.status.setText(self.tr("run {index}/{total}: {arm}, seed {seed}: {step}").format(
                index=ev.index + 1, total=ev.total, arm=tr_core(ev.label), seed=ev.seed, step=step))
        elif ev.kind == "validation":
            key = (ev.arm, ev.seed)
            if key not in self._val:
                colour = self._colour(ev.arm)
                item = pg.ScatterPlotItem(size=7, brush=pg.mkBrush(*colour), pen=None)
                self.plot.addItem(item)
                self._val[key] = ([], [], item)
            xs, ys, item = self._val[key]
            for s, e in ev.points:
                xs.append(s)
                ys.append(e)
            item.setData(np.asarray(xs, np.float64), np.asarray(ys, np.float64))
        elif ev.kind == "arm_end":
            self.progress.setValue(ev.index + 1)
            self.show_report(ev.report)
        elif ev.kind == "paused":
            self.paused = True
            self.btn_pause.setText(self.tr("Resume"))
            self.status.setText(self.status.text() + " " + self.tr("(paused)"))
        elif ev.kind == "resumed":
            self.paused = False
            self.btn_pause.setText(self.tr("Pause"))
        elif ev.kind == "finished":
            self.show_report(ev.report)
            done = self.tr("finished") if ev.report and ev.report["complete"] else \
                self.tr("stopped: the report covers what finished")
            self.status.setText(self.tr("{done}; runs and report (report.md, curves.png) in {folder}").format(
                done=done, folder=ev.out))
            self._set_running(False)
        elif ev.kind == "failed":
            self.error.show_message(tr_core(ev.message))
            self.status.setText("")
            self._set_running(False)

    def _colour(self, arm: str) -> tuple[int, int, int]:
        i = self._arm_keys.index(arm) if arm in self._arm_keys else len(self._arm_keys)
        return COLOURS[i % len(COLOURS)]

    def _series(self, ev: ExperimentEvent):
        key = (ev.arm, ev.seed)
        if key not in self._curves:
            name = tr_core(ev.label) if ev.seed == 0 or not any(k[0] == ev.arm for k in self._curves) else None
            item = self.plot.plot([], [], pen=pg.mkPen(color=self._colour(ev.arm), width=2), name=name)
            item.setClipToView(True)
            item.setDownsampling(auto=True, method="peak")
            self._curves[key] = ([], [], item)
        return self._curves[key]

    def show_report(self, report: dict | None) -> None:
        """The report's table: one row per arm (mean ± spread over the seeds done), and the verdict beside the
        paper's figure."""
        if not report:
            return
        self.report = report
        self.table.setRowCount(len(report["arms"]))
        for row, a in enumerate(report["arms"]):
            values = (tr_core(a["label"]), str(len(a["seeds_done"])), stat_text(a["top1_error"]), stat_text(a["top5_error"]),
                      stat_text(a["train_error"]), stat_text(a["gap"]), stat_text(a["steps"], 1, 0),
                      stat_text(a["steps_to_target"], 1, 0) if a["steps_to_target"] is not None else "–")
            for col, text in enumerate(values):
                self.table.setItem(row, col, QTableWidgetItem(text))
        measured, paper = comparison_text(report)
        self.verdict.setText(self.tr("<b>measured:</b> {measured}<br><b>the paper:</b> {paper}<br><b>direction agrees:"
                                     "</b> {verdict}<br><small>{why}. {magnitudes}</small>").format(
            measured=tr_core(measured), paper=tr_core(paper), verdict=tr_core(verdict_text(report["comparison"])),
            why=tr_core(report["data"]["why"]), magnitudes=tr_core(report["data"]["magnitudes"])))

    def cell(self, row: int, col: int) -> str:
        item = self.table.item(row, col)
        return item.text() if item is not None else ""
