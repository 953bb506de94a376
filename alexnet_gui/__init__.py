"""alexnet-gui's desktop application (Qt). Everything it shows is computed by ``train_backend``."""

__version__ = "0.1.0"

from pathlib import Path


def resources_path(*parts: str) -> Path:
    """A file shipped in ``resources/`` (installed as the ``alexnet_gui.resources`` package)."""
    try:
        from . import resources as _res  # installed (or editable) package

        base = Path(_res.__file__).parent
    except ImportError:
        base = Path(__file__).resolve().parent.parent / "resources"
    return base.joinpath(*parts)
