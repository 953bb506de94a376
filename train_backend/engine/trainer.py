"""The training engine: one plain loop, a thread-safe control, Lightning-style hooks, safe checkpoints.

``Trainer(config, callbacks).run()`` trains until the config's epochs or ``max_steps`` are done, a
stop is requested, or something goes wrong, and returns a :class:`TrainEnd` saying which.  It never
raises out of ``run()``: a diverged loss, CUDA running out of memory or a data error become a
``TrainEnd`` with an explanation, so the process hosting the engine (the GUI) lives on.

Control: :class:`TrainControl` is built on ``threading.Event`` and is called from another thread
(the GUI's).  Pause takes effect after the current batch (or validation batch) and blocks the loop
without using CPU/GPU; resume continues exactly where it was; stop finishes the batch, writes a
checkpoint and returns.

Reproducibility: each epoch's data order is a permutation seeded by (seed, epoch); each image's
augmentation is seeded by (seed, epoch, index) in a forked RNG; the global RNG (dropout) is saved in
checkpoints.  A run resumed from a checkpoint therefore computes the same losses as one that was
never interrupted (on CPU, same thread count).
"""

from __future__ import annotations

import math
import os
import shutil
import time
import weakref
from pathlib import Path
from typing import Any, Sequence

import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset

from ..data.augment import build_eval_transform
from ..io.checkpoints import CheckpointError, InputSpec
from .control import TrainControl
from ..data import DataError, DatasetBundle, load_dataset
from ..devices import cpu_computes_bf16, device_name, resolve_device
from .build import build_optimizer, build_run_model, build_scheduler, build_train_transforms, warm_up_compiled_lrn
from .callbacks import default_callbacks
from .checkpointing import read_resumable, restore_run, save_checkpoint, save_last
from .endings import diverged, failed, finished, stopped, wind_up
from .preflight import check_before_run
from .hooks import Callback
from ..models import AlexNetBase
from ..payloads import EpochMetrics, RunInfo, StepMetrics, TrainEnd, ValidationResult
from ..analysis.probes import KernelSnapshot, kernel_snapshot
from ..config import ConfigError, TrainConfig
from ..i18n import QT_TRANSLATE_NOOP
from ..io.atomic import write_atomic
from ..runs.files import CONFIG_FILE, LOCK_FILE, METRICS_FILE
from ..runs.lock import RunLock, RunLocked
from .run_state import TrainState
from .tally import StepTally
from .host import Broadcasting
from .distributed import DistContext, DistributedError, ProcessGroup, data_parallel, distributed_info, process_device
from .sampling import EpochSampler, KeyBatches, SeededTransformDataset, ShardedBatches, dataset_options, \
    item_seed, make_loader, tensor_batches
from .validation import EvaluationLoop, validate_or_stop, validation_subset


