"""Data shipped with alexnet-gui (sample images, icons); installed as ``alexnet_gui.resources``."""
