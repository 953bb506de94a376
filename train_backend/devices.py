"""Which device a run trains on: ``auto`` picks CUDA, then Apple's MPS, then the CPU."""

from __future__ import annotations

import torch

from .config import ConfigError
from .i18n import QT_TRANSLATE_NOOP


def resolve_device(name: str = "auto") -> torch.device:
    """``auto`` → CUDA > MPS > CPU; a named device that is not present is a :class:`ConfigError`."""
    name = (name or "auto").lower()
    mps = getattr(torch.backends, "mps", None)
    has_mps = bool(mps and mps.is_available())
    if name == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda")
        return torch.device("mps") if has_mps else torch.device("cpu")
    if name.startswith("cuda"):
        if not torch.cuda.is_available():
            raise ConfigError(f"device '{name}' was asked for, but no CUDA GPU is available here; use cpu or auto")
        dev = torch.device(name)
        if dev.index is not None and dev.index >= torch.cuda.device_count():
            raise ConfigError(f"device '{name}' does not exist: {torch.cuda.device_count()} GPU(s) found")
        return dev
    if name == "mps":
        if not has_mps:
            raise ConfigError("device 'mps' was asked for, but Apple's Metal backend is not available here")
        return torch.device("mps")
    if name == "cpu":
        return torch.device("cpu")
    raise ConfigError(f"unknown device {name!r}; use auto, cpu, cuda or mps")


def cpu_computes_bf16() -> bool:
    """Whether oneDNN runs bf16 convolutions and matrix products on this CPU (x86 with AVX-512 or AMX): there bf16
    autocast trains faster than fp32 (``cpu_bf16``); elsewhere it would be emulated, slower than fp32."""
    try:
        return bool(torch.backends.mkldnn.is_available() and torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except (AttributeError, RuntimeError):  # a build without oneDNN
        return False


def device_name(device: torch.device) -> str:
    if device.type == "cuda":
        return torch.cuda.get_device_name(device)
    if device.type == "cpu":
        return QT_TRANSLATE_NOOP("Devices", "CPU ({threads} threads)").format(threads=torch.get_num_threads())
    return device.type.upper()


def device_choices() -> list[str]:
    """The devices a run may be given here: ``auto``, ``cpu``, then each CUDA GPU and Apple's MPS where present."""
    devs = ["auto", "cpu"]
    if torch.cuda.is_available():
        devs += ["cuda"] + [f"cuda:{i}" for i in range(torch.cuda.device_count())]
    mps = getattr(torch.backends, "mps", None)
    if mps and mps.is_available():
        devs.append("mps")
    return devs


def device_label(name: str) -> str:
    """``auto (MPS)``: what :func:`resolve_device` would pick (CUDA > MPS > CPU), before a run says more."""
    name = name or "auto"
    try:
        picked = resolve_device(name).type.upper()
    except ConfigError:
        return f"{name} (not available here)"
    return f"auto ({picked})" if name == "auto" else name
