"""The first command on a real display server: the window on Qt's xcb platform under Xvfb.

Every other GUI test runs on Qt's offscreen platform, which needs none of the X11 libraries a desktop needs; this
one starts the app as a user's desktop would (CI installs Xvfb and those libraries: .ci/run).
"""

from __future__ import annotations

import os
import select
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
