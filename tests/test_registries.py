"""One source per fact: models, recipes, data sets and analyses are registered once, and every list reads that."""

import inspect
import json

import numpy as np
import pytest

from tests.imagefiles import gradient_rgb
from train_backend.analysis import ANALYSES, register_analysis, run_analysis
from train_backend.io.checkpoints import InputSpec, untrained_weights
from train_backend.cli import main
from train_backend.data import DATASET_NAMES, DATASETS, known_dataset_info, load_dataset
from train_backend.models import MODEL_NAMES, MODELS, WEIGHTS_ALIASES
from train_backend.recipes import RECIPES


def test_list_prints_every_registry(capsys):
    assert main(["list", "--json"]) == 0
    reg = json.loads(capsys.readouterr().out)
    assert [m["name"] for m in reg["models"]] == list(MODELS) == ["paper", "torchvision", "d2l", "convnet4", "seed001",
                                                                   "lenet", "vgg16", "resnet18"]
    assert [r["name"] for r in reg["recipes"]] == list(RECIPES)
    assert [d["name"] for d in reg["datasets"]] == list(DATASETS) == list(DATASET_NAMES)
    assert {a["name"] for a in reg["analyses"]} >= {"predictions", "activations", "lrn_effect", "conv1_kernels"}
    tv = next(m for m in reg["models"] if m["name"] == "torchvision")
    assert tv["weights"] == list(WEIGHTS_ALIASES) and tv["input_size"] == 224
    assert next(r for r in reg["recipes"] if r["name"] == "d2l")["reference"] == 0.88
    assert main(["list"]) == 0
    text = capsys.readouterr().out
    assert "models:" in text and "analyses:" in text and "d2l" in text


def test_cli_and_dialog_choices_read_the_registries():
    from train_backend.cli import build_parser
    from train_backend.settings import BY_KEY

    assert BY_KEY["model"].choices == MODEL_NAMES and BY_KEY["dataset"].choices == DATASET_NAMES
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    assert tuple(sub.choices["summary"]._option_string_actions["--model"].choices) == MODEL_NAMES
    assert set(sub.choices) >= {"summary", "list", "classify", "export-kernels", "augment", "train", "evaluate"}


def test_every_command_is_registered_one_way():
    """Each command module ends with COMMANDS (Command records) and is named in MODULES; nothing else adds a parser,
    and the parser, the dispatch and the window's list of headless commands all read that one registry."""
    import importlib
    import pkgutil
    import re
    from pathlib import Path

    import train_backend.cli as cli
    from alexnet_gui.platform_check import headless_hint
    from train_backend.cli.command import Command

    package = Path(cli.__file__).parent
    helpers = {"command", "common"}
    modules = {m.name for m in pkgutil.iter_modules([str(package)])} - helpers
    assert set(cli.MODULES) == modules  # a command module left out of MODULES would be a command nobody can run
    for name in modules:
        module = importlib.import_module(f"train_backend.cli.{name}")
        assert module.COMMANDS and all(isinstance(c, Command) for c in module.COMMANDS), name
    for path in package.glob("*.py"):  # the one registration style: no module builds its own sub-parser
        if path.stem != "command":
            assert not re.search(r"\.add_parser\(", path.read_text()), path.name
    registered = cli.commands()
    sub = next(a for a in cli.build_parser()._actions if a.dest == "command")
    assert list(sub.choices) == list(registered) == list(cli.headless_names())
    assert all(name in headless_hint() for name in registered)


def test_a_new_command_is_a_record_in_its_module(monkeypatch, capsys):
    import dataclasses

    import train_backend.cli as cli
    from train_backend.cli import runs
    from train_backend.cli.command import Command

    def hello(args):
        print(f"hello {args.who}")
        return 0

    extra = Command("hello", help="say hello", description="Say hello to WHO.",
                    arguments=lambda p: p.add_argument("who"), run=hello)
    monkeypatch.setattr(runs, "COMMANDS", runs.COMMANDS + (extra,))
    assert cli.main(["hello", "world"]) == 0
    assert capsys.readouterr().out == "hello world\n"
    monkeypatch.setattr(runs, "COMMANDS", runs.COMMANDS + (dataclasses.replace(extra, name="runs"),))
    with pytest.raises(RuntimeError, match="registered twice"):
        cli.commands()


def test_data_set_facts_come_from_the_registry():
    mean, std, classes = known_dataset_info("synthetic")
    bundle = load_dataset("synthetic")
    assert (bundle.mean, bundle.std, bundle.classes) == (mean, std, classes) == \
        (DATASETS["synthetic"].mean, DATASETS["synthetic"].std, list(DATASETS["synthetic"].classes))
    assert known_dataset_info("folder")[2] is None  # a folder's classes are its files'
    with pytest.raises(ValueError, match="choose one of fashion-mnist, cifar10, folder, synthetic"):
        load_dataset("mnist")


