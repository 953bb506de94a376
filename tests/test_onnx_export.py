"""export-onnx: the graph onnxruntime runs computes what the model's forward computes (the paper's LRN written out in
plain operations), with the preprocessing and class names in its metadata; without the optional extra the command
says how to get it."""

from __future__ import annotations

import importlib.util
import json

import numpy as np
import pytest
import torch
from PIL import Image

from tests.test_caffe import make_params, write_caffemodel
from train_backend.analysis.probes import preprocess
from train_backend.cli import main as cli_main
from train_backend.io import onnx_export
from train_backend.io.checkpoints import save_checkpoint, untrained_weights
from train_backend.io.weights import load_weights
from train_backend.models.lrn import LocalResponseNorm

_MISSING = next((n for n in ("onnx", "onnxruntime", "onnxscript") if importlib.util.find_spec(n) is None), None)
needs_onnx = pytest.mark.skipif(_MISSING is not None, reason=f"the optional extra [onnx] is not installed "
                                                             f"({_MISSING} missing): pip install 'alexnet-gui[onnx]'")


@pytest.mark.parametrize("convention,groups", [("paper", 2), ("pytorch", 1), ("pytorch", 2), ("paper", 1)])
def test_the_plain_lrn_computes_what_the_lrn_computes(convention, groups):
    lrn = LocalResponseNorm(5, 3e-3, 0.75, 1.5, convention=convention, groups=groups)
    x = torch.randn(2, 12, 5, 5) * 20
    torch.testing.assert_close(onnx_export.PlainLRN(lrn)(x), lrn(x), rtol=1e-5, atol=1e-5)


@needs_onnx
def test_an_imported_caffe_alexnet_exports_and_runs_in_onnxruntime(tmp_path, capsys):
    src = write_caffemodel(tmp_path / "net.caffemodel", make_params(), "layer", lrn=(5, 1e-3, 0.75, 1.0))
    out = tmp_path / "net.onnx"
    assert cli_main(["export-onnx", "--weights", str(src), "-o", str(out), "--opset", "17", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["opset"] == 17 and report["max_abs_diff"] <= 1e-4
    import onnx

    proto = onnx.load(str(out))
    meta = {p.key: p.value for p in proto.metadata_props}
    assert json.loads(meta["classes"]) == [f"class {i}" for i in range(7)] and meta["eval_resize"] == "square"
    assert json.loads(meta["std"]) == pytest.approx([1 / 255] * 3)
    assert {"conv1.weight", "fc8.bias"} <= {t.name for t in proto.graph.initializer}
    # an image, preprocessed as the metadata says, gives the model's logits (the LRN here is strong: alpha 1e-3)
    w = load_weights(src)
    rgb = np.random.default_rng(0).integers(0, 256, (256, 256, 3)).astype(np.uint8)
    x = preprocess(Image.fromarray(rgb), w.input, eval_resize=w.eval_resize)
    with torch.no_grad():
        want = w.model(x).numpy()
        plain = w.model.lrn1(w.model.relu1(w.model.conv1(x)))
        weak = torch.nn.functional.relu(w.model.conv1(x))
    assert (plain - weak).abs().max() > 1  # the LRN changes the numbers: the check tests it
    np.testing.assert_allclose(onnx_export.run_onnx(out, x), want, atol=1e-4, rtol=0)


@needs_onnx
def test_torchvisions_alexnet_exports_and_runs_in_onnxruntime(tmp_path):
    w = untrained_weights("torchvision", num_classes=5, seed=1)
    ckpt = tmp_path / "tv.pt"
    save_checkpoint(ckpt, w.model, w.classes, w.input)
    loaded = load_weights(ckpt)
    report = onnx_export.export_onnx(loaded, tmp_path / "tv.onnx", batch=2)
    assert report["model"] == "torchvision" and report["max_abs_diff"] <= 1e-4
    x = torch.randn(3, 3, 224, 224)  # the batch axis is dynamic
    with torch.no_grad():
        want = loaded.model(x).numpy()
    np.testing.assert_allclose(onnx_export.run_onnx(tmp_path / "tv.onnx", x), want, atol=1e-4, rtol=0)


@needs_onnx
@pytest.mark.parametrize("opset", ["13", "99"])
def test_an_opset_the_exporter_cannot_write_is_refused_before_exporting_and_nothing_is_written(
        tmp_path, capsys, monkeypatch, opset):
    out, ckpt = tmp_path / "m.onnx", tmp_path / "small.pt"
    w = untrained_weights("paper", num_classes=4, width=0.25, hidden=16)
    save_checkpoint(ckpt, w.model, w.classes, w.input)

    def no_export(*args, dynamo=True, **kwargs):
        raise AssertionError("the exporter ran for an opset it cannot write")

    monkeypatch.setattr(torch.onnx, "export", no_export)
    assert cli_main(["export-onnx", "--weights", str(ckpt), "-o", str(out), "--opset", opset]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and f"opset {opset}" in err[0] and "17 or later" in err[0]
    assert not out.exists()


@needs_onnx
@pytest.mark.parametrize("diff,written", [(0.000214, True), (0.05, False)])
def test_the_check_is_relative_to_the_size_of_the_logits(tmp_path, capsys, monkeypatch, diff, written):
    """A Caffe-imported net's logits reach +-180: a difference of 0.000214 (about 1e-6 of them) is float32's
    rounding, not a wrong graph; 0.05 (3e-4 of them) is refused."""
    out, ckpt = tmp_path / "m.onnx", tmp_path / "big.pt"
    w = untrained_weights("paper", num_classes=4, width=0.25, hidden=16)
    with torch.no_grad():
        w.model.fc8.bias.copy_(torch.tensor([180.0, -180.0, 90.0, -90.0]))
    save_checkpoint(ckpt, w.model, w.classes, w.input)
    real = onnx_export.run_onnx
    monkeypatch.setattr(onnx_export, "run_onnx", lambda data, x: real(data, x) + diff)
    code = cli_main(["export-onnx", "--weights", str(ckpt), "-o", str(out), "--json"])
    captured = capsys.readouterr()
    assert out.exists() == written
    if written:
        report = json.loads(captured.out)
        assert code == 0 and report["max_abs_diff"] == pytest.approx(diff, rel=0.05)
        assert report["max_abs_logit"] == pytest.approx(180, rel=0.05)
    else:
        err = captured.err.strip().splitlines()
        assert code == 1 and len(err) == 1 and "largest logit" in err[0] and "not written" in err[0]


def test_without_the_extra_the_command_says_how_to_get_it(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(onnx_export, "onnx_missing", lambda: "onnxruntime")
    out = tmp_path / "m.onnx"
    assert cli_main(["export-onnx", "--weights", "untrained", "-o", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "alexnet-gui[onnx]" in err[0] and "onnxruntime" in err[0]
    assert not out.exists()
