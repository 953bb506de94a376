"""Runs: the run folders on disk (the app's runs folder and any folder added), their state, results and size on
disk, several overlaid, a run's best or last weights opened in the app, a run followed live, a run's checkpoints
removed (its curves kept), a run deleted.

Every read of a run folder (listing them, reading their curves, deleting one) runs off the GUI thread
(:class:`~alexnet_gui.widgets.background.BackgroundCalls`); a rescan on the timer reads again only the folders whose
files changed (their sizes and times) and those still running. A damaged run is listed with its problems (the
Problems column and the row's tooltip) and never stops the others.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import math
import os
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel,
                               QMessageBox, QPushButton, QSizePolicy, QSplitter, QTableWidget, QTableWidgetItem, QVBoxLayout,
                               QWidget)

from train_backend.runs import X_AXES, Y_METRICS, NotARunFolder, RunCurves, RunLocked, RunRecord, RunStatus, \
    delete_run, human_size, legend_labels, read_curves, read_run, remove_checkpoints, run_folders, runs_root

from ..i18n import tr_core, translate
from ..widgets import file_dialogs
from ..widgets.background import BackgroundCalls
from ..widgets.axes import readable_axes
from train_backend.i18n import QT_TRANSLATE_NOOP

from .registry import register_panel

if TYPE_CHECKING:
    from ..lab import Lab

RESCAN_INTERVAL_MS = 5000  # while the panel is on screen
MAX_OVERLAID = 12
RUN_FILES = ("config.json", "metrics.jsonl", "best.pt", "last.pt", "train.lock", "kernels.npz")
COLUMNS = (QT_TRANSLATE_NOOP("RunsPanel", "Name"), QT_TRANSLATE_NOOP("RunsPanel", "State"),
           QT_TRANSLATE_NOOP("RunsPanel", "Recipe"), QT_TRANSLATE_NOOP("RunsPanel", "Data set"),
           QT_TRANSLATE_NOOP("RunsPanel", "Differs from defaults"), QT_TRANSLATE_NOOP("RunsPanel", "Steps"),
           QT_TRANSLATE_NOOP("RunsPanel", "Best top-1"), QT_TRANSLATE_NOOP("RunsPanel", "Best top-5"),
           QT_TRANSLATE_NOOP("RunsPanel", "Size"), QT_TRANSLATE_NOOP("RunsPanel", "Started"),
           QT_TRANSLATE_NOOP("RunsPanel", "Problems"))
X_LABELS = dict(X_AXES)
Y_LABELS = dict(Y_METRICS)


def y_label(key: str) -> str:
    """A y metric's label in the window's language, with "(%)" for an error."""
    return tr_core(Y_LABELS[key]) + (" (%)" if key.endswith("error") else "")
STATE_COLOURS = {RunStatus.RUNNING: "#1060c0", RunStatus.FINISHED: "#207030", RunStatus.STOPPED: "#606060",
                 RunStatus.DIVERGED: "#a05000", RunStatus.FAILED: "#a01020", RunStatus.CRASHED: "#a01020",
                 RunStatus.WAITING: "#707070"}
PALETTE = ((31, 119, 180), (214, 39, 40), (44, 160, 44), (255, 127, 14), (148, 103, 189), (140, 86, 75),
           (227, 119, 194), (127, 127, 127), (188, 189, 34), (23, 190, 207), (0, 0, 0), (255, 187, 120))


# ---------------------------------------------------------------------------------------------- off the GUI thread
def _signature(folder: Path) -> tuple:
    """The sizes and times of a run's files: unchanged, the run needs no new read (unless it is running)."""
    sig = []
    for name in RUN_FILES:
        try:
            st = (folder / name).stat()
            sig.append((name, st.st_size, st.st_mtime_ns, st.st_ino))
        except OSError:
            sig.append((name, None))
    return tuple(sig)


@dataclass
class ScanResult:
    records: list[RunRecord]
    cache: dict[str, tuple[tuple, RunRecord]]
    errors: list[str]


