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

from .data import DATASET_NAMES, dataset_train_size, default_dataset
from .data.images import ImageLoadError, load_image
from .i18n import QT_TRANSLATE_NOOP, joined
from .devices import device_choices, device_label
from .io.checkpoints import CheckpointError, is_caffemodel, read_checkpoint_file
from .models import MODELS, WEIGHTS_ALIASES, model_problems
from .payloads import RunInfo, TrainEnd
from .config import ConfigError, TrainConfig
from .recipes import RECIPES, recipe
from .runs.folder import STATE_WORDS, NotARunFolder, RunStatus, is_run_folder, read_run, run_folders
from .runs.files import CONFIG_FILE, METRICS_FILE, runs_root

MAX_IMAGES = 64  # a drop of more files keeps the first 64
PREVIEW_SHORT_SIDE = 512  # big JPEGs are decoded at reduced scale: the model needs 256, the preview no more
DEFAULT_RECIPE = "quick"
#: the plan's last words when Start asks first (left out of the notice once it starts)
ASKS_FIRST = QT_TRANSLATE_NOOP("Session", "asks first")


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
        state = STATE_WORDS.get(self.state, self.state)
        if self.step:
            text = QT_TRANSLATE_NOOP("Session", "watching {name}: {state}, epoch {epoch}, step {step:,}").format(
                name=self.name, state=state, epoch=self.epoch + 1, step=self.step)
        else:
            text = QT_TRANSLATE_NOOP("Session", "watching {name}: {state}").format(name=self.name, state=state)
        if self.problem:
            text = QT_TRANSLATE_NOOP("Session", "{text} — {problem}").format(text=text, problem=self.problem)
        return text


class PlanKind(str, enum.Enum):
    """What Start does: a new run from scratch, a run continued in its own folder, or a new run that starts from
    trained weights."""

    NEW = "new"
    CONTINUE = "continue"
    FINETUNE = "finetune"


@dataclass(frozen=True)
class RunTarget:
    """A run Start can continue: the checkpoint it stopped with, the step there, its settings, and the run folder it
    continues in (None: the checkpoint is not in a run folder, so continuing writes a new one)."""

    checkpoint: str
    step: int = 0
    config: TrainConfig | None = None  # None where the saved settings no longer parse
    run_dir: str | None = None

    @property
    def name(self) -> str:
        return Path(self.run_dir).name if self.run_dir else Path(self.checkpoint).name


#: the settings a checkpoint's weights are shaped by: continuing a run with another of these is another run
SHAPE_KEYS = ("model", "input_size", "channels")


