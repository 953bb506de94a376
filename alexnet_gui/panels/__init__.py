"""The dock panels; each is a plain QWidget fed with payload dataclasses (testable without threads), registered in
:data:`PANELS` by its module. The import order below is the order of the View menu."""

from .registry import PANELS, PanelSpec, register_panel
from .curves import CurvesPanel
from .architecture import ArchitecturePanel
from .kernels import KernelsPanel
from .predictions import PredictionsPanel
from .activations import ActivationsPanel
from .lrn import LRNPanel
from .top_patches import TopPatchesPanel
from .explain import ExplainPanel
from .evaluation import EvaluationPanel
from .figure4 import Figure4Panel
from .runs import RunsPanel
from .experiments import ExperimentsPanel
from .paper import PaperPanel

__all__ = ["ActivationsPanel", "ArchitecturePanel", "CurvesPanel", "EvaluationPanel", "ExperimentsPanel", "ExplainPanel", "Figure4Panel",
           "KernelsPanel", "LRNPanel", "PANELS", "PaperPanel", "PanelSpec", "PredictionsPanel", "RunsPanel",
           "TopPatchesPanel", "register_panel"]
