"""Bad input through the GUI and the CLI: each odd file is handled or refused with a message naming it."""

import json
import os

import pytest
import torch
import torchvision

from tests.faults.evil import MARKER
from tests.imagefiles import make_all
from train_backend.cli import main

pytestmark = pytest.mark.gui

LOADABLE = ["tiny", "thin", "png16", "tiff_float", "cmyk", "palette", "rgba", "gif", "multipage", "exif", "unicode",
            "grey"]
REFUSED = {"empty": "empty", "text": "not an image", "truncated": "truncated", "bomb": "too large",
           "svg": "not an image", "directory": "folder"}


@pytest.fixture(scope="module")
def odd(tmp_path_factory):
    return make_all(tmp_path_factory.mktemp("odd files äö"))


@pytest.mark.parametrize("kind", LOADABLE)
def test_cli_classifies_every_readable_kind(kind, odd, capsys):
    code = main(["classify", str(odd[kind]), "--json", "--topk", "2"])
    out = capsys.readouterr().out
    assert code == 0
    assert json.loads(out)["path"] == str(odd[kind])


@pytest.mark.parametrize("kind", sorted(REFUSED))
def test_cli_refuses_bad_files_by_name(kind, odd, capsys):
    code = main(["classify", str(odd[kind]), str(odd["tiny"]), "--topk", "1"])
    out, err = capsys.readouterr()
    assert code == 1
    assert str(odd[kind]) in err and REFUSED[kind] in err.lower()
    assert str(odd["tiny"]) in out  # the good one is still classified


def test_gui_drop_of_every_kind(qtbot, window, odd):
    """Each dropped file is shown and classified, or refused with its name; training is unaffected."""
    for kind in LOADABLE:
        with qtbot.waitSignal(window.lab.probe_shown, timeout=30_000):
            window.open_images([str(odd[kind])])
        assert odd[kind].name in window.predictions.caption.text(), kind
        assert not window.predictions.error.isVisible(), kind
    shown = window.predictions.caption.text()
    for kind, reason in REFUSED.items():
        window.open_images([str(odd[kind])])
        assert window.predictions.error.isVisible()
        text = window.predictions.error.text()
        assert str(odd[kind]) in text and reason in text.lower(), kind
        assert window.predictions.caption.text() == shown  # nothing else changed
    assert window.lab.state == "idle"


def test_gui_drop_during_training_leaves_training_alone(qtbot, window, odd):
    window.lab.config = window.lab.config.replace(epochs=100)
    window.lab.start_training()
    qtbot.waitUntil(lambda: window.lab.state == "running" and window.curves.loss.total_added >= 1, timeout=60_000)
    window.open_images([str(odd["truncated"]), str(odd["empty"])])
    assert "truncated" in window.predictions.error.text()
    before = window.curves.loss.total_added
    qtbot.waitUntil(lambda: window.curves.loss.total_added > before, timeout=60_000)
    with qtbot.waitSignal(window.lab.run_finished, timeout=60_000):
        window.lab.stop_training()


def bad_checkpoints(folder):
    folder.mkdir(parents=True, exist_ok=True)
    from tests.faults.evil import Evil
    from train_backend.io.checkpoints import InputSpec, save_checkpoint
    from train_backend.models import build_model

    files = {}
    good = folder / "good.pt"
    save_checkpoint(good, build_model("paper", num_classes=4, width=0.25, hidden=32), list("abcd"), InputSpec(67))
    files["truncated"] = folder / "truncated.pt"
    files["truncated"].write_bytes(good.read_bytes()[:2000])
    files["random"] = folder / "random.pt"
    files["random"].write_bytes(os.urandom(4096))
    files["code"] = folder / "code.pt"
    torch.save({"state_dict": Evil()}, files["code"])
    files["resnet"] = folder / "resnet.pt"
    torch.save(torchvision.models.resnet18(num_classes=2).state_dict(), files["resnet"])
    ck = torch.load(good, weights_only=True)
    ck["version"] = 42
    files["newer"] = folder / "newer.pt"
    torch.save(ck, files["newer"])
    return files


def test_cli_bad_checkpoints(tmp_path, capsys):
    for kind, path in bad_checkpoints(tmp_path).items():
        code = main(["classify", "x.png", "--weights", str(path)])
        err = capsys.readouterr().err
        assert code == 2 and str(path) in err, kind
    assert not MARKER.exists()


def test_gui_bad_checkpoints_keep_the_model(qtbot, window, tmp_path):
    before = window.lab.session.weights
    for kind, path in bad_checkpoints(tmp_path).items():
        n = len(window.lab.messages)
        window.lab.load_weights(str(path))
        qtbot.waitUntil(lambda: any(str(path) in t for lvl, t in window.lab.messages[n:] if lvl == "error"),
                        timeout=30_000)
        assert window.lab.session.weights == before, kind
    assert not MARKER.exists()


@pytest.mark.parametrize("setup,needle", [
    ("missing", "does not exist"), ("empty", "no class sub-folders"), ("one", "only one class"),
])
def test_gui_bad_dataset_is_reported_and_nothing_breaks(qtbot, window, tmp_path, setup, needle):
    root = tmp_path / "data"
    if setup != "missing":
        root.mkdir()
    if setup == "one":
        (root / "cats").mkdir()
    window.lab.set_dataset("folder", str(root))
    window.lab.start_training()
    qtbot.waitUntil(lambda: window.lab.last_end is not None, timeout=30_000)
    assert window.lab.last_end.reason == "config" and needle in window.lab.last_end.message
    assert window.lab.state == "error" and window.act_start.isEnabled()
    window.lab.set_dataset("synthetic")
    window.lab.config = window.lab.config.replace(max_steps=2)
    window.lab.start_training(fresh=True)
    qtbot.waitUntil(lambda: window.lab.last_end is not None and window.lab.last_end.reason == "max_steps", timeout=60_000)


@pytest.mark.parametrize("changes,needle", [
    (dict(lr=0.0), "learning rate"), (dict(batch_size=-4), "batch size"), (dict(epochs=0), "epochs"),
    (dict(input_size=40), "minimum"),
])
def test_bad_settings_cli_and_gui(qtbot, window, tmp_path, capsys, changes, needle):
    (k, v), = changes.items()
    flag = {"lr": "--lr", "batch_size": "--batch-size", "epochs": "--epochs", "input_size": "--input-size"}[k]
    code = main(["train", "--dataset", "synthetic", flag, str(v), "--out", str(tmp_path / "r")])
    assert code == 2 and needle in capsys.readouterr().err
    window.lab.config = window.lab.config.replace()
    setattr(window.lab.config, k, v)
    assert not window.lab.start_training()
    assert any(needle in t for _, t in window.lab.messages[-1:])


@pytest.mark.skipif(torch.cuda.is_available(), reason="needs a machine without CUDA")
def test_cuda_without_a_gpu(qtbot, window, tmp_path, capsys):
    code = main(["train", "--dataset", "synthetic", "--device", "cuda", "--out", str(tmp_path / "r")])
    out, err = capsys.readouterr()
    assert code == 2 and "no CUDA GPU" in out + err
    window.lab.config = window.lab.config.replace(device="cuda", max_steps=1)
    window.lab.start_training()
    qtbot.waitUntil(lambda: window.lab.last_end is not None, timeout=30_000)
    assert window.lab.last_end.reason == "config" and "no CUDA GPU" in window.lab.last_end.message