@dataclass(frozen=True)
class StartPlan:
    """What Start will do, said before it does it: the kind, the config to train with, the checkpoint it continues
    (``resume_from``) in which folder (``run_dir``; None: a new folder), the weights a new run starts from
    (``config.init_weights``), and, when the plan would change a run's meaning, the question to ask first (with the
    choices :meth:`Session.start` takes)."""

    kind: PlanKind
    config: TrainConfig
    resume_from: str | None = None
    run_dir: str | None = None
    step: int = 0
    source: str = ""  # the run continued, or the weights fine-tuned from, as the user reads it
    total_steps: int | None = None  # the steps the plan trains (None: not known before the data is read)
    minutes: float | None = None  # how long that takes on this machine, from a run here at the same speed
    question: str | None = None
    choices: tuple[tuple[str, str], ...] = ()  # (choice, button text), when there is a question

    @property
    def label(self) -> str:
        """The Start button's text (short: the toolbar keeps its width)."""
        return {PlanKind.NEW: QT_TRANSLATE_NOOP("Session", "New run"),
                PlanKind.CONTINUE: QT_TRANSLATE_NOOP("Session", "Continue"),
                PlanKind.FINETUNE: QT_TRANSLATE_NOOP("Session", "Fine-tune")}[self.kind]

    def describe(self) -> str:
        """The plan in one line: the Start button's tooltip and the idle status line."""
        cfg = self.config
        data = dataset_title(cfg.dataset, cfg.data_root)
        if self.kind == PlanKind.CONTINUE:
            parts = [QT_TRANSLATE_NOOP("Session", "Continue {source} at step {step:,} of {total:,}").format(
                source=self.source, step=self.step, total=self.total_steps) if self.total_steps else
                QT_TRANSLATE_NOOP("Session", "Continue {source} at step {step:,}").format(source=self.source, step=self.step),
                QT_TRANSLATE_NOOP("Session", "in its folder") if self.run_dir else QT_TRANSLATE_NOOP("Session", "in a new folder")]
        else:
            parts = [QT_TRANSLATE_NOOP("Session", "Fine-tune {source} on {data}").format(source=self.source, data=data), cfg.recipe] \
                if self.kind == PlanKind.FINETUNE else [QT_TRANSLATE_NOOP("Session", "New run"), cfg.recipe, data]
            if self.total_steps:
                parts.append(QT_TRANSLATE_NOOP("Session", "{steps:,} steps").format(steps=self.total_steps))
            elif cfg.time_budget_s:
                parts.append(f"{cfg.time_budget_s:g} s")
            else:
                parts.append(QT_TRANSLATE_NOOP("Session", "{epochs} epoch").format(epochs=cfg.epochs) if cfg.epochs == 1 else
                             QT_TRANSLATE_NOOP("Session", "{epochs} epochs").format(epochs=cfg.epochs))
        if self.minutes is not None:
            parts.append(QT_TRANSLATE_NOOP("Session", "≈ {time} here").format(time=format_minutes(self.minutes)))
        if self.question:
            parts.append(ASKS_FIRST)
        return joined(" · ", parts)


def weights_title(spec: str) -> str:
    """Weights as the user reads them: an alias as it is, a file by its name (and its run folder's, for last.pt)."""
    if spec in WEIGHTS_ALIASES:
        return QT_TRANSLATE_NOOP("Session", "{name} weights").format(name=spec)
    p = Path(spec)
    return f"{p.parent.name}/{p.name}" if p.name in ("last.pt", "best.pt") and p.parent.name else p.name


def dataset_title(name: str, root: str | None = None) -> str:
    """A data set as the user reads it: Fashion-MNIST, CIFAR-10, synthetic, or the folder's name."""
    if name == "folder" and root:
        return QT_TRANSLATE_NOOP("Session", "folder {name}").format(name=Path(root).name)
    return {"fashion-mnist": "Fashion-MNIST", "cifar10": "CIFAR-10"}.get(name, name)


def format_minutes(minutes: float) -> str:
    if minutes < 1:
        return QT_TRANSLATE_NOOP("Session", "{minutes:.0f} min").format(minutes=1) if minutes > 0.5 else \
            QT_TRANSLATE_NOOP("Session", "< 1 min")
    if minutes < 90:
        return QT_TRANSLATE_NOOP("Session", "{minutes:.0f} min").format(minutes=minutes)
    return QT_TRANSLATE_NOOP("Session", "{hours:.1f} h").format(hours=minutes / 60)


def speed_key(cfg: TrainConfig) -> str:
    """What a measured training speed (images/s) is remembered under: the same network, size, batch, device and
    precision train at the same speed on this machine."""
    return "|".join(str(v) for v in (cfg.model, cfg.input_size, cfg.batch_size, cfg.device, cfg.amp, cfg.cpu_bf16,
                                     cfg.channels))


