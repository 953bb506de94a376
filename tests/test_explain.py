"""Explanations (Grad-CAM, guided backprop, occlusion) against independent computations on a tiny model, the model
left as it was, cancelling, the overlay, and ``alexnet-gui explain`` end to end with its error messages."""

import copy
import json
import threading

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from PIL import Image
from torch import nn

from tests.imagefiles import gradient_rgb
from train_backend.analysis import ANALYSES
from train_backend.analysis.explain import (Cancelled, ExplanationMap, class_index, gradcam, network_view, occlusion,
                                            occlusion_offsets, saliency, spatial_layers)
from train_backend.analysis.overlay import colour_table, colourise, overlay
from train_backend.analysis.probes import display_image, preprocess
from train_backend.cli import main
from train_backend.io.checkpoints import InputSpec, save_checkpoint, untrained_weights

SIZE = 99
CLASSES = ["Cat", "dog", "bird", "fish", "frog"]


def tiny(name="paper", **options):
    opts = {"paper": dict(kernels=(8, 8, 12, 12, 8), hidden=16, init="kaiming"), "d2l": {}}.get(name, {})
    opts.update(options)
    return untrained_weights(name, num_classes=len(CLASSES), classes=list(CLASSES),
                             input_spec=InputSpec(SIZE, 3, (0.5,) * 3, (0.25,) * 3), **opts)


@pytest.fixture(scope="module")
def weights():
    return tiny()


@pytest.fixture(scope="module")
def image():
    rng = np.random.default_rng(3)
    base = np.asarray(gradient_rgb(160, 130), dtype=np.float32)
    return Image.fromarray(np.clip(base + rng.normal(0, 40, base.shape), 0, 255).astype(np.uint8))


def children(model):
    return list(model.named_children())


def logits_of(weights, x):
    with torch.no_grad():
        return weights.model.eval()(x)[0]


# ------------------------------------------------------------------------------------- Grad-CAM
def hand_gradcam(weights, x, layer_out, cls):
    """autograd.grad of the class logit w.r.t. the layer's activation; channel weights = the gradient's mean."""
    model = weights.model.eval()
    kids = children(model)
    cut = [n for n, _ in kids].index(layer_out) + 1
    inp = x.clone().requires_grad_(True)  # the graph runs from the input, unlike the implementation's
    a = nn.Sequential(*[m for _, m in kids[:cut]])(inp)
    out = nn.Sequential(*[m for _, m in kids[cut:]])(a.clone())
    (g,) = torch.autograd.grad(out[0, cls], a)
    w = g[0].mean(dim=(1, 2))
    return torch.relu((w[:, None, None] * a[0]).sum(0)).detach()


@pytest.mark.parametrize("layer, read", [("conv5", "relu5"), ("conv3", "relu3"), ("lrn2", "lrn2"),
                                         ("pool1", "pool1")])
def test_gradcam_equals_hand_written(weights, image, layer, read):
    x, _ = network_view(weights, image)
    top = int(logits_of(weights, x).argmax())
    for cls in (top, 2):
        res = gradcam(weights, image, target=cls, layer=layer)
        cam = hand_gradcam(weights, x, read, cls)
        assert res.raw.shape == tuple(cam.shape)
        np.testing.assert_allclose(res.raw, cam.numpy(), atol=1e-5, rtol=1e-5)
        up = F.interpolate(cam[None, None], size=(SIZE, SIZE), mode="bilinear", align_corners=False)[0, 0]
        expect = (up / up.max()).numpy() if up.max() > 0 else np.zeros((SIZE, SIZE))
        np.testing.assert_allclose(res.heat, expect, atol=1e-5)
    assert res.method == "gradcam" and res.layer == layer and res.class_index == 2 and res.class_name == "bird"


def test_gradcam_payload(weights, image):
    res = gradcam(weights, image)
    assert isinstance(res, ExplanationMap)
    x, shown = network_view(weights, image)
    logits = logits_of(weights, x)
    assert res.class_index == int(logits.argmax())  # the top class by default
    assert res.probability == pytest.approx(float(F.softmax(logits, 0).max()), abs=1e-6)
    assert res.heat.shape == (SIZE, SIZE) and res.heat.dtype == np.float32
    assert 0 <= res.heat.min() and res.heat.max() <= 1
    assert res.image.shape == (SIZE, SIZE, 3) and res.image.dtype == np.uint8
    assert [t[0] for t in res.top] == logits.topk(5).indices.tolist()
    assert res.crop == "centre" and res.trained is False and res.patch is None
    # the centre view is exactly what the other probes feed the network and show
    torch.testing.assert_close(x, preprocess(image, weights.input), rtol=0, atol=1e-6)
    np.testing.assert_array_equal(shown, display_image(image, weights.input))


