"""The lab's session: what the window shows and the rules it follows, without Qt (napari's ``ViewerModel``).

A :class:`Session` holds the facts a front end renders (the run's state, the weights the worker holds, the
images and which one is current, the active :class:`~train_backend.recipes.TrainConfig`) and the rules that
change them (which recipe keeps which data set, when a run may start and from which checkpoint, when to
re-probe the current image and how probe requests coalesce, where a run writes its files).  A front end calls
its methods with the user's intents and listens to its :class:`Event` attributes; it never blocks and never
touches a model: the work itself (training, probes, loading) is a front end's worker's, which reports back
through :meth:`Session.set_run_state`, :meth:`Session.weights_changed`, :meth:`Session.probe_answered` and
friends.  Reading a checkpoint to see whether it resumes (:func:`resumable_checkpoint`) is for that worker's
thread too.
"""

from __future__ import annotations

import enum
import json
import os
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable

from .data import DATASET_NAMES, default_dataset
from .data.images import ImageLoadError, load_image
from .devices import device_choices, device_label
from .io.checkpoints import CheckpointError, is_caffemodel, read_checkpoint_file
from .models import MODELS, WEIGHTS_ALIASES, model_problems
from .payloads import RunInfo, TrainEnd
from .recipes import RECIPES, ConfigError, TrainConfig, recipe
from .runs.files import runs_root

MAX_IMAGES = 64  # a drop of more files keeps the first 64
PREVIEW_SHORT_SIDE = 512  # big JPEGs are decoded at reduced scale: the model needs 256, the preview no more
DEFAULT_RECIPE = "quick"


