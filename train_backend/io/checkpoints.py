"""Checkpoints of this app and torchvision .pth files: atomic writes, safe loads (``weights_only=True``); the other
formats (Caffe, the aliases) are loaded through :mod:`.weights`.

A checkpoint of this app is a dict of tensors and plain Python values::

    {"format": "alexnet-gui-checkpoint", "version": 1, "model": {...build_model kwargs...},
     "state_dict": {...}, "classes": [...], "input": {...InputSpec...}, "dataset": "...",
     ... and, from the trainer, "optimizer", "scheduler", "scaler", "rng", "progress",
     "history", "config"}

Plain torchvision state_dicts (``alexnet-owt-7be5be79.pth``) load into the torchvision variant.
Anything else — truncated, random bytes, a pickle that would run code, another architecture,
another class count, a newer format — raises :class:`CheckpointError` with a clear message.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch

from ..errors import AlexNetGuiError
from ..i18n import QT_TRANSLATE_NOOP
from ..data import IMAGENET_MEAN, IMAGENET_STD
from ..data.augment import mean_image_crop, norm_stats
from .atomic import write_atomic
from ..models import MODELS, WEIGHTS_ALIASES, AlexNetBase, D2LAlexNet, PaperAlexNet, build_model, imagenet_categories, \
    is_torchvision_state_dict, map_torchvision_keys

FORMAT = "alexnet-gui-checkpoint"
#: 2: the paper model's ``towers=1`` is the paper's one-GPU net (48-128-192-192-256 kernels); version 1 files
#: meant a full-size single tower by it, and are read as such (:func:`upgrade_model_config`)
VERSION = 2
#: the weights files the app opens: its own checkpoints and torchvision-style state dicts, and Caffe's models
TORCH_SUFFIXES = (".pt", ".pth", ".ckpt")
CAFFE_SUFFIX = ".caffemodel"
WEIGHT_SUFFIXES = (*TORCH_SUFFIXES, CAFFE_SUFFIX)


def is_caffemodel(path: str | os.PathLike) -> bool:
    """A Caffe model (imported into the paper model on the fly), by its name."""
    return str(path).lower().endswith(CAFFE_SUFFIX)


class CheckpointError(AlexNetGuiError, ValueError):
    """A weights file could not be used; the message names the file and the reason."""


@dataclass(frozen=True)
class InputSpec:
    """How an image becomes the model's input: size, channels and normalisation.

    Pixels are read in [0, 1]; the input is ``(x - mean) / std``.  The paper's raw 0-255 values minus the training
    set's mean are ``std = 1/255`` with ``mean`` the mean pixel (``pixels="mean-pixel"``), or with ``mean_image``
    (C, R, R) in [0, 1] units, the training set's mean image, subtracted from the central ``R`` square before the
    crop (``pixels="mean-image"``, as Caffe; ``mean`` then says its average pixel, for display and for readers that
    know no mean image)."""

    size: int = 227
    channels: int = 3
    mean: tuple[float, ...] = IMAGENET_MEAN
    std: tuple[float, ...] = IMAGENET_STD
    #: the side images are resized to before the crop (None: 256 for 224/227 crops, the same ratio for smaller);
    #: d2l's recipe resizes Fashion-MNIST to 224 and crops nothing, and its weights must be probed the same way
    resize: int | None = None
    mean_image: Any = field(default=None, compare=False, repr=False)  # np.ndarray (C, R, R) float32, or None
    #: identifies the mean image (equal specs have equal digests; the transforms are cached by spec)
    mean_digest: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "mean", tuple(float(v) for v in self.mean))  # plain floats: a checkpoint loads
        object.__setattr__(self, "std", tuple(float(v) for v in self.std))  # with weights_only, NumPy's do not
        if self.mean_image is not None:
            arr = np.ascontiguousarray(np.asarray(self.mean_image, dtype=np.float32))
            if arr.ndim != 3:
                raise ValueError(f"a mean image is (C, R, R), got shape {arr.shape}")
            arr.setflags(write=False)
            object.__setattr__(self, "mean_image", arr)
            if not self.mean_digest:
                object.__setattr__(self, "mean_digest", hashlib.sha1(arr.tobytes()).hexdigest()[:16])

    @property
    def raw_pixels(self) -> bool:
        """The paper's input: 0-255 values, centred, not divided by a spread (``std`` 1/255)."""
        return all(abs(s * 255 - 1) < 1e-6 for s in self.std)

    @property
    def pixels(self) -> str:
        """The input scaling in words: ``mean-image``, ``mean-pixel`` (raw 0-255 minus a mean) or ``standardised``."""
        if self.mean_image is not None:
            return "mean-image"
        return "mean-pixel" if self.raw_pixels else "standardised"

    def offset(self, crop: int | None = None) -> torch.Tensor:
        """What is subtracted from a crop's [0, 1] pixels before dividing by ``std``: (C, S, S), the mean image at
        the centre crop (``crop=None``) or a ten-crop patch (0-9); (C, 1, 1) the mean pixel without a mean image."""
        if self.mean_image is not None:
            return mean_image_crop(self.mean_image, self.size, self.channels, crop).clone()
        mean, _ = norm_stats(self.mean, self.std, self.channels)
        return torch.tensor(mean, dtype=torch.float32)[:, None, None]

    def to_dict(self) -> dict[str, Any]:
        """Plain values (JSON-able): the mean image by its digest; :meth:`checkpoint_entry` adds the image itself."""
        d = {"size": self.size, "channels": self.channels, "mean": list(self.mean), "std": list(self.std),
             "resize": self.resize}
        if self.mean_image is not None:
            d["mean_digest"] = self.mean_digest
        return d

    def checkpoint_entry(self) -> dict[str, Any]:
        """What a checkpoint's ``"input"`` holds: :meth:`to_dict` and the mean image as a tensor."""
        d = self.to_dict()
        if self.mean_image is not None:
            d["mean_image"] = torch.from_numpy(np.array(self.mean_image))
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "InputSpec":
        resize = d.get("resize")
        m = d.get("mean_image")
        if isinstance(m, torch.Tensor):
            m = m.detach().float().cpu().numpy()
        return cls(int(d["size"]), int(d["channels"]), tuple(float(v) for v in d["mean"]),
                   tuple(float(v) for v in d["std"]), None if resize is None else int(resize),
                   None if m is None else np.asarray(m, dtype=np.float32))


