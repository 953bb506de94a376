"""Render the README's pictures of the main window: idle, a dropped image, and training live.

    QT_QPA_PLATFORM=offscreen python3 tools/screenshots.py [OUT_DIR] [--steps N]

Training uses the quick recipe on Fashion-MNIST when it is installed (else the synthetic set);
the training picture is taken while the run is still going, after N steps.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

# this checkout's packages, not whichever an editable install points at (python3 tools/… puts tools/ on the path)
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("ALEXNET_GUI_RUNS", tempfile.mkdtemp(prefix="alexnet-gui-shots-runs-"))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", nargs="?", default="docs/screenshots")
    parser.add_argument("--steps", type=int, default=120, help="training steps before the 'training' picture")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    from PySide6.QtCore import QSettings

    from alexnet_gui import resources_path
    from alexnet_gui.app import create_app, take_screenshot, wait_for
    from alexnet_gui.main_window import LaunchOptions, MainWindow

    app = create_app()
    settings = QSettings(str(Path(tempfile.mkdtemp()) / "s.ini"), QSettings.Format.IniFormat)
    win = MainWindow(LaunchOptions(default_layout=True, image=str(resources_path("samples", "fashion-boot.png"))),
                     settings=settings)
    win.resize(1280, 800)
    win.show()

    def settle(t=0.5):
        wait_for(app, lambda: win.lab.session.probes.token > 0 and win.lab.probe_idle(), 120)
        wait_for(app, lambda: False, t)

    settle(1.0)
    print("idle:", take_screenshot(win, str(out / "idle.png")))
    win.open_images([str(resources_path("samples", n)) for n in
                     ("sample-shapes.png", "sample-stripes.png", "sample-ring.png", "fashion-boot.png",
                      "fashion-pullover.png")])
    win.docks["lrn"].raise_()
    settle()
    print("image:", take_screenshot(win, str(out / "dropped-image.png")))
    win.docks["activations"].raise_()
    win.open_images([str(resources_path("samples", "fashion-pullover.png"))])
    win.lab.config.val_every_steps = max(10, args.steps // 4)
    win.lab.start_training(fresh=True)
    ok = wait_for(app, lambda: win.curves.loss.total_added >= args.steps and len(win.curves.val_steps) >= 2, 3600)
    win.kernels.mode.setCurrentIndex(win.kernels.mode.findData("change"))
    settle(1.0)
    print("training:", take_screenshot(win, str(out / "training.png")), "(steps reached)" if ok else "(timed out)")
    win.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