def test_ten_crop_views(weights, image):
    ten = preprocess(image, weights.input, ten_crop=True)
    for i in (0, 4, 7):
        x, shown = network_view(weights, image, crop=i)
        torch.testing.assert_close(x[0], ten[i], rtol=0, atol=1e-6)
    res = gradcam(weights, image, crop=7)
    assert res.crop == "bottom-left (mirrored)"
    x7, _ = network_view(weights, image, crop=7)
    np.testing.assert_allclose(res.raw, hand_gradcam(weights, x7, "relu5", res.class_index).numpy(), atol=1e-5)


# ------------------------------------------------------------------------------------- saliency
def test_saliency_equals_hand_written_guided_backprop(weights, image):
    """Backward hooks on a copy with out-of-place ReLUs, each keeping only positive gradients (the classic
    implementation), against the implementation's own ReLU function."""
    model = copy.deepcopy(weights.model).eval()
    for name, m in model.named_children():
        if isinstance(m, nn.ReLU):
            relu = nn.ReLU(inplace=False)
            relu.register_full_backward_hook(lambda _m, gin, _gout: (gin[0].clamp(min=0),))
            setattr(model, name, relu)
    x, _ = network_view(weights, image)
    for cls in (0, 3):
        inp = x.clone().requires_grad_(True)
        model(inp)[0, cls].backward()
        res = saliency(weights, image, target=cls)
        np.testing.assert_allclose(res.raw, inp.grad[0].numpy(), atol=1e-6, rtol=1e-5)
        expect = inp.grad[0].abs().amax(0)
        np.testing.assert_allclose(res.heat, (expect / expect.max()).numpy(), atol=1e-6)
        assert (inp.grad != 0).any()
    assert res.layer == "input" and res.class_name == "fish"


def test_saliency_differs_from_the_plain_gradient(weights, image):
    x, _ = network_view(weights, image)
    inp = x.clone().requires_grad_(True)
    weights.model.eval()(inp)[0, 1].backward()
    assert not np.allclose(saliency(weights, image, target=1).raw, inp.grad[0].numpy(), atol=1e-6)


# ------------------------------------------------------------------------------------ occlusion
def loop_occlusion(weights, x, cls, patch, stride):
    offsets = occlusion_offsets(x.shape[-1], patch, stride)
    base = F.softmax(logits_of(weights, x), 0)[cls]
    drops = np.zeros((len(offsets), len(offsets)), np.float32)
    for i, t in enumerate(offsets):
        for j, l in enumerate(offsets):
            xo = x.clone()
            xo[..., t:t + patch, l:l + patch] = 0
            drops[i, j] = base - F.softmax(logits_of(weights, xo), 0)[cls]
    return offsets, drops


@pytest.mark.parametrize("name, patch, stride", [("paper", 16, 8), ("paper", 11, 13), ("paper", 99, 5),
                                                 ("torchvision", 20, 16), ("d2l", 75, 75)])
def test_occlusion_equals_a_loop_of_single_forwards(image, name, patch, stride):
    channels, side = (1, 224) if name == "d2l" else (3, SIZE)
    w = tiny(name) if name == "paper" else untrained_weights(
        name, num_classes=5, classes=list(CLASSES), input_spec=InputSpec(side, channels, (0.5,), (0.25,)),
        in_channels=channels)
    x, _ = network_view(w, image)
    cls = 3
    offsets, drops = loop_occlusion(w, x, cls, patch, stride)
    res = occlusion(w, image, target=cls, patch=patch, stride=stride, batch=7)
    assert res.offsets == tuple(offsets) and res.patch == patch and res.stride == stride
    np.testing.assert_allclose(res.raw, drops, atol=2e-6)
    size = x.shape[-1]
    total, cover = np.zeros((size, size)), np.zeros((size, size))
    for i, t in enumerate(offsets):
        for j, l in enumerate(offsets):
            total[t:t + patch, l:l + patch] += res.raw[i, j]  # (the raw drops are checked above)
            cover[t:t + patch, l:l + patch] += 1
    assert cover.min() >= 1 or stride > patch  # the squares cover the whole crop unless they step over gaps
    mean = np.clip(total / np.maximum(cover, 1), 0, None)  # a pixel no square covered: no drop
    expect = mean / mean.max() if mean.max() > 0 else mean
    np.testing.assert_allclose(res.heat, expect, atol=1e-5)


def test_occlusion_progress_and_cancel(weights, image):
    seen = []
    res = occlusion(weights, image, patch=20, stride=10, batch=16, progress=lambda d, t: seen.append((d, t)))
    total = len(res.offsets) ** 2
    assert seen[0] == (0, total) and seen[-1] == (total, total)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)

    before = {k: v.clone() for k, v in weights.model.state_dict().items()}
    weights.model.train()
    calls = []

    def cancel_after_two():
        calls.append(1)
        return len(calls) > 2

    with pytest.raises(Cancelled, match="after 32 of"):
        occlusion(weights, image, patch=20, stride=10, batch=16, cancelled=cancel_after_two)
    event = threading.Event()
    event.set()
    with pytest.raises(Cancelled, match="after 0 of"):
        occlusion(weights, image, cancelled=event)
    assert weights.model.training  # the mode it had, given back
    weights.model.eval()
    assert all(torch.equal(v, weights.model.state_dict()[k]) for k, v in before.items())
    assert torch.is_grad_enabled()


