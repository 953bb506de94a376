"""alexnet-gui's desktop application (Qt). Everything it shows is computed by ``train_backend``."""

__version__ = "0.1.0"

from importlib import import_module
from pathlib import Path


def resources_path(*parts: str) -> Path:
    """A file shipped in ``resources/`` (installed as the ``alexnet_gui.resources`` package)."""
    try:
        base = Path(import_module(f"{__name__}.resources").__file__).parent  # installed (or editable) package
    except ImportError:
        base = Path(__file__).resolve().parent.parent / "resources"
    return base.joinpath(*parts)
