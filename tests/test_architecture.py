"""The core must never import Qt: it could back a web UI tomorrow."""

import subprocess
import sys

CHECK = """
import sys, pkgutil, importlib
import train_backend
for m in pkgutil.iter_modules(train_backend.__path__):
    if m.name != "__main__":
        importlib.import_module("train_backend." + m.name)
bad = sorted(n for n in sys.modules if n.split(".")[0] in ("PySide6", "PyQt5", "PyQt6", "pyqtgraph", "shiboken6"))
print(",".join(bad))
"""


def test_train_backend_imports_no_qt():
    res = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == ""
