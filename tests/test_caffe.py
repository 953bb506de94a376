"""Importing Caffe's AlexNet: synthetic caffemodels written here with protobuf (both of Caffe's layouts, a scaled-down
paper architecture), checked against a forward pass written independently in NumPy the way Caffe computes it (BGR,
0-255 minus the mean, LRN with alpha / n across all channels, max pooling with Caffe's ceil rounding)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from train_backend.analysis.probes import kernel_snapshot, preprocess
from train_backend.cli import main as cli_main
from train_backend.io.caffe import CaffeImportError, import_caffemodel
from train_backend.io.caffe_proto import messages
from train_backend.io.checkpoints import CheckpointError
from train_backend.io.weights import load_weights

KERNELS = (8, 16, 24, 24, 16)
HIDDEN, CLASSES = 24, 7
MEAN_BGR = (100.0, 110.0, 120.0)


# ------------------------------------------------------------------------------------------ writing caffemodels
def make_params(seed: int = 0, kernels=KERNELS, hidden=HIDDEN, classes=CLASSES,
                groups=(2, 2, 2)) -> dict[str, list[np.ndarray]]:
    """Caffe-ordered weights (conv1 over B, G, R) of a small AlexNet (``groups`` of conv2/4/5: two towers by
    default); the first half of conv1's kernels are grey (equal over the colours), the second half coloured."""
    rng = np.random.default_rng(seed)
    c1, c2, c3, c4, c5 = kernels
    half = c1 // 2
    grey = rng.normal(0, 0.01, (half, 1, 11, 11)).repeat(3, axis=1)
    colour = rng.normal(0, 0.01, (c1 - half, 3, 11, 11))
    colour[0] = 0
    colour[0, 0] = 0.02  # a kernel that sees only Caffe's first channel: blue
    g2, g4, g5 = groups
    shapes = {"conv2": (c2, c1 // g2, 5, 5), "conv3": (c3, c2, 3, 3), "conv4": (c4, c3 // g4, 3, 3),
              "conv5": (c5, c4 // g5, 3, 3), "fc6": (hidden, c5 * 36), "fc7": (hidden, hidden),
              "fc8": (classes, hidden)}
    p = {"conv1": [np.concatenate([grey, colour]).astype(np.float32), rng.normal(0, 0.5, c1).astype(np.float32)]}
    for name, shape in shapes.items():
        fan_in = int(np.prod(shape[1:]))
        scale = (3.0 if name == "fc8" else 1.2) / np.sqrt(fan_in)
        p[name] = [rng.normal(0, scale, shape).astype(np.float32), rng.normal(0, 0.1, shape[0]).astype(np.float32)]
    return p


def _blob(msg_blob, arr: np.ndarray, v1: bool) -> None:
    if v1:  # num, channels, height, width, padded with leading ones
        dims = (1,) * (4 - arr.ndim) + arr.shape
        msg_blob.num, msg_blob.channels, msg_blob.height, msg_blob.width = dims
    else:
        msg_blob.shape.dim.extend(arr.shape)
    msg_blob.data.extend(arr.ravel().tolist())


def write_caffemodel(path: Path, params: dict, layout: str = "layer", lrn=(5, 1e-4, 0.75, 1.0),
                     order: tuple[str, ...] | None = None, with_data_layers: bool = True, packed: bool = True,
                     groups=(2, 2, 2)) -> Path:
    """A NetParameter in either layout (``"layer"``: LayerParameter and BlobShape; ``"V1"``: V1LayerParameter and
    num/channels/height/width), written with protobuf's own float encoding (``packed``: as caffe.proto says)."""
    m = messages(raw_blobs=False, packed=packed)
    net = m.NetParameter(name="AlexNet")
    v1 = layout == "V1"
    types = {"Convolution": "CONVOLUTION", "ReLU": "RELU", "LRN": "LRN", "Pooling": "POOLING", "Dropout": "DROPOUT",
             "InnerProduct": "INNER_PRODUCT", "Data": "DATA", "SoftmaxWithLoss": "SOFTMAX_LOSS",
             "Accuracy": "ACCURACY"}
    geometry = {"conv1": (11, 4, 0, 1), "conv2": (5, 1, 2, groups[0]), "conv3": (3, 1, 1, 1),
                "conv4": (3, 1, 1, groups[1]), "conv5": (3, 1, 1, groups[2])}
    seq = order or ("data", "conv1", "relu1", "norm1", "pool1", "conv2", "relu2", "norm2", "pool2", "conv3", "relu3",
                    "conv4", "relu4", "conv5", "relu5", "pool5", "fc6", "relu6", "drop6", "fc7", "relu7", "drop7",
                    "fc8", "accuracy", "loss")
    if not with_data_layers:
        seq = tuple(s for s in seq if s not in ("data", "accuracy", "loss"))
    for name in seq:
        layer = net.layers.add() if v1 else net.layer.add()
        kind = {"conv": "Convolution", "relu": "ReLU", "norm": "LRN", "pool": "Pooling", "drop": "Dropout",
                "fc": "InnerProduct", "data": "Data", "loss": "SoftmaxWithLoss", "accuracy": "Accuracy"}[
            name.rstrip("0123456789")]
        layer.name = name
        if v1:
            layer.type = m.V1LayerParameter.DESCRIPTOR.enum_types_by_name["LayerType"].values_by_name[
                types[kind]].number
        else:
            layer.type = kind
        if kind == "Convolution":
            k, s, pad, g = geometry[name]
            cp = layer.convolution_param
            cp.num_output, cp.group = params[name][0].shape[0], g
            cp.kernel_size.append(k)
            if s != 1:
                cp.stride.append(s)
            if pad:
                cp.pad.append(pad)
        elif kind == "InnerProduct":
            layer.inner_product_param.num_output = params[name][0].shape[0]
        elif kind == "LRN":
            n, alpha, beta, kk = lrn
            layer.lrn_param.local_size, layer.lrn_param.alpha, layer.lrn_param.beta = n, alpha, beta
            layer.lrn_param.k = kk
        elif kind == "Pooling":
            layer.pooling_param.pool = 0
            layer.pooling_param.kernel_size, layer.pooling_param.stride = 3, 2
        elif kind == "Dropout":
            layer.dropout_param.dropout_ratio = 0.5
        for arr in params.get(name, []):
            _blob(layer.blobs.add(), arr, v1)
    path.write_bytes(net.SerializeToString())
    return path


def write_mean(path: Path, mean_bgr=MEAN_BGR, size: int = 16) -> Path:
    """A mean image whose mean pixel is ``mean_bgr`` (with a ramp that averages out)."""
    ramp = np.linspace(-5, 5, size * size).reshape(size, size)
    arr = np.stack([np.full((size, size), v) + ramp for v in mean_bgr]).astype(np.float32)
    blob = messages(raw_blobs=False).BlobProto()
    _blob(blob, arr, v1=True)
    path.write_bytes(blob.SerializeToString())
    return path


# ------------------------------------------------------------------------------------------ Caffe in NumPy
def np_conv(x, w, b, stride, pad, groups):
    x = np.pad(x, ((0, 0), (pad, pad), (pad, pad)))
    k = w.shape[-1]
    win = np.lib.stride_tricks.sliding_window_view(x, (k, k), axis=(1, 2))[:, ::stride, ::stride]
    cin, cout = x.shape[0] // groups, w.shape[0] // groups
    outs = [np.einsum("chwij,ocij->ohw", win[g * cin:(g + 1) * cin], w[g * cout:(g + 1) * cout])
            for g in range(groups)]
    return np.concatenate(outs) + b[:, None, None]


def np_lrn_caffe(x, n, alpha, beta, k):
    """Caffe's LRNLayer, ACROSS_CHANNELS: scale = k + alpha / n * sum of squares over n channels centred on c."""
    sq = np.pad(x ** 2, (((n - 1) // 2, (n - 1) // 2), (0, 0), (0, 0)))
    s = sum(sq[i:i + x.shape[0]] for i in range(n))
    return x * (k + alpha / n * s) ** -beta


def np_maxpool_caffe(x, k, s):
    """Caffe's PoolingLayer: ceil rounding, windows clipped at the edge."""
    c, h, w = x.shape
    ph, pw = -(-(h - k) // s) + 1, -(-(w - k) // s) + 1
    out = np.empty((c, ph, pw))
    for i in range(ph):
        for j in range(pw):
            out[:, i, j] = x[:, i * s:min(i * s + k, h), j * s:min(j * s + k, w)].max(axis=(1, 2))
    return out


def caffe_forward(params, bgr_minus_mean, lrn=(5, 1e-4, 0.75, 1.0), logits=False):
    relu = lambda t: np.maximum(t, 0)  # noqa: E731
    p = {k: [a.astype(np.float64) for a in v] for k, v in params.items()}
    x = bgr_minus_mean.astype(np.float64)
    x = np_maxpool_caffe(np_lrn_caffe(relu(np_conv(x, *p["conv1"], 4, 0, 1)), *lrn), 3, 2)
    x = np_maxpool_caffe(np_lrn_caffe(relu(np_conv(x, *p["conv2"], 1, 2, 2)), *lrn), 3, 2)
    x = relu(np_conv(x, *p["conv3"], 1, 1, 1))
    x = relu(np_conv(x, *p["conv4"], 1, 1, 2))
    x = np_maxpool_caffe(relu(np_conv(x, *p["conv5"], 1, 1, 2)), 3, 2)
    x = x.ravel()
    for name in ("fc6", "fc7"):
        x = relu(p[name][0] @ x + p[name][1])
    z = p["fc8"][0] @ x + p["fc8"][1]
    if logits:
        return z
    e = np.exp(z - z.max())
    return e / e.sum()


def _image(seed=1) -> np.ndarray:
    rng = np.random.default_rng(seed)
    base = rng.integers(0, 256, (32, 32, 3)).astype(np.uint8)
    return np.asarray(Image.fromarray(base).resize((256, 256), Image.BILINEAR))


# ------------------------------------------------------------------------------------------ tests
@pytest.mark.parametrize("layout,lrn", [("layer", (5, 1e-4, 0.75, 1.0)), ("V1", (3, 3e-4, 0.6, 1.5))])
def test_an_imported_caffemodel_gives_the_probabilities_caffe_would(tmp_path, layout, lrn):
    params = make_params()
    model_file = write_caffemodel(tmp_path / "net.caffemodel", params, layout, lrn=lrn)
    w = import_caffemodel(model_file, mean=write_mean(tmp_path / "mean.binaryproto"))
    o = w.model.options
    assert (o["kernels"], o["hidden"], o["towers"], len(w.classes)) == (KERNELS, HIDDEN, 2, CLASSES)
    assert (o["lrn_n"], o["lrn_k"], o["lrn_convention"], o["lrn_across_towers"]) == (lrn[0], lrn[3], "pytorch", True)
    rgb = _image()
    # the app's preprocessing is Caffe's: squash to 256, central 227, 0-255 minus the mean pixel, no std
    x = preprocess(Image.fromarray(rgb), w.input, eval_resize=w.eval_resize)
    crop = rgb[14:241, 14:241].astype(np.float64)
    bgr = crop[..., ::-1].transpose(2, 0, 1) - np.array(MEAN_BGR)[:, None, None]
    np.testing.assert_allclose(x[0].numpy()[::-1], bgr, atol=2e-3)
    with torch.no_grad():
        probs = torch.softmax(w.model(x), 1)[0].double().numpy()
    z = caffe_forward(params, bgr, lrn, logits=True)  # scale fc8 so the probabilities are far from one-hot
    params["fc8"][0] *= np.float32(2.0 / z.std())
    model_file = write_caffemodel(tmp_path / "net.caffemodel", params, layout, lrn=lrn)
    w = import_caffemodel(model_file, mean=tmp_path / "mean.binaryproto")
    with torch.no_grad():
        probs = torch.softmax(w.model(x), 1)[0].double().numpy()
    ref = caffe_forward(params, bgr, lrn)
    assert ref.max() < 0.99 and ref.min() > 1e-4  # probabilities that say something, not a saturated argmax
    np.testing.assert_allclose(probs, ref, atol=1e-5)


def test_conv1_shows_two_towers_in_rgb_with_their_colour_selectivity(tmp_path):
    params = make_params()
    w = import_caffemodel(write_caffemodel(tmp_path / "net.caffemodel", params, "V1"))
    snap = kernel_snapshot(w.model)
    assert snap.towers == 2 and [len(t) for t in snap.tiles] == [4, 4]
    grey, colour = snap.mean_selectivity
    assert grey < 1e-6 < colour  # tower 1 colour-agnostic, tower 2 colour-specific
    blue_only = w.model.conv1.weight[4].detach().numpy()  # Caffe's channel 0 (B) is the app's channel 2
    assert np.abs(blue_only[:2]).max() == 0 and blue_only[2].max() == pytest.approx(0.02)
    assert w.input.mean == pytest.approx(tuple(v / 255 for v in (122.67891434, 116.66876762, 104.00698793)))


def test_an_ungrouped_net_imports_as_one_tower_and_a_mixed_one_is_refused(tmp_path):
    one = import_caffemodel(write_caffemodel(tmp_path / "one.caffemodel", make_params(groups=(1, 1, 1)), "layer",
                                             groups=(1, 1, 1)))
    assert one.model.towers == 1 and kernel_snapshot(one.model).towers == 1
    assert one.model.conv2.groups == 1 and one.model.options["kernels"] == KERNELS
    mixed = write_caffemodel(tmp_path / "mixed.caffemodel", make_params(groups=(2, 1, 2)), "layer", groups=(2, 1, 2))
    with pytest.raises(CaffeImportError, match="conv2, conv4 and conv5 must all have two groups"):
        import_caffemodel(mixed)


def test_unpacked_blobs_import_like_packed_ones(tmp_path):
    params = make_params()
    packed = import_caffemodel(write_caffemodel(tmp_path / "p.caffemodel", params, "V1"))
    unpacked = import_caffemodel(write_caffemodel(tmp_path / "u.caffemodel", params, "V1", packed=False))
    assert (tmp_path / "u.caffemodel").stat().st_size > (tmp_path / "p.caffemodel").stat().st_size  # really unpacked
    for key, value in packed.model.state_dict().items():
        torch.testing.assert_close(unpacked.model.state_dict()[key], value, rtol=0, atol=0)


def test_import_caffe_cli_writes_a_checkpoint_that_loads_everywhere(tmp_path, capsys):
    params = make_params(classes=1000)
    src = write_caffemodel(tmp_path / "bvlc.caffemodel", params, "V1", with_data_layers=False)
    out = tmp_path / "bvlc.pt"
    assert cli_main(["import-caffe", str(src), "--mean", str(write_mean(tmp_path / "m.binaryproto")),
                     "-o", str(out)]) == 0
    text = capsys.readouterr().out
    assert "GPU 1" in text and "GPU 2" in text and "V1 layers" in text
    loaded = load_weights(out)  # torch.load(weights_only=True) inside
    assert loaded.model.variant == "paper" and loaded.classes[0] == "tench" and len(loaded.classes) == 1000
    assert loaded.eval_resize == "square" and loaded.input.std == pytest.approx((1 / 255,) * 3)
    direct = load_weights(src)  # a .caffemodel loads directly where weights load
    x = torch.randn(2, 3, 227, 227) * 50
    with torch.no_grad():
        torch.testing.assert_close(loaded.model(x), direct.model(x))
    assert direct.checkpoint["imported_from"]["layers"]["lrn1"] == "norm1"


def test_a_prototxt_gives_the_structure_and_the_caffemodel_the_weights(tmp_path):
    params = make_params()
    src = write_caffemodel(tmp_path / "net.caffemodel", params, "layer", lrn=(5, 1e-4, 0.75, 1.0))
    proto = tmp_path / "deploy.prototxt"
    proto.write_text(DEPLOY.replace("ALPHA", "0.0002"))
    w = import_caffemodel(src, prototxt=proto)
    assert w.model.options["lrn_alpha"] == pytest.approx(2e-4) and w.model.options["dropout"] == 0.5
    bad = tmp_path / "caffenet.prototxt"  # CaffeNet: pool before norm
    bad.write_text(proto.read_text().replace('name: "norm1" type: "LRN"', 'name: "x" type: "Pooling" pooling_param '
                                  '{ pool: MAX kernel_size: 3 stride: 2 }', 1))
    with pytest.raises(CaffeImportError, match="not the paper's AlexNet"):
        import_caffemodel(src, prototxt=bad)


DEPLOY = """
name: "AlexNet"
layer { name: "data" type: "Input" top: "data" input_param { shape: { dim: 10 dim: 3 dim: 227 dim: 227 } } }
layer { name: "conv1" type: "Convolution" bottom: "data" top: "conv1"
  param { lr_mult: 1 decay_mult: 1 } param { lr_mult: 2 decay_mult: 0 }
  convolution_param { num_output: 8 kernel_size: 11 stride: 4 } }
layer { name: "relu1" type: "ReLU" bottom: "conv1" top: "conv1" }
layer { name: "norm1" type: "LRN" bottom: "conv1" top: "norm1" lrn_param { local_size: 5 alpha: ALPHA beta: 0.75 } }
layer { name: "pool1" type: "Pooling" bottom: "norm1" top: "pool1"
  pooling_param { pool: MAX kernel_size: 3 stride: 2 } }
layer { name: "conv2" type: "Convolution" convolution_param { num_output: 16 pad: 2 kernel_size: 5 group: 2 } }
layer { name: "relu2" type: "ReLU" }
layer { name: "norm2" type: "LRN" lrn_param { local_size: 5 alpha: ALPHA beta: 0.75 } }
layer { name: "pool2" type: "Pooling" pooling_param { pool: MAX kernel_size: 3 stride: 2 } }
layer { name: "conv3" type: "Convolution" convolution_param { num_output: 24 pad: 1 kernel_size: 3 } }
layer { name: "relu3" type: "ReLU" }
layer { name: "conv4" type: "Convolution" convolution_param { num_output: 24 pad: 1 kernel_size: 3 group: 2 } }
layer { name: "relu4" type: "ReLU" }
layer { name: "conv5" type: "Convolution" convolution_param { num_output: 16 pad: 1 kernel_size: 3 group: 2 } }
layer { name: "relu5" type: "ReLU" }
layer { name: "pool5" type: "Pooling" pooling_param { pool: MAX kernel_size: 3 stride: 2 } }
layer { name: "fc6" type: "InnerProduct" inner_product_param { num_output: 24 } }
layer { name: "relu6" type: "ReLU" }
layer { name: "drop6" type: "Dropout" dropout_param { dropout_ratio: 0.5 } }
layer { name: "fc7" type: "InnerProduct" inner_product_param { num_output: 24 } }
layer { name: "relu7" type: "ReLU" }
layer { name: "drop7" type: "Dropout" dropout_param { dropout_ratio: 0.5 } }
layer { name: "fc8" type: "InnerProduct" inner_product_param { num_output: 7 } }
layer { name: "prob" type: "Softmax" bottom: "fc8" top: "prob" }
"""


def _bad_files(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    good = write_caffemodel(tmp_path / "good.caffemodel", make_params(), "V1").read_bytes()
    files = {}
    files["truncated"] = (tmp_path / "truncated.caffemodel", "truncated, damaged")
    files["truncated"][0].write_bytes(good[: len(good) * 2 // 3])
    files["damaged"] = (tmp_path / "damaged.caffemodel", "truncated, damaged")
    files["damaged"][0].write_bytes(b"\xff" * 64 + good[64:])
    files["random"] = (tmp_path / "random.caffemodel", "")
    files["random"][0].write_bytes(np.random.default_rng(3).integers(0, 256, 5000, dtype=np.uint8).tobytes())
    files["huge"] = (tmp_path / "huge.caffemodel", "refused without reading it")
    with open(files["huge"][0], "wb") as f:  # sparse: 600 MiB on paper, nothing on disk
        f.truncate(600 * 2**20)
    wrong = make_params()
    wrong["conv3"][0] = wrong["conv3"][0][:, :8]  # conv3 grouped: not the paper's (towers talk in conv3)
    files["wrong architecture"] = (write_caffemodel(tmp_path / "wrong.caffemodel", wrong, "layer"), "conv3")
    files["caffenet order"] = (write_caffemodel(
        tmp_path / "caffenet.caffemodel", make_params(), "layer",
        order=("conv1", "relu1", "pool1", "norm1", "conv2", "relu2", "pool2", "norm2", "conv3", "relu3", "conv4",
               "relu4", "conv5", "relu5", "pool5", "fc6", "relu6", "fc7", "relu7", "fc8")), "not the paper's AlexNet")
    files["deeply nested"] = (tmp_path / "nested.caffemodel", "truncated, damaged")  # 50,000 nested groups
    files["deeply nested"][0].write_bytes(b"\x0b" * 50_000 + b"\x0c" * 50_000)
    files["not a float count"] = (tmp_path / "count.caffemodel", "holds")
    net = messages(raw_blobs=False).NetParameter.FromString(write_caffemodel(tmp_path / "s.caffemodel", make_params(),
                                                                            "layer").read_bytes())
    fc7 = next(l for l in net.layer if l.name == "fc7")
    del fc7.blobs[1].data[-1]  # a bias blob whose data is shorter than its shape says
    files["not a float count"][0].write_bytes(net.SerializeToString())
    files["empty"] = (tmp_path / "empty.caffemodel", "empty")
    files["empty"][0].write_bytes(b"")
    return files


def test_bad_caffemodels_get_one_clear_message_and_write_nothing(tmp_path, capsys):
    for what, (path, words) in _bad_files(tmp_path).items():
        with pytest.raises(CheckpointError) as info:
            import_caffemodel(path)
        assert str(path) in str(info.value) and words in str(info.value), (what, str(info.value))
        out = tmp_path / f"{what}.pt"
        assert cli_main(["import-caffe", str(path), "-o", str(out)]) == 2, what
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and err[0].startswith("alexnet-gui: error: ") and "Traceback" not in err[0], (what, err)
        assert not out.exists() and not [f for f in os.listdir(tmp_path) if f.endswith(".tmp")]


def test_the_window_loads_a_caffemodel_on_the_worker_and_refuses_a_bad_one(window, qtbot, tmp_path):
    good = write_caffemodel(tmp_path / "net.caffemodel", make_params(), "layer")
    bad = _bad_files(tmp_path)["truncated"][0]
    kinds = []
    window.lab.worker.sig_progress.connect(lambda kind, done, total: kinds.append((kind, done, total)))
    window.lab.load_weights(str(good))  # File > Load weights ends here, and the import runs on the worker
    qtbot.waitUntil(lambda: window.lab.session.weights is not None and window.lab.session.weights.source == str(good),
                    timeout=30_000)
    assert window.lab.session.weights.towers == 2 and window.lab.session.weights.input_size == 227
    assert kinds[0] == ("import", 0, 0) and ("import", 1, 1) in kinds  # the status bar's busy bar, then done
    qtbot.waitUntil(lambda: window.kernels.snapshot is not None and window.kernels.snapshot.towers == 2
                    and window.kernels.snapshot.weights.shape == (8, 3, 11, 11), timeout=30_000)
    before = window.lab.session.weights
    n = len(window.lab.messages)
    window.lab.load_weights(str(bad))
    qtbot.waitUntil(lambda: any(str(bad) in t for lvl, t in window.lab.messages[n:] if lvl == "error"), timeout=30_000)
    errors = [t for lvl, t in window.lab.messages[n:] if lvl == "error"]
    assert len(errors) == 1 and "truncated" in errors[0]
    assert window.lab.session.weights == before  # nothing changed


def test_a_bad_prototxt_or_mean_file_gets_one_clear_message(tmp_path, capsys):
    src = write_caffemodel(tmp_path / "net.caffemodel", make_params(), "layer")
    garbage = tmp_path / "garbage.bin"
    garbage.write_bytes(bytes(range(256)) * 8)
    one_pixel = tmp_path / "grey.binaryproto"  # a one-channel mean is not a BGR mean
    blob = messages(raw_blobs=False).BlobProto()
    _blob(blob, np.full((1, 4, 4), 100, np.float32), v1=True)
    one_pixel.write_bytes(blob.SerializeToString())
    cases = [(["--prototxt", str(garbage)], "not a Caffe network description"),
             (["--prototxt", str(tmp_path / "missing.prototxt")], "no such file"),
             (["--mean", str(garbage)], "mean"), (["--mean", str(one_pixel)], "not 3 x H x W")]
    out = tmp_path / "out.pt"
    for extra, words in cases:
        assert cli_main(["import-caffe", str(src), *extra, "-o", str(out)]) == 2, extra
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and words in err[0], (extra, err)
        assert not out.exists()