@dataclass
class LoadedWeights:
    """A model ready for inference, with what is needed to feed it and read its output."""

    model: AlexNetBase
    classes: list[str]
    input: InputSpec
    source: str  # "untrained", "torchvision ImageNet", or a file path
    trained: bool
    checkpoint: dict[str, Any] = field(default_factory=dict)

    @property
    def eval_resize(self) -> str:
        """How evaluation resizes images for these weights: as the config they were trained with says."""
        return (self.checkpoint.get("config") or {}).get("eval_resize", "shorter")

    @property
    def description(self) -> str:
        template = QT_TRANSLATE_NOOP("Weights", "{model}, {classes} classes, {size}px, from {source}") if self.trained \
            else QT_TRANSLATE_NOOP("Weights", "{model} (untrained), {classes} classes, {size}px, from {source}")
        return template.format(model=self.model.variant, classes=len(self.classes), size=self.input.size,
                               source=self.source)


# --------------------------------------------------------------------------------------- writing
def atomic_save(obj: Any, path: str | os.PathLike) -> Path:
    """``torch.save`` to a temporary file in the same folder, fsync, then ``os.replace``.

    A crash or kill at any moment leaves either the previous file or the new one, never half of one.

    The data goes through a Python file object rather than a path: given a path, torch's zip writer copies
    each tensor to the file while holding the GIL (for AlexNet's fc7 long enough to freeze a GUI thread beside
    the training thread); through a file object every chunk is a ``write`` that releases it, at the same speed
    (``benchmarks/gui_latency.py``; figures in benchmarks/README.md).
    """
    def write(tmp: str) -> None:
        with open(tmp, "wb") as f:
            try:
                torch.save(obj, f)
            except RuntimeError as err:  # torch's zip writer words a full disk "[enforce fail ...] unexpected pos"
                raise _write_failed(tmp, err) from err

    return write_atomic(path, write)


def _write_failed(tmp: str, err: RuntimeError) -> OSError:
    """A failed ``torch.save`` as the OSError it is, with the disk's free space, so the callers that report a
    failed write (and go on training) treat it as one."""
    import errno
    import shutil

    try:
        free = shutil.disk_usage(os.path.dirname(tmp) or ".").free
    except OSError:
        return OSError(errno.EIO, f"the file could not be written ({str(err).strip().splitlines()[0][:120]})")
    full = free < 64 << 20
    why = "the disk is full" if full else "the file could not be written"
    return OSError(errno.ENOSPC if full else errno.EIO,
                   f"{why} ({free / 2**20:,.0f} MiB free there; torch: {str(err).strip().splitlines()[0][:120]})")


