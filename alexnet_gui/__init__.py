"""alexnet-gui's desktop application (Qt). Everything it shows is computed by ``train_backend``."""

__version__ = "0.1.0"
