"""Shared fixtures. Qt runs offscreen; QSettings and caches go to temporary folders."""

from __future__ import annotations

import gc
import os
import select
import subprocess
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Qt's default QSettings (the app's remembered recipe, layout, runs folders, last run) live under
# $XDG_CONFIG_HOME: each test process (each pytest-xdist worker) gets its own, never the user's ~/.config
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="alexnet-gui-tests-config-")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402

from train_backend.data import fashion_mnist_folder  # noqa: E402

# Under pytest-xdist (-n auto: one worker a core) the cores are shared out, so that N workers' compute threads, and
# those of the commands they start, do not outnumber the cores (oversubscribed OpenMP threads spin and wait)
_THREADS = max(1, min(2, (os.cpu_count() or 1) // int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))))
torch.set_num_threads(_THREADS)
if "PYTEST_XDIST_WORKER_COUNT" in os.environ:
    os.environ.setdefault("OMP_NUM_THREADS", str(_THREADS))

requires_fashion_mnist = pytest.mark.skipif(
    fashion_mnist_folder() is None,
    reason="real Fashion-MNIST not installed (apt-get install dataset-fashion-mnist puts it in "
           "/usr/share/datasets/fashion-mnist)")


# The app collects cycles on a GUI-thread timer (alexnet_gui/collector.py). In the tests that timer fired inside
# pytest-qt's event processing in the middle of a test and segfaulted a few times in long runs (issue 23's closing
# note: the cause is not found yet). Here the collection happens at each test's teardown instead, after Qt's
# deferred deletes; test_gui's collector test starts the timer itself.
import alexnet_gui.collector as gui_collector  # noqa: E402  (no Qt at import)

# ALEXNET_GUI_TEST_GC_TIMER=1 keeps the app's own timer running through the tests (to hunt that crash)
GC_TIMER = os.environ.get("ALEXNET_GUI_TEST_GC_TIMER") == "1"
if not GC_TIMER:
    gui_collector.INTERVAL_S = 3600.0


@pytest.fixture(autouse=True)
def _collect_garbage():
    """Once a window has switched Python's collector to the GUI thread's timer (alexnet_gui/collector.py),
    tests that run no event loop would keep their cycles: collect after each test, on this (the GUI) thread."""
    yield
    if not gc.isenabled() and not GC_TIMER:
        # the widgets the test closed are deleted first (qtbot's deleteLater), so that the collection meets no
        # Python wrapper whose Qt object is still waiting to be deleted by the next test's event loop
        from PySide6.QtCore import QCoreApplication, QEvent

        if gui_collector._collector is not None:
            gui_collector._collector.timer.stop()  # a test that started it (test_gui's collector test)
        if QCoreApplication.instance() is not None:
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        gc.collect()


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("ALEXNET_GUI_CACHE", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.setenv("TORCH_HOME", str(tmp_path_factory.mktemp("torch_home")))
    # no test writes runs into the user's runs folder (~/alexnet-gui-runs), nor the commands it starts
    monkeypatch.setenv("ALEXNET_GUI_RUNS", str(tmp_path_factory.mktemp("user_runs")))
    # and the commands a test starts (alexnet-gui launch ...) remember their settings in a folder of the test's own
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("config")))


@pytest.fixture
def rng():
    return np.random.default_rng(1234)


@pytest.fixture
def no_thread_leaks():
    """Fails a test that leaves a QThread running (napari's idea)."""
    from PySide6.QtCore import QThread

    started = []
    real_start = QThread.start

    def tracking_start(self, *args, **kwargs):
        started.append(self)
        return real_start(self, *args, **kwargs)

    QThread.start = tracking_start
    try:
        yield started
    finally:
        QThread.start = real_start
    leaked = []
    for t in started:
        try:
            if t.isRunning():
                leaked.append(t.objectName() or repr(t))
        except RuntimeError:  # already deleted on the C++ side: not running
            pass
    assert not leaked, f"QThread(s) still running after the test: {leaked}"


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch, no_thread_leaks):
    """The real main window on synthetic data with a tiny model, settings and runs in tmp_path."""
    from PySide6.QtCore import QSettings

    from alexnet_gui.main_window import LaunchOptions, MainWindow

    monkeypatch.setenv("ALEXNET_GUI_RUNS", str(tmp_path / "runs"))
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    win = MainWindow(LaunchOptions(dataset="synthetic", default_layout=True), settings=settings)
    qtbot.addWidget(win)
    win.lab.config = tiny_gui_config(win.lab.config)
    win.lab.build_untrained()
    win.resize(1280, 800)
    win.show()
    qtbot.waitUntil(lambda: win.lab.session.weights is not None and win.lab.session.weights.input_size == 67,
                    timeout=30_000)
    yield win
    win.shutdown(30)
    win.close()


def tiny_gui_config(cfg):
    return cfg.replace(model_options={"width": 0.25, "hidden": 64, "init": "kaiming"}, input_size=67, batch_size=8,
                       epochs=1, val_subset=16, val_every_steps=None, num_workers=0, device="cpu",
                       kernel_interval_s=0.0, warmup_steps=0, schedule="constant")


def closable_window(tmp_path, monkeypatch, **config_changes):
    """A window the test closes itself (runs and settings in tmp_path), training the tiny model."""
    from PySide6.QtCore import QSettings

    from alexnet_gui.main_window import LaunchOptions, MainWindow

    monkeypatch.setenv("ALEXNET_GUI_RUNS", str(tmp_path / "runs"))
    win = MainWindow(LaunchOptions(dataset="synthetic", default_layout=True),
                     settings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    win.lab.config = tiny_gui_config(win.lab.config).replace(epochs=100, **config_changes)
    win.show()
    return win


@pytest.fixture
def xvfb_display():
    """A fresh Xvfb on a free display number (Xvfb picks it: -displayfd); killed whatever happens."""
    read, write = os.pipe()
    proc = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", "1600x1000x24", "-nolisten", "tcp"],
                            pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    os.close(write)
    try:
        number = b""
        while not number.endswith(b"\n"):
            ready, _, _ = select.select([read], [], [], 30)
            chunk = os.read(read, 16) if ready else b""
            if not chunk:
                proc.kill()
                pytest.fail(f"Xvfb did not start: {proc.communicate(timeout=10)[1].decode(errors='replace')[-500:]}")
            number += chunk
        yield f":{int(number)}"
    finally:
        os.close(read)
        proc.kill()
        proc.wait(timeout=30)
