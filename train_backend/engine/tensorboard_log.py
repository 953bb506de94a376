"""TensorBoard event files for a run (``TrainConfig.tensorboard``): ``<run>/tensorboard/``, read with
``tensorboard --logdir RUNS``.

:class:`TensorBoardLog` is an engine callback, attached by :func:`~train_backend.engine.callbacks.default_callbacks`
only when the config asks for it (a run without it does not even import TensorBoard).  It writes, through
``torch.utils.tensorboard.SummaryWriter``:

* scalars at each step report: ``train/loss``, ``train/top1_error``, ``train/lr``, ``train/images_per_sec``;
  at each validation ``val/loss``, ``val/top1_error``, ``val/top5_error``; at each epoch's end
  ``epoch/train_loss``, ``epoch/train_top1_error``; at the end ``final/*`` (the hparams' metrics);
* conv1's kernels as images, one per tower (``conv1/kernels/tower_1``, ``.../tower_2``), drawn as the kernels panel
  and the kernel export draw them, at the start (step 0), every ``tensorboard_histogram_every`` steps and at the end;
* histograms of every parameter (``weights/<name>``) and of its gradient (``gradients/<name>``) at the same steps,
  binned with ``torch.histc`` on the parameter's device (no copy of the 61 M weights to NumPy; a tensor over a
  million values is binned from an evenly strided sample of one million, its min, max, sum and count exact);
* the config as hparams (``model_options`` spread out as ``model.<option>``), the session's end status with it.

x is the global step throughout.  A resumed run continues the same folder (a new event file); events the
interrupted attempt wrote after the step it resumes from are dropped by TensorBoard (``purge_step``).  A write that fails (disk full) is reported once through
``on_exception`` and TensorBoard logging stops; training goes on.
"""

from __future__ import annotations

import dataclasses
import math
from typing import TYPE_CHECKING, Any

import numpy as np
import torch

from ..analysis.export import render_kernel_figure
from ..analysis.probes import KernelSnapshot
from ..config import ConfigError
from .hooks import Callback

if TYPE_CHECKING:
    from .host import TrainingRun
    from ..payloads import EpochMetrics, RunInfo, StepMetrics, TrainEnd, ValidationResult

#: the event files' folder inside the run folder
TB_DIR = "tensorboard"
HISTOGRAM_BINS = 64
#: a tensor with more values is binned from an evenly strided sample of about this many (the counts scaled up):
#: binning is the costly part (fc6's 38 M weights: ~230 ms with torch.histc on 2 CPU cores, a 1 M sample ~6 ms)
HISTOGRAM_SAMPLE = 1 << 20
#: the hparams' metrics: scalar tags written at the run's end
FINAL_METRICS = ("final/val_top1_error", "final/val_top5_error", "final/val_loss", "final/train_loss",
                 "final/train_top1_error")


class TensorBoardWriteError(OSError):
    """TensorBoard's event file could not be written (reported through ``on_exception``; training goes on)."""


def hparam_values(config: dict[str, Any]) -> dict[str, Any]:
    """The config as hparams: numbers and text (bools as true/false, None as none, tuples as 1,2,3; model options
    spread out as ``model.<option>``)."""
    out: dict[str, Any] = {}
    for key, value in config.items():
        if key == "model_options":
            for opt, v in sorted(value.items()):
                out[f"model.{opt}"] = _hparam(v)
        else:
            out[key] = _hparam(value)
    return out


def _hparam(value: Any) -> Any:
    if isinstance(value, bool):  # torch's hparams() would make a bool a number
        return "true" if value else "false"
    if isinstance(value, (int, float, str)):
        return value
    if value is None:
        return "none"
    if isinstance(value, (list, tuple)):
        return ",".join(str(v) for v in value)
    return str(value)


