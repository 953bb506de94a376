"""The registry of networks: name -> class.  Everything that lists models (CLI choices, the settings dialog,
checkpoint loading, ``summary``, ``alexnet-gui list``) reads it.  A network is one module whose class is decorated
with :func:`register_model` and imported by ``train_backend/models/__init__.py``."""

from __future__ import annotations

import functools
import inspect
from typing import Any

from .base import AlexNetBase

MODELS: dict[str, type[AlexNetBase]] = {}


def register_model(cls: type[AlexNetBase]) -> type[AlexNetBase]:
    """Register a network class under its ``variant`` name (a class decorator); a name is registered once."""
    if cls.variant in MODELS:
        raise ValueError(f"a model named {cls.variant!r} is registered already")
    MODELS[cls.variant] = cls
    return cls


def list_models() -> tuple[str, ...]:
    return tuple(MODELS)


def weights_aliases() -> tuple[str, ...]:
    """Every name of published weights (today: torchvision's ImageNet weights)."""
    return tuple(alias for cls in MODELS.values() for alias in cls.weights_aliases)


def model_option_defaults(name: str) -> dict[str, Any]:
    """A model's options (its keyword-only constructor arguments) and their defaults (a fresh dict)."""
    if name not in MODELS:
        raise ValueError(f"unknown model {name!r}; choose one of {', '.join(MODELS)}")
    return dict(_option_defaults(MODELS[name]))


@functools.cache
def _option_defaults(cls: type) -> tuple[tuple[str, Any], ...]:  # read once: the dialog asks on every edit
    params = inspect.signature(cls.__init__).parameters.values()
    return tuple((p.name, p.default) for p in params if p.kind is inspect.Parameter.KEYWORD_ONLY)


def model_problems(name: str, options: dict[str, Any], input_size: int | None = None) -> list[str]:
    """What stops ``name`` with ``options`` (and an ``input_size`` input) from being built, without building it."""
    if name not in MODELS:
        return [f"model must be one of {', '.join(MODELS)} (got {name!r})"]
    cls, known = MODELS[name], model_option_defaults(name)
    options = {k: v for k, v in options.items() if k not in ("name", "weights", "towers") or k in known}
    unknown = sorted(set(options) - set(known))
    if unknown:
        return [f"the {name} model has no option {', '.join(map(repr, unknown))} (its options: {', '.join(known)})"]
    merged = {**known, **options}
    try:
        cls.check_options(merged)
    except (ValueError, TypeError) as err:
        return [str(err)]
    if input_size is not None:
        problem = cls.size_problem(input_size, merged)
        if problem:
            return [problem]
    return []