# --------------------------------------------------------------------------- the model, untouched
@pytest.mark.parametrize("fn", [gradcam, saliency, lambda w, i, **k: occlusion(w, i, patch=33, stride=33, **k)])
def test_model_left_as_it_was(image, fn):
    w = tiny()
    model = w.model
    before = {k: v.clone() for k, v in model.state_dict().items()}
    model.train()
    grad_mode = torch.is_grad_enabled()
    fn(w, image)
    with pytest.raises(ValueError):
        fn(w, image, target="no such class")
    assert model.training
    assert torch.is_grad_enabled() == grad_mode
    for m in model.modules():
        assert not m._forward_hooks and not m._forward_pre_hooks and not m._backward_hooks
        assert not getattr(m, "_backward_pre_hooks", {})
    assert all(p.grad is None and p.requires_grad for p in model.parameters())
    assert all(torch.equal(v, model.state_dict()[k]) for k, v in before.items())
    with torch.no_grad():  # answers are the same with grads off around the call
        assert gradcam(w, image).class_index == gradcam(w, image).class_index


def test_registered(weights):
    for name, cost in (("gradcam", "forward"), ("saliency", "forward"), ("occlusion", "forwards")):
        assert ANALYSES[name].cost == cost
    assert ANALYSES["gradcam"].layers(weights.model) == spatial_layers(weights.model)
    assert spatial_layers(weights.model)[-1] == "pool5" and "fc6" not in spatial_layers(weights.model)


# ------------------------------------------------------------------------------------ bad input
def test_class_lookup(weights):
    assert class_index(weights, "cat") == 0 and class_index(weights, "DOG") == 1
    assert class_index(weights, 4) == 4 and class_index(weights, "3") == 3
    with pytest.raises(ValueError, match=r"no class named 'dgo'.*did you mean 'dog'.*'Cat', 'dog'"):
        class_index(weights, "dgo")
    with pytest.raises(ValueError, match=r"out of range.*5 classes \(0-4\)"):
        class_index(weights, 5)
    with pytest.raises(ValueError, match="out of range"):
        class_index(weights, "-1")
    odd = copy.copy(weights)
    odd.classes = CLASSES + ["extra"]
    with pytest.raises(ValueError, match="6 classes but the model has 5 outputs"):
        class_index(odd, 0)


def test_bad_layer_and_crop(weights, image):
    with pytest.raises(ValueError, match=r"'fc6' has no spatial maps.*conv1, relu1.*pool5"):
        gradcam(weights, image, layer="fc6")
    with pytest.raises(ValueError, match="'conv9' is not a layer of this model"):
        gradcam(weights, image, layer="conv9")
    with pytest.raises(ValueError, match="'lrn1' is not a layer"):
        gradcam(tiny(lrn=False), image, layer="lrn1")
    for crop in (10, "left", -1, True):
        with pytest.raises(ValueError, match="crop must be 'centre' or a ten-crop index 0-9"):
            saliency(weights, image, crop=crop)
    for patch, stride in ((0, 8), (100, 8), (16, 0), (16.5, 8)):
        with pytest.raises(ValueError):
            occlusion(weights, image, patch=patch, stride=stride)
    with pytest.raises(ValueError, match="PIL image or a tensor"):
        gradcam(weights, "picture.png")


# ---------------------------------------------------------------------------------------- overlay
def test_overlay():
    assert colour_table("jet").shape == (256, 3) and tuple(colour_table("inferno")[0]) == (0, 0, 4)
    assert tuple(colour_table("jet")[-1]) == (128, 0, 0)
    heat = np.linspace(0, 1, 12, dtype=np.float32).reshape(3, 4)
    img = np.full((3, 4, 3), 100, np.uint8)
    np.testing.assert_array_equal(overlay(img, heat, 0.0), img)
    np.testing.assert_array_equal(overlay(img, heat, 1.0), colourise(heat))
    side = overlay(img, heat, 0.5, "inferno", side_by_side=True)
    assert side.shape == (3, 4 + 4 + 4, 3)
    np.testing.assert_array_equal(side[:, :4], img)
    with pytest.raises(ValueError):
        overlay(img, heat, 1.5)
    with pytest.raises(ValueError):
        overlay(img, heat[:2], 0.5)
    with pytest.raises(ValueError, match="unknown colour map"):
        colourise(heat, "viridis")