def validation_due(step: int, every: int) -> bool:
    """A mid-epoch validation after ``step``: every ``every`` steps, and twice before the first (at a quarter and
    a half of it), so a run shows how it generalises within its first seconds, when its curves move most."""
    return step % every == 0 or (every >= 8 and step in (every // 4, every // 2))


class Trainer(Broadcasting):  # emit, notify_exception, pause_here: host.Broadcasting
    """Trains one model on one dataset with one config; see the module docstring."""

    def __init__(self, config: TrainConfig, callbacks: Sequence[Callback] = (), control: TrainControl | None = None,
                 run_dir: str | os.PathLike | None = None, bundle: DatasetBundle | None = None,
                 distributed: DistContext | None = None) -> None:
        self.config = config
        # data parallel under torchrun (engine/distributed.py): rank 0 alone has a run folder and writes it
        self.dist = distributed
        self.group: ProcessGroup | None = None
        if distributed is not None and not distributed.is_main:
            run_dir = None
        # the metrics log, the caller's listeners, then kernel snapshots and last.pt / best.pt (engine_callbacks),
        # TensorBoard's event files when the config asks for them
        self.callbacks: list[Callback] = default_callbacks(callbacks, config)
        self.control = control or TrainControl()
        self.run_dir = Path(run_dir) if run_dir is not None else None
        self.bundle = bundle
        self.state = TrainState()
        self.model: AlexNetBase | None = None
        self.optimizer: torch.optim.Optimizer | None = None
        self.scheduler: Any = None
        self.scaler: Any = None
        self.device = torch.device("cpu")
        self.amp_dtype: torch.dtype | None = None
        self.input_spec = InputSpec()
        self.last_checkpoint: str | None = None
        self.last_save_time = 0.0  # time.monotonic() of the last checkpoint written (or failed)
        self._window_start: float | None = None
        self.save_error: str | None = None
        self.run_lock: RunLock | None = None  # held on run_dir from setup to the end of run()
        self._made_dir = False  # run_dir did not exist before this run: a refused start removes it again
        self.net: torch.nn.Module | None = None  # what a training step calls: the model, or its DDP wrapper
        self._agreed_time: float | None = None  # distributed: the training time all processes agreed on
        self.evaluation: EvaluationLoop | None = None  # the validation pass, built at set-up

    # ---------------------------------------------------------------- public
    def run(self, resume_from: str | os.PathLike | None = None) -> TrainEnd:
        """Train; returns why it ended. Never raises (errors become a ``TrainEnd``)."""
        end: TrainEnd | None = None
        try:
            end = self._run(resume_from)
            return end
        finally:  # also when a second Ctrl+C raises KeyboardInterrupt out of the loop
            if self.run_lock is not None:
                self.run_lock.release()
                self.run_lock = None
            if end is not None and end.reason == "config":
                self._remove_unused_folder()

    def _remove_unused_folder(self) -> None:
        """A start refused at set-up (a bad data set, a checkpoint that does not fit) leaves no folder behind: the
        one this run created goes again, when it holds nothing but its settings, its end record and its lock."""
        folder = self.run_dir
        if folder is None or not self._made_dir or not folder.is_dir():
            return
        try:
            if {p.name for p in folder.iterdir()} <= {CONFIG_FILE, METRICS_FILE, LOCK_FILE}:
                shutil.rmtree(folder)
        except OSError:
            pass

    def _run(self, resume_from) -> TrainEnd:
        try:
            try:
                check_before_run(self.config, self.run_dir, resume_from, data_root=self.bundle is None)  # no folder yet
                self._setup(resume_from)
            except RunLocked as err:
                return wind_up(self, TrainEnd("locked", str(err), self.state.step, self.state.epoch))
            except (ConfigError, DataError, CheckpointError, DistributedError) as err:
                return wind_up(self, TrainEnd("config", str(err), self.state.step, self.state.epoch))
            end = self._loop()
        except Exception as err:  # noqa: BLE001 - the host process must survive anything
            self.notify_exception(err)
            end = failed(self, err)
        return wind_up(self, end)

    @property
    def world_size(self) -> int:
        return self.dist.world_size if self.dist is not None else 1

    @property
    def global_batch_size(self) -> int:
        """Images per step over all processes (``batch_size`` is per process)."""
        return self.config.batch_size * self.world_size

    @property
    def batches_per_epoch(self) -> int:
        return math.ceil(len(self.bundle.train) / self.global_batch_size) if self.bundle else 0

    @property
    def total_steps(self) -> int:
        total = self.config.epochs * self.batches_per_epoch
        return min(total, self.config.max_steps) if self.config.max_steps else total

    def current_lr(self) -> float:
        return float(self.optimizer.param_groups[-1]["lr"]) if self.optimizer else self.config.lr

    def as_weights(self, ended: bool = False):
        """The live model as :class:`LoadedWeights` for probes (call on the training thread); ``ended``: the weights a
        run that has ended leaves. Their source names the data set, whose classes they answer in, so a caption stays
        true after the window's data set changes."""
        from ..io.checkpoints import LoadedWeights

        step, data = self.state.step, self.bundle.name
        if not ended:
            source = QT_TRANSLATE_NOOP("Engine", "training on {data} (step {step:,})").format(data=data, step=step)
        elif step:
            source = (QT_TRANSLATE_NOOP("Engine", "trained here on {data} ({step:,} step)") if step == 1 else
                      QT_TRANSLATE_NOOP("Engine", "trained here on {data} ({step:,} steps)")).format(data=data, step=step)
        else:
            source = QT_TRANSLATE_NOOP("Engine", "fresh, untrained (a run on {data} that took no step)").format(data=data)
        return LoadedWeights(self.model, list(self.bundle.classes), self.input_spec, source, trained=step > 0,
                             checkpoint={"config": self.config.to_dict(), "dataset": data})

    def kernel_snapshot(self) -> KernelSnapshot:
        return kernel_snapshot(self.model, self.state.step, self.state.epoch)

    # ---------------------------------------------------------------- setup
    def _setup(self, resume_from) -> None:
        cfg = self.config
        if self.run_dir is not None:  # first: a refused run writes nothing into another's folder
            self._made_dir = not self.run_dir.exists()
            self.run_lock = RunLock(self.run_dir).acquire()
        self.device = resolve_device(cfg.device)
        if self.dist is not None:
            self.device = process_device(self.dist, self.device)
            self.group = ProcessGroup(self.dist, self.device)
        ckpt = read_resumable(resume_from) if resume_from is not None else None
        if self.bundle is None:
            self.bundle = load_dataset(cfg.dataset, cfg.data_root, **dataset_options(cfg))
        if len(self.bundle.train) == 0:
            raise DataError(f"the {self.bundle.name} training set is empty")
        torch.manual_seed(cfg.seed)
        self.model, self.input_spec = build_run_model(cfg, self.bundle, ckpt, self._note)
        problem = self.model.input_size_problem(self.input_spec.size)
        if problem:
            raise ConfigError(problem)
        self._configure_device()
        # distributed: rank 0's weights are broadcast here; gradients are averaged in backward
        self.net = data_parallel(self.model, self.device) if self.dist is not None else self.model
        self.optimizer = build_optimizer(self.model, cfg, self.device)
        # a weak reference: see build_scheduler
        self.scheduler = build_scheduler(cfg, self.optimizer, self.total_steps,
                                         lambda ref=weakref.ref(self): ref()._schedule_time())
        self.scaler = None
        if self.device.type == "cuda" and self.amp_dtype == torch.float16:
            self.scaler = torch.amp.GradScaler("cuda")
        if ckpt is not None:
            restore_run(self, ckpt)
        if self.dist is not None and self.dist.rank > 0:  # dropout masks of their own (rank 0 keeps the seed's)
            torch.manual_seed(item_seed(cfg.seed, self.dist.rank, -1 - self.state.step))
        if self.run_dir is not None:
            self._write_config()
        self.emit("on_setup")
        stale = self.run_lock.recovered if self.run_lock is not None else None
        if stale is not None:
            self._note(QT_TRANSLATE_NOOP("Engine", "the run folder's lock was left by {holder}, which ended without "
                                                   "releasing it (killed or crashed); this run has taken it over")
                       .format(holder=stale.describe()))
        spec = self.input_spec  # the data set's statistics, or none (mean 0, std 1) without normalisation
        self._train_tf, self._batch_aug = build_train_transforms(cfg, spec, self.device, self.bundle.train)
        if cfg.compile_lrn:
            warm_up_compiled_lrn(self.model, cfg, self.device, self.amp_dtype, self.channels_last,
                                 self.input_spec.size, self.optimizer, self._note)
        self.evaluation = self._evaluation_loop()

    def _write_config(self) -> None:
        """The run's settings in its folder (atomic: a process following the run never reads half of it)."""
        cfg = self.config
        text = cfg.to_json()
        if self.dist is not None:
            import json

            info = distributed_info(self.dist, cfg.batch_size, self.group)
            text = json.dumps({**cfg.to_dict(), "distributed": info}, indent=2, sort_keys=True)
        write_atomic(self.run_dir / CONFIG_FILE, lambda tmp: Path(tmp).write_text(text), fsync=False)

    def _evaluation_loop(self) -> EvaluationLoop:
        """The run's validation: its subset of the split, preprocessed for evaluation, on the run's device and in
        its precision, loaded with the run's workers."""
        cfg, spec = self.config, self.input_spec
        transform = build_eval_transform(cfg.input_size, spec.mean, spec.std, cfg.channels,
                                         resize=cfg.resize, ten_crop=cfg.ten_crop_val,
                                         eval_resize=cfg.eval_resize, mean_image=spec.mean_image)
        return EvaluationLoop(self.model, self.bundle.val, transform, self.bundle.num_classes,
                              loader=lambda ds, ref=weakref.ref(self): ref().loader(ds),  # no reference cycle
                              device=self.device, ten_crop=cfg.ten_crop_val,
                              indices=validation_subset(cfg, len(self.bundle.val)),
                              amp_dtype=self.amp_dtype, channels_last=self.channels_last)

    def _configure_device(self) -> None:
        cfg = self.config
        towers = None
        if cfg.tower_devices:  # models/towers.py: the input and the exchange layers on the first device
            from ..models.towers import TowerPlacementError, parse_tower_devices

            if self.dist is not None:
                raise ConfigError("tower devices and torchrun's data parallel do not combine yet: use one of them")
            try:
                towers = parse_tower_devices(cfg.tower_devices)
            except TowerPlacementError as err:
                raise ConfigError(str(err)) from None
            self.device = towers[0]
        if self.device.type == "cuda":
            torch.backends.cudnn.benchmark = True
            if cfg.amp:
                self.amp_dtype = torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
        elif self.device.type == "cpu" and cfg.cpu_bf16:
            if cpu_computes_bf16():
                self.amp_dtype = torch.bfloat16
            else:
                self._note(QT_TRANSLATE_NOOP("Engine", "cpu_bf16: this CPU does not compute bf16 (no AVX-512 or AMX); "
                                                       "training in fp32"))
        # channels-last (NHWC) suits oneDNN's CPU convolutions and pooling as much as cuDNN: a CPU training step is
        # faster for every model, most at 227 px (measured in benchmarks/README.md)
        self.channels_last = cfg.channels_last if cfg.channels_last is not None else self.device.type in ("cuda", "cpu")
        self.model.to(self.device)
        if towers is not None:
            from ..models.towers import TowerPlacementError, place_towers

            try:
                place_towers(self.model, towers)
            except TowerPlacementError as err:
                raise ConfigError(str(err)) from None
        if self.channels_last:
            self.model.to(memory_format=torch.channels_last)
        if cfg.freeze_features:
            for name in self.model.conv_names():
                for p in getattr(self.model, name).parameters():
                    p.requires_grad_(False)

    def restart_clock(self) -> None:
        """Training time counts from now: what came since the last report (a write, validation) does not."""
        self._window_start = time.perf_counter()

    def _schedule_time(self) -> float:
        """The training time a schedule follows: in a distributed run, the one all processes agreed on."""
        return self._agreed_time if self._agreed_time is not None else self._train_time()

    def _train_time(self) -> float:
        """Training time so far (pauses excluded), including the batches since the last report."""
        extra = time.perf_counter() - self._window_start if self._window_start is not None else 0.0
        return self.state.elapsed_s + extra

    @property
    def _step_schedule(self) -> bool:
        return self.config.schedule in ("cosine", "constant")

    # ---------------------------------------------------------------- checkpoints
    def save(self, path: str | os.PathLike, kind: str = "last", full: bool = True) -> str:
        """Write the run's checkpoint (with ``full``, resumable) to ``path``; raises OSError."""
        return save_checkpoint(self, path, kind, full)

    def save_last(self, kind: str = "last") -> str | None:
        """Write ``last.pt``; a failed write is reported, not fatal (see :func:`.checkpointing.save_last`)."""
        return save_last(self, kind)

    # ---------------------------------------------------------------- loop
    def loader(self, dataset: Dataset, sampler=None, batch_sampler=None) -> DataLoader:
        """A loader of ``dataset`` with the run's workers, seeded by where the run stands."""
        return make_loader(dataset, self.config, self.device, self.bundle.name, self.state.epoch, self.state.step,
                           sampler, batch_sampler)

    def _loop(self) -> TrainEnd:
        cfg, st = self.config, self.state
        self.emit("on_train_start", self._run_info())  # the first kernels are sent, the checkpoint clock starts
        train_ds = SeededTransformDataset(self.bundle.train, self._train_tf)
        # log_every: the script's loss is the mean over each log interval, so metrics come at that interval
        metrics_every = cfg.log_every or cfg.metrics_every or (1 if self.device.type == "cpu" else 10)
        while st.epoch < cfg.epochs:
            if cfg.max_steps is not None and st.step >= cfg.max_steps:
                return finished(self, "max_steps", QT_TRANSLATE_NOOP("Engine", "reached {steps} steps").format(
                    steps=cfg.max_steps))
            end = self._train_epoch(train_ds, metrics_every)
            if end is None:
                end = self._end_epoch()
            if end is not None:
                return end
        return finished(self, "finished", QT_TRANSLATE_NOOP("Engine", "finished {epochs} epoch(s)").format(
            epochs=cfg.epochs))

    def _run_info(self) -> RunInfo:
        """What the listeners hear at the start: the device, the model, the data, the run's length and position."""
        st = self.state
        return RunInfo(
            device=str(self.device), device_name=device_name(self.device),
            amp_dtype=str(self.amp_dtype).replace("torch.", "") if self.amp_dtype else None,
            model=self.model.variant, parameters=sum(p.numel() for p in self.model.parameters()),
            dataset=self.bundle.name, dataset_source=self.bundle.source, classes=tuple(self.bundle.classes),
            train_size=len(self.bundle.train), val_size=len(self.bundle.val),
            batches_per_epoch=self.batches_per_epoch, total_steps=self.total_steps, start_step=st.step,
            start_epoch=st.epoch, config=self.config.to_dict(), run_dir=str(self.run_dir) if self.run_dir else None)

    def _epoch_batches(self, train_ds: SeededTransformDataset):
        """The rest of the current epoch's batches, from where the run stands (this process's share of each)."""
        cfg, st = self.config, self.state
        sampler = EpochSampler(len(train_ds), cfg.seed, st.epoch, st.batch_in_epoch * self.global_batch_size)
        batches = ShardedBatches(sampler, cfg.batch_size, self.dist.rank if self.dist else 0, self.world_size)
        if self._batch_aug is not None:
            return tensor_batches(self.bundle.train, batches, cfg, self.device, self._batch_aug)
        return self.loader(train_ds, batch_sampler=KeyBatches(batches))

    def _train_epoch(self, train_ds: SeededTransformDataset, metrics_every: int) -> TrainEnd | None:
        """Train the rest of the current epoch; how the run ended, or None when the epoch's batches are done."""
        st = self.state
        if st.batch_in_epoch == 0:
            st.epoch_loss_sum, st.epoch_correct, st.epoch_seen = 0.0, 0.0, 0
        loader = self._epoch_batches(train_ds)
        self.model.train()
        tally = StepTally(self.device)
        self.restart_clock()
        for images, labels in loader:
            if self.control.stop_requested and self.dist is None:
                return stopped(self)
            stop_now = self._step(images, labels, tally)
            end = self._after_step(tally, metrics_every, stop_now)
            if end is not None:
                return end
        return None

    def _step(self, images: torch.Tensor, labels: torch.Tensor, tally: StepTally) -> bool:
        """One optimisation step, counted; whether a stop was asked for meanwhile (distributed: by any process)."""
        st = self.state
        loss, correct = self._train_step(images, labels)
        stop_now = self.control.stop_requested
        if self.group is not None:  # every process stops at the same step, or one would wait forever
            stop, self._agreed_time = self.group.agree([float(stop_now), self._train_time()])
            stop_now = stop > 0
        tally.add(loss, correct, labels.shape[0])
        st.step += 1
        st.batch_in_epoch += 1
        if self._step_schedule:
            self.scheduler.step()
        return stop_now

    def _after_step(self, tally: StepTally, metrics_every: int, stop_now: bool) -> TrainEnd | None:
        """After a step: its report when due, the listeners' turn, the end of the run's steps or time, a mid-epoch
        validation, a stop or a pause; how the run ended, or None when it goes on."""
        cfg, st = self.config, self.state
        last_batch = st.batch_in_epoch >= self.batches_per_epoch
        out_of_time = cfg.time_budget_s is not None and self._schedule_time() >= cfg.time_budget_s
        at_max = (cfg.max_steps is not None and st.step >= cfg.max_steps) or out_of_time
        if tally.steps >= metrics_every or last_batch or at_max or stop_now or self.control.paused:
            end = self._report(tally)
            if end is not None:
                return end
        self.emit("on_step")  # kernel snapshots
        self.control.run_pending(self)
        if at_max:
            if cfg.val_every_steps:
                validate_or_stop(self.validate)
            if out_of_time:
                return finished(self, "time_budget", QT_TRANSLATE_NOOP(
                    "Engine", "used the {seconds:g} s time budget ({steps} steps)").format(seconds=cfg.time_budget_s,
                                                                                          steps=st.step))
            return finished(self, "max_steps", QT_TRANSLATE_NOOP("Engine", "reached {steps} steps").format(
                steps=cfg.max_steps))
        if cfg.val_every_steps and validation_due(st.step, cfg.val_every_steps) and not last_batch:
            if validate_or_stop(self.validate) is None:
                return stopped(self)
            self.model.train()
            self.restart_clock()
        if stop_now:
            return stopped(self)
        if self.control.paused and self.dist is None:
            self.pause_here()
            self.restart_clock()
            if self.control.stop_requested:
                return stopped(self)
        self.emit("on_batch_boundary")  # last.pt every checkpoint_interval_s
        return None

    def _report(self, tally: StepTally) -> TrainEnd | None:
        """The steps since the last report, to the listeners as :class:`StepMetrics` (the metrics log writes the
        record); the end of a run whose loss diverged, else None."""
        cfg, st = self.config, self.state
        window = time.perf_counter() - self._window_start
        st.elapsed_s += window
        mean_loss, top1, n, steps = tally.take(self.group)  # distributed: of the global batches
        if not math.isfinite(mean_loss):
            return diverged(self, mean_loss)
        st.epoch_loss_sum += mean_loss * n
        st.epoch_correct += top1 * n
        st.epoch_seen += n
        ips = n / window if window > 0 else 0.0
        remaining = self.total_steps - st.step
        eta = remaining * window / steps if steps else None
        if cfg.time_budget_s is not None:
            eta = min(eta if eta is not None else math.inf, max(0.0, cfg.time_budget_s - st.elapsed_s))
        m = StepMetrics(st.step, st.epoch, st.batch_in_epoch, self.batches_per_epoch, self.total_steps,
                        mean_loss, top1, self.current_lr(), ips, st.elapsed_s, eta)
        self.emit("on_batch_end", m)
        self.restart_clock()
        return None

    def _end_epoch(self) -> TrainEnd | None:
        """An epoch's end: its validation, the epoch schedule's step, its metrics to the listeners (then ``last.pt``
        and ``best.pt``); the end of a run stopped during the validation, else None."""
        cfg, st = self.config, self.state
        result = validate_or_stop(self.validate)
        if result is None:
            return stopped(self)
        if cfg.schedule == "plateau" and result is not False:
            self.scheduler.step(result.top1_error)
        elif cfg.schedule == "step":
            self.scheduler.step()
        seen = max(1, st.epoch_seen)
        em = EpochMetrics(st.epoch, st.step, st.epoch_loss_sum / seen, 1 - st.epoch_correct / seen,
                          result.loss if result else None, result.top1_error if result else None,
                          result.top5_error if result else None, self.current_lr(), st.elapsed_s)
        st.history.append({"kind": "epoch", **em.__dict__})
        st.epoch += 1
        st.batch_in_epoch = 0
        self.emit("on_epoch_end", em)  # the metrics log, listeners, then last.pt and best.pt
        return None

    def _train_step(self, images: torch.Tensor, labels: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        nb = self.device.type == "cuda"
        images = images.to(self.device, non_blocking=nb)
        labels = labels.to(self.device, non_blocking=nb)
        if self.channels_last:
            images = images.contiguous(memory_format=torch.channels_last)
        self.optimizer.zero_grad(set_to_none=True)
        with torch.autocast(self.device.type, dtype=self.amp_dtype, enabled=self.amp_dtype is not None):
            logits = (self.net if self.net is not None else self.model)(images)
            loss = F.cross_entropy(logits.float(), labels)
        if self.scaler is not None:
            self.scaler.scale(loss).backward()
            self.scaler.step(self.optimizer)
            self.scaler.update()
        else:
            loss.backward()
            # on CPU the check costs nothing: a non-finite loss never reaches the weights (distributed: the
            # gradients are already shared, every process steps, the reported loss shows the divergence)
            if self.device.type != "cpu" or self.dist is not None or torch.isfinite(loss):
                self.optimizer.step()
        correct = (logits.detach().argmax(1) == labels).sum()
        return loss, correct

    def _note(self, text: str) -> None:
        """Something the user should know about how this run trains (a status line, not an error)."""
        self.emit("on_note", text)


    # ---------------------------------------------------------------- validation
    def validate(self, keep_wrong: int = 0) -> ValidationResult | None:
        """Evaluate on the validation set (or its subset). None when it is empty. Raises ``ValidationStopped``.
        ``keep_wrong`` > 0 keeps that many most confidently wrong images in the result."""
        return self.evaluation.run(self, keep_wrong, self.state.epoch, self.state.step, self._record_validation)

    def _record_validation(self, result: ValidationResult) -> None:
        self.state.history.append({"kind": "validation", "epoch": result.epoch, "step": result.step,
                                   "loss": result.loss, "top1_error": result.top1_error,
                                   "top5_error": result.top5_error, "lr": self.current_lr()})

