"""The window's status bar: notifications on the left; the run's step line, progress, weights and device on the right.

Every part is a permanent widget: Qt's status tips (``QStatusBar.showMessage``, sent as the pointer rests on a toolbar
button or a menu item) hide the bar's ordinary widgets, which blanked the notifications; the actions' tips are their
tooltips instead (actions.py). A notification is transient: it clears after :data:`MESSAGE_TIMEOUT_S` (the window's
message log keeps it); a busy indicator (a download, an import) ends when its job ends, failed or not, and the line it
borrowed shows again what it showed before.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QProgressBar, QSizePolicy, QStatusBar

from train_backend.payloads import RunInfo, StepMetrics
from train_backend.session import WeightsInfo

from .i18n import tr_core, translate
from .widgets.livetext import LiveText
from .widgets.throttle import Throttle

if TYPE_CHECKING:
    from .lab import Lab

STATUS_INTERVAL_S = 0.5  # the step / loss / img/s line while training
#: how long a notification stays, by level (an error also opens a message box)
MESSAGE_TIMEOUT_S = {"info": 10.0, "warning": 15.0, "error": 30.0}


class StatusBar:
    """Fills ``bar`` (the window's QStatusBar) and draws what it is given; it holds no state of the run."""

    def __init__(self, bar: QStatusBar) -> None:
        # the lines that change while training are LiveText: a new text repaints them without re-laying out
        # the window (widgets/livetext.py)
        self.lbl_message = LiveText("", chars=50)
        self.lbl_device = QLabel(translate("StatusBar", "device: {device}").format(device="—"))
        self.lbl_weights = QLabel("")
        self.lbl_progress = LiveText(translate("StatusBar", "idle"), chars=60)
        self.progress = QProgressBar()
        self.progress.setFixedWidth(160)
        self.progress.setTextVisible(True)
        self.progress.setVisible(False)
        for label in (self.lbl_message, self.lbl_progress, self.lbl_weights):  # long texts must not widen the window
            label.setMinimumWidth(60)
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        # widths for 1280 px: a run's ending on the left, a step line in the middle, "weights: paper, 8 classes,
        # trained" on the right, each whole (tests/test_gui.py)
        bar.addPermanentWidget(self.lbl_message, 6)  # notifications: permanent, so no status tip hides them
        bar.addPermanentWidget(self.lbl_progress, 8)
        bar.addPermanentWidget(self.progress)
        bar.addPermanentWidget(self.lbl_weights, 5)
        bar.addPermanentWidget(self.lbl_device)
        self.step_line = ""  # the current run's last step figures
        self.end_word = ""  # how the last run ended ("stopped at step 88", "done", "failed"), shown before the plan
        self.last_step = 0
        self.plan_text = ""
        self.steps = Throttle(STATUS_INTERVAL_S, self._show_step, bar)
        self.expiry = QTimer(bar)
        self.expiry.setSingleShot(True)
        self.expiry.timeout.connect(self.clear_message)
        self._before_busy: str | None = None  # the progress line a download / import borrowed

    def bind(self, lab: "Lab") -> None:
        """Shows the lab: notifications, the app's own run (its steps, validations, ending), the plan while idle, a
        run watched from disk, the weights held, the device."""
        self.lab = lab
        lab.message.connect(lambda level, text, _quiet: self.show_message(level, text))
        lab.run_shown.connect(lambda shown: self.show_run(shown.info) if shown.info is not None else None)
        lab.steps.connect(lambda steps: self.steps.submit(steps[-1]) if lab.state.busy else None)
        lab.validation.connect(self._on_validation)
        lab.progress.connect(self._on_progress)
        lab.run_finished.connect(self._on_finished)
        lab.state_changed.connect(lambda state: self.show_paused() if state == "paused" else None)
        lab.plan_changed.connect(self._on_plan)
        lab.weights_changed.connect(self.show_weights)
        lab.watch_changed.connect(self.show_watched)
        lab.config_changed.connect(lambda cfg, old: self.show_device(lab.session.device_label)
                                   if cfg.device != old.device else None)
        self.show_device(lab.session.device_label)
        self._on_plan(lab.session.plan())

    def _on_plan(self, plan) -> None:
        if self.lab.state.can_start and self.lab.session.watched is None:
            self.show_plan(plan.describe())

    def _on_validation(self, r, _now: bool = True) -> None:
        info = self.lab.run_info
        if self.lab.state.busy and info is not None:
            self.set_progress(r.step, info.total_steps, translate("StatusBar", "%v / %m steps"))

    def _on_progress(self, kind: str, done: int, total: int) -> None:
        running = self.lab.state in ("running", "paused")
        if kind == "validation":
            self.progress.setVisible(True)
            self.set_progress(done, total, translate("StatusBar", "validation %v/%m"))
        elif kind == "download":
            self.show_download(done, total, running)
        elif kind == "import":  # a .caffemodel read and converted on the worker (a few seconds for bvlc_alexnet)
            self.show_download(done, total, running, translate("StatusBar", "importing the Caffe model…"),
                               translate("StatusBar", "importing…"))

    def _on_finished(self, end) -> None:
        self.steps.flush()  # the last step's figures, then the ending
        self.show_end(translate("StatusBar", "stopped") if end.reason == "stopped" else
                      translate("StatusBar", "done") if end.ok else translate("StatusBar", "failed"))
        self._on_plan(self.lab.session.plan())

    def show_message(self, level: str, text: str) -> None:
        colour = {"error": "#a01020", "warning": "#8a5a00"}.get(level, "#303030")
        self.lbl_message.setColour(colour)
        text = tr_core(text)
        self.lbl_message.setText(text.splitlines()[0] if text else "")
        self.lbl_message.setToolTip(text)
        self.expiry.start(int(1000 * MESSAGE_TIMEOUT_S.get(level, MESSAGE_TIMEOUT_S["info"])))

    def clear_message(self) -> None:
        """The notification has had its time (it stays in the window's message log)."""
        self.expiry.stop()
        self.lbl_message.setText("")
        self.lbl_message.setToolTip("")

    def show_device(self, text: str) -> None:
        self.lbl_device.setText(translate("StatusBar", "device: {device}").format(device=tr_core(text)))

    def show_weights(self, info: WeightsInfo) -> None:
        template = translate("StatusBar", "weights: {model}, {classes} classes, trained") if info.trained else \
            translate("StatusBar", "weights: {model}, {classes} classes, UNTRAINED")
        self.lbl_weights.setText(template.format(model=info.variant, classes=len(info.classes)))
        self.lbl_weights.setToolTip(tr_core(info.description))

    def show_run(self, info: RunInfo) -> None:
        self.step_line = ""
        self.end_word = ""
        self.last_step = info.start_step
        self.lbl_progress.setToolTip("")
        short = {"bfloat16": "bf16", "float16": "fp16"}  # the status bar is narrow: the window must fit 1280 px
        amp = f", {short.get(info.amp_dtype, info.amp_dtype) if info.amp_dtype else 'fp32'}"  # the precision, always
        self.show_device(tr_core(info.device_name) + amp)
        self.progress.setVisible(True)
        self.progress.setRange(0, max(1, info.total_steps))
        self.progress.setValue(info.start_step)
        self.progress.setFormat(translate("StatusBar", "%v / %m steps"))
        self.lbl_weights.setText(translate("StatusBar", "weights: {model}, {classes} classes, training").format(
            model=info.model, classes=len(info.classes)))

    def show_watched(self, watched) -> None:
        """A run followed from disk (a session.WatchedRun), or None when watching stops."""
        self.steps.flush()
        if watched is None:
            self.show_plan(self.plan_text) if self.plan_text else self.lbl_progress.setText(translate("StatusBar", "idle"))
            return
        self.lbl_progress.setText(tr_core(watched.describe()))
        self.lbl_progress.setToolTip(watched.path + (f"\n{tr_core(watched.problem)}" if watched.problem else ""))

    def show_paused(self) -> None:
        """"paused" first: the step line behind it may be cut at the window's edge, the state never."""
        self.steps.flush()
        paused = translate("StatusBar", "paused")
        self.lbl_progress.setText(f"{paused} · {self.step_line}" if self.step_line else paused)

    def show_end(self, word: str) -> None:
        """The ending's text is the notification's (once, on the left); here one word, then Start's next plan."""
        self.steps.flush()
        self.end_word = translate("StatusBar", "{word} at step {step:,}").format(word=word, step=self.last_step) \
            if self.last_step else word
        self.lbl_progress.setText(f"{word} · {self.step_line}" if self.step_line else word)

    def show_plan(self, text: str) -> None:
        """What Start will do, while nothing trains (after a run, behind the word its ending left)."""
        text = tr_core(text)
        self.plan_text = text
        line = translate("StatusBar", "Start ▸ {plan}").format(plan=text)
        self.lbl_progress.setText(f"{self.end_word} · {line}" if self.end_word else line)
        self.lbl_progress.setToolTip(translate("StatusBar", "What Start will do: {plan}").format(plan=text))

    def show_download(self, done: int, total: int, running: bool, text: str | None = None,
                      short: str | None = None) -> None:
        text = text or translate("StatusBar", "downloading torchvision's ImageNet weights…")
        short = short or translate("StatusBar", "downloading…")
        if done < total or total == 0:
            if self._before_busy is None:
                self._before_busy = self.lbl_progress.text()
            self.progress.setVisible(True)
            self.progress.setRange(0, 0)  # busy
            self.progress.setFormat(short)
            self.lbl_progress.setText(text)
        else:  # ended, done or failed (the worker says so either way): the indicator and its text go
            self.progress.setRange(0, 1)
            self.progress.setValue(1)
            self.progress.setVisible(running)
            before, self._before_busy = self._before_busy, None
            if before is not None and self.lbl_progress.text() == text:
                self.lbl_progress.setText(self.step_line if running and self.step_line else before)

    def _show_step(self, m: StepMetrics) -> None:
        self.last_step = m.step
        self.set_progress(m.step, m.total_steps, translate("StatusBar", "%v / %m steps"))
        self.step_line = translate("StatusBar", "epoch {epoch} · step {step:,}/{total:,} · loss {loss:.4f} · "
                                                "{speed:.0f} img/s").format(epoch=m.epoch + 1, step=m.step,
                                                                            total=m.total_steps, loss=m.loss,
                                                                            speed=m.images_per_sec)
        self.lbl_progress.setText(translate("StatusBar", "{line} · ETA {eta}").format(line=self.step_line,
                                                                                      eta=fmt_duration(m.eta_s)))

    def set_progress(self, value: int, maximum: int, fmt: str) -> None:
        """The progress bar, repainted with the next frame: QProgressBar.setValue repaints at once (a
        synchronous paint and flush, ~10 % of the GUI thread's time while training), so updates are off
        while it is set and switching them back on schedules an ordinary, coalesced update."""
        bar = self.progress
        bar.setUpdatesEnabled(False)
        try:
            bar.setRange(0, max(1, maximum))
            bar.setValue(value)
            bar.setFormat(fmt)
        finally:
            bar.setUpdatesEnabled(True)


def fmt_duration(s: float | None) -> str:
    if s is None or s != s:
        return "—"
    s = int(s)
    return f"{s // 3600}h{s % 3600 // 60:02d}m" if s >= 3600 else f"{s // 60}m{s % 60:02d}s"