# -------------------------------------------------------------------------------------------- CLI
@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory, weights):
    path = tmp_path_factory.mktemp("ckpt") / "tiny.pt"
    save_checkpoint(path, weights.model, weights.classes, weights.input)
    return path


@pytest.fixture
def photo(tmp_path, image):
    path = tmp_path / "photo.jpg"
    image.save(path)
    return path


@pytest.mark.parametrize("method, extra", [("gradcam", ["--layer", "conv4", "--class", "frog"]),
                                           ("saliency", ["--crop", "3"]),
                                           ("occlusion", ["--patch", "24", "--stride", "12", "--side-by-side"])])
def test_cli_writes_a_picture(checkpoint, photo, tmp_path, capsys, method, extra):
    out = tmp_path / f"{method}.png"
    rc = main(["explain", str(photo), "--method", method, "--weights", str(checkpoint), "-o", str(out), "--json",
               *extra])
    figures = json.loads(capsys.readouterr().out)
    assert rc == 0
    pixels = np.asarray(Image.open(out))
    scale = -(-224 // SIZE)  # a small input is written in square blocks to at least 224 px
    assert pixels.shape == (SIZE * scale, (SIZE * 2 + 4 if "--side-by-side" in extra else SIZE) * scale, 3)
    assert pixels.std() > 5  # not blank
    assert figures["method"] == method and figures["output"] == str(out) and figures["map_shape"] == [SIZE, SIZE]
    assert len(figures["top5"]) == 5 and 0 <= figures["probability"] <= 1 and figures["seconds"] > 0
    if method == "gradcam":
        assert figures["class"] == "frog" and figures["class_index"] == 4 and figures["layer"] == "conv4"
    if method == "saliency":
        assert figures["crop"] == "bottom-right"
    if method == "occlusion":
        assert figures["patch"] == 24 and figures["stride"] == 12 and figures["positions"] == 8 * 8


def test_cli_text_output(checkpoint, photo, tmp_path, capsys):
    out = tmp_path / "cam.jpg"
    assert main(["explain", str(photo), "--method", "gradcam", "--weights", str(checkpoint), "-o", str(out)]) == 0
    text = capsys.readouterr().out
    assert text.startswith(f"wrote {out}: Grad-CAM at conv5 for ") and "top-5: " in text and out.exists()


@pytest.mark.parametrize("case, message", [
    ("bad image", "cannot load image"),
    ("missing image", "cannot load image"),
    ("bad class", "no class named 'zebra'"),
    ("class index", "out of range"),
    ("fc layer", "'fc7' has no spatial maps"),
    ("missing weights", "no such file"),
    ("bad weights", "not a PyTorch weights file"),
    ("layer for occlusion", "--layer applies to --method gradcam only"),
    ("patch for saliency", "--patch and --stride apply to --method occlusion only"),
    ("big patch", "patch must be 1-99 px"),
    ("bad crop", "crop must be 'centre' or a ten-crop index 0-9"),
    ("opacity", "--opacity must be between 0 and 1"),
    ("suffix", "use one of .png, .jpg, .jpeg"),
])
def test_cli_bad_input(checkpoint, photo, tmp_path, capsys, case, message):
    bad = tmp_path / "bad.jpg"
    bad.write_text("not an image")
    junk = tmp_path / "junk.pt"
    junk.write_bytes(b"\x00garbage" * 10)
    out = tmp_path / "out" / "map.png"
    args = {"bad image": [str(bad)], "missing image": [str(tmp_path / "none.png")]}.get(case, [str(photo)])
    args += ["--method", "occlusion" if case in ("layer for occlusion", "big patch") else
             "saliency" if case == "patch for saliency" else "gradcam"]
    args += ["--weights", {"missing weights": str(tmp_path / "none.pt"), "bad weights": str(junk)}.get(
        case, str(checkpoint))]
    args += {"bad class": ["--class", "zebra"], "class index": ["--class", "7"], "fc layer": ["--layer", "fc7"],
             "layer for occlusion": ["--layer", "conv5"], "patch for saliency": ["--patch", "8"],
             "big patch": ["--patch", "100"], "bad crop": ["--crop", "11"], "opacity": ["--opacity", "2"]}.get(case, [])
    args += ["-o", str(out.with_suffix(".gif") if case == "suffix" else out)]
    assert main(["explain", *args]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("alexnet-gui: error: ") and message in err[0], err
    assert not out.parent.exists() or not any(out.parent.iterdir())  # no file, not even a partial one


def test_cli_paper_model_untrained(photo, tmp_path, capsys):
    out = tmp_path / "paper.png"
    assert main(["explain", str(photo), "--method", "gradcam", "--weights", "untrained", "-o", str(out),
                 "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["map_shape"] == [227, 227] and figures["trained"] is False and out.exists()
