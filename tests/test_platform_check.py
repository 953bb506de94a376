"""Before Qt starts: missing X11 libraries and a missing display are said in one message, not Qt's abort."""

from __future__ import annotations

import argparse
import re
import time
from pathlib import Path

import pytest

from alexnet_gui import platform_check as pc

ROOT = Path(__file__).resolve().parent.parent

LDD_OUTPUT = """\
\tlinux-vdso.so.1 (0x00007ffd)
\tlibQt6XcbQpa.so.6 => /site-packages/PySide6/Qt/lib/libQt6XcbQpa.so.6 (0x00007f)
\tlibxcb-cursor.so.0 => not found
\tlibxcb-icccm.so.4 => not found
\tlibxcb.so.1 => /lib/x86_64-linux-gnu/libxcb.so.1 (0x00007f)
\tlibxcb-icccm.so.4 => not found
\tlibfoo-unknown.so.7 => not found
\t/lib64/ld-linux-x86-64.so.2 (0x00007f)
"""


def test_the_loader_s_not_found_libraries_are_read_once_each_in_order():
    assert pc.parse_ldd(LDD_OUTPUT) == ["libxcb-cursor.so.0", "libxcb-icccm.so.4", "libfoo-unknown.so.7"]
    assert pc.parse_ldd("\tlibxcb.so.1 => /lib/libxcb.so.1 (0x1)\n") == []


def test_missing_libraries_come_from_the_loader_on_pyside6_s_xcb_plugin(tmp_path):
    seen = []
    plugin = tmp_path / "libqxcb.so"
    assert pc.missing_xcb_libraries(plugin, ldd=lambda p: seen.append(p) or LDD_OUTPUT) == \
        ["libxcb-cursor.so.0", "libxcb-icccm.so.4", "libfoo-unknown.so.7"]
    assert seen == [plugin]
    assert pc.missing_xcb_libraries(plugin, ldd=lambda p: None) is None  # no ldd: cannot tell


@pytest.mark.skipif(pc.xcb_plugin() is None, reason="PySide6 has no xcb plugin here (not Linux)")
def test_the_real_check_finds_pyside6_s_plugin_and_is_fast():
    t0 = time.perf_counter()
    missing = pc.missing_xcb_libraries()
    assert time.perf_counter() - t0 < 1.0
    assert missing is None or all(".so" in m for m in missing)


def test_the_message_names_the_libraries_and_one_exact_install_command():
    libs = ["libxcb-cursor.so.0", "libxcb-icccm.so.4", "libxkbcommon-x11.so.0", "libxcb-randr.so.0"]
    msg = pc.missing_libraries_message(libs, "apt")
    assert "libxcb-cursor.so.0, libxcb-icccm.so.4" in msg
    assert "sudo apt-get install -y libxcb-cursor0 libxcb-icccm4 libxkbcommon-x11-0 libxcb-randr0" in msg
    assert "dnf" not in msg and "--screenshot" in msg
    assert "    apt-get install -y libxcb-cursor0" in pc.missing_libraries_message(libs, "apt", root=True)
    fedora = pc.missing_libraries_message(libs, "dnf")
    assert "sudo dnf install -y xcb-util-cursor xcb-util-wm libxkbcommon-x11 libxcb" in fedora
    unknown = pc.missing_libraries_message(libs + ["libfoo.so.1"], None)  # another distribution: both, labelled
    assert "(Debian/Ubuntu)" in unknown and "(Fedora)" in unknown and "provide libfoo.so.1" in unknown


def test_the_package_family_comes_from_os_release():
    assert pc.package_family('ID=ubuntu\nID_LIKE=debian\n') == "apt"
    assert pc.package_family('ID=linuxmint\nID_LIKE="ubuntu debian"\n') == "apt"
    assert pc.package_family('ID=fedora\n') == "dnf"
    assert pc.package_family('ID="rocky"\nID_LIKE="rhel centos fedora"\n') == "dnf"
    assert pc.package_family('ID=arch\n') is None