class Event:
    """A list of listeners called in order with the event's arguments (a tiny, thread-unaware psygnal)."""

    def __init__(self) -> None:
        self._listeners: list[Callable[..., Any]] = []

    def connect(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        self._listeners.append(fn)
        return fn

    def disconnect(self, fn: Callable[..., Any]) -> None:
        self._listeners.remove(fn)

    def emit(self, *args: Any) -> None:
        for fn in list(self._listeners):
            fn(*args)


class RunState(str, enum.Enum):
    """The worker's run, as the window shows it; equal to its value (``RunState.IDLE == "idle"``)."""

    IDLE = "idle"
    STARTING = "starting"
    RUNNING = "running"
    PAUSED = "paused"
    STOPPING = "stopping"
    FINISHED = "finished"
    ERROR = "error"

    def __str__(self) -> str:
        return self.value

    @property
    def busy(self) -> bool:
        """A run is on its way, under way or ending: the model, data set and settings are the run's."""
        return self in (RunState.STARTING, RunState.RUNNING, RunState.PAUSED, RunState.STOPPING)

    @property
    def can_start(self) -> bool:
        return not self.busy

    @property
    def can_stop(self) -> bool:
        return self in (RunState.STARTING, RunState.RUNNING, RunState.PAUSED)


@dataclass(frozen=True)
class WeightsInfo:
    """What a front end needs to know about the model the worker holds."""

    description: str
    variant: str
    trained: bool
    source: str
    classes: tuple[str, ...]
    input_size: int
    towers: int


@dataclass
class SessionImage:
    """One opened file: its decoded preview, or why it could not be read."""

    path: str
    image: Any  # PIL.Image.Image | None
    error: str | None = None

    @property
    def name(self) -> str:
        return Path(self.path).name


@dataclass(frozen=True)
class ProbeRequest:
    """Probe ``image`` (a copy the worker may keep) with the current weights; the answer carries ``token``."""

    token: int
    image: Any
    ten_crop: bool


@dataclass
class ProbeCoalescer:
    """At most one probe in flight; requests meanwhile fold into one more, for the newest image.

    :meth:`request` gives the token to send, or ``None`` when a probe is in flight (the request is then
    pending); :meth:`answered` says whether an answer should be shown: only the newest token's, and only
    when no newer request is pending (its answer would be out of date the moment it is drawn).
    """

    token: int = 0
    in_flight: bool = False
    pending: bool = False

    def request(self) -> int | None:
        if self.in_flight:
            self.pending = True
            return None
        self.token += 1
        self.in_flight = True
        self.pending = False
        return self.token

    def answered(self, token: int) -> bool:
        """The worker answered (or failed) ``token``; True when the answer is the one to show."""
        if token != self.token:
            return False  # a stale answer: a newer probe is in flight or has been answered
        self.in_flight = False
        return not self.pending

    @property
    def idle(self) -> bool:
        return not self.in_flight and not self.pending


@dataclass(frozen=True)
class WatchedRun:
    """A run folder another process writes, followed from disk (``launch --open-run DIR``, File > Open run):
    what the window says about it. ``state`` is a :class:`train_backend.runs.RunStatus` value, or "opening"
    before its files were first read; ``problem`` says what could not be read (None when all is well)."""

    path: str
    state: str = "opening"
    step: int = 0
    epoch: int = 0
    problem: str | None = None

    @property
    def name(self) -> str:
        return Path(self.path).name or self.path

    def describe(self) -> str:
        text = f"watching {self.name}: {self.state}"
        if self.step:
            text += f", epoch {self.epoch + 1}, step {self.step:,}"
        return text + (f" — {self.problem}" if self.problem else "")


@dataclass(frozen=True)
class StartPlan:
    """What the worker should run: this config, from this checkpoint (``None``: from the start)."""

    config: TrainConfig
    resume_from: str | None


@dataclass(frozen=True)
class Resumable:
    """A checkpoint of this app with its optimiser state: Start continues it, with its own settings."""

    path: str
    config: TrainConfig | None  # None where the saved settings no longer parse


def resumable_checkpoint(spec: str) -> Resumable | None:
    """Read ``spec`` and say whether it resumes a run (this reads the file: call it on a worker thread)."""
    if spec in WEIGHTS_ALIASES or is_caffemodel(spec):  # a Caffe model resumes no run
        return None
    try:
        ck = read_checkpoint_file(spec)
    except CheckpointError:
        return None  # loading it reports why
    if not (isinstance(ck, dict) and "optimizer" in ck and isinstance(ck.get("config"), dict)):
        return None
    try:
        return Resumable(spec, TrainConfig.from_dict(ck["config"]))
    except (ConfigError, TypeError, ValueError):
        return Resumable(spec, None)


def config_run_dir(config: TrainConfig, base: str | os.PathLike | None = None) -> str:
    """A fresh run folder, ``<stamp>-<recipe>-<dataset>[-n]``, under the runs directory
    (:func:`~train_backend.runs.files.runs_root`); a folder of the same second gets a number."""
    root = Path(base) if base else runs_root()
    stamp = time.strftime("%Y%m%d-%H%M%S")
    path = root / f"{stamp}-{config.recipe}-{config.dataset}"
    n = 1
    while path.exists():
        n += 1
        path = root / f"{stamp}-{config.recipe}-{config.dataset}-{n}"
    return str(path)


def describe_config(cfg: TrainConfig) -> str:
    return (f"{cfg.model} model, {cfg.dataset}, {cfg.input_size}px, batch {cfg.batch_size}, lr {cfg.lr:g}, "
            f"momentum {cfg.momentum:g}, {cfg.schedule} schedule, {cfg.epochs} epochs")


def initial_config(recipe_name: str | None = None, dataset: str | None = None, data_root: str | None = None,
                   model: str | None = None, device: str | None = None) -> TrainConfig:
    """The config a session opens with: a recipe (``quick`` unless known), the data set asked for (else the
    recipe's, with Fashion-MNIST only where its files are here), a model other than the recipe's with that
    model's defaults, a device."""
    name = recipe_name if recipe_name in RECIPES else DEFAULT_RECIPE
    cfg = recipe(name)
    if dataset not in DATASET_NAMES:
        dataset = None
    if dataset is None and name in ("quick", "paper", "finetune"):
        dataset = cfg.dataset if cfg.dataset != "folder" else None
        if dataset == "fashion-mnist" or dataset is None:
            dataset = default_dataset()
    if dataset:
        cfg.dataset = dataset
    cfg.data_root = data_root or None
    if cfg.dataset in ("synthetic",):
        cfg.data_root = None
    if model and model != cfg.model:
        cfg.model = model
        cfg.model_options = {}  # the recipe's options are another network's
        if model_problems(cfg.model, {}, cfg.input_size):  # e.g. d2l's net takes 224 px only
            cfg.input_size = MODELS[cfg.model].native_size
        if model == "d2l":
            cfg.channels = 1
    if device:
        cfg.device = device
    return cfg


def recipe_config(name: str, current: TrainConfig) -> TrainConfig:
    """Recipe ``name``, keeping the current data set where the recipe can train on it (and the device)."""
    cfg = recipe(name)
    keep_data = current.dataset if cfg.dataset != "folder" or current.data_root else cfg.dataset
    if name in ("d2l",):
        keep_data = "fashion-mnist" if current.dataset != "folder" else keep_data
    cfg.dataset, cfg.data_root = keep_data, current.data_root
    if cfg.dataset == "fashion-mnist" and default_dataset() != "fashion-mnist" and not cfg.data_root:
        cfg.dataset = "synthetic"
    cfg.device = current.device
    return cfg


class Session:
    """The state of one lab session and its rules; see the module docstring.

    Events (each a :class:`Event`; arguments in brackets):
    ``state_changed`` (RunState), ``config_changed`` (TrainConfig, the previous one), ``weights_changed``
    (WeightsInfo), ``images_changed`` (list of SessionImage, current index), ``current_changed`` (index,
    SessionImage), ``probe_requested`` (ProbeRequest: send it to the worker), ``run_started`` (RunInfo),
    ``run_ended`` (TrainEnd), ``notice`` (level, text), ``watch_changed`` (WatchedRun, or None when watching
    stops).
    """

    def __init__(self, config: TrainConfig | None = None) -> None:
        self.state_changed = Event()
        self.config_changed = Event()
        self.weights_changed = Event()
        self.images_changed = Event()
        self.current_changed = Event()
        self.probe_requested = Event()
        self.run_started = Event()
        self.run_ended = Event()
        self.notice = Event()
        self.unit_selected = Event()  # (layer, unit): a map clicked in the activation maps
        self.class_selected = Event()  # (class index): a class of the top-5 clicked, to explain it
        self.selected_unit: tuple[str, int] | None = None
        self.watch_changed = Event()  # (WatchedRun | None): a run followed from disk, its news, or the end of it
        self.watched: WatchedRun | None = None

        self._config = config or initial_config()
        self.state = RunState.IDLE
        self.weights: WeightsInfo | None = None
        self.weights_spec: str | None = None  # what was loaded (a path or alias), None for a built model
        self.resume_path: str | None = None  # a loaded checkpoint Start continues
        self._before_load: tuple | None = None  # (weights_spec, resume_path, last_end) before a load in flight
        self.run_info: RunInfo | None = None
        self.last_end: TrainEnd | None = None
        self.images: list[SessionImage] = []
        self.current = -1
        self.ten_crop = False
        self.probes = ProbeCoalescer()
        self.closing = False

    # ------------------------------------------------------------------ config
    @property
    def config(self) -> TrainConfig:
        return self._config

    @config.setter
    def config(self, cfg: TrainConfig) -> None:
        old, self._config = self._config, cfg
        self.config_changed.emit(cfg, old)

    def problems(self) -> list[str]:
        """What stops the active config from running (empty when it can)."""
        return self._config.problems()

    def restore_overrides(self, text: str | None, device: str | None = None) -> bool:
        """Adopt settings saved as JSON by an earlier session, when they are for the same recipe and valid;
        the data set stays this session's."""
        if not text:
            return False
        try:
            saved = TrainConfig.from_dict(json.loads(text))
        except (ValueError, TypeError, ConfigError):
            return False
        if saved.recipe != self._config.recipe:
            return False
        saved.dataset, saved.data_root = self._config.dataset, self._config.data_root
        if device:
            saved.device = device
        if saved.problems():
            return False
        self.config = saved
        return True

    def set_recipe(self, name: str) -> bool:
        if name not in RECIPES or name == self._config.recipe:
            return False
        self.config = recipe_config(name, self._config)
        self.notice.emit("info", f"recipe '{name}': {describe_config(self._config)}")
        return True

    def set_dataset(self, name: str, root: str | None = None) -> None:
        self._config.dataset = name
        self._config.data_root = root
        self.last_end = None
        self.resume_path = None
        self.notice.emit("info", f"dataset: {name}" + (f" in {root}" if root else "") + " (loaded when training starts)")
        self.config_changed.emit(self._config, self._config)

    def apply_settings(self, cfg: TrainConfig) -> bool:
        """The settings dialog's config; True when the model should be rebuilt for it (an untrained one, idle)."""
        self.config = cfg
        self.notice.emit("info", f"settings: {describe_config(cfg)}")
        return not self.state.busy and (self.weights is None or not self.weights.trained)

    @staticmethod
    def device_choices() -> list[str]:
        return device_choices()

    @property
    def device_label(self) -> str:
        return device_label(self._config.device)

    # ------------------------------------------------------------------ run state
    def set_run_state(self, state: str | RunState) -> None:
        state = RunState(state)
        if state != self.state:
            self.state = state
            self.state_changed.emit(state)

    def toggle_intent(self) -> str | None:
        """What Start/Pause does now: ``start``, ``pause``, ``resume``, or None (starting, stopping)."""
        if self.state.can_start:
            return "start"
        return {RunState.RUNNING: "pause", RunState.PAUSED: "resume"}.get(self.state)

    @property
    def continues(self) -> bool:
        """The last run was stopped with a checkpoint: Start continues it."""
        return self.last_end is not None and self.last_end.reason == "stopped" and bool(self.last_end.checkpoint)

    @property
    def start_label(self) -> str:
        if self.state == RunState.RUNNING:
            return "Pause"
        if self.state == RunState.PAUSED:
            return "Resume"
        return "Continue" if self.continues and self.state != RunState.STARTING else "Start"

    def start(self, fresh: bool = False) -> StartPlan | None:
        """Plan a run (None, with a notice, where none can start): continue the last stopped run or a loaded
        checkpoint unless ``fresh``, else fine-tune loaded trained weights, else train from scratch."""
        if not self.state.can_start:
            return None
        cfg = self._config.replace()
        resume = None
        if not fresh and self.continues:
            resume = self.last_end.checkpoint
        elif not fresh and self.resume_path:
            resume = self.resume_path
        elif self.weights_spec and self.weights is not None and self.weights.trained:
            cfg.init_weights = self.weights_spec
            cfg.model = self.weights.variant
        problems = cfg.problems()
        if problems:
            self.notice.emit("error", f"cannot start: {'; '.join(problems)}")
            return None
        self.resume_path = None
        self.stop_watching("training started")
        self.set_run_state(RunState.STARTING)
        if resume:
            self.notice.emit("info", f"resuming from {resume}")
        return StartPlan(cfg, resume)

    def run_began(self, info: RunInfo) -> None:
        self.run_info = info
        self.run_started.emit(info)

    def run_finished(self, end: TrainEnd) -> None:
        self.last_end = end
        self.run_ended.emit(end)
        self.request_probe()

    # ------------------------------------------------------------------ a run followed from disk
    def watch(self, path: str | os.PathLike) -> WatchedRun | None:
        """Follow the run folder ``path`` that another process writes: its curves and kernels replace the ones
        shown. Refused (None, with a notice) while this window's own run is on; a run watched before is dropped."""
        if self.state.busy:
            self.notice.emit("warning", "stop training before watching a run from disk")
            return None
        self.watched = WatchedRun(str(path))
        self.watch_changed.emit(self.watched)
        return self.watched

    def watch_update(self, **changes: Any) -> None:
        """News of the watched run (state, step, epoch, problem), from what the front end read of its files."""
        if self.watched is None:
            return
        new = replace(self.watched, **changes)
        if new != self.watched:
            self.watched = new
            self.watch_changed.emit(new)

    def stop_watching(self, why: str = "") -> bool:
        """Stop following the watched run (training starts, another run is opened, the user asks)."""
        if self.watched is None:
            return False
        name, self.watched = self.watched.name, None
        self.watch_changed.emit(None)
        self.notice.emit("info", f"stopped watching {name}" + (f" ({why})" if why else ""))
        return True

    # ------------------------------------------------------------------ weights
    def load_weights(self, spec: str) -> bool:
        """The user asks for other weights; False (with a notice) while a run holds the model."""
        if self.state.busy:
            self.notice.emit("warning", "stop training before loading other weights")
            return False
        self._before_load = (self.weights_spec, self.resume_path, self.last_end)
        self.weights_spec = spec
        self.resume_path = None
        self.last_end = None
        return True

    def weights_failed(self, spec: str) -> None:
        """The worker could not load ``spec`` and keeps the model it held: so does the session (what Start
        continues or fine-tunes from stays as before the attempt)."""
        if spec == self.weights_spec and self._before_load is not None:
            self.weights_spec, self.resume_path, self.last_end = self._before_load
        self._before_load = None

    def reset_weights(self) -> TrainConfig:
        """A fresh untrained model for the current settings: the config to build it from."""
        self.weights_spec = None
        self.resume_path = None
        self.last_end = None
        return self._config.replace()

    def checkpoint_resumes(self, found: Resumable) -> None:
        """The worker found that loaded checkpoint ``found.path`` resumes a run: adopt its settings (the device
        stays this machine's) and let Start continue it."""
        if found.path != self.weights_spec:
            return  # other weights were asked for since
        self.resume_path = found.path
        if found.config is not None:
            found.config.device = self._config.device
            self.config = found.config

    def weights_changed_to(self, info: WeightsInfo) -> None:
        self.weights = info
        self.weights_changed.emit(info)
        self.request_probe()

    # ------------------------------------------------------------------ images
    def open_images(self, paths: list[str]) -> list[SessionImage]:
        """Decode the files; when one is readable they become the image list and the first readable one
        current.  Returns what was read, each with its image or its error."""
        loaded = []
        for p in [str(p) for p in paths][:MAX_IMAGES]:
            try:
                loaded.append(SessionImage(p, load_image(p, min_short_side=PREVIEW_SHORT_SIDE)))
            except ImageLoadError as err:
                loaded.append(SessionImage(p, None, str(err)))
        good = [i for i, d in enumerate(loaded) if d.image is not None]
        if good:
            self.set_images(loaded, good[0])
        return loaded

    def set_images(self, images: list[SessionImage], current: int = 0) -> None:
        self.images = images
        self.images_changed.emit(images, current)
        self.select(current)

    def select(self, index: int) -> str | None:
        """Make image ``index`` current (and probe it); returns the error of an unreadable one."""
        if not (0 <= index < len(self.images)):
            return None
        d = self.images[index]
        if d.image is None:
            return d.error or "unreadable image"
        self.current = index
        self.current_changed.emit(index, d)
        self.request_probe()
        return None

    def current_image(self) -> Any:
        if 0 <= self.current < len(self.images):
            return self.images[self.current].image
        return None

    # ------------------------------------------------------------------ probes
    def set_ten_crop(self, on: bool) -> None:
        self.ten_crop = bool(on)
        self.request_probe()

    def request_probe(self) -> int | None:
        """Probe the current image with the current weights: the token sent, or None (coalesced, or nothing
        to probe)."""
        image = self.current_image()
        if image is None or self.closing:
            return None
        token = self.probes.request()
        if token is not None:
            self.probe_requested.emit(ProbeRequest(token, image.copy(), self.ten_crop))
        return token

    def probe_answered(self, token: int, ok: bool = True) -> bool:
        """The worker answered probe ``token`` (``ok`` False: it failed). True when the answer should be shown;
        a request that waited meanwhile is sent now."""
        show = self.probes.answered(token)
        if self.probes.pending and not self.probes.in_flight:
            self.request_probe()
        return show and ok

    @property
    def probe_idle(self) -> bool:
        """No probe in flight or pending: what is shown is the newest answer there is."""
        return self.probes.idle

    def select_unit(self, layer: str, unit: int) -> None:
        """A conv unit chosen (a map clicked): the views of that unit (its top patches) follow it."""
        if (layer, unit) != self.selected_unit:
            self.selected_unit = (layer, unit)
            self.unit_selected.emit(layer, unit)

    def select_class(self, index: int) -> None:
        """A class chosen to be explained (one of the top-5 clicked)."""
        self.class_selected.emit(index)