class TensorBoardLog(Callback):
    """Scalars, conv1 kernel images, weight/gradient histograms and hparams in ``<run>/tensorboard/``."""

    builtin = True  # one of the engine's own: its presence does not make the engine send kernel snapshots

    def __init__(self) -> None:
        self.writer = None
        self._last: dict[str, float] = {}
        self._last_visual_step = -1
        self._reported_step = -1

    # ---------------------------------------------------------------- hooks
    def on_setup(self, trainer: "TrainingRun") -> None:
        if trainer.run_dir is None:
            return
        try:
            from torch.utils.tensorboard import SummaryWriter
        except ImportError as err:  # TrainConfig.problems() says so before a run starts; this is the fallback
            from ..optional import TENSORBOARD_HINT

            raise ConfigError(f"{TENSORBOARD_HINT} ({err})") from None
        start = trainer.state.step  # resumed: what an interrupted attempt wrote after its checkpoint goes
        self.writer = SummaryWriter(str(trainer.run_dir / TB_DIR), purge_step=start + 1 if start > 0 else None,
                                    flush_secs=5)

    def on_train_start(self, trainer: "TrainingRun", info: "RunInfo") -> None:
        from torch.utils.tensorboard.summary import hparams

        def write() -> None:
            exp, ssi, _ = hparams(hparam_values(info.config), {k: 0.0 for k in FINAL_METRICS})
            fw = self.writer._get_file_writer()
            fw.add_summary(exp, info.start_step)
            fw.add_summary(ssi, info.start_step)
            if info.start_step == 0:  # a resumed run's kernels and weights are its last attempt's
                self._visuals(trainer)

        self._guard(trainer, write)

    def on_batch_end(self, trainer: "TrainingRun", m: "StepMetrics") -> None:
        self._reported_step = m.step
        self._scalars(trainer, m.step, {"train/loss": m.loss, "train/top1_error": 1.0 - m.top1, "train/lr": m.lr,
                                        "train/images_per_sec": m.images_per_sec})

    def on_step(self, trainer: "TrainingRun") -> None:
        step = trainer.state.step
        if self.writer is not None and step % trainer.config.tensorboard_histogram_every == 0:
            self._guard(trainer, lambda: self._visuals(trainer))
            if self._reported_step == step:  # right after a step report: the write is not training time
                trainer.restart_clock()  # (as LastCheckpoint's writes); mid-window it stays in the window

    def on_validation_end(self, trainer: "TrainingRun", r: "ValidationResult") -> None:
        self._scalars(trainer, r.step, {"val/loss": r.loss, "val/top1_error": r.top1_error,
                                        "val/top5_error": r.top5_error})

    def on_epoch_end(self, trainer: "TrainingRun", e: "EpochMetrics") -> None:
        self._scalars(trainer, e.step, {"epoch/train_loss": e.train_loss,
                                        "epoch/train_top1_error": e.train_top1_error})

    def on_train_end(self, trainer: "TrainingRun", end: "TrainEnd") -> None:
        if self.writer is None:
            return

        def write() -> None:
            if trainer.model is not None and self._last_visual_step != trainer.state.step:
                self._visuals(trainer)
            final = {"final/val_top1_error": self._last.get("val/top1_error"),
                     "final/val_top5_error": self._last.get("val/top5_error"),
                     "final/val_loss": self._last.get("val/loss"),
                     "final/train_loss": self._last.get("train/loss"),
                     "final/train_top1_error": self._last.get("train/top1_error")}
            for tag, value in final.items():
                if value is not None:
                    self.writer.add_scalar(tag, value, end.step)
            self.writer._get_file_writer().add_summary(_session_end(end.ok), end.step)

        self._guard(trainer, write)
        if self.writer is not None:
            try:
                self.writer.close()
            except OSError:
                pass
            self.writer = None

    # ---------------------------------------------------------------- writing
    def _scalars(self, trainer: "TrainingRun", step: int, values: dict[str, float]) -> None:
        if self.writer is None:
            return

        def write() -> None:
            for tag, value in values.items():
                if value is not None and math.isfinite(value):
                    self.writer.add_scalar(tag, value, step)
                    self._last[tag] = value

        self._guard(trainer, write)

    def _visuals(self, trainer: "TrainingRun") -> None:
        """conv1's kernels as images and every parameter's (and gradient's) histogram at the current step."""
        step = trainer.state.step
        self._last_visual_step = step
        snap = trainer.kernel_snapshot()
        for t in range(snap.towers):
            self.writer.add_image(f"conv1/kernels/tower_{t + 1}", tower_image(snap, t), step, dataformats="HWC")
        for name, p in trainer.model.named_parameters():
            self._histogram(f"weights/{name}", p.detach(), step)
            if p.grad is not None:
                self._histogram(f"gradients/{name}", p.grad.detach(), step)

    def _histogram(self, tag: str, values: torch.Tensor, step: int) -> None:
        h = histogram(values)
        if h is not None:
            self.writer.add_histogram_raw(tag, *h, global_step=step)

    def _guard(self, trainer: "TrainingRun", write) -> None:
        """Run a write; an OSError stops TensorBoard logging with one report, never the training."""
        if self.writer is None:
            return
        try:
            write()
        except OSError as err:
            writer, self.writer = self.writer, None
            try:
                writer.close()
            except OSError:
                pass
            trainer.notify_exception(TensorBoardWriteError(
                f"TensorBoard logging stopped: could not write to '{trainer.run_dir / TB_DIR}': "
                f"{err.strerror or err}"))


