"""The live Figure 2 and the linked views: the Architecture panel draws every registered network as ``summary --json``
counts it (towers, kernels, shapes, the towers' exchange), a click on a box selects that layer in the activation
view, and one unit selection in the session reaches the kernels, the top patches and the drawing."""

import json
import time

import numpy as np
import pytest

from train_backend.analysis.probes import ActivationSet, LayerActivation
from train_backend.models import MODELS, build_model
from train_backend.models.summary import describe

BUILD_LIMIT_S = 5.0  # a network slower to build than this is left out of the every-model check (with a reason)


def _summary_json(capsys, name: str) -> dict:
    from train_backend.cli import main

    capsys.readouterr()
    assert main(["summary", "--model", name, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def _panel(qtbot, desc, size=(900, 420)):
    from alexnet_gui.panels.architecture import ArchitecturePanel

    panel = ArchitecturePanel()
    qtbot.addWidget(panel)
    panel.resize(*size)
    panel.show()
    panel.set_description(desc)
    return panel


def _no_overlaps(panel) -> None:
    boxes = list(panel.boxes().values())
    canvas = panel.canvas.rect()
    for i, a in enumerate(boxes):
        assert canvas.contains(a.rect.toAlignedRect()), a.key
        for b in boxes[i + 1:]:
            assert not a.rect.intersects(b.rect), (a.key, b.key)


@pytest.mark.parametrize("name", list(MODELS))
def test_every_registered_network_is_drawn_as_summary_json_counts_it(qtbot, capsys, name):
    ref = _summary_json(capsys, name)
    t0 = time.monotonic()
    model = build_model(name, num_classes=ref["num_classes"], in_channels=ref["in_channels"],
                        **{k: tuple(v) if isinstance(v, list) else v for k, v in ref["options"].items()})
    if time.monotonic() - t0 > BUILD_LIMIT_S:
        pytest.skip(f"{name} took {time.monotonic() - t0:.1f} s to build on this machine (over {BUILD_LIMIT_S} s)")
    desc = describe(model, ref["input_size"])
    # the records: summary's layers, in its order, with its figures; its totals
    stable = [r for r in desc.layers if r.stable]
    assert [r.name for r in stable] == [l["name"] for l in ref["layers"]]
    for r, l in zip(stable, ref["layers"]):
        assert (list(r.output_shape), r.params, r.neurons, r.macs, r.type) == \
            (l["output_shape"], l["params"], l["neurons"], l["macs"], l["type"]), r.name
    assert (desc.total_params, desc.total_neurons, desc.total_macs) == \
        (ref["total_params"], ref["total_neurons"], ref["total_macs"])
    # the drawing: a box (or one per tower) for each conv and fc layer, saying its kernels and shape
    panel = _panel(qtbot, desc)
    boxes = panel.boxes()
    ref_layers = {l["name"]: l for l in ref["layers"]}
    weighted = [l["name"] for l in ref["layers"] if l["type"] in ("Conv2d", "Linear")]
    assert [s.name for s in desc.stages()] == weighted
    towers = ref["options"].get("towers", 1)
    for stage in desc.stages():
        shape = ref_layers[stage.name]["output_shape"]
        mine = [b for k, b in boxes.items() if k[0] == stage.name]
        assert len(mine) in (1, towers)
        assert sum(int(b.lines[1].split()[0]) for b in mine) == shape[0]  # kernels (or units) over the towers
        for b in mine:
            per = shape[0] // len(mine)
            if stage.main.kind == "conv":
                k = stage.main.kernel_size[0]
                assert b.lines[1] == f"{per} × {k}×{k}"
                # in full, or compact (a deep net such as VGG-16 in a narrow dock: the shape without channels)
                assert "×".join(map(str, [per, *shape[1:]])) in b.lines or "×".join(map(str, shape[1:])) in b.lines
                pooled = stage.find("maxpool", "avgpool")
                if pooled is not None:
                    assert "→ " + "×".join(map(str, ref_layers.get(pooled.name, {}).get(
                        "output_shape", pooled.output_shape)[1:])) in b.lines
            tip = panel.describe(b)
            for figure in ("params", "neurons", "macs"):
                assert f"{ref_layers[stage.name][figure]:,}" in tip
    assert ("input", None) in boxes and f"× {ref['in_channels']}" in boxes[("input", None)].lines
    _no_overlaps(panel)


def test_the_two_tower_net_shows_where_the_towers_exchange_and_the_one_gpu_net_one_row(qtbot):
    from alexnet_gui.panels.architecture import connected

    desc = describe(build_model("paper"))
    panel = _panel(qtbot, desc)
    cols = panel.canvas.columns
    names = [col[0].stage.name if col[0].stage else "input" for col in cols]
    assert names == ["input", "conv1", "conv2", "conv3", "conv4", "conv5", "fc6", "fc7", "fc8"]
    assert [len(c) for c in cols] == [1, 2, 2, 2, 2, 2, 2, 2, 1]  # the classifier is one box, as is the input
    crossing = {names[i]: connected(desc, cols[i - 1][0], cols[i][1]) for i in range(2, 8)}
    assert crossing == {"conv2": False, "conv3": True, "conv4": False, "conv5": False, "fc6": True, "fc7": True}
    conv1, conv2, conv3 = (panel.boxes()[(n, 0)].lines for n in ("conv1", "conv2", "conv3"))
    assert conv1[:4] == ["conv1", "48 × 11×11", "stride 4", "48×55×55"] and "LRN" in conv1 and "pool 3/2" in conv1
    assert conv2[:3] == ["conv2", "128 × 5×5", "128×27×27"] and "LRN" in conv2 and "→ 13×13" in conv2
    assert conv3 == ["conv3", "192 × 3×3", "192×13×13"]
    assert "the towers exchange here" in panel.describe(panel.boxes()[("conv3", 1)])
    assert "each kernel sees the 48 maps of its own tower" in panel.describe(panel.boxes()[("conv2", 0)])
    assert "60,965,224 parameters" in panel.totals_text()

    one = _panel(qtbot, describe(build_model("paper", towers=1)))
    assert all(b.tower is None for b in one.boxes().values())
    assert one.boxes()[("conv1", None)].lines[1] == "48 × 11×11" and "59,798,312" in one.totals_text()
    _no_overlaps(one)


def test_a_layer_placed_as_two_towers_is_described_as_the_one_device_layer():
    from train_backend.models.towers import place_towers

    model = build_model("paper", num_classes=10, width=0.25, hidden=64)
    before = describe(model, 67)
    after = describe(place_towers(model, "cpu,cpu"), 67)
    assert after == before


def test_each_box_says_how_sparse_its_towers_relus_are_for_the_image(qtbot):
    desc = describe(build_model("paper", num_classes=10, width=0.25, hidden=64), 67)
    panel = _panel(qtbot, desc)
    c = desc.layer("relu1").output_shape[0]
    values = np.ones(desc.layer("relu1").output_shape, np.float32)
    values[: c // 2] = 0  # tower 1's maps all zero, tower 2's none
    values[c // 2, 0, :2] = 0  # two zeros in tower 2
    acts = ActivationSet(np.zeros((67, 67, 3), np.uint8),
                         {"relu1": LayerActivation("relu1", values, 0.0, 1.0, 0.5, 0.5)}, ("relu1",))
    panel.set_activations(acts)
    assert panel.stats[("conv1", 0)] == 1.0
    assert panel.stats[("conv1", 1)] == pytest.approx(2 / values[c // 2:].size)
    assert ("conv2", 0) not in panel.stats  # no activations of that layer in this probe
    assert "exactly 0" in panel.describe(panel.boxes()[("conv1", 0)])


def _ready(qtbot, window):
    from tests.imagefiles import gradient_rgb

    arch = window.panels["architecture"]
    window.lab.show_image(gradient_rgb(), "gradient")
    qtbot.waitUntil(lambda: arch.description is not None and arch.description.input_size == 67, timeout=30_000)
    qtbot.waitUntil(lambda: window.activations.acts is not None and window.kernels.snapshot is not None
                    and bool(arch.stats), timeout=30_000)
    window.docks["architecture"].raise_()
    qtbot.waitUntil(lambda: arch.isVisible() and bool(arch.canvas.columns), timeout=5_000)
    return arch


def test_a_click_on_a_layer_box_shows_that_layer_in_the_activation_view(qtbot, window):
    from PySide6.QtCore import Qt

    arch = _ready(qtbot, window)
    box = arch.boxes()[("conv3", 1)]
    qtbot.mouseClick(arch.canvas, Qt.MouseButton.LeftButton, pos=box.rect.center().toPoint())
    assert window.lab.session.selected_layer == "conv3"
    assert window.activations.layer.currentText() == "conv3" and window.activations.current().name == "conv3"
    assert window.panels["explain"].layer.currentText() == "conv3"  # Grad-CAM's layer follows a conv layer
    assert arch.selected_stage() == "conv3"
    assert not window.docks["activations"].visibleRegion().isEmpty() or window.docks["activations"].isFloating()
    fc = arch.boxes()[("fc6", 0)] if ("fc6", 0) in arch.boxes() else arch.boxes()[("fc6", None)]
    qtbot.mouseClick(arch.canvas, Qt.MouseButton.LeftButton, pos=fc.rect.center().toPoint())
    assert window.activations.layer.currentText() == "fc6"
    assert window.activations.maps_stack.currentWidget() is window.activations.bar_plot  # bars, one per unit
    assert window.panels["explain"].layer.currentText() == "conv3"  # not a conv layer: Grad-CAM keeps its own
    # and the other way: a layer chosen in the activation view is the one the drawing shows selected
    window.activations.layer.setCurrentText("relu2")
    assert window.lab.session.selected_layer == "relu2" and arch.selected_stage() == "conv2"


def test_a_unit_selection_reaches_the_kernels_the_top_patches_and_the_drawing(qtbot, window):
    arch = _ready(qtbot, window)
    per = len(window.kernels.snapshot.tiles[0])
    unit = per + 2  # tower 2's third kernel
    window.lab.session.select_unit("conv1", unit)  # what a click on that map of Activation maps does
    assert window.kernels.selected == (1, 2) and window.kernels.zoom_column.isVisibleTo(window.kernels)
    assert window.panels["top_patches"].unit == ("conv1", unit)
    assert window.activations.layer.currentText() == "conv1" and window.activations.selected_channel == unit
    assert arch.unit_in(arch.boxes()[("conv1", 1)]) == unit and arch.unit_in(arch.boxes()[("conv1", 0)]) is None
    assert f"unit {unit + 1} of conv1" in arch.selection_text()
    # a kernel clicked is the same selection
    window.kernels.kernel_clicked(0, 4)
    assert window.lab.session.selected_unit == ("conv1", 4)
    assert window.activations.selected_channel == 4 and window.panels["top_patches"].unit == ("conv1", 4)
    assert arch.unit_in(arch.boxes()[("conv1", 0)]) == 4
    # a unit of another layer: the kernels stay, the drawing and top patches follow
    window.lab.session.select_unit("conv2", 3)
    assert window.kernels.selected == (0, 4) and window.panels["top_patches"].unit == ("conv2", 3)
    assert arch.selected_stage() == "conv2" and arch.unit_in(arch.boxes()[("conv2", 0)]) == 3
