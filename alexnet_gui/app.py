"""Start the application: ``alexnet-gui`` / ``alexnet-gui launch [--image IMG] [--train-steps N] --screenshot PNG``."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def add_launch_arguments(p: argparse.ArgumentParser) -> None:
    from train_backend.data import DATASET_NAMES

    from .languages import LANGUAGES
    from train_backend.models import MODEL_NAMES
    from train_backend.recipes import RECIPES

    p.add_argument("--dataset", help=f"{', '.join(DATASET_NAMES)} (default: Fashion-MNIST when found, else synthetic)")
    p.add_argument("--data-root", help="folder of the dataset")
    p.add_argument("--recipe", help=f"training recipe: {', '.join(RECIPES)} (default: quick)")
    p.add_argument("--model", choices=MODEL_NAMES, help="network (default: the recipe's)")
    p.add_argument("--weights", help="checkpoint or torchvision .pth to load, or 'torchvision'")
    p.add_argument("--device", help="auto, cpu, cuda or mps (default: auto)")
    p.add_argument("--image", help="an image to show and classify at start")
    p.add_argument("--open-run", metavar="DIR", help="watch the run folder DIR that another process trains into "
                   "(alexnet-gui train --out DIR): its curves and conv1 kernels, live")
    p.add_argument("--runs", metavar="DIR", action="append", default=[],
                   help="list the runs in DIR (a folder of runs or a run folder) in the Runs panel and overlay them "
                        "(repeatable)")
    p.add_argument("--train-steps", type=int, default=0, help="with --screenshot: train this many steps first (into a "
                   "temporary runs folder, removed afterwards, unless --keep-run)")
    p.add_argument("--keep-run", action="store_true", help="with --screenshot --train-steps: write the run into the "
                   "runs folder ($ALEXNET_GUI_RUNS, else ~/alexnet-gui-runs) and keep it")
    p.add_argument("--screenshot", help="build the window, do the above, save a PNG of it and exit")
    p.add_argument("--language", metavar="LOCALE",
                   help=f"the window's language: {' or '.join(LANGUAGES)} (default: the one chosen in View > Language, "
                        "else the system's)")


def options_from_args(args: argparse.Namespace):
    from .main_window import LaunchOptions

    return LaunchOptions(dataset=args.dataset, data_root=args.data_root, recipe=args.recipe, model=args.model,
                         weights=args.weights, device=args.device, image=args.image,
                         open_run=getattr(args, "open_run", None),
                         runs_folders=tuple(getattr(args, "runs", None) or ()),
                         default_layout=bool(getattr(args, "screenshot", None)))


def create_app(argv: list[str] | None = None):
    from PySide6.QtCore import QCoreApplication, Qt
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    from .style import configure_pyqtgraph

    app = QApplication.instance()
    if app is None:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        QCoreApplication.setOrganizationName("alexnet-gui")
        QCoreApplication.setApplicationName("alexnet-gui")
        app = QApplication(argv or [sys.argv[0]])
        app.setStyle("Fusion")
    configure_pyqtgraph()
    return app


def wait_for(app, condition, timeout_s: float, poll_ms: int = 10) -> bool:
    """Run Qt's event loop until ``condition()`` holds or the time runs out (True if it held).

    A real ``QEventLoop`` checked by a timer, as ``app.exec()`` runs for a user: nothing sleeps on the
    GUI thread, so timings taken around it (``benchmarks/``) are the ones a user gets.
    """
    import time

    from PySide6.QtCore import QEventLoop, QTimer

    if condition():
        return True
    loop = QEventLoop()
    end = time.monotonic() + timeout_s
    held = [False]

    def check() -> None:
        if condition():
            held[0] = True
            loop.quit()
        elif time.monotonic() > end:
            loop.quit()

    poll = QTimer()
    poll.setInterval(poll_ms)
    poll.timeout.connect(check)
    poll.start()
    loop.exec()
    poll.stop()
    return held[0]


def take_screenshot(window, path: str) -> str:
    from train_backend.io.atomic import write_atomic

    pixmap = window.grab()
    if pixmap.isNull():
        raise RuntimeError("the window could not be grabbed")

    def write(tmp: str) -> None:
        if not pixmap.save(tmp, "PNG"):
            raise OSError(f"could not write {path}")

    write_atomic(path, write)
    return path


def run_screenshot(window, app, args: argparse.Namespace) -> int:
    """Build, optionally classify an image and train N steps, then save a PNG of the whole window once it is
    complete, whatever the arguments: the model built, its kernels drawn, the image (the sample one without
    --image) probed and its top-5, maps and LRN views drawn."""
    if args.image:
        window.open_images([args.image])
        if window.lab.current_image() is None:  # said in the window (and so in the picture) and here
            print(f"alexnet-gui: {window.lab.messages[-1][1] if window.lab.messages else 'unreadable image'}",
                  file=sys.stderr)
    # the model is built on the worker, and the start-up image opened by a timer: both need the event loop
    if not wait_for(app, lambda: window.lab.session.weights is not None and window.kernels.snapshot is not None, 300):
        print("alexnet-gui: the model was not built in time", file=sys.stderr)
    if args.train_steps:
        window.lab.config.max_steps = args.train_steps
        if window.lab.config.val_every_steps and window.lab.config.val_every_steps > args.train_steps:
            window.lab.config.val_every_steps = max(1, args.train_steps)
        if not window.lab.start_training(fresh=True):
            print("alexnet-gui: could not start training: " + (window.lab.messages[-1][1] if window.lab.messages else ""),
                  file=sys.stderr)
            return 1
        if not wait_for(app, lambda: window.lab.last_end is not None, float(os.environ.get("ALEXNET_GUI_TIMEOUT", 1800))):
            print("alexnet-gui: training did not finish in time", file=sys.stderr)
            return 1
        print(f"alexnet-gui: {window.lab.last_end.reason}: {window.lab.last_end.message}")
    if window.lab.current_image() is not None:  # a bad --image was reported: no probe will come for it
        shown = [False]
        window.lab.probe_shown.connect(lambda _token: shown.__setitem__(0, True))
        window.lab.request_probe()
        if wait_for(app, lambda: shown[0] and window.lab.probe_idle(), 120) and window.predictions.prediction:
            pred = window.predictions.prediction
            print(f"alexnet-gui: classified {window.lab.session.images[window.lab.session.current].name}: {pred.classes[0]} "
                  f"{100 * pred.probabilities[0]:.1f} %{'' if pred.trained else ' (untrained weights)'}")
        else:
            print("alexnet-gui: the image was not classified in time", file=sys.stderr)
    if getattr(args, "open_run", None):  # the watched run's files read and drawn
        wait_for(app, lambda: window.lab.watcher.polls > 0 and not window.lab.watcher.background.busy("watch"), 60)
        if window.lab.session.watched is not None:
            print(f"alexnet-gui: {window.lab.session.watched.describe()}")
    if getattr(args, "runs", None):  # the Runs panel listed them and overlaid their curves
        wait_for(app, lambda: window.runs.scans > 0 and not window.runs.background.busy("curves")
                 and bool(window.runs.drawn), 60)
        print(f"alexnet-gui: {len(window.runs.records)} runs listed, {len(window.runs.drawn)} runs overlaid")
    wait_for(app, lambda: False, 0.3)  # let the panels paint
    path = take_screenshot(window, args.screenshot)
    print(f"alexnet-gui: screenshot {path} ({window.width()}x{window.height()})")
    return 0


def argument_problem(args: argparse.Namespace) -> str | None:
    """What is wrong with the launch arguments, in one line, or None: checked as the headless commands check
    theirs, before any Qt (a bad --recipe, --dataset or --weights must not open a window that quietly does
    something else)."""
    from train_backend.data import DATASET_NAMES
    from train_backend.recipes import RECIPES

    if args.recipe is not None and args.recipe not in RECIPES:
        return f"unknown recipe '{args.recipe}' (choose from {', '.join(RECIPES)})"
    if args.dataset is not None and args.dataset not in DATASET_NAMES:
        return f"unknown data set '{args.dataset}' (choose from {', '.join(DATASET_NAMES)})"
    language = getattr(args, "language", None)
    if language is not None:
        from .languages import LANGUAGES

        if language not in LANGUAGES:
            return f"unknown language '{language}' (choose from {', '.join(LANGUAGES)})"
    if args.image and not Path(args.image).exists():
        return f"image '{args.image}' does not exist"
    if args.weights:
        from train_backend.io.checkpoints import CheckpointError, check_weights

        try:
            check_weights(args.weights)
        except CheckpointError as err:
            return str(err)
    return None


def main(args: argparse.Namespace | None = None) -> int:
    if args is None:
        parser = argparse.ArgumentParser(prog="alexnet-gui launch")
        add_launch_arguments(parser)
        args = parser.parse_args()
    if args.screenshot and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    problem = argument_problem(args)
    if problem:
        from train_backend.cli.common import print_error

        print_error(problem)
        return 2
    from .platform_check import startup_problem

    problem = startup_problem()  # before Qt, which would abort the process instead
    if problem:
        print(problem, file=sys.stderr)
        return 2
    app = create_app()
    if args.screenshot:
        print(f"alexnet-gui: Qt platform {app.platformName()}", flush=True)
    from PySide6.QtCore import QSettings

    from .i18n import chosen_language, install_language, write_stderr

    # the language before the window is built (a screenshot's: --language, else the system's; the user's saved
    # choice is left alone as their other settings are)
    saved = None if args.screenshot else QSettings("alexnet-gui", "alexnet-gui")
    language_problems = install_language(chosen_language(saved, getattr(args, "language", None)), app)
    write_stderr(language_problems)
    from .main_window import MainWindow

    if not args.screenshot:
        window = MainWindow(options_from_args(args))
        for problem in language_problems:
            window.lab.notify("warning", problem, quiet=True)
        window.show()
        return app.exec()
    import tempfile

    # reproducible pictures: default settings in a folder of their own, the user's saved settings left alone; the
    # run --train-steps trains (a 488 MB last.pt for the paper's net) goes there too, unless --keep-run
    with tempfile.TemporaryDirectory(prefix="alexnet-gui-shot-") as folder:
        settings = QSettings(str(Path(folder) / "settings.ini"), QSettings.Format.IniFormat)
        runs_env = os.environ.get("ALEXNET_GUI_RUNS")
        if args.train_steps and not getattr(args, "keep_run", False):
            os.environ["ALEXNET_GUI_RUNS"] = str(Path(folder) / "runs")
        window = MainWindow(options_from_args(args), settings=settings)
        window.resize(1280, 800)
        window.show()
        try:
            return run_screenshot(window, app, args)
        finally:
            window.close()
            if runs_env is None:
                os.environ.pop("ALEXNET_GUI_RUNS", None)
            else:
                os.environ["ALEXNET_GUI_RUNS"] = runs_env


if __name__ == "__main__":
    raise SystemExit(main())
