"""``alexnet-gui launch``: its arguments checked before Qt, a display that cannot be opened said before Qt, a
screenshot of a complete window whatever the arguments, and weights that fail to load changing nothing."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from train_backend.recipes import RECIPES
import torch

from alexnet_gui import platform_check as pc

ROOT = Path(__file__).resolve().parent.parent


def _launch(monkeypatch, capsys, *argv):
    from alexnet_gui import app
    from alexnet_gui.cli import main

    monkeypatch.setattr(app, "create_app", lambda *a: pytest.fail("Qt must not start"))
    code = main(["launch", *argv])
    return code, capsys.readouterr().err


@pytest.fixture
def bad_weights(tmp_path):
    random_pt = tmp_path / "random.pt"
    random_pt.write_bytes(os.urandom(4096))
    not_a_checkpoint = tmp_path / "dict.pt"
    torch.save({"epoch": 3, "lr": torch.tensor(0.01)}, not_a_checkpoint)
    other_net = tmp_path / "other.pt"
    torch.save({"layer.weight": torch.zeros(2, 2)}, other_net)
    return {"missing": (tmp_path / "missing.pt", "no such file"), "random": (random_pt, "not a PyTorch weights file"),
            "dict": (not_a_checkpoint, "does not hold model weights"), "other": (other_net, "not an AlexNet")}


@pytest.mark.parametrize("argv, said", [
    (["--recipe", "nope"], f"unknown recipe 'nope' (choose from {', '.join(RECIPES)})"),
    (["--dataset", "imagenet-21k"], "unknown data set 'imagenet-21k' (choose from"),
])
def test_an_unknown_recipe_or_data_set_exits_2_before_qt(monkeypatch, capsys, argv, said):
    code, err = _launch(monkeypatch, capsys, *argv)
    assert code == 2
    assert err.startswith("alexnet-gui: error: " + said) and err.count("\n") == 1


@pytest.mark.parametrize("kind", ["missing", "random", "dict", "other"])
def test_unreadable_weights_exit_2_before_qt(monkeypatch, capsys, bad_weights, kind):
    path, said = bad_weights[kind]
    code, err = _launch(monkeypatch, capsys, "--weights", str(path))
    assert code == 2
    assert err.startswith("alexnet-gui: error: ") and said in err and str(path) in err and err.count("\n") == 1


def test_the_weights_check_reads_a_checkpoint_without_loading_it(tmp_path, monkeypatch):
    """A real checkpoint passes; its tensors are memory-mapped (the check of a 455 MB last.pt is not a load)."""
    from train_backend.io import checkpoints
    from train_backend.models import build_model

    good = tmp_path / "good.pt"
    checkpoints.save_checkpoint(good, build_model("paper", num_classes=3, width=0.25, hidden=32), ["a", "b", "c"],
                                checkpoints.InputSpec(67))
    seen = []
    real_load = torch.load
    monkeypatch.setattr(torch, "load", lambda *a, **kw: seen.append(kw) or real_load(*a, **kw))
    checkpoints.check_weights(str(good))
    assert seen == [{"map_location": "cpu", "weights_only": True, "mmap": True}]
    checkpoints.check_weights("torchvision")  # an alias: nothing downloaded to check it
    assert len(seen) == 1


def test_launch_arguments_are_checked_without_importing_qt(tmp_path):
    code = ("import sys\nfrom alexnet_gui.cli import main\n"
            f"codes = [main(['launch', '--recipe', 'nope']), "
            f"main(['launch', '--weights', {str(tmp_path / 'x.pt')!r}])]\n"
            "print(codes, 'PySide6' in sys.modules)")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, cwd=ROOT,
                         env={**os.environ, "DISPLAY": ":0"})
    assert res.stdout.strip() == "[2, 2] False", res.stdout + res.stderr
    assert res.stderr.count("alexnet-gui: error:") == 2


# ------------------------------------------------------------------------------------------ a display that fails
def _free_display() -> str:
    n = 57
    while Path(f"/tmp/.X11-unix/X{n}").exists() or Path(f"/tmp/.X{n}-lock").exists():
        n += 1
    return f":{n}"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the X11 check is Linux's")
def test_a_display_that_cannot_be_opened_is_said_before_qt_exit_2():
    display = _free_display()
    why = pc.display_error(display)
    if why is None and pc.display_error(":0") is None and shutil.which("Xvfb") is None:
        pytest.skip("no libxcb to connect with")
    assert why and "no X server answers" in why
    assert pc.display_error("not a display::") == pc.XCB_ERRORS[5]
    env = {**os.environ, "DISPLAY": display, "ALEXNET_GUI_RUNS": "/nonexistent-runs"}
    env.pop("QT_QPA_PLATFORM", None)
    env.pop("WAYLAND_DISPLAY", None)
    res = subprocess.run([sys.executable, "-m", "alexnet_gui"], capture_output=True, text=True, timeout=300,
                         env=env, cwd=ROOT)
    assert res.returncode == 2, (res.returncode, res.stderr[-2000:])  # not 134: Qt's abort and core dump
    first = res.stderr.splitlines()[0]
    assert first.startswith("alexnet-gui: the window cannot open: the X display DISPLAY=") and display in first
    assert "--screenshot" in res.stderr and "Aborted" not in res.stderr and "qt.qpa" not in res.stderr


def test_the_display_is_checked_only_for_xcb_and_after_the_libraries():
    calls = []

    def display(name):
        calls.append(name)
        return "no X server answers there"

    none_missing = lambda: []  # noqa: E731
    msg = pc.startup_problem({"DISPLAY": ":9"}, "linux", missing=none_missing, display=display)
    assert "DISPLAY=':9' cannot be opened" in msg and calls == [":9"]
    assert pc.startup_problem({"DISPLAY": ":9", "QT_QPA_PLATFORM": "offscreen"}, "linux", missing=none_missing,
                              display=display) is None
    assert "libxcb-icccm4" in pc.startup_problem({"DISPLAY": ":9"}, "linux", missing=lambda: ["libxcb-icccm.so.4"],
                                                  family=lambda: "apt", display=display)
    assert calls == [":9"]  # libraries missing: that is said first, no connection tried
    assert pc.startup_problem({"DISPLAY": ":9"}, "linux", missing=none_missing, display=lambda n: None) is None


@pytest.mark.skipif(shutil.which("Xvfb") is None, reason="Xvfb is not installed")
def test_a_display_that_opens_passes_the_check(xvfb_display):
    assert pc.display_error(xvfb_display) is None
    assert pc.startup_problem({"DISPLAY": xvfb_display}, "linux", missing=lambda: []) is None


# ------------------------------------------------------------------------------------------ a complete screenshot
def test_a_screenshot_without_an_image_waits_for_the_window_to_be_complete(tmp_path):
    shot = tmp_path / "launch.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "ALEXNET_GUI_RUNS": str(tmp_path / "runs"),
           "TMPDIR": str(tmp_path)}
    res = subprocess.run([sys.executable, "-m", "alexnet_gui", "launch", "--dataset", "synthetic", "--screenshot",
                          str(shot)], capture_output=True, text=True, timeout=600, env=env, cwd=ROOT)
    assert res.returncode == 0, res.stdout[-2000:] + res.stderr[-2000:]
    # the sample image was probed: its top-5 drawn (and so its maps and kernels, which come first)
    assert "classified sample-shapes.png:" in res.stdout, res.stdout
    assert shot.stat().st_size > 50_000


def test_weights_that_fail_in_the_window_leave_the_model_and_what_start_does(qtbot, window, tmp_path, bad_weights):
    from train_backend.io.checkpoints import InputSpec, save_checkpoint
    from train_backend.models import build_model

    good = tmp_path / "three.pt"
    save_checkpoint(good, build_model("paper", num_classes=3, width=0.25, hidden=32), ["ant", "bee", "cow"],
                    InputSpec(67, 3, (0.5,) * 3, (0.25,) * 3))
    window.lab.load_weights(str(good))
    qtbot.waitUntil(lambda: window.lab.session.weights.source == str(good), timeout=30_000)
    before = window.lab.session.weights
    for kind in ("random", "dict", "missing"):
        path = bad_weights[kind][0]
        window.lab.load_weights(str(path))
        qtbot.waitUntil(lambda: any(str(path) in t for lvl, t in window.lab.messages if lvl == "error"), timeout=30_000)
        qtbot.wait(50)
        assert window.lab.session.weights == before
        # Start would still fine-tune from the weights shown, not from the file that failed
        assert window.lab.session.weights_spec == str(good)


# ------------------------------------------------------------------------------------------ file dialogs
def test_file_dialogs_remember_their_folder_per_kind(qtbot, window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    pics, nets, exports = (tmp_path / d for d in ("pics", "nets", "exports"))
    for d in (pics, nets, exports):
        d.mkdir()
    asked = []

    def fake(answer):
        def dialog(parent, caption, start, *rest):
            asked.append((caption, start))
            return answer() if callable(answer) else answer
        return staticmethod(dialog)

    monkeypatch.setattr(QFileDialog, "getOpenFileNames", fake(([str(pics / "nope.png")], "")))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", fake((str(nets / "nope.pt"), "")))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", fake(lambda: (str(exports / "k.png"), "")))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", fake(str(tmp_path / "runs")))
    for _ in range(2):
        window.open_image_dialog()
        window.load_weights_dialog()
        window.curves.export_png_dialog()
        window.open_run_dialog()
    starts = {}
    for caption, start in asked:
        starts.setdefault(caption, []).append(start)
    assert starts["Open images"] == ["", str(pics)]  # the working directory once, then where the last image was
    assert starts["Load weights"] == ["", str(nets)]  # its own folder: not the images'
    assert starts["Export curves as PNG"] == ["curves.png", str(exports / "curves.png")]
    assert starts["Open a run folder to watch (one a training process writes)"][0] == os.environ["ALEXNET_GUI_RUNS"]
    # remembered in the window's settings, for the next session; a folder gone since is not proposed
    assert window.settings.value("dialogs/images") == str(pics)
    pics.rmdir()
    asked.clear()
    window.open_image_dialog()
    assert asked[0][1] == ""


# ------------------------------------------------------------------------------------------ a 1024 px window
def test_the_window_fits_1024_px_with_every_toolbar_action_shown(qtbot, window):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QToolButton

    assert window.minimumSizeHint().width() <= 1024
    window.resize(1024, 700)
    qtbot.waitUntil(lambda: window.width() == 1024, timeout=5_000)
    qtbot.wait(50)
    tb = window.toolbar
    ext = tb.findChild(QToolButton, "qt_toolbar_ext_button")
    assert ext is None or not ext.isVisible()  # nothing overflowed into the » menu
    for a in tb.actions():
        widget = tb.widgetForAction(a)
        assert widget is not None and widget.isVisible(), a.text() or a
        assert widget.geometry().right() <= tb.width()
    # the icon-only ones still say what they are
    for a in (window.act_save, window.act_export, window.act_settings):
        assert tb.widgetForAction(a).toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonIconOnly and a.toolTip()
    assert all(d.minimumSizeHint().width() <= 540 for d in window.docks.values())