def scan(roots: list[Path], cache: dict[str, tuple[tuple, RunRecord]]) -> ScanResult:
    """The runs under ``roots``, newest first; a folder whose files did not change since ``cache`` was made (and
    that is not running) keeps its record. Runs on the background thread."""
    new_cache: dict[str, tuple[tuple, RunRecord]] = {}
    errors: list[str] = []
    for root in roots:
        if not root.is_dir():
            if root != runs_root():
                errors.append(translate("RunsPanel", "{folder}: no such folder").format(folder=root))
            continue
        for folder in run_folders(root):
            key = str(folder)
            if key in new_cache:
                continue
            sig = _signature(folder)
            old = cache.get(key)
            if old is not None and old[0] == sig and old[1].status != RunStatus.RUNNING:
                new_cache[key] = old
                continue
            try:
                new_cache[key] = (sig, read_run(folder))
            except NotARunFolder:
                continue
            except OSError as err:
                errors.append(f"{folder}: {err.strerror or err}")
    records = [rec for _, rec in new_cache.values()]
    records.sort(key=lambda r: (r.started or 0.0, r.name), reverse=True)
    return ScanResult(records, new_cache, errors)


def load_curves(paths: list[str], cache: dict[str, tuple]) -> dict[str, tuple]:
    """Each run's curves (``read_curves``), read again only when its metrics file changed."""
    out = {}
    for p in paths:
        folder = Path(p)
        try:
            st = (folder / "metrics.jsonl").stat()
            sig = (st.st_size, st.st_mtime_ns, st.st_ino)
        except OSError:
            sig = None
        old = cache.get(p)
        if old is not None and old[0] == sig:
            out[p] = old
            continue
        curves = read_curves(folder)
        out[p] = (sig, curves, list(curves.problems))
    return out


def curve_xy(curves: RunCurves, x: str, y: str) -> tuple[np.ndarray, np.ndarray]:
    """The (x, y) arrays of ``y`` (a key of Y_METRICS) against ``x`` (of X_AXES); errors in per cent."""
    xs, ys = curves.series(y, x)
    xs, ys = np.asarray(xs, np.float64), np.asarray(ys, np.float64)
    if y.endswith("error"):
        ys = 100.0 * ys
    ok = np.isfinite(xs) & np.isfinite(ys)
    return xs[ok], ys[ok]


def _pct(v: float | None) -> str:
    return "—" if v is None or not math.isfinite(v) else f"{100 * v:.2f} %"


class _SortItem(QTableWidgetItem):
    """A cell that sorts by a number (steps, errors, start time), not by its text."""

    def __init__(self, text: str, key) -> None:
        super().__init__(text)
        self.key = key

    def __lt__(self, other) -> bool:  # noqa: D105
        a, b = self.key, getattr(other, "key", None)
        if a is None or b is None:
            return (a is None) and (b is not None)
        return a < b