def histogram(values: torch.Tensor, bins: int = HISTOGRAM_BINS, sample: int = HISTOGRAM_SAMPLE):
    """``values`` as ``add_histogram_raw`` takes them: (min, max, count, sum, sum of squares, bucket right edges,
    bucket counts), or None when empty or not finite (a diverged tensor: the scalars say so).

    min, max, count, sum and sum of squares are over every value (float32 sums); a tensor of more than ``sample``
    values is binned from an evenly strided sample, the stride prime to the last dimension (so it walks every
    column), the counts scaled up to the whole."""
    n = values.numel()
    if n == 0:
        return None
    v = values.detach().reshape(-1).float()
    lo, hi = (float(x) for x in torch.aminmax(v))
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return None
    if hi > lo:
        stride = max(1, n // sample)
        last = values.shape[-1] if values.dim() else 1
        while stride > 1 and math.gcd(stride, last) != 1:
            stride += 1
        part = v[::stride]
        counts = torch.histc(part, bins, lo, hi).double() * (n / part.numel())
        limits = np.linspace(lo, hi, bins + 1)[1:].tolist()
        counts = counts.tolist()
    else:  # every value the same (a fresh bias)
        counts, limits = [float(n)], [hi]
    return lo, hi, n, float(v.sum()), float(v.dot(v)), limits, counts


def tower_image(snapshot: KernelSnapshot, tower: int, scale: int = 4) -> np.ndarray:
    """One tower's kernels as the kernel export draws them (12 a row, unlabelled): uint8 (H, W, 3)."""
    one = dataclasses.replace(snapshot, tiles=(snapshot.tiles[tower],), selectivity=(snapshot.selectivity[tower],))
    return np.asarray(render_kernel_figure(one, scale=scale, labels=False))


def _session_end(ok: bool):
    """The hparams plugin's session end, successful or failed (a run that diverged, crashed or ran out of memory)."""
    from tensorboard.compat.proto.summary_pb2 import Summary, SummaryMetadata
    from tensorboard.plugins.hparams.api_pb2 import Status
    from tensorboard.plugins.hparams.metadata import PLUGIN_DATA_VERSION, PLUGIN_NAME, SESSION_END_INFO_TAG
    from tensorboard.plugins.hparams.plugin_data_pb2 import HParamsPluginData, SessionEndInfo

    sei = SessionEndInfo(status=Status.Value("STATUS_SUCCESS" if ok else "STATUS_FAILURE"))
    content = HParamsPluginData(session_end_info=sei, version=PLUGIN_DATA_VERSION)
    meta = SummaryMetadata(plugin_data=SummaryMetadata.PluginData(plugin_name=PLUGIN_NAME,
                                                                  content=content.SerializeToString()))
    return Summary(value=[Summary.Value(tag=SESSION_END_INFO_TAG, metadata=meta)])