def make_checkpoint(model: AlexNetBase, classes: list[str], input_spec: InputSpec, **extra: Any) -> dict[str, Any]:
    """The dict :func:`save_checkpoint` writes; ``extra`` adds trainer state (optimizer, rng, ...)."""
    state = {k: v.detach().cpu().clone() for k, v in model.state_dict().items()}
    ckpt = {
        "format": FORMAT, "version": VERSION, "model": model.config(), "state_dict": state,
        "classes": list(classes), "input": input_spec.checkpoint_entry(),
    }
    ckpt.update(extra)
    return ckpt


def save_checkpoint(path: str | os.PathLike, model: AlexNetBase, classes: list[str], input_spec: InputSpec,
                    **extra: Any) -> Path:
    return atomic_save(make_checkpoint(model, classes, input_spec, **extra), path)


# --------------------------------------------------------------------------------------- reading
def _existing_file(path: str | os.PathLike) -> Path:
    p = Path(path)
    if p.is_dir():
        raise CheckpointError(f"'{p}' is a folder, not a weights file")
    if not p.exists():
        raise CheckpointError(f"'{p}': no such file")
    if p.stat().st_size == 0:
        raise CheckpointError(f"'{p}' is empty")
    return p


def read_checkpoint_file(path: str | os.PathLike, mmap: bool = False) -> Any:
    """``torch.load(weights_only=True)`` with each failure turned into a :class:`CheckpointError`.

    ``mmap``: map the tensors' storage instead of reading it (a zip-format file: torch's since 1.6), so reading a
    455 MB checkpoint to look at what it holds costs its directory, not its size; other files are read whole."""
    p = _existing_file(path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # "Detected pickle protocol 4..." on foreign pickles
            if mmap and zipfile.is_zipfile(p):
                return torch.load(p, map_location="cpu", weights_only=True, mmap=True)
            return torch.load(p, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as err:
        msg = str(err)
        if "GLOBAL" in msg or "Unsupported global" in msg:
            raise CheckpointError(
                f"'{p}' was refused: it contains Python objects that would run code when loaded "
                "(only tensors and plain values are accepted from a weights file)") from None
        raise CheckpointError(f"'{p}' is not a PyTorch weights file or is damaged") from None
    except PermissionError:
        raise CheckpointError(f"'{p}': permission denied") from None
    except Exception as err:  # noqa: BLE001 - garbage can fail the unpickler in any way at all
        first = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise CheckpointError(f"'{p}' is truncated, damaged or not a PyTorch weights file ({first})") from None


def _state_dict_tensors(state: Any, where: str) -> dict[str, torch.Tensor]:
    if not isinstance(state, dict) or not state or not all(isinstance(v, torch.Tensor) for v in state.values()):
        raise CheckpointError(f"'{where}' does not hold model weights (no state_dict of tensors)")
    return state


def guess_model_config(state: dict[str, torch.Tensor]) -> dict[str, Any]:
    """Infer the variant, class count and input channels from a bare state_dict with our layer names."""
    convs = [state.get(f"conv{i}.weight") for i in range(1, 6)]
    if any(c is None or c.dim() != 4 for c in convs) or "fc8.weight" not in state or "fc6.weight" not in state:
        raise CheckpointError("the weights are not an AlexNet of this app or of torchvision "
                              "(no conv1-conv5/fc6/fc8 layers)")
    conv1, conv2, fc8 = convs[0], convs[1], state["fc8.weight"]
    num_classes, in_channels = int(fc8.shape[0]), int(conv1.shape[1])
    if conv1.shape[0] == 64:
        return {"name": "torchvision", "num_classes": num_classes, "in_channels": in_channels}
    if conv1.shape[0] == 96 and conv2.shape[1] == 96 and state["fc6.weight"].shape[1] == 256 * D2LAlexNet.POOL5 ** 2:
        return {"name": "d2l", "num_classes": num_classes, "in_channels": in_channels}
    towers = 2 if conv2.shape[1] * 2 == conv1.shape[0] else 1
    lrn = True  # LRN has no parameters; a bare state_dict cannot tell, so assume the paper's model
    return {"name": "paper", "num_classes": num_classes, "in_channels": in_channels, "towers": towers,
            "kernels": tuple(int(c.shape[0]) for c in convs), "hidden": int(state["fc6.weight"].shape[0]),
            "lrn": lrn}


def upgrade_model_config(config: dict[str, Any], version: int) -> dict[str, Any]:
    """A stored model config in today's terms: before version 2 the paper model's ``towers=1`` was a full-size
    single tower (96-256-384-384-256 kernels times ``width``), which is now written out as ``kernels``."""
    config = dict(config)
    if version < 2 and config.get("name") == "paper" and config.get("towers") == 1 and not config.get("kernels"):
        width = float(config.get("width", 1.0))
        config["kernels"] = tuple(max(1, int(round(c * width))) for c in PaperAlexNet.KERNELS[2])
    if isinstance(config.get("kernels"), list):
        config["kernels"] = tuple(config["kernels"])
    return config


def _interpret(obj: Any, where: str, expect_variant: str | None = None
               ) -> tuple[str, dict[str, Any], dict[str, torch.Tensor], list[str], InputSpec, bool, dict[str, Any]]:
    """What a read weights file holds: (model name, build options, state_dict, classes, input, trained, checkpoint
    dict), or :class:`CheckpointError` for anything that is not a model's weights of this app or torchvision."""
    if isinstance(obj, dict) and obj.get("format") == FORMAT:
        version = obj.get("version")
        if not isinstance(version, int) or version > VERSION:
            raise CheckpointError(f"'{where}' was written by a newer alexnet-gui (checkpoint format version "
                                  f"{version}; this version reads up to {VERSION}): update the app")
        config = upgrade_model_config(dict(obj.get("model") or {}), version)
        state = _state_dict_tensors(obj.get("state_dict"), where)
        classes = list(obj.get("classes") or [])
        spec = InputSpec.from_dict(obj["input"]) if "input" in obj else InputSpec()
        trained = True
        ckpt = obj
    elif is_torchvision_state_dict(obj if isinstance(obj, dict) else {}):
        state = map_torchvision_keys(_state_dict_tensors(obj, where))
        config = {"name": "torchvision", "num_classes": int(state["fc8.weight"].shape[0]), "in_channels": 3}
        classes = imagenet_categories() if config["num_classes"] == 1000 else \
            [f"class {i}" for i in range(config["num_classes"])]
        spec = InputSpec(224, 3, IMAGENET_MEAN, IMAGENET_STD)
        trained, ckpt = True, {}
    else:
        if isinstance(obj, dict) and "state_dict" in obj and isinstance(obj["state_dict"], dict):
            obj = obj["state_dict"]
        state = _state_dict_tensors(obj, where)
        state = {k.removeprefix("module."): v for k, v in state.items()}
        if is_torchvision_state_dict(state):
            state = map_torchvision_keys(state)
        try:
            config = guess_model_config(state)
        except CheckpointError as err:
            raise CheckpointError(f"'{where}': {err}") from None
        classes = [f"class {i}" for i in range(config["num_classes"])]
        native = MODELS[config["name"]].native_size
        spec = InputSpec(native, config["in_channels"], *((0.0,), (1.0,))) if config["name"] == "d2l" \
            else InputSpec(native, config["in_channels"])
        trained, ckpt = True, {}
    name = config.pop("name", None)
    if name not in MODELS:
        raise CheckpointError(f"'{where}' describes an unknown model {name!r}")
    if expect_variant is not None and name != expect_variant:
        raise CheckpointError(f"'{where}' holds the {name!r} AlexNet, not the {expect_variant!r} one")
    return name, config, state, classes, spec, trained, ckpt


def fit_classes(model: AlexNetBase, classes: list[str], num_classes: int | None, reinit_classifier: bool,
                where: str) -> list[str]:
    """The classes of weights loaded for a caller that needs ``num_classes``: the same when they agree (or nothing
    is asked); a new fc8 and numbered classes when ``reinit_classifier`` (as fine-tuning does); else a
    :class:`CheckpointError`."""
    if num_classes is None or num_classes == len(classes):
        return classes
    if not reinit_classifier:
        raise CheckpointError(
            f"'{where}' was trained for {len(classes)} classes but {num_classes} are needed; "
            "re-initialise fc8 (as fine-tuning does) to use its other layers")
    model.reset_classifier(num_classes)
    return [f"class {i}" for i in range(num_classes)]


def load_checkpoint(path: str | os.PathLike, num_classes: int | None = None, reinit_classifier: bool = False,
                    expect_variant: str | None = None) -> LoadedWeights:
    """Build the model a PyTorch weights file (a checkpoint of this app, a torchvision ``.pth``) describes and load
    it; :func:`train_backend.io.weights.load_weights` takes every format.  ``num_classes`` and
    ``reinit_classifier``: see :func:`fit_classes`; ``expect_variant``: raise if the file holds another
    architecture."""
    where = str(path)
    obj = read_checkpoint_file(path)
    name, config, state, classes, spec, trained, ckpt = _interpret(obj, where, expect_variant)
    file_classes = int(config.get("num_classes", len(classes) or 1000))
    config["num_classes"] = file_classes
    try:
        model = build_model(name, **config)
        missing, unexpected = model.load_state_dict(state, strict=False)
    except (RuntimeError, ValueError, TypeError) as err:
        first = str(err).splitlines()[0]
        raise CheckpointError(f"'{where}' does not fit the {name!r} AlexNet ({first})") from None
    if missing or unexpected:
        parts = []
        if missing:
            parts.append("missing " + ", ".join(missing[:4]) + ("…" if len(missing) > 4 else ""))
        if unexpected:
            parts.append("unexpected " + ", ".join(unexpected[:4]) + ("…" if len(unexpected) > 4 else ""))
        raise CheckpointError(f"'{where}' does not fit the {name!r} AlexNet ({'; '.join(parts)})")
    if len(classes) != file_classes:
        classes = [f"class {i}" for i in range(file_classes)]
    classes = fit_classes(model, classes, num_classes, reinit_classifier, where)
    model.eval()
    return LoadedWeights(model, classes, spec, where, trained, ckpt)


def untrained_weights(name: str = "paper", num_classes: int = 1000, classes: list[str] | None = None,
                      input_spec: InputSpec | None = None, seed: int | None = 0, **options: Any) -> LoadedWeights:
    """A freshly initialised model, labelled as untrained (predictions from it are not predictions)."""
    if seed is not None:
        torch.manual_seed(seed)
    model = build_model(name, num_classes=num_classes, **options).eval()
    if classes is None:
        classes = imagenet_categories() if num_classes == 1000 else [f"class {i}" for i in range(num_classes)]
    spec = input_spec or InputSpec(model.native_size, model.in_channels)
    return LoadedWeights(model, list(classes), spec, QT_TRANSLATE_NOOP("Weights", "untrained"), False)


def torchvision_weights(progress: bool = True) -> LoadedWeights:
    """torchvision's ImageNet AlexNet, through torchvision's weights API (downloads when online)."""
    model = build_model("torchvision", weights="imagenet").eval()
    from torchvision.models import AlexNet_Weights

    meta = AlexNet_Weights.IMAGENET1K_V1
    tf = meta.transforms()
    spec = InputSpec(int(tf.crop_size[0]), 3, tuple(tf.mean), tuple(tf.std))
    return LoadedWeights(model, list(meta.meta["categories"]), spec,
                         QT_TRANSLATE_NOOP("Weights", "torchvision ImageNet (IMAGENET1K_V1)"), True)


def torchvision_download_failed(err: BaseException) -> str:
    """What to do when torchvision's ImageNet weights could not be downloaded, in plain words: the file, where torch's
    cache looks for it (then no download is needed), and the address to fetch it from on a machine that is online."""
    import urllib.error
    import urllib.parse

    from torch.hub import get_dir
    from torchvision.models import AlexNet_Weights

    url = AlexNet_Weights.IMAGENET1K_V1.url
    name = os.path.basename(urllib.parse.urlparse(url).path)
    folder = Path(get_dir()) / "checkpoints"
    if isinstance(err, urllib.error.URLError) or isinstance(err, OSError) and "urlopen" in str(err):
        why = "this computer could not reach download.pytorch.org (no network?)"
    elif "hash" in str(err).lower():
        why = "the downloaded file was damaged (its checksum does not match)"
    else:
        why = f"the download failed ({type(err).__name__}: {err})"
    return (f"Could not get torchvision's ImageNet weights: {why}.\n"
            f"To use them offline, copy the file {name} (from {url}) into {folder}{os.sep} "
            f"(torch's cache: it is then read from there, with no download), or load the file with "
            f"File ▸ Load weights… .\nDetails: {err}")


def check_weights(spec: str | None) -> None:
    """Raise :class:`CheckpointError` where ``spec`` (as :func:`resolve_weights` takes it) names no usable weights:
    a missing, unreadable or foreign file, one that holds no AlexNet.  Cheap and bounded, for a check before a
    window opens: the file is read with ``weights_only=True`` and its tensors memory-mapped, not loaded; no model
    is built.  A Caffe model is only checked to be a readable file (its import is the slow part); the torchvision
    alias is not downloaded."""
    if spec is None or spec == "untrained" or spec in WEIGHTS_ALIASES:
        return
    if is_caffemodel(spec):
        p = _existing_file(spec)
        try:
            with open(p, "rb") as f:
                f.read(1)
        except OSError as err:
            raise CheckpointError(f"'{p}' cannot be read ({err.strerror or err})") from None
        return
    _interpret(read_checkpoint_file(spec, mmap=True), str(spec))
