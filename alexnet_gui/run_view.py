"""What the worker reports, drawn: a run's payloads in the curves, kernels and status bar, probe answers in the
image panels.  Each panel's drawing is guarded: a bug in one is reported once and stops nothing else."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Slot

from train_backend.payloads import RunInfo, TrainEnd
from train_backend.session import RunState

from .actions import update_actions
from .widgets.throttle import Throttle

if TYPE_CHECKING:
    from .main_window import MainWindow
    from .worker import EngineWorker

KERNEL_REDRAW_INTERVAL_S = 1.0  # while training


class RunView(QObject):
    """Lives in the GUI thread, so the worker's signals reach these slots queued into it."""

    def __init__(self, win: "MainWindow", worker: "EngineWorker") -> None:
        super().__init__(win)
        self.win, self.worker, self.session, self.status = win, worker, win.session, win.status
        self._failures: set[str] = set()
        self._speed = 0.0  # the run's latest images/s
        self._kernel_draws = Throttle(KERNEL_REDRAW_INTERVAL_S, self._draw_kernels, self)
        w = worker
        for sig, slot in ((w.sig_run_info, self._on_run_info), (w.sig_steps, self._on_steps),
                          (w.sig_validation, self._on_validation), (w.sig_epoch, self._on_epoch),
                          (w.sig_kernels, self._on_kernels), (w.sig_checkpoint, self._on_checkpoint),
                          (w.sig_finished, self._on_finished), (w.sig_progress, self._on_progress),
                          (w.sig_probe, self._on_probe), (w.sig_probe_failed, self._on_probe_failed),
                          (w.sig_saved, self._on_saved), (w.sig_history, self.show_history),
                          (w.sig_load_failed, self._on_load_failed)):
            sig.connect(slot)

    @Slot(str)
    def _on_load_failed(self, spec: str) -> None:
        self.session.weights_failed(spec)

    def guard(self, panel: str, fn):
        """Run a panel's drawing code; an exception there is reported once and changes nothing else."""
        def guarded(*args):
            try:
                return fn(*args)
            except Exception as err:  # noqa: BLE001 - a drawing bug must not take down the window or training
                if panel not in self._failures:
                    self._failures.add(panel)
                    self.win.notify("error", f"the {panel} panel could not draw ({type(err).__name__}: {err}); "
                                             "training and the other panels go on")
                return None
        return guarded

    @Slot(object)
    def _on_run_info(self, info: RunInfo) -> None:
        self.session.run_began(info)
        self._failures.clear()
        self.guard("Training curves", self.win.curves.start_run)(info)
        self.guard("Conv1 kernels", self.win.kernels.start_run)(info.start_step > 0)
        self.status.show_run(info)
        self._speed = 0.0
        verb = f"continuing at step {info.start_step:,}: " if info.start_step else ""
        self.win.notify("info", f"{verb}training {info.model} AlexNet ({info.parameters:,} parameters) on {info.dataset} "
                                f"({info.train_size:,} images, {len(info.classes)} classes); run folder "
                                f"{info.run_dir}")
        update_actions(self.win)

    @Slot(str)
    def _on_saved(self, path: str) -> None:
        self.win.notify("info", f"saved checkpoint {path}")

    @Slot(object)
    def _on_epoch(self, e) -> None:
        self.guard("Training curves", self.win.curves.add_epoch)(e)

    @Slot(object)
    def _on_kernels(self, snap) -> None:
        """Kernels: drawn at once when idle, at most once a second while training (the latest one wins)."""
        self._kernel_draws.submit(snap, now=not self.worker.training)

    def _draw_kernels(self, snap) -> None:
        self.guard("Conv1 kernels", self.win.kernels.set_snapshot)(snap)

    @Slot(object)
    def show_history(self, events) -> None:
        """A continued run's curve so far (read from its metrics.jsonl before its first new step)."""
        curves = self.win.curves
        for kind, payload in events:
            if kind == "steps":
                self.guard("Training curves", curves.add_steps)(payload)
            elif kind == "validation":
                self.guard("Training curves", curves.add_validation)(payload, False)
            elif kind == "epoch":
                self.guard("Training curves", curves.add_epoch)(payload, False)

    @Slot(object)
    def _on_steps(self, steps) -> None:
        self._speed = steps[-1].images_per_sec or self._speed
        self.guard("Training curves", self.win.curves.add_steps)(steps)
        self.status.steps.submit(steps[-1])

    @Slot(object)
    def _on_validation(self, r) -> None:
        self.guard("Training curves", self.win.curves.add_validation)(r)
        info = self.session.run_info
        self.status.set_progress(r.step, info.total_steps if info else 1, "%v / %m steps")
        self.win.notify("info", f"validation at step {r.step:,}: top-1 error {100 * r.top1_error:.2f}%, "
                                f"top-5 error {100 * r.top5_error:.2f}% ({r.images:,} images"
                                f"{', ten-crop' if r.ten_crop else ''})", quiet=True)

    @Slot(str, int, int)
    def _on_progress(self, kind: str, done: int, total: int) -> None:
        if kind == "validation":
            self.status.progress.setVisible(True)
            self.status.set_progress(done, total, "validation %v/%m")
        elif kind == "download":
            self.status.show_download(done, total, self.session.state in (RunState.RUNNING, RunState.PAUSED))
        elif kind == "import":  # a .caffemodel read and converted on the worker (a few seconds for bvlc_alexnet)
            self.status.show_download(done, total, self.session.state in (RunState.RUNNING, RunState.PAUSED),
                                      "importing the Caffe model…", "importing…")

    @Slot(object)
    def _on_checkpoint(self, c) -> None:
        if c.kind in ("stop", "best", "manual"):
            self.win.notify("info", f"{c.kind} checkpoint written: {c.path}", quiet=True)

    @Slot(object)
    def _on_finished(self, end: TrainEnd) -> None:
        self._kernel_draws.flush()
        self.status.steps.flush()  # the last step's figures, then the ending below
        self.win.notify("info" if end.ok else "error", f"training ended ({end.reason}): {end.message}")
        self.status.show_end("stopped" if end.reason == "stopped" else "done" if end.ok else "failed")
        if self._speed and self.session.run_info is not None:  # the next plan's time estimate
            self.session.remember_speed(self.session.run_info.config, self._speed)
        self.session.run_finished(end)
        update_actions(self.win)
        self.win.sig_run_finished.emit(end)

    @Slot(object)
    def _on_probe(self, probe) -> None:
        if self.session.probe_answered(probe.token):
            self.guard("Predictions", self.win.predictions.set_prediction)(probe.prediction)
            self.guard("Activation maps", self.win.activations.set_activations)(probe.activations)
            self.guard("LRN effect", self.win.lrn.set_snapshots)(probe.lrn)
            self.win.sig_probe_shown.emit(probe.token)

    @Slot(int, str)
    def _on_probe_failed(self, token: int, message: str) -> None:
        self.session.probe_answered(token, ok=False)
        self.win.predictions.show_error(message)