def planned_steps(cfg: TrainConfig) -> int | None:
    """The steps ``cfg`` trains, where the data set's size is known without reading it (None otherwise)."""
    if cfg.time_budget_s:
        return cfg.max_steps or None
    size = dataset_train_size(cfg.dataset)
    if size is None:
        return cfg.max_steps or None
    total = cfg.epochs * -(-size // max(1, cfg.batch_size))
    return min(total, cfg.max_steps) if cfg.max_steps else total


def resumable_checkpoint(spec: str) -> RunTarget | None:
    """Read ``spec`` and say whether it resumes a run, and where (this reads the file, memory-mapped: call it on a
    worker thread). A checkpoint in a run folder continues in that folder."""
    if spec in WEIGHTS_ALIASES or is_caffemodel(spec):  # a Caffe model resumes no run
        return None
    try:
        ck = read_checkpoint_file(spec, mmap=True)
    except CheckpointError:
        return None  # loading it reports why
    if not (isinstance(ck, dict) and "optimizer" in ck and isinstance(ck.get("config"), dict)):
        return None
    progress = ck.get("progress") if isinstance(ck.get("progress"), dict) else {}
    step = progress.get("step", 0)
    folder = Path(spec).expanduser().resolve().parent
    run_dir = str(folder) if is_run_folder(folder) else None
    try:
        config = TrainConfig.from_dict(ck["config"])
    except (ConfigError, TypeError, ValueError):
        config = None
    return RunTarget(str(spec), int(step) if isinstance(step, int) else 0, config, run_dir)


def last_unfinished_run(root: str | os.PathLike | None = None) -> RunTarget | None:
    """The newest run under the runs directory, when it did not finish and its ``last.pt`` is there to continue
    from (stopped by the user, or killed / crashed): what Start continues after the app is reopened. Reads one run
    folder and one checkpoint's header (memory-mapped): call it off the GUI thread."""
    root = Path(root or runs_root())
    if not root.is_dir():
        return None
    folders = run_folders(root, depth=1)
    if not folders:
        return None
    newest = max(folders, key=_run_age)
    try:
        record = read_run(newest)
    except (NotARunFolder, OSError):
        return None
    if record.status not in (RunStatus.STOPPED, RunStatus.CRASHED) or record.last_checkpoint is None:
        return None
    return resumable_checkpoint(str(record.last_checkpoint))


def _run_age(folder: Path) -> float:
    times = []
    for name in (METRICS_FILE, CONFIG_FILE):
        try:
            times.append((folder / name).stat().st_mtime)
        except OSError:
            pass
    return max(times, default=0.0)


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
    return QT_TRANSLATE_NOOP("Session", "{model} model, {dataset}, {size}px, batch {batch}, lr {lr:g}, momentum "
                                        "{momentum:g}, {schedule} schedule, {epochs} epochs").format(
        model=cfg.model, dataset=cfg.dataset, size=cfg.input_size, batch=cfg.batch_size, lr=cfg.lr,
        momentum=cfg.momentum, schedule=cfg.schedule, epochs=cfg.epochs)


def initial_config(recipe_name: str | None = None, dataset: str | None = None, data_root: str | None = None,
                   model: str | None = None, device: str | None = None) -> TrainConfig:
    """The config a session opens with: a recipe (``quick`` unless known), the data set asked for (else the
    recipe's, with Fashion-MNIST only where its files are here), a model other than the recipe's with that
    model's defaults, a device."""
    name = recipe_name if recipe_name in RECIPES else DEFAULT_RECIPE
    cfg = recipe(name)
    if dataset not in DATASET_NAMES:
        dataset = None
    if dataset is None and not RECIPES[name].opens_on_own_data:
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
    if RECIPES[name].keeps_own_data:
        keep_data = cfg.dataset if current.dataset != "folder" else keep_data
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
    stops), ``layer_selected`` (layer name) and ``unit_selected`` (layer name, unit index): the selection every
    view follows (:meth:`select_layer`, :meth:`select_unit`).
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
        # the one selection every view follows: a layer (``layer_selected``), and in it a unit (``unit_selected``)
        self.layer_selected = Event()  # (layer): a layer chosen (the architecture drawing, the activation maps)
        self.selected_layer: str | None = None
        self.unit_selected = Event()  # (layer, unit): a map clicked in the activation maps, a conv1 kernel clicked
        self.class_selected = Event()  # (class index): a class of the top-5 clicked, to explain it
        self.selected_unit: tuple[str, int] | None = None
        self.watch_changed = Event()  # (WatchedRun | None): a run followed from disk, its news, or the end of it
        self.watched: WatchedRun | None = None

        self._config = config or initial_config()
        self.state = RunState.IDLE
        self.weights: WeightsInfo | None = None
        self.weights_spec: str | None = None  # what was loaded (a path or alias), None for a built model
        self.target: RunTarget | None = None  # the run Start continues (stopped here, loaded, or left unfinished)
        self.finetune_from: str | None = None  # trained weights the user loaded: a new run starts from them
        self.plan_changed = Event()  # (StartPlan): what Start will do changed (recipe, data, weights, a stop)
        self.speeds: dict[str, float] = {}  # images/s measured here, by speed_key: the plan's time estimate
        self.pausing = False  # Pause was pressed and the batch under way is ending
        self._before_load: tuple | None = None  # (weights_spec, target, finetune_from, last_end) before a load
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
        self._plan_changed()

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
        # the weights a past run started from are no plan for this session: only the recipe's own
        saved.init_weights = recipe(saved.recipe).init_weights if saved.recipe in RECIPES else None
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
        self.notice.emit("info", QT_TRANSLATE_NOOP("Session", "recipe '{name}': {settings}").format(
            name=name, settings=describe_config(self._config)))
        return True

    def set_dataset(self, name: str, root: str | None = None) -> None:
        """Train on another data set from now on. A run Start would continue stays the plan: it was trained on its
        own data set, so Start asks first (continue it there, or start a new run on this one from its weights)."""
        self._config.dataset = name
        self._config.data_root = root
        self.notice.emit("info", QT_TRANSLATE_NOOP("Session", "dataset: {name} in {root} (loaded when training starts)")
                         .format(name=name, root=root) if root else
                         QT_TRANSLATE_NOOP("Session", "dataset: {name} (loaded when training starts)").format(name=name))
        self.config_changed.emit(self._config, self._config)
        self._plan_changed()

    def apply_settings(self, cfg: TrainConfig) -> bool:
        """The settings dialog's config; True when the model should be rebuilt for it (an untrained one, idle)."""
        self.config = cfg
        self.notice.emit("info", QT_TRANSLATE_NOOP("Session", "settings: {settings}").format(
            settings=describe_config(cfg)))
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
            if state != RunState.RUNNING:  # paused, stopping or ended: the batch a pause waited for is over
                self.pausing = False
            self.state = state
            self.state_changed.emit(state)

    def toggle_intent(self) -> str | None:
        """What Start/Pause does now: ``start``, ``pause``, ``resume``, or None (starting, pausing, stopping)."""
        if self.state.can_start:
            return "start"
        if self.pausing:
            return None
        return {RunState.RUNNING: "pause", RunState.PAUSED: "resume"}.get(self.state)

    def pause_requested(self) -> None:
        """Pause was pressed: the button says "Pausing…" until the batch under way ends."""
        if self.state == RunState.RUNNING and not self.pausing:
            self.pausing = True
            self.state_changed.emit(self.state)

    @property
    def continues(self) -> bool:
        """Start continues a run (stopped here, loaded from its checkpoint, or left unfinished last time)."""
        return self.target is not None

    @property
    def start_label(self) -> str:
        """The Start button's text: the plan's kind while idle, else what pressing it does."""
        if self.pausing and self.state == RunState.RUNNING:
            return self.START_LABELS[5]
        label = {RunState.RUNNING: self.START_LABELS[3], RunState.PAUSED: self.START_LABELS[4],
                 RunState.STARTING: self.START_LABELS[6], RunState.STOPPING: self.START_LABELS[7]}.get(self.state)
        return label or self.plan().label

    #: every text the Start button can show: the toolbar sizes it once for the widest (it never changes width)
    START_LABELS = (QT_TRANSLATE_NOOP("Session", "New run"), QT_TRANSLATE_NOOP("Session", "Continue"),
                    QT_TRANSLATE_NOOP("Session", "Fine-tune"), QT_TRANSLATE_NOOP("Session", "Pause"),
                    QT_TRANSLATE_NOOP("Session", "Resume"), QT_TRANSLATE_NOOP("Session", "Pausing…"),
                    QT_TRANSLATE_NOOP("Session", "Starting…"), QT_TRANSLATE_NOOP("Session", "Stopping…"))

    def plan(self, fresh: bool = False) -> StartPlan:
        """What Start (``fresh``: Train ▸ Start new run) would do now, without doing it: continue the run in
        :attr:`target` in its own folder, else fine-tune the trained weights the user loaded, else a new run from
        scratch. A run continued on another data set or shape than its own is asked about first."""
        cfg = self._config.replace()
        target = None if fresh else self.target
        if target is not None:
            own = target.config
            question, choices = None, ()
            if own is not None:
                changed = [k for k in ("dataset", "data_root", *SHAPE_KEYS) if getattr(own, k) != getattr(cfg, k)]
                if changed:
                    question = QT_TRANSLATE_NOOP(
                        "Session", "{name} was trained on {data} ({model}, {size} px); the settings now say {new_data} "
                                   "({new_model}, {new_size} px). Continuing a run keeps its data set and network.").format(
                        name=target.name, data=dataset_title(own.dataset, own.data_root), model=own.model,
                        size=own.input_size, new_data=dataset_title(cfg.dataset, cfg.data_root), new_model=cfg.model,
                        new_size=cfg.input_size)
                    choices = (("continue", QT_TRANSLATE_NOOP("Session", "Continue {name} on {data}").format(
                                   name=target.name, data=dataset_title(own.dataset))),
                               ("finetune", QT_TRANSLATE_NOOP("Session", "New run on {data} from its weights").format(
                                   data=dataset_title(cfg.dataset, cfg.data_root))),
                               ("cancel", QT_TRANSLATE_NOOP("Session", "Cancel")))
                    cfg = own.replace(device=cfg.device)
                else:  # the run's own settings, with what the user changed since (a lower lr, more epochs)
                    cfg.recipe = own.recipe
            return self._timed(StartPlan(PlanKind.CONTINUE, cfg, target.checkpoint, target.run_dir, target.step,
                                         target.name, question=question, choices=choices))
        source = self.finetune_from
        if source and self.weights is not None and self.weights.trained:
            cfg.init_weights = source
            cfg.model = self.weights.variant
            return self._timed(StartPlan(PlanKind.FINETUNE, cfg, source=weights_title(source)))
        if cfg.init_weights:  # the recipe's own start (finetune: torchvision's ImageNet weights)
            return self._timed(StartPlan(PlanKind.FINETUNE, cfg, source=weights_title(cfg.init_weights)))
        return self._timed(StartPlan(PlanKind.NEW, cfg))

    def _timed(self, plan: StartPlan) -> StartPlan:
        total = planned_steps(plan.config)
        minutes = None
        speed = self.speeds.get(speed_key(plan.config))
        if total and speed:
            left = total - plan.step if plan.kind == PlanKind.CONTINUE else total
            minutes = max(0, left) * plan.config.batch_size / speed / 60
        elif plan.config.time_budget_s:
            minutes = plan.config.time_budget_s / 60
        return replace(plan, total_steps=total, minutes=minutes)

    def _plan_changed(self) -> None:
        if self.state.can_start:
            self.plan_changed.emit(self.plan())

    def start(self, fresh: bool = False, choice: str | None = None) -> StartPlan | None:
        """Start what :meth:`plan` says (None, with a notice, where nothing can start). A plan with a question
        needs the user's ``choice``: "continue" (the run on its own data set), "finetune" (a new run on the chosen
        data set from the run's weights) or "cancel"."""
        if not self.state.can_start:
            return None
        plan = self.plan(fresh)
        if plan.question:
            if choice == "continue":
                plan = replace(plan, question=None, choices=())
            elif choice == "finetune":
                cfg = self._config.replace(init_weights=plan.resume_from)
                if self.target is not None and self.target.config is not None:
                    cfg.model = self.target.config.model
                plan = self._timed(StartPlan(PlanKind.FINETUNE, cfg, source=self.target.name))
            else:
                if choice != "cancel":
                    self.notice.emit("warning", QT_TRANSLATE_NOOP("Session", "not started: {question} Choose one.")
                                     .format(question=plan.question))
                return None
        problems = plan.config.problems()
        if problems:
            self.notice.emit("error", QT_TRANSLATE_NOOP("Session", "cannot start: {problems}").format(
                problems=joined("; ", problems)))
            return None
        self.stop_watching(QT_TRANSLATE_NOOP("Session", "training started"))
        self.set_run_state(RunState.STARTING)
        said = plan.describe()
        self.notice.emit("info", joined(said.sep, [p for p in said.parts if p is not ASKS_FIRST]))
        return plan

    def run_failed_to_start(self) -> None:
        """The worker could not begin the plan (a bad data set, a locked folder): the plan is shown again."""
        self._plan_changed()

    def remember_speed(self, cfg: TrainConfig | dict, images_per_s: float) -> None:
        """A run here trained at ``images_per_s``: later plans with the same network, size, batch and device use it
        for their time estimate."""
        if isinstance(cfg, dict):
            try:
                cfg = TrainConfig.from_dict(cfg)
            except (ConfigError, TypeError, ValueError):
                return
        if images_per_s > 0:
            self.speeds[speed_key(cfg)] = float(images_per_s)

    def offer_target(self, target: RunTarget | None) -> bool:
        """The newest run was left unfinished (found after the app opened): Start continues it, with its settings,
        unless the user has chosen something else meanwhile."""
        if target is None or self.target is not None or self.finetune_from or self.state.busy:
            return False
        if target.config is not None:
            cfg = target.config.replace(device=self._config.device)
            if cfg.problems():
                return False
            self._config = cfg
            self.config_changed.emit(cfg, cfg)
        self.target = target
        self._plan_changed()
        return True

    def run_config(self) -> TrainConfig:
        """The settings of the run under way (what the settings dialog shows, read-only, while it trains)."""
        if self.run_info is not None and self.state.busy:
            try:
                return TrainConfig.from_dict(self.run_info.config)
            except (ConfigError, TypeError, ValueError):
                pass
        return self._config

    def run_began(self, info: RunInfo) -> None:
        self.run_info = info
        self.run_started.emit(info)

    def run_finished(self, end: TrainEnd) -> None:
        """The run ended. Stopped with a checkpoint: Start continues it, in its folder; otherwise the next Start is
        a new run (the weights in memory are the run's, so nothing is fine-tuned from what was loaded before)."""
        self.last_end = end
        self.pausing = False
        info = self.run_info
        if end.reason == "stopped" and end.checkpoint:
            config = None
            if info is not None:
                try:
                    config = TrainConfig.from_dict(info.config)
                except (ConfigError, TypeError, ValueError):
                    config = None
            run_dir = info.run_dir if info is not None else None
            self.target = RunTarget(end.checkpoint, end.step, config, run_dir)
        elif end.reason != "config":  # a refused start changes nothing; anything else ran
            self.target = None
        if end.reason not in ("config", "locked"):
            self.finetune_from = None
        self.run_ended.emit(end)
        self._plan_changed()
        self.request_probe()

    # ------------------------------------------------------------------ a run followed from disk
    def watch(self, path: str | os.PathLike) -> WatchedRun | None:
        """Follow the run folder ``path`` that another process writes: its curves and kernels replace the ones
        shown. Refused (None, with a notice) while this window's own run is on; a run watched before is dropped."""
        if self.state.busy:
            self.notice.emit("warning", QT_TRANSLATE_NOOP("Session", "stop training before watching a run from disk"))
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
        self.notice.emit("info", QT_TRANSLATE_NOOP("Session", "stopped watching {name} ({why})").format(name=name, why=why)
                         if why else QT_TRANSLATE_NOOP("Session", "stopped watching {name}").format(name=name))
        return True

    # ------------------------------------------------------------------ weights
    def load_weights(self, spec: str) -> bool:
        """The user asks for other weights; False (with a notice) while a run holds the model. Trained weights
        become what a new run starts from (the plan says "Fine-tune"); a checkpoint that resumes a run becomes the
        run Start continues (:meth:`checkpoint_resumes`, once the worker has read it)."""
        if self.state.busy:
            self.notice.emit("warning", QT_TRANSLATE_NOOP("Session", "stop training before loading other weights"))
            return False
        self._before_load = (self.weights_spec, self.target, self.finetune_from, self.last_end)
        self.weights_spec = spec
        self.target = None
        self.finetune_from = None
        self.last_end = None
        return True

    def weights_failed(self, spec: str) -> None:
        """The worker could not load ``spec`` and keeps the model it held: so does the session (what Start
        continues or fine-tunes from stays as before the attempt)."""
        if spec == self.weights_spec and self._before_load is not None:
            self.weights_spec, self.target, self.finetune_from, self.last_end = self._before_load
        self._before_load = None
        self._plan_changed()

    def reset_weights(self) -> TrainConfig:
        """A fresh untrained model for the current settings: the config to build it from (Start: a new run)."""
        self.weights_spec = None
        self.target = None
        self.finetune_from = None
        self.last_end = None
        self._plan_changed()
        return self._config.replace()

    def checkpoint_resumes(self, found: RunTarget) -> None:
        """The worker found that loaded checkpoint ``found.checkpoint`` resumes a run: Start continues it, in its
        own folder, with its settings (the device stays this machine's)."""
        if found.checkpoint != self.weights_spec:
            return  # other weights were asked for since
        self.target = found
        if found.config is not None:
            cfg = found.config.replace(device=self._config.device, init_weights=None)
            self._config = cfg  # without a plan in between: the plan below is the run's
            self.config_changed.emit(cfg, cfg)
        self._plan_changed()

    def weights_changed_to(self, info: WeightsInfo) -> None:
        """The worker holds other weights. Trained weights the user loaded (not a run's own) are what the next new
        run starts from."""
        self.weights = info
        if self.weights_spec and info.trained and not self.state.busy and self.target is None:
            self.finetune_from = self.weights_spec
        self.weights_changed.emit(info)
        self._plan_changed()
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
            return d.error or QT_TRANSLATE_NOOP("Session", "unreadable image")
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

    def select_layer(self, layer: str) -> None:
        """A layer chosen (a box of the architecture drawing clicked, a layer picked in the activation maps): every
        view of layers follows it (``layer_selected``). The unit chosen before stays chosen."""
        if layer != self.selected_layer:
            self.selected_layer = layer
            self.layer_selected.emit(layer)

    def select_unit(self, layer: str, unit: int) -> None:
        """A conv unit chosen (a map or a conv1 kernel clicked): its layer is selected first, then the views of that
        unit (its kernel, its top patches, its place in the architecture drawing) follow it."""
        self.select_layer(layer)
        if (layer, unit) != self.selected_unit:
            self.selected_unit = (layer, unit)
            self.unit_selected.emit(layer, unit)

    def select_class(self, index: int) -> None:
        """A class chosen to be explained (one of the top-5 clicked)."""
        self.class_selected.emit(index)
