"""Before Qt starts: can a window open here? Said in one message instead of Qt's abort.

PySide6's wheels bring Qt but not the X11 client libraries its ``xcb`` platform plugin links against. Where
one is missing, Qt prints "could not load the Qt platform plugin xcb" and aborts the process. This module asks
the dynamic loader (``ldd`` on the plugin, which follows ``libQt6XcbQpa`` and everything else it needs) which
libraries are "not found", and names the packages that provide them: no hard-coded list of what Qt needs, only
of which package holds which library. It imports no Qt, costs one ``ldd`` call, and where it cannot tell (no ``ldd``,
an unusual layout, a timeout) it says nothing and lets Qt try.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Callable, Mapping

from train_backend.cli import headless_names  # the core's registry of commands

# soname → (Debian/Ubuntu package, Fedora package)
PACKAGES: dict[str, tuple[str, str]] = {
    "libxcb-cursor.so.0": ("libxcb-cursor0", "xcb-util-cursor"),
    "libxcb-icccm.so.4": ("libxcb-icccm4", "xcb-util-wm"),
    "libxcb-keysyms.so.1": ("libxcb-keysyms1", "xcb-util-keysyms"),
    "libxcb-render-util.so.0": ("libxcb-render-util0", "xcb-util-renderutil"),
    "libxcb-image.so.0": ("libxcb-image0", "xcb-util-image"),
    "libxcb-util.so.1": ("libxcb-util1", "xcb-util"),
    "libxcb-randr.so.0": ("libxcb-randr0", "libxcb"),
    "libxcb-shape.so.0": ("libxcb-shape0", "libxcb"),
    "libxcb-xkb.so.1": ("libxcb-xkb1", "libxcb"),
    "libxcb-xinerama.so.0": ("libxcb-xinerama0", "libxcb"),
    "libxcb-shm.so.0": ("libxcb-shm0", "libxcb"),
    "libxcb-sync.so.1": ("libxcb-sync1", "libxcb"),
    "libxcb-xfixes.so.0": ("libxcb-xfixes0", "libxcb"),
    "libxcb-render.so.0": ("libxcb-render0", "libxcb"),
    "libxcb.so.1": ("libxcb1", "libxcb"),
    "libxkbcommon-x11.so.0": ("libxkbcommon-x11-0", "libxkbcommon-x11"),
    "libxkbcommon.so.0": ("libxkbcommon0", "libxkbcommon"),
    "libX11-xcb.so.1": ("libx11-xcb1", "libX11-xcb"),
    "libX11.so.6": ("libx11-6", "libX11"),
    "libGL.so.1": ("libgl1", "libglvnd-glx"),
    "libEGL.so.1": ("libegl1", "libglvnd-egl"),
    "libOpenGL.so.0": ("libopengl0", "libglvnd-opengl"),
    "libfontconfig.so.1": ("libfontconfig1", "fontconfig"),
    "libfreetype.so.6": ("libfreetype6", "freetype"),
    "libdbus-1.so.3": ("libdbus-1-3", "dbus-libs"),
    "libglib-2.0.so.0": ("libglib2.0-0", "glib2"),
    "libgthread-2.0.so.0": ("libglib2.0-0", "glib2"),
}

# What a Linux desktop needs on top of pip (README's set-up and .ci/run name exactly these; a test checks).
DESKTOP_PACKAGES = {
    "apt": ("libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1", "libxcb-render-util0", "libxcb-image0",
            "libxcb-randr0", "libxcb-shape0", "libxcb-xkb1", "libxkbcommon-x11-0", "libxcb-xinerama0"),
    "dnf": ("xcb-util-cursor", "xcb-util-wm", "xcb-util-keysyms", "xcb-util-renderutil", "xcb-util-image",
            "libxkbcommon-x11"),
}

def headless_hint() -> str:
    """What works without a display: the screenshot and every headless command (read from the core's registry)."""
    return ("Without a window: 'alexnet-gui launch --screenshot out.png [--image IMG] [--train-steps N]' "
            f"renders the window offscreen to a PNG, and 'alexnet-gui {' | '.join(headless_names())}' "
            "need no display ('alexnet-gui COMMAND --help').")


def qt_platform(env: Mapping[str, str]) -> str | None:
    """The platform plugin Qt will try first on Linux: QT_QPA_PLATFORM's first entry when set, else
    ``wayland`` in a Wayland session, ``xcb`` with an X display, None with no display at all."""
    explicit = env.get("QT_QPA_PLATFORM", "").strip()
    if explicit:
        return explicit.split(";")[0].split(":")[0].strip().lower()
    if env.get("WAYLAND_DISPLAY") and env.get("XDG_SESSION_TYPE", "").lower() == "wayland":
        return "wayland"
    if env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"):
        return "xcb"
    return None


def xcb_plugin() -> Path | None:
    """PySide6's ``libqxcb.so``, found without importing PySide6 (None where the layout is unusual)."""
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    for base in spec.submodule_search_locations:
        for plugins in (Path(base) / "Qt" / "plugins", Path(base) / "plugins"):
            path = plugins / "platforms" / "libqxcb.so"
            if path.is_file():
                return path
    return None


def run_ldd(path: Path) -> str | None:
    """``ldd PATH``'s output, or None where ldd is absent, fails or takes too long."""
    ldd = shutil.which("ldd")
    if ldd is None:
        return None
    try:
        res = subprocess.run([ldd, str(path)], capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return None
    return res.stdout if res.stdout.strip() else None


def parse_ldd(text: str) -> list[str]:
    """The sonames ldd reports as "not found", each once, in ldd's order."""
    missing: list[str] = []
    for line in text.splitlines():
        name, sep, where = line.strip().partition("=>")
        if sep and where.strip() == "not found" and name.strip() not in missing:
            missing.append(name.strip())
    return missing


def missing_xcb_libraries(plugin: Path | None = None,
                          ldd: Callable[[Path], str | None] = run_ldd) -> list[str] | None:
    """The system libraries Qt's xcb plugin needs and the loader cannot find ([] = none missing), or None
    where that cannot be told."""
    plugin = plugin or xcb_plugin()
    if plugin is None:
        return None
    out = ldd(plugin)
    return None if out is None else parse_ldd(out)


def package_family(os_release: str | None = None) -> str | None:
    """``apt`` on Debian/Ubuntu and their derivatives, ``dnf`` on Fedora/RHEL, None elsewhere."""
    if os_release is None:
        try:
            os_release = Path("/etc/os-release").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None
    ids: set[str] = set()
    for line in os_release.splitlines():
        key, _, value = line.partition("=")
        if key in ("ID", "ID_LIKE"):
            ids.update(value.strip().strip("\"'").lower().split())
    if ids & {"debian", "ubuntu"}:
        return "apt"
    if ids & {"fedora", "rhel", "centos"}:
        return "dnf"
    return None


def install_command(sonames: list[str], family: str, root: bool = False) -> str | None:
    """One command that installs the packages providing ``sonames`` (None where none is known)."""
    col = {"apt": 0, "dnf": 1}[family]
    pkgs = list(dict.fromkeys(PACKAGES[s][col] for s in sonames if s in PACKAGES))
    if not pkgs:
        return None
    tool = "apt-get install -y" if family == "apt" else "dnf install -y"
    return ("" if root else "sudo ") + tool + " " + " ".join(pkgs)


def missing_libraries_message(sonames: list[str], family: str | None, root: bool = False) -> str:
    lines = [f"alexnet-gui: the window cannot open: Qt's X11 (xcb) platform plugin needs system libraries that "
             f"are not installed: {', '.join(sonames)}."]
    families = [family] if family else ["apt", "dnf"]
    names = {"apt": "Debian/Ubuntu", "dnf": "Fedora"}
    for fam in families:
        cmd = install_command(sonames, fam, root)
        if cmd:
            lines.append(f"Install them{'' if family else ' (' + names[fam] + ')'} with:\n    {cmd}")
    unknown = [s for s in sonames if s not in PACKAGES]
    if unknown:
        lines.append(f"(install the packages that provide {', '.join(unknown)})")
    lines.append(headless_hint())
    return "\n".join(lines)


NO_DISPLAY_MESSAGE = ("alexnet-gui: no display: neither DISPLAY nor WAYLAND_DISPLAY is set, so the window cannot "
                      "open (on a server, over ssh without -X, in a container).\n" + headless_hint())


# libxcb's xcb_connection_has_error codes (xcb.h) in words
XCB_ERRORS = {
    1: "no X server answers there, or it refused this client (not running, a stale ssh -X forward, no xauth "
       "cookie)",
    2: "the X server lacks an extension Qt needs",
    3: "out of memory",
    4: "a request was too long",
    5: "DISPLAY is not a display name libxcb understands",
    6: "the X server has no such screen",
    7: "file descriptors could not be passed",
}


def display_error(display: str | None, timeout_s: float = 5.0) -> str | None:
    """Why libxcb (what Qt's xcb plugin connects with) cannot open the X display ``display``, or None where it can
    or where that cannot be told (no libxcb to load: the missing-library check says so; no answer within
    ``timeout_s``: Qt is left to try). One connect and disconnect through ctypes, no Qt, a few milliseconds."""
    import ctypes
    import threading

    try:
        lib = ctypes.CDLL("libxcb.so.1")
        connect, has_error, disconnect = lib.xcb_connect, lib.xcb_connection_has_error, lib.xcb_disconnect
    except (OSError, AttributeError):
        return None
    connect.restype, connect.argtypes = ctypes.c_void_p, [ctypes.c_char_p, ctypes.c_void_p]
    has_error.restype, has_error.argtypes = ctypes.c_int, [ctypes.c_void_p]
    disconnect.restype, disconnect.argtypes = None, [ctypes.c_void_p]
    result: list[int] = []

    def attempt() -> None:  # a connect to a host that never answers blocks: run it where it may be left behind
        conn = connect((display or "").encode() or None, None)
        try:
            result.append(has_error(conn) if conn else 3)
        finally:
            if conn:
                disconnect(conn)

    t = threading.Thread(target=attempt, name="alexnet-gui display check", daemon=True)
    t.start()
    t.join(timeout_s)
    if not result or result[0] == 0:
        return None
    return XCB_ERRORS.get(result[0], f"libxcb error {result[0]}")


def display_message(display: str | None, why: str) -> str:
    return (f"alexnet-gui: the window cannot open: the X display DISPLAY={display or ''!r} cannot be opened: {why}. "
            "Check DISPLAY (echo $DISPLAY; xdpyinfo), or reconnect with ssh -X / ssh -Y.\n" + headless_hint())


def startup_problem(env: Mapping[str, str] | None = None, system: str | None = None,
                    missing: Callable[[], list[str] | None] | None = None,
                    family: Callable[[], str | None] | None = None,
                    display: Callable[[str | None], str | None] | None = None) -> str | None:
    """What stops the window from opening here, said for a person, or None (go on and start Qt).

    Only Linux is checked (Windows and macOS wheels carry all Qt needs). An explicit QT_QPA_PLATFORM other than
    xcb (offscreen, wayland, vnc…) is respected: nothing is demanded for it. For xcb: the libraries its plugin
    needs, then the X display (``display``: :func:`display_error`), each of which Qt would abort on.
    """
    env = os.environ if env is None else env
    system = sys.platform if system is None else system
    if not system.startswith("linux"):
        return None
    platform = qt_platform(env)
    if platform is None:
        return NO_DISPLAY_MESSAGE
    if platform != "xcb":
        return None
    libs = (missing or missing_xcb_libraries)()
    if not libs:
        why = (display or display_error)(env.get("DISPLAY"))
        return display_message(env.get("DISPLAY"), why) if why else None
    return missing_libraries_message(libs, (family or package_family)(),
                                     root=hasattr(os, "geteuid") and os.geteuid() == 0)