def test_a_new_analysis_is_one_function_and_a_registration(capsys):
    """What a newcomer writes for a new analysis: the function and its decorator, nothing else."""

    @register_analysis("mean_activation", description="each layer's mean output", cost="forward")
    def mean_activation(weights, image):
        from train_backend.analysis.probes import activations

        return {name: float(layer.values.mean()) for name, layer in activations(weights, image).layers.items()}

    try:
        weights = untrained_weights("paper", num_classes=4, classes=list("abcd"),
                                    input_spec=InputSpec(67, 3, (0.5,) * 3, (0.25,) * 3), width=0.25, hidden=16)
        out = run_analysis("mean_activation", weights, gradient_rgb())
        assert set(out) == set(weights.model.layer_names()) and all(np.isfinite(v) for v in out.values())
        assert main(["list", "--json"]) == 0
        assert "mean_activation" in [a["name"] for a in json.loads(capsys.readouterr().out)["analyses"]]
        with pytest.raises(ValueError, match="registered already"):
            register_analysis("mean_activation", description="again", cost="forward")(mean_activation)
    finally:
        ANALYSES.pop("mean_activation", None)


def test_registered_analyses_run_on_every_model_they_apply_to():
    image = gradient_rgb()
    import torch
    from train_backend.data import DatasetBundle, TensorImages

    pixels = torch.randint(0, 256, (4, 3, 32, 32), dtype=torch.uint8, generator=torch.Generator().manual_seed(0))
    tiny = TensorImages(pixels, torch.tensor([0, 1, 2, 0]))
    data = DatasetBundle("tiny", tiny, tiny, list("abc"), (0.5,) * 3, (0.25,) * 3, 3, 32, "generated")
    for name in MODEL_NAMES:
        channels = 1 if name in ("d2l", "lenet") else 3
        opts = {"width": 0.25, "hidden": 16} if name == "paper" else {}
        w = untrained_weights(name, num_classes=3, classes=list("abc"), in_channels=channels,
                              input_spec=InputSpec(MODELS[name].native_size, channels, (0.5,) * channels,
                                                   (0.25,) * channels), **opts)
        for analysis in ANALYSES.values():
            if analysis.applies_to(w.model):
                # the data-set analyses search a data set (each gets a tiny one, whose classes are the weights')
                options = {"dataset": data, "k": 2} if analysis.cost == "dataset" else {}
                params = inspect.signature(analysis.run).parameters
                if not any(p.kind == p.VAR_KEYWORD for p in params.values()):
                    options = {o: v for o, v in options.items() if o in params}
                assert run_analysis(analysis.name, w, image, **options) is not None, (name, analysis.name)
        assert ANALYSES["lrn_effect"].applies_to(w.model) == (name in ("paper", "seed001"))  # the nets with LRN


def test_a_new_panel_is_one_class_and_a_registration(qtbot, tmp_path, monkeypatch, no_thread_leaks):
    """A newcomer's panel: a widget class with its decorator; ``bind`` asks for a registered analysis of the
    current image and draws the answer. The window docks it, lists it in the View menu and feeds it."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QLabel

    from alexnet_gui.panels import PANELS, register_panel
    from tests.conftest import tiny_gui_config

    @register_panel("kernel_count", "Kernel count", area="right", tab_with="activations")
    class KernelCount(QLabel):
        def bind(self, lab) -> None:
            self.lab = lab
            lab.analysis_done.connect(self.on_analysis)

        def ask(self) -> None:
            self.token = self.lab.request_analysis("conv1_kernels")

        def on_analysis(self, token, name, snapshot) -> None:
            if token == self.token:
                self.setText(f"{sum(len(t) for t in snapshot.tiles)} kernels")

    try:
        from alexnet_gui.main_window import LaunchOptions, MainWindow

        monkeypatch.setenv("ALEXNET_GUI_RUNS", str(tmp_path / "runs"))
        win = MainWindow(LaunchOptions(dataset="synthetic", default_layout=True),
                         settings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
        qtbot.addWidget(win)
        win.lab.config = tiny_gui_config(win.lab.config)
        win.lab.build_untrained()
        qtbot.waitUntil(lambda: win.lab.session.weights is not None, timeout=30_000)
        panel = win.panels["kernel_count"]
        assert win.docks["kernel_count"].windowTitle() == "Kernel count"
        assert win.docks["kernel_count"] in win.tabifiedDockWidgets(win.docks["activations"])
        assert "Kernel count" in [a.text() for a in win.menu_view.actions()]
        panel.ask()
        qtbot.waitUntil(lambda: panel.text().endswith("kernels"), timeout=30_000)
        assert int(panel.text().split()[0]) > 0
        win.shutdown(30)
        win.close()
    finally:
        PANELS.pop("kernel_count", None)