# ---------------------------------------------------------------------------------------------- the panel
@register_panel("runs", QT_TRANSLATE_NOOP("Panels", "Runs"), area="left", tab_with="curves")
class RunsPanel(QWidget):
    """The run folders, their overlaid curves and what can be done with a run (see the module docstring)."""

    sig_load_weights = Signal(str)  # a checkpoint to load in the app (best.pt / last.pt of a run)
    sig_watch = Signal(str)  # a run folder to follow live in the main curves and kernels panels
    sig_message = Signal(str, str)  # level, text

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("RunsPanel")
        self.background = BackgroundCalls(self)
        self.extra_roots: list[Path] = []
        self.records: list[RunRecord] = []
        self.scan_errors: list[str] = []
        self._cache: dict[str, tuple[tuple, RunRecord]] = {}
        self._curves: dict[str, tuple] = {}  # path -> (metrics signature, RunCurves | None, problems)
        self._select_when_listed: set[str] | None = None
        self.scans = 0  # scans that came back (tests wait on it)
        self.drawn: list[tuple[str, pg.PlotDataItem]] = []  # (legend label, curve) of the overlay

        self.lbl_roots = QLabel()
        self.lbl_roots.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.btn_add = QPushButton(self.tr("Add folder…"))
        self.btn_add.setToolTip(self.tr("List the runs of another folder too (a run folder, or a folder of runs)"))
        self.btn_add.clicked.connect(self.add_folder_dialog)
        self.btn_refresh = QPushButton(self.tr("Refresh"))
        self.btn_refresh.setToolTip(self.tr("Read the folders again (done every {seconds} s while this panel is shown)")
                                    .format(seconds=RESCAN_INTERVAL_MS // 1000))
        self.btn_refresh.clicked.connect(self.refresh)
        top = QHBoxLayout()
        top.addWidget(self.lbl_roots, 1)
        top.addWidget(self.btn_add)
        top.addWidget(self.btn_refresh)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([tr_core(c) for c in COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for col, width in enumerate((190, 70, 60, 95, 150, 60, 75, 75, 70, 110)):
            self.table.setColumnWidth(col, width)
        header.setSortIndicator(COLUMNS.index("Started"), Qt.SortOrder.DescendingOrder)  # newest first
        self.table.setSortingEnabled(True)
        self.table.itemSelectionChanged.connect(self._on_selection)
        self.table.doubleClicked.connect(lambda _index: self._on_watch())

        self.x_box = QComboBox()
        for key, label in X_LABELS.items():
            self.x_box.addItem(tr_core(label), key)
        self.x_box.setToolTip(self.tr("What the overlaid curves are drawn against"))
        self.y_box = QComboBox()
        for key in Y_LABELS:
            self.y_box.addItem(y_label(key), key)
        self.y_box.setToolTip(self.tr("What the overlaid curves show"))
        self.y_box.setCurrentIndex(self.y_box.findData("val_top1_error"))  # the paper's figure
        for box in (self.x_box, self.y_box):
            box.currentIndexChanged.connect(self.draw_overlay)
        # the plot and, beside it (never over the curves), its legend
        self.graphics = pg.GraphicsLayoutWidget()
        self.plot = self.graphics.addPlot(row=0, col=0, axisItems=readable_axes())
        self.plot.showGrid(x=True, y=True, alpha=0.2)
        self.plot.setDownsampling(auto=True, mode="peak")
        self.plot.setClipToView(True)
        self.legend = pg.LegendItem(verSpacing=-4)
        self.graphics.addItem(self.legend, row=0, col=1)
        self.graphics.ci.layout.setColumnStretchFactor(0, 1)
        self.overlay_note = QLabel(self.tr("Select runs (Ctrl/Shift-click) to overlay their curves."))
        self.overlay_note.setWordWrap(True)
        axes = QHBoxLayout()
        axes.addWidget(QLabel("x"))
        axes.addWidget(self.x_box)
        axes.addWidget(QLabel("y"))
        axes.addWidget(self.y_box)
        axes.addWidget(self.overlay_note, 1)
        plot_box = QWidget()
        plot_lay = QVBoxLayout(plot_box)
        plot_lay.setContentsMargins(0, 0, 0, 0)
        plot_lay.addLayout(axes)
        plot_lay.addWidget(self.graphics, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(plot_box)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setChildrenCollapsible(False)
        self.table.setMinimumHeight(110)  # the header and four runs
        self.graphics.setMinimumHeight(140)
        split.setSizes([150, 260])
        self.splitter = split

        self.btn_best = QPushButton(self.tr("Load best"))
        self.btn_best.setToolTip(self.tr("Load the selected run's best.pt (the best validation so far) in the app"))
        self.btn_best.clicked.connect(lambda: self._on_load("best"))
        self.btn_last = QPushButton(self.tr("Load last"))
        self.btn_last.setToolTip(self.tr("Load the selected run's last.pt in the app (Start then continues that run)"))
        self.btn_last.clicked.connect(lambda: self._on_load("last"))
        self.btn_watch = QPushButton(self.tr("Watch live"))
        self.btn_watch.setToolTip(self.tr("Follow the selected run in the Training curves and Conv1 kernels panels as "
                                          "its process writes it (double-click a row does the same)"))
        self.btn_watch.clicked.connect(self._on_watch)
        self.btn_delete = QPushButton(self.tr("Delete…"))
        self.btn_delete.setToolTip(self.tr("Delete the selected run folders (after asking; never a running run)"))
        self.btn_delete.clicked.connect(self._on_delete)
        self.btn_free = QPushButton(self.tr("Remove checkpoints…"))
        self.btn_free.setToolTip(self.tr("Remove the selected runs' last.pt and best.pt to free disk space (after "
                                         "asking); their curves, config and kernels stay listed and overlaid"))
        self.btn_free.clicked.connect(self._on_remove_checkpoints)
        self.status = QLabel("")
        bottom = QHBoxLayout()
        for b in (self.btn_best, self.btn_last, self.btn_watch, self.btn_free, self.btn_delete):
            # no wider than their words (not the style's 80 px at least): the panel fits a 1024 px window
            b.setMinimumWidth(min(b.minimumSizeHint().width(),
                                  b.fontMetrics().horizontalAdvance(b.text()) + 16))
            bottom.addWidget(b)
        bottom.addWidget(self.status, 1)

        for label in (self.lbl_roots, self.status, self.overlay_note):  # long texts must not widen the window
            label.setMinimumWidth(40)
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addLayout(top)
        lay.addWidget(split, 1)
        lay.addLayout(bottom)

        self.timer = QTimer(self)
        self.timer.setInterval(RESCAN_INTERVAL_MS)
        self.timer.timeout.connect(self._on_timer)
        self.timer.start()
        self._show_roots()
        self._update_buttons()
        QTimer.singleShot(0, self.refresh)

    # ------------------------------------------------------------------ folders
    def roots(self) -> list[Path]:
        out = [runs_root()]
        return out + [r for r in self.extra_roots if r not in out]

    def add_folder(self, path: str | os.PathLike, select: bool = False) -> None:
        """List the runs of ``path`` too (a folder of runs or one run folder); ``select``: overlay them once
        listed."""
        root = Path(path).expanduser().resolve()
        if root not in self.roots():
            self.extra_roots.append(root)
        self._show_roots()
        if select:
            self._select_when_listed = {str(root)}
        self.refresh()

    def bind(self, lab: "Lab") -> None:
        """Load a run's weights, watch it live, say what happened: each asks the lab."""
        self.sig_load_weights.connect(lab.load_weights)
        self.sig_watch.connect(lab.open_run)
        self.sig_message.connect(lab.notify)

    def shutdown(self, timeout_ms: int) -> None:
        """The window closes: no more rescans, and the one under way finishes."""
        self.timer.stop()
        self.background.wait(timeout_ms)

    def add_folder_dialog(self) -> None:
        path = file_dialogs.existing_folder(self, "runs", self.tr("Add a folder of runs (or one run folder)"),
                                            runs_root())
        if path:
            self.add_folder(path)

    def _show_roots(self) -> None:
        roots = self.roots()
        self.lbl_roots.setText(self.tr("Runs in {folders}").format(folders=", ".join(str(r) for r in roots)))
        self.lbl_roots.setToolTip("\n".join(str(r) for r in roots))

    # ------------------------------------------------------------------ scanning
    def _on_timer(self) -> None:
        if self.isVisible() and not self.background.busy("scan"):
            self.refresh()

    def refresh(self) -> None:
        """Rescan the folders on the background thread; the table follows when it is done."""
        roots, cache = self.roots(), dict(self._cache)
        self.background.call("scan", lambda: scan(roots, cache), self._on_scanned,
                             lambda err: self._say("error", self.tr("could not list the runs: {error}").format(error=err)))

    def _on_scanned(self, result: ScanResult) -> None:
        self.scans += 1
        self._cache = result.cache
        self.scan_errors = result.errors
        if [(r.path, r) for r in result.records] != [(r.path, r) for r in self.records]:
            self._fill(result.records)
        if self._select_when_listed:
            roots = self._select_when_listed
            self._select_when_listed = None
            self.select_paths([str(r.path) for r in self.records
                               if str(r.path) in roots or str(r.path.parent) in roots][:MAX_OVERLAID])
        n = len(self.records)
        text = self.tr("{count} run").format(count=n) if n == 1 else self.tr("{count} runs").format(count=n)
        damaged = sum(1 for r in self.records if r.problems)
        if damaged:
            text += ", " + self.tr("{count} with problems").format(count=damaged)
        if result.errors:
            text += "; " + "; ".join(result.errors)
        self.status.setText(text)
        if self.selected_paths():
            self._request_curves()  # the selected runs may have grown

    def _fill(self, records: list[RunRecord]) -> None:
        selected = set(self.selected_paths())
        self.records = records
        table = self.table
        table.blockSignals(True)
        table.setSortingEnabled(False)
        table.clearContents()
        table.setRowCount(len(records))
        for row, r in enumerate(records):
            differs = r.differs_text()
            started = time.strftime("%Y-%m-%d %H:%M", time.localtime(r.started)) if r.started else "—"
            cells = [QTableWidgetItem(r.name), QTableWidgetItem(tr_core(r.status.words)), QTableWidgetItem(r.recipe or "—"),
                     QTableWidgetItem(r.dataset or "—"), QTableWidgetItem(differs),
                     _SortItem(f"{r.steps:,}", r.steps), _SortItem(_pct(r.best_top1_error), r.best_top1_error),
                     _SortItem(_pct(r.best_top5_error), r.best_top5_error), _SortItem(human_size(r.size), r.size),
                     _SortItem(started, r.started or 0.0),
                     QTableWidgetItem("; ".join(tr_core(p) for p in r.problems))]
            tip = self._tooltip(r)
            for col, item in enumerate(cells):
                item.setData(Qt.ItemDataRole.UserRole, str(r.path))
                item.setToolTip(tip)
                table.setItem(row, col, item)
            cells[1].setForeground(QColor(STATE_COLOURS.get(r.status, "#303030")))
            if r.problems:
                cells[0].setText("⚠ " + r.name)
                cells[-1].setForeground(QColor("#a01020"))
        table.setSortingEnabled(True)
        for row in range(table.rowCount()):
            if table.item(row, 0).data(Qt.ItemDataRole.UserRole) in selected:
                self._add_row_to_selection(row)
        table.blockSignals(False)
        self._on_selection()

    def _tooltip(self, r: RunRecord) -> str:
        state = tr_core(r.status.words) + (f" ({tr_core(r.holder.describe())})" if r.holder else "") \
            + (f": {tr_core(r.end_message)}" if r.end_message and r.status != RunStatus.RUNNING else "")
        size = human_size(r.size) + (" " + self.tr("({size} of it checkpoints)").format(
            size=human_size(r.checkpoint_bytes)) if r.checkpoints else "")
        checkpoints = ", ".join(p.name for p in r.checkpoints.values()) or (
            self.tr("removed (the curves and config are kept)") if r.checkpoints_removed else self.tr("none"))
        lines = [str(r.path), self.tr("state: {state}").format(state=state),
                 self.tr("model: {model}, batch {batch}, epochs completed {epochs}").format(
                     model=r.model or "—", batch=r.batch_size or "—", epochs=r.epochs),
                 self.tr("size on disk: {size}").format(size=size),
                 self.tr("checkpoints: {files}").format(files=checkpoints)]
        if r.problems:
            lines += [self.tr("problems:")] + [f"  • {tr_core(p)}" for p in r.problems]
        return "\n".join(lines)

    def _add_row_to_selection(self, row: int) -> None:
        model = self.table.selectionModel()
        index = self.table.model().index(row, 0)
        model.select(index, model.SelectionFlag.Select | model.SelectionFlag.Rows)

    # ------------------------------------------------------------------ selection
    def selected_paths(self) -> list[str]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.table.item(r, 0).data(Qt.ItemDataRole.UserRole) for r in rows if self.table.item(r, 0)]

    def selected_records(self) -> list[RunRecord]:
        by_path = {str(r.path): r for r in self.records}
        return [by_path[p] for p in self.selected_paths() if p in by_path]

    def select_paths(self, paths: list[str]) -> None:
        """Select these runs (their curves are then overlaid)."""
        wanted = set(paths)
        self.table.blockSignals(True)
        self.table.clearSelection()
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            if item is not None and item.data(Qt.ItemDataRole.UserRole) in wanted:
                self._add_row_to_selection(row)
        self.table.blockSignals(False)
        self._on_selection()

    def _on_selection(self) -> None:
        self._update_buttons()
        self._request_curves()

    def _update_buttons(self) -> None:
        recs = self.selected_records()
        one = recs[0] if len(recs) == 1 else None
        self.btn_best.setEnabled(one is not None and one.best_checkpoint is not None)
        self.btn_last.setEnabled(one is not None and one.last_checkpoint is not None)
        self.btn_watch.setEnabled(one is not None)
        self.btn_delete.setEnabled(bool(recs))
        self.btn_free.setEnabled(any(r.checkpoints for r in recs))

    # ------------------------------------------------------------------ overlay
    def _request_curves(self) -> None:
        paths = self.selected_paths()[:MAX_OVERLAID]
        if not paths:
            self.draw_overlay()
            return
        cache = dict(self._curves)
        self.background.call("curves", lambda: load_curves(paths, cache), self._on_curves,
                             lambda err: self._say("error", self.tr("could not read the runs' curves: {error}").format(
                                 error=err)))

    def _on_curves(self, loaded: dict[str, tuple]) -> None:
        self._curves.update(loaded)
        self.draw_overlay()

    def draw_overlay(self) -> None:
        """One curve per selected run whose curves were read, for the chosen x and y; legend by what differs."""
        self.plot.clear()
        self.legend.clear()
        x, y = self.x_box.currentData(), self.y_box.currentData()
        self.plot.setLabel("bottom", tr_core(X_LABELS[x]))
        self.plot.setTitle(self.tr("{y} against {x}").format(y=y_label(y), x=tr_core(X_LABELS[x])), size="9pt")
        records = [r for r in self.selected_records()[:MAX_OVERLAID] if self._curves.get(str(r.path))]
        self.drawn: list[tuple[str, pg.PlotDataItem]] = []
        if not records:
            self.overlay_note.setText(self.tr("Select runs (Ctrl/Shift-click) to overlay their curves.") if
                                      not self.selected_paths() else self.tr("reading the curves…"))
            return
        notes = []
        validation = y.startswith("val_")
        for i, (r, label) in enumerate(zip(records, legend_labels(records))):
            _sig, curves, problems = self._curves[str(r.path)]
            notes += [f"{r.name}: {tr_core(p)}" for p in problems]
            if curves is None:
                continue
            xs, ys = curve_xy(curves, x, y)
            colour = PALETTE[i % len(PALETTE)]
            pen = pg.mkPen(colour, width=2 if validation else 1.5)
            kw = dict(symbol="o", symbolSize=5, symbolBrush=colour, symbolPen=None) if validation else {}
            item = self.plot.plot(xs, ys, pen=pen, **kw)
            self.legend.addItem(item, label)
            item.setToolTip(str(r.path))
            self.drawn.append((label, item))
            if not len(xs):
                notes.append(self.tr("{name}: no {y} against {x} recorded").format(
                    name=r.name, y=y_label(y), x=tr_core(X_LABELS[x])))
        self.plot.enableAutoRange()
        n = len(self.drawn)
        self.overlay_note.setText("; ".join(notes[:3]) + (" " + self.tr("(+{count} more)").format(count=len(notes) - 3)
                                                          if len(notes) > 3 else "")
                                  if notes else self.tr("{count} run overlaid").format(count=n) if n == 1 else
                                  self.tr("{count} runs overlaid").format(count=n))
        self.overlay_note.setToolTip("\n".join(notes))

    # ------------------------------------------------------------------ actions
    def _one(self) -> RunRecord | None:
        recs = self.selected_records()
        return recs[0] if len(recs) == 1 else None

    def _on_load(self, which: str) -> None:
        r = self._one()
        if r is None:
            return
        path = Path(r.path) / f"{which}.pt"
        if not path.is_file():
            self._say("warning", self.tr("{name} has no {file}").format(name=r.name, file=f"{which}.pt"))
            return
        self.sig_load_weights.emit(str(path))

    def _on_watch(self) -> None:
        r = self._one()
        if r is not None:
            self.sig_watch.emit(str(r.path))

    def confirm(self, title: str, text: str) -> bool:
        """Ask the user (a modal question; tests answer it by replacing this method)."""
        answer = QMessageBox.question(self, title, text, QMessageBox.StandardButton.Yes |
                                      QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Yes

    def _on_remove_checkpoints(self) -> None:
        recs = [r for r in self.selected_records() if r.checkpoints]
        if not recs:
            return
        running = [r for r in recs if r.status == RunStatus.RUNNING]
        if running:
            self._say("warning", self.tr("cannot remove the checkpoints of a running run: {names} — stop its training "
                                         "first").format(names=", ".join(r.name for r in running)))
            return
        freed = sum(r.checkpoint_bytes for r in recs)
        files = "\n".join(f"  {r.name}: {', '.join(p.name for p in r.checkpoints.values())} "
                          f"({human_size(r.checkpoint_bytes)})" for r in recs)
        question = self.tr("Remove the checkpoints of {count} run and free {size}?") if len(recs) == 1 else \
            self.tr("Remove the checkpoints of {count} runs and free {size}?")
        if not self.confirm(self.tr("Remove checkpoints"),
                            question.format(count=len(recs), size=human_size(freed)) + f"\n\n{files}\n\n" +
                            self.tr("Their curves, config and kernels are kept; they can no longer be resumed, nor "
                                    "their weights loaded.")):
            return
        paths = [r.path for r in recs]

        def work() -> tuple[int, list[str]]:
            total, failed = 0, []
            for p in paths:
                try:
                    total += remove_checkpoints(p)
                except (RunLocked, NotARunFolder) as err:
                    failed.append(f"{Path(p).name}: {err}")
                except OSError as err:
                    failed.append(f"{Path(p).name}: {err.strerror or err}")
            return total, failed

        def done(result: tuple[int, list[str]]) -> None:
            total, failed = result
            if failed:
                self._say("error", self.tr("checkpoints not removed: {errors}").format(errors="; ".join(failed)))
            if total:
                n = len(paths) - len(failed)
                said = self.tr("removed the checkpoints of {count} run: {size} freed") if n == 1 else \
                    self.tr("removed the checkpoints of {count} runs: {size} freed")
                self._say("info", said.format(count=n, size=human_size(total)))
            self.refresh()

        self.background.call("remove checkpoints", work, done,
                             lambda err: self._say("error", self.tr("could not remove the checkpoints: {error}").format(
                                 error=err)))

    def _on_delete(self) -> None:
        recs = self.selected_records()
        if not recs:
            return
        running = [r for r in recs if r.status == RunStatus.RUNNING]
        if running:
            self._say("warning", self.tr("cannot delete a running run: {names} — stop its training first").format(
                names=", ".join(self.tr("{name} ({holder} trains into it)").format(
                    name=r.name, holder=tr_core(r.holder.describe())) if r.holder else r.name for r in running)))
            return
        names = "\n".join(f"  {r.path}" for r in recs)
        size = human_size(sum(r.size for r in recs))
        question = self.tr("Delete {count} run folder and everything in it (checkpoints, curves), freeing {size}?") \
            if len(recs) == 1 else \
            self.tr("Delete {count} run folders and everything in them (checkpoints, curves), freeing {size}?")
        if not self.confirm(self.tr("Delete runs"), question.format(count=len(recs), size=size) + f"\n\n{names}"):
            return
        paths = [r.path for r in recs]

        def work() -> list[str]:
            failed = []
            for p in paths:
                try:
                    delete_run(p)
                except (RunLocked, NotARunFolder) as err:
                    failed.append(f"{Path(p).name}: {err}")
                except OSError as err:
                    failed.append(f"{Path(p).name}: {err.strerror or err}")
            return failed

        self.background.call("delete", work, lambda failed: self._deleted(paths, failed),
                             lambda err: self._say("error", self.tr("could not delete: {error}").format(error=err)))

    def _deleted(self, paths: list[Path], failed: list[str]) -> None:
        gone = len(paths) - len(failed)
        if failed:
            self._say("error", self.tr("not deleted: {errors}").format(errors="; ".join(failed)))
        if gone:
            self._say("info", self.tr("deleted {count} run folder").format(count=gone) if gone == 1 else
                      self.tr("deleted {count} run folders").format(count=gone))
        for p in paths:
            self._curves.pop(str(p), None)
        self.refresh()

    def _say(self, level: str, text: str) -> None:
        self.status.setText(text)
        self.sig_message.emit(level, text)
