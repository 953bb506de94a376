"""The architecture, checked: the core never imports Qt or the GUI (it could back a web UI tomorrow), panels are
independent of each other and take payload types from the torch-free train_backend.payloads (never the engine), and the
core's modules keep their layers (the contracts are in pyproject.toml)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHECK = """
import sys, pkgutil, importlib
import train_backend
for m in pkgutil.walk_packages(train_backend.__path__, "train_backend."):
    if not m.name.endswith("__main__"):
        importlib.import_module(m.name)
bad = sorted(n for n in sys.modules if n.split(".")[0] in ("PySide6", "PyQt5", "PyQt6", "pyqtgraph", "shiboken6",
                                                          "alexnet_gui"))
print(",".join(bad))
"""


def test_train_backend_imports_no_qt():
    res = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, cwd=ROOT)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == ""


def test_import_contracts_hold():
    """import-linter reads every import, those inside functions too (a check of sys.modules misses those)."""
    code = "import sys; from importlinter.cli import lint_imports; sys.exit(lint_imports(no_cache=True, no_logo=True))"
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "12 kept, 0 broken" in res.stdout


def test_headless_commands_run_without_the_gui_package():
    res = subprocess.run([sys.executable, "-m", "train_backend", "summary", "--recipe", "d2l"], capture_output=True,
                         text=True, cwd=ROOT)
    assert res.returncode == 0 and "46,764,746" in res.stdout
    res = subprocess.run([sys.executable, "-m", "train_backend"], capture_output=True, text=True, cwd=ROOT)
    assert res.returncode == 2 and "summary" in res.stderr and "launch" not in res.stderr
