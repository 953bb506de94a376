"""The paper's inputs: raw 0-255 RGB minus the training set's mean image (cropped with the input, as Caffe does), no
division by a std; computed once per data set and cached; recorded in checkpoints so that probes, explanations and
evaluation feed images the same way; and the LRN's "acts on" figure that shows why it matters."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from tests.tiny import tiny_config
from train_backend.analysis.probes import lrn_active_share, preprocess
from train_backend.data import TensorImages, load_dataset
from train_backend.data.augment import BatchAugment, build_eval_transform, build_train_transform
from train_backend.data.mean_image import compute_mean_image, mean_image_for, mean_image_path
from train_backend.io.checkpoints import InputSpec, save_checkpoint, untrained_weights
from train_backend.io.weights import load_weights
from train_backend.config import ConfigError, TrainConfig, input_spec_for
from train_backend.recipes import recipe


@pytest.fixture(autouse=True)
def _cache(tmp_path, monkeypatch):
    monkeypatch.setenv("ALEXNET_GUI_CACHE", str(tmp_path / "cache"))


def _one_image_data(side=40, seed=0):
    g = torch.Generator().manual_seed(seed)
    images = torch.randint(0, 256, (1, 3, side, side), generator=g, dtype=torch.uint8)
    return TensorImages(images, torch.zeros(1, dtype=torch.long))


def test_the_mean_image_is_the_mean_of_the_central_squares_and_is_cached(monkeypatch):
    images = torch.stack([torch.full((3, 20, 20), v, dtype=torch.uint8) for v in (0, 100, 200)])
    images[1, 0, :, :10] = 50  # structure that a mean pixel would lose
    data = TensorImages(images, torch.zeros(3, dtype=torch.long))
    m = compute_mean_image(data, 20)
    assert m.shape == (3, 20, 20) and m.dtype == np.float32
    np.testing.assert_allclose(m[1], 100 / 255, atol=1e-6)
    np.testing.assert_allclose(m[0, :, :10], 250 / 3 / 255, atol=1e-6)
    np.testing.assert_allclose(m[0, :, 10:], 100 / 255, atol=1e-6)
    # a data set of other item types (PIL or tensors one at a time) gives the same
    class Items:
        def __len__(self):
            return 3

        def __getitem__(self, i):
            return images[i], 0
    np.testing.assert_allclose(compute_mean_image(Items(), 20), m, atol=1e-6)
    bundle = load_dataset("synthetic", n_train=24, n_val=8, size=32)
    first = mean_image_for(bundle, 36)
    assert mean_image_path(bundle, 36).is_file()
    monkeypatch.setattr("train_backend.data.mean_image.compute_mean_image",
                        lambda *a, **k: pytest.fail("computed again instead of read from the cache"))
    np.testing.assert_array_equal(mean_image_for(bundle, 36), first)


def test_crops_and_flips_subtract_the_mean_image_at_their_own_place_as_caffe_does():
    """One training image: its mean image is itself, so every crop, flipped or not, of image − mean is exactly 0
    (a mean image cropped elsewhere would leave the image's structure); an offset of 10 grey levels stays 10 (0-255
    values, no std)."""
    data = _one_image_data()
    m = compute_mean_image(data, 40)
    image = data.images[0]
    tf = build_train_transform(32, [0.5] * 3, [1 / 255] * 3, 3, resize=40, flip=True, lighting=0.0, mean_image=m)
    torch.manual_seed(0)
    for _ in range(6):
        assert tf(image).abs().max() < 1e-3
    brighter = (image.int() + 10).clamp(max=255).to(torch.uint8)
    torch.manual_seed(0)
    out = tf(brighter)
    unclipped = tf(image) == tf(image)  # every value; the clipped pixels are few
    assert out.shape == (3, 32, 32) and float(out[unclipped].median()) == pytest.approx(10.0, abs=1e-3)
    batch = BatchAugment(32, [0.5] * 3, [1 / 255] * 3, 3, resize=40, flip=True, lighting=0.0, mean_image=m)
    x = batch(data.images.expand(8, -1, -1, -1), generator=torch.Generator().manual_seed(1))
    assert x.shape == (8, 3, 32, 32) and x.abs().max() < 1e-3
    for ten in (False, True):
        ev = build_eval_transform(32, [0.5] * 3, [1 / 255] * 3, 3, resize=40, ten_crop=ten, mean_image=m)
        assert ev(image).abs().max() < 1e-3


def test_the_paper_recipe_feeds_raw_pixels_minus_the_mean_image_and_others_keep_theirs():
    assert recipe("paper").pixels == "mean-image"
    assert all(recipe(n).pixels == "standardised" for n in ("d2l", "finetune", "quick"))
    spec = input_spec_for(recipe("paper"), (0.5,) * 3, (0.25,) * 3, np.full((3, 256, 256), 0.4, np.float32))
    assert spec.pixels == "mean-image" and spec.raw_pixels and spec.mean == pytest.approx((0.4,) * 3)
    pixel = input_spec_for(recipe("paper").replace(pixels="mean-pixel"), (0.5,) * 3, (0.25,) * 3)
    assert pixel.pixels == "mean-pixel" and pixel.mean_image is None and pixel.std == pytest.approx((1 / 255,) * 3)
    assert input_spec_for(recipe("quick"), (0.5,), (0.25,)).std == pytest.approx((0.25,) * 3)
    with pytest.raises(ConfigError, match="pixels"):
        TrainConfig(pixels="mean-image", normalize=False).validate()
    with pytest.raises(ConfigError, match="pixels must be one of"):
        TrainConfig(pixels="raw").validate()


def test_the_spec_and_its_mean_image_round_trip_through_a_checkpoint(tmp_path):
    m = np.random.default_rng(0).random((3, 77, 77), dtype=np.float32)
    spec = InputSpec(67, 3, tuple(m.reshape(3, -1).mean(1)), (1 / 255,) * 3, 77, m)
    w = untrained_weights("paper", num_classes=8, input_spec=spec, kernels=(8, 8, 8, 8, 8), hidden=16)
    save_checkpoint(tmp_path / "w.pt", w.model, w.classes, spec)
    back = load_weights(tmp_path / "w.pt").input
    assert back == spec and back.mean_digest == spec.mean_digest and back.pixels == "mean-image"
    np.testing.assert_array_equal(back.mean_image, m)
    image = torch.randint(0, 256, (3, 90, 90), dtype=torch.uint8)
    torch.testing.assert_close(preprocess(image, back), preprocess(image, spec))
    # a checkpoint written before mean images (no "mean_image" in its input) reads as it always did
    old = {k: v for k, v in spec.to_dict().items() if k != "mean_digest"}
    assert InputSpec.from_dict(old).mean_image is None and InputSpec.from_dict(old).pixels == "mean-pixel"


def test_probes_explanations_and_data_passes_normalise_alike(tmp_path):
    from train_backend.analysis.explain import network_view
    from train_backend.analysis.passes import normalise, seen

    data = _one_image_data(90, seed=2)
    m = compute_mean_image(data, 77)
    spec = InputSpec(67, 3, tuple(m.reshape(3, -1).mean(1)), (1 / 255,) * 3, 77, m)
    w = untrained_weights("paper", num_classes=8, input_spec=spec, kernels=(8, 8, 8, 8, 8), hidden=16)
    image = torch.randint(0, 256, (3, 100, 120), dtype=torch.uint8)
    x = preprocess(image, spec)
    torch.testing.assert_close(network_view(w, image)[0], x, atol=1e-3, rtol=0)
    ten = preprocess(image, spec, ten_crop=True)
    torch.testing.assert_close(network_view(w, image, crop=6)[0][0], ten[6], atol=1e-3, rtol=0)
    square = torch.randint(0, 256, (3, 100, 100), dtype=torch.uint8)  # a data set's square images: exact
    torch.testing.assert_close(normalise(w, seen(w, square)), preprocess(square, spec), atol=1e-3, rtol=0)
    # the crop is where the plain path cuts it (one pixel off the square's centre here), minus the mean image there
    from train_backend.data.augment import centre_square

    plain = InputSpec(67, 3, spec.mean, spec.std, 77)  # the mean pixel, same scale
    (t, l), (t0, l0) = centre_square(77, 92, 67), centre_square(77, 92, 77)  # 100 x 120 resized to 77 x 92
    assert (t - t0, l - l0) == (5, 4)
    here = torch.tensor(np.array(m[:, t - t0:t - t0 + 67, l - l0:l - l0 + 67]))
    expected = (here - torch.tensor(spec.mean)[:, None, None]) * 255
    torch.testing.assert_close((preprocess(image, plain) - x)[0], expected, atol=2e-3, rtol=0)


def test_a_run_on_mean_image_inputs_saves_them_in_its_checkpoint(tmp_path):
    data = load_dataset("synthetic", n_train=32, n_val=16, size=48)
    from train_backend.engine import Trainer

    t = Trainer(tiny_config(pixels="mean-image", max_steps=2, epochs=1), [], run_dir=tmp_path / "r", bundle=data)
    assert t.run().reason == "max_steps"
    loaded = load_weights(tmp_path / "r" / "last.pt")
    assert loaded.input.pixels == "mean-image" and loaded.input.mean_image.shape == (3, 77, 77)
    np.testing.assert_array_equal(loaded.input.mean_image, mean_image_for(data, 77))


def test_the_lrn_acts_on_raw_pixels_and_hardly_at_all_on_standardised_ones():
    """The share of active values whose post/pre ratio is more than 1 % away from k^-β, on one photo, the paper net
    at initialisation: 0 with the old scaling, most of lrn1's values at 0-255."""
    from PIL import Image

    from train_backend.analysis.probes import lrn_effect
    from train_backend.data import IMAGENET_MEAN, IMAGENET_STD

    pre = np.array([[[1.0, 0.0]], [[100.0, 2.0]]], np.float32)
    post = pre * 2.0 ** -0.75
    post[1, 0, 0] *= 0.9  # one of the three active values moved 10 % beyond k^-β
    assert lrn_active_share(pre, post, 2.0, 0.75) == pytest.approx(1 / 3)
    image = Image.open("resources/samples/sample-ring.png").convert("RGB")
    w = untrained_weights("paper", seed=0)
    w.input = InputSpec(227, 3, IMAGENET_MEAN, IMAGENET_STD)
    old = lrn_effect(w, image)["lrn1"].active_share
    w.input = InputSpec(227, 3, IMAGENET_MEAN, (1 / 255,) * 3)
    new = lrn_effect(w, image)["lrn1"].active_share
    assert old < 0.01 and new > 0.3


def test_an_onnx_export_of_mean_image_weights_writes_the_mean_image_beside_the_graph(tmp_path):
    pytest.importorskip("onnx")
    pytest.importorskip("onnxruntime")
    from train_backend.io import onnx_export

    m = np.random.default_rng(1).random((3, 77, 77), dtype=np.float32)
    spec = InputSpec(67, 3, tuple(m.reshape(3, -1).mean(1)), (1 / 255,) * 3, 77, m)
    w = untrained_weights("paper", num_classes=4, input_spec=spec, kernels=(8, 8, 8, 8, 8), hidden=16)
    report = onnx_export.export_onnx(w, tmp_path / "m.onnx")
    side = np.load(report["mean_image"])
    np.testing.assert_array_equal(side, spec.offset().numpy())
    assert side.shape == (3, 67, 67) and onnx_export.onnx_metadata(w)["pixels"] == "mean-image"
