"""The first command on a real display server: the window on Qt's xcb platform under Xvfb.

Every other GUI test runs on Qt's offscreen platform, which needs none of the X11 libraries a desktop needs; this
one starts the app as a user's desktop would (CI installs Xvfb and those libraries: .ci/run).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from alexnet_gui.platform_check import missing_libraries_message, missing_xcb_libraries, package_family

ROOT = Path(__file__).resolve().parent.parent


def _why_not() -> str | None:
    if not sys.platform.startswith("linux"):
        return "the X11 smoke test runs on Linux"
    if shutil.which("Xvfb") is None:
        return "Xvfb is not installed (apt-get install xvfb; .ci/run does)"
    missing = missing_xcb_libraries()
    if missing:
        return missing_libraries_message(missing, package_family()).splitlines()[0] + " " + \
            "(README's set-up names the packages)"
    return None


@pytest.mark.skipif(_why_not() is not None, reason=_why_not() or "")
def test_the_window_starts_on_xcb_classifies_trains_and_closes(xvfb_display, tmp_path):
    shot = tmp_path / "desktop.png"
    env = {**os.environ, "DISPLAY": xvfb_display, "QT_QPA_PLATFORM": "xcb", "ALEXNET_GUI_RUNS": str(tmp_path / "runs")}
    env.pop("WAYLAND_DISPLAY", None)
    res = subprocess.run([sys.executable, "-m", "alexnet_gui", "launch", "--dataset", "synthetic", "--image",
                          str(ROOT / "resources" / "samples" / "sample-shapes.png"), "--train-steps", "3",
                          "--screenshot", str(shot)], capture_output=True, text=True, timeout=600, env=env,
                         cwd=ROOT)
    assert res.returncode == 0, res.stdout[-2000:] + res.stderr[-2000:]
    assert "Qt platform xcb" in res.stdout  # really the X11 plugin, not a fallback
    assert "classified sample-shapes.png:" in res.stdout
    assert "max_steps: reached 3 steps" in res.stdout
    assert "QThread" not in res.stderr and "platform plugin" not in res.stderr  # closed cleanly
    img = Image.open(shot).convert("RGB")
    assert img.width >= 1000 and img.height >= 700
    assert len(img.getcolors(maxcolors=1 << 20) or range(1 << 20)) > 200  # a drawn window, not a blank grab


@pytest.mark.skipif(_why_not() is not None, reason=_why_not() or "")
def test_a_users_journey_start_pause_close_reopen_continue_in_the_same_folder(xvfb_display, tmp_path):
    """Issue 23's journey on a real X server: launch → Start → Pause → close → reopen → Continue → the same run
    folder and one continuous curve, no second folder; Load weights → the button says Fine-tune before it runs."""
    import json

    env = {**os.environ, "DISPLAY": xvfb_display, "QT_QPA_PLATFORM": "xcb", "HOME": str(tmp_path / "home")}
    env.pop("WAYLAND_DISPLAY", None)
    res = subprocess.run([sys.executable, "-m", "tests.journey", str(tmp_path)], capture_output=True, text=True,
                         timeout=600, env=env, cwd=ROOT)
    assert res.returncode == 0, res.stdout[-2000:] + res.stderr[-3000:]
    found = json.loads(res.stdout.strip().splitlines()[-1])
    assert found["platform"] == "xcb"
    assert found["idle_button"] == "New run" and found["idle_plan"].startswith("Start ▸ New run · quick · synthetic")
    assert found["running_button"] == "Pause" and found["pressed_pause"] in ("Pausing…", "Resume")
    assert found["paused_button"] == "Resume" and found["paused_status"].startswith("paused")
    assert found["width_kept"]
    assert len(found["runs_after_close"]) == 1
    assert found["reopened_button"] == "Continue"
    assert found["reopened_tooltip"].startswith(f"Continue {found['runs_after_close'][0]} at step "
                                                f"{found['stopped_at']:,}")
    assert found["runs_after_continue"] == found["runs_after_close"]  # the same folder, no second one
    assert found["logged_steps_continuous"] and found["curve_continuous"]
    assert found["loaded_button"] == "Fine-tune" and found["loaded_tooltip"].startswith("Fine-tune trained.pt on")
    assert not found["trained_before_click"]
    for name in ("idle", "running", "paused", "continue", "fine-tune"):
        assert (tmp_path / f"{name}.png").stat().st_size > 10_000
