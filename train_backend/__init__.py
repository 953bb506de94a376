"""alexnet-gui's headless core: models, data, augmentation, probes, training. Never imports Qt."""

__version__ = "0.1.0"
