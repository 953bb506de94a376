"""The dock panels; each is a plain QWidget fed with payload dataclasses (testable without threads)."""

from .activations import ActivationsPanel
from .curves import CurvesPanel
from .kernels import KernelsPanel
from .lrn import LRNPanel
from .predictions import PredictionsPanel

__all__ = ["ActivationsPanel", "CurvesPanel", "KernelsPanel", "LRNPanel", "PredictionsPanel"]