def test_start_up_is_refused_with_the_message_only_where_qt_would_load_xcb():
    missing = lambda: ["libxcb-icccm.so.4"]  # noqa: E731 - a fake loader result
    apt = lambda: "apt"  # noqa: E731

    def problem(env, system="linux"):
        return pc.startup_problem(env, system, missing=missing, family=apt)

    assert "libxcb-icccm4" in problem({"DISPLAY": ":0"})
    assert "libxcb-icccm4" in problem({"DISPLAY": ":0", "QT_QPA_PLATFORM": "xcb"})
    assert "libxcb-icccm4" in problem({"WAYLAND_DISPLAY": "wayland-0"})  # no Wayland session: Qt tries xcb
    # an explicit other platform, or a Wayland session, needs no xcb libraries
    assert problem({"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"}) is None
    assert problem({"QT_QPA_PLATFORM": "wayland;xcb", "WAYLAND_DISPLAY": "wayland-0"}) is None
    assert problem({"WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "wayland", "DISPLAY": ":0"}) is None
    assert problem({"QT_QPA_PLATFORM": "vnc:size=800x600"}) is None
    # Windows and macOS wheels carry what Qt needs
    assert problem({}, "win32") is None and problem({"DISPLAY": ":0"}, "darwin") is None
    # nothing missing, or the check could not run: go on and let Qt try
    opens = lambda _display: None  # noqa: E731 - the X display opens (tests/test_launch.py tries real ones)
    assert pc.startup_problem({"DISPLAY": ":0"}, "linux", missing=lambda: [], family=apt, display=opens) is None
    assert pc.startup_problem({"DISPLAY": ":0"}, "linux", missing=lambda: None, family=apt, display=opens) is None


def test_no_display_says_so_and_points_to_the_headless_ways():
    msg = pc.startup_problem({}, "linux", missing=lambda: pytest.fail("no display: nothing to check"))
    assert "no display" in msg and "DISPLAY" in msg and "WAYLAND_DISPLAY" in msg
    assert "--screenshot" in msg and "summary" in msg and "train" in msg


def _launch_args(**kw) -> argparse.Namespace:
    from alexnet_gui.cli import build_parser

    return build_parser().parse_args(["launch", *[a for k, v in kw.items() for a in (f"--{k}", v)]])


def test_launch_without_a_display_exits_with_the_message_before_qt(monkeypatch, capsys):
    from alexnet_gui import app

    for var in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr(app, "create_app", lambda: pytest.fail("Qt must not start"))
    monkeypatch.setattr("sys.platform", "linux")
    assert app.main(_launch_args()) == 2
    err = capsys.readouterr().err
    assert "no display" in err and "--screenshot" in err


def test_launch_with_missing_xcb_libraries_exits_with_the_install_command(monkeypatch, capsys):
    from alexnet_gui import app

    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.setattr("sys.platform", "linux")
    monkeypatch.setattr(pc, "missing_xcb_libraries", lambda: ["libxcb-cursor.so.0", "libxcb-keysyms.so.1"])
    monkeypatch.setattr(pc, "package_family", lambda: "apt")
    monkeypatch.setattr(app, "create_app", lambda: pytest.fail("Qt must not start"))
    assert app.main(_launch_args()) == 2
    err = capsys.readouterr().err
    assert "libxcb-cursor.so.0, libxcb-keysyms.so.1" in err
    assert re.search(r"apt-get install -y libxcb-cursor0 libxcb-keysyms1$", err, re.M)


def test_readme_and_ci_name_the_desktop_packages():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    apt, dnf = " ".join(pc.DESKTOP_PACKAGES["apt"]), " ".join(pc.DESKTOP_PACKAGES["dnf"])
    assert f"sudo apt-get install {apt}" in readme and f"sudo dnf install {dnf}" in readme
    assert "xvfb" in ci and all(p in ci for p in pc.DESKTOP_PACKAGES["apt"])
    # every package named is one the table maps a library to: one source for both
    assert set(pc.DESKTOP_PACKAGES["apt"]) <= {a for a, _ in pc.PACKAGES.values()}
    assert set(pc.DESKTOP_PACKAGES["dnf"]) <= {f for _, f in pc.PACKAGES.values()}
