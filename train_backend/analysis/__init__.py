"""Analyses: what the panels show, computed from a model and an image as NumPy payloads.

The registry (:mod:`.registry`) lists every analysis with its name, the layers it applies to and its cost; the
modules imported below register theirs when imported: a new analysis is one module here plus its import line.
"""

from __future__ import annotations

from .registry import ANALYSES, COSTS, Analysis, Cancelled, register_analysis, run_analysis
from . import probes  # noqa: E402,F401  (registers predictions, activations, lrn_effect, conv1_kernels)
from . import features, patches  # noqa: E402,F401  (register neighbours and top_patches)
from . import gallery, top5_grid  # noqa: E402,F401  (register dataset_images and top5_grid)
from . import explain  # noqa: E402,F401  (registers gradcam, saliency, occlusion)
from . import architecture  # noqa: E402,F401  (registers architecture)

__all__ = ["ANALYSES", "COSTS", "Analysis", "Cancelled", "register_analysis", "run_analysis"]
