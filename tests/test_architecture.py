"""The architecture, checked: the core never imports Qt or the GUI (it could back a web UI tomorrow), panels are
independent of each other and take payload types from the torch-free train_backend.payloads (never the engine), and the
core's modules keep their layers (the contracts are in pyproject.toml)."""

import re
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
    kept = re.search(r"Contracts: (\d+) kept, 0 broken", res.stdout)
    assert kept and int(kept.group(1)) >= 13, res.stdout  # contracts are added, never dropped
    assert "never the Trainer" in res.stdout  # the engine's parts see a run through engine.host


def test_headless_commands_run_without_the_gui_package():
    res = subprocess.run([sys.executable, "-m", "train_backend", "summary", "--recipe", "d2l"], capture_output=True,
                         text=True, cwd=ROOT)
    assert res.returncode == 0 and "46,764,746" in res.stdout
    res = subprocess.run([sys.executable, "-m", "train_backend"], capture_output=True, text=True, cwd=ROOT)
    assert res.returncode == 2 and "summary" in res.stderr and "launch" not in res.stderr


def import_cycles(package: str, annotations: bool = False) -> list[list[str]]:
    """The import circles among ``package``'s modules (strongly connected groups of two or more, or a module that
    imports itself), imports inside functions included; ``annotations``: imports for type checking only too."""
    import grimp

    graph = grimp.build_graph(package, exclude_type_checking_imports=not annotations, cache_dir=None)
    modules = sorted(graph.modules)
    edges = {m: {n for n in graph.find_modules_directly_imported_by(m) if n in graph.modules} for m in modules}
    index, low, stack, on_stack, groups, counter = {}, {}, [], set(), [], [0]

    def visit(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1 or v in edges[v]:
                groups.append(sorted(group))

    for m in modules:
        if m not in index:
            visit(m)
    return groups


def test_the_window_has_no_import_circle():
    """Issue 23: the window, its lab, its actions and panels import one way (main_window was a hub that actions,
    run_view and run_watch reached back into; app and cli imported each other)."""
    assert import_cycles("alexnet_gui") == []
    assert import_cycles("alexnet_gui", annotations=True) == []  # not even through a type annotation


def test_the_core_has_no_import_circle():
    """Issue 25: no circle in the core, imports inside functions and for type checking included (the engine's
    parts and the trainer; io.checkpoints and io.caffe, now both below io.weights, which loads either format)."""
    assert import_cycles("train_backend") == []
    assert import_cycles("train_backend", annotations=True) == []
