import numpy as np
import pytest
import torch

from tests.imagefiles import gradient_rgb
from train_backend.io.checkpoints import InputSpec, untrained_weights
from train_backend.models.lrn import local_response_norm
from train_backend.models import LAYER_NAMES, build_model
from train_backend.analysis.probes import (activations, capture_activations, colour_selectivity, kernel_grid,
                                  kernel_snapshot, kernel_tiles, lrn_effect, lrn_numpy, predict)


@pytest.fixture(scope="module")
def weights():
    return untrained_weights("paper", num_classes=8, classes=[f"c{i}" for i in range(8)],
                             input_spec=InputSpec(112, 3, (0.5,) * 3, (0.25,) * 3), init="kaiming")


def test_activations_of_every_named_layer(weights):
    acts = activations(weights, gradient_rgb(200, 150))
    assert acts.order == tuple(LAYER_NAMES)
    assert acts.image.shape == (112, 112, 3) and acts.image.dtype == np.uint8
    assert acts.layers["conv1"].shape == (96, 26, 26)
    assert acts.layers["fc8"].shape == (8,)
    assert acts.layers["relu1"].minimum >= 0
    assert acts.layers["conv1"].minimum < 0  # copied before the in-place ReLU ran
    assert all(isinstance(a.values, np.ndarray) for a in acts.layers.values())


def test_capture_unknown_layer(weights):
    with pytest.raises(KeyError):
        capture_activations(weights.model, torch.zeros(1, 3, 112, 112), ["conv9"])


def test_kernel_snapshot_per_tower():
    snap = kernel_snapshot(build_model("paper"))
    assert snap.towers == 2
    assert [t.shape for t in snap.tiles] == [(48, 11, 11, 3)] * 2
    assert all(0 <= t.min() and t.max() <= 1 for t in snap.tiles)
    assert snap.weights.shape == (96, 3, 11, 11)
    assert len(snap.selectivity[0]) == 48
    tv = kernel_snapshot(build_model("torchvision"))
    assert tv.towers == 1 and tv.tiles[0].shape == (64, 11, 11, 3)
    grid = kernel_grid(snap)
    assert grid.shape[2] == 3 and grid.shape[1] == 12 * 12 - 1


def test_colour_selectivity_extremes():
    rng = np.random.default_rng(0)
    pattern = rng.normal(size=(11, 11))
    grey = np.stack([pattern] * 3)[None]
    opponent = np.stack([pattern, -pattern, np.zeros_like(pattern)])[None]
    noise = rng.normal(size=(500, 3, 11, 11))
    assert colour_selectivity(grey)[0] == pytest.approx(0, abs=1e-9)
    assert colour_selectivity(opponent)[0] > 0.6
    assert colour_selectivity(noise).mean() == pytest.approx(2 / 3, abs=0.02)
    assert colour_selectivity(np.zeros((1, 3, 2, 2)))[0] == 0


def test_kernel_tiles_zero_is_grey():
    w = np.zeros((2, 3, 3, 3), np.float32)
    w[0, 0, 0, 0] = 1.0
    t = kernel_tiles(w)
    assert t[0, 0, 0, 0] == 1.0 and t[1, 1, 1, 1] == 0.5
    assert kernel_tiles(np.ones((1, 1, 2, 2))).shape == (1, 2, 2, 3)


def test_lrn_effect(weights):
    fx = lrn_effect(weights, gradient_rgb())
    assert set(fx) == {"lrn1", "lrn2"}
    s = fx["lrn1"]
    assert s.pre.shape == s.post.shape == (96, 26, 26)
    assert s.params == {"k": 2.0, "n": 5, "alpha": 1e-4, "beta": 0.75, "convention": "paper", "groups": 2}
    each_tower = np.concatenate([local_response_norm(torch.from_numpy(half)).numpy() for half in (s.pre[:48], s.pre[48:])])
    np.testing.assert_allclose(s.post, each_tower, rtol=1e-5, atol=1e-6)
    assert s.pre_stats.mean.shape == (96,)
    assert np.all(s.post_stats.max <= s.pre_stats.max + 1e-6)  # with k=2 LRN only shrinks
    finite = np.isfinite(s.ratio)
    assert np.all(s.ratio[finite] <= 2 ** -0.75 + 1e-5)
    np.testing.assert_allclose(lrn_numpy(s.pre, 2, 5, 1e-4, 0.75, groups=2), s.post, rtol=1e-5, atol=1e-6)
    stronger = lrn_numpy(s.pre, 2, 5, 1e-2, 0.75)
    assert stronger.mean() < s.post.mean()
    tv = untrained_weights("torchvision", num_classes=3, classes=["a", "b", "c"])
    assert lrn_effect(tv, gradient_rgb()) == {}


def test_predictions(weights):
    p = predict(weights, gradient_rgb(), topk=5)
    assert len(p.classes) == 5 and p.classes[0].startswith("c")
    assert list(p.probabilities) == sorted(p.probabilities, reverse=True)
    assert 0 < sum(p.probabilities) <= 1 + 1e-6
    assert p.trained is False
    p10 = predict(weights, gradient_rgb(), topk=20, ten_crop=True)
    assert len(p10.classes) == 8 and p10.ten_crop
    assert sum(p10.probabilities) == pytest.approx(1, abs=1e-5)


def test_probes_resize_as_the_weights_were_trained(tmp_path):
    """d2l's recipe resizes Fashion-MNIST to 224 and crops nothing: its weights are probed the same way (the
    checkpoint's input spec carries the resize), not through the paper's 256-then-crop."""
    from PIL import Image
    from torchvision.transforms import v2

    from train_backend.io.checkpoints import save_checkpoint
    from train_backend.io.weights import load_weights
    from train_backend.models import build_model
    from train_backend.analysis.probes import preprocess

    spec = InputSpec(224, 1, (0.0,), (1.0,), resize=224)
    path = tmp_path / "d2l.pt"
    save_checkpoint(path, build_model("d2l", num_classes=10, in_channels=1), [str(i) for i in range(10)], spec)
    loaded = load_weights(path)
    assert loaded.input == spec
    image = Image.fromarray((np.arange(28 * 28).reshape(28, 28) % 251).astype(np.uint8))
    x = preprocess(image, loaded.input)
    want = v2.functional.resize(v2.functional.pil_to_tensor(image), [224], antialias=True).float() / 255
    torch.testing.assert_close(x[0], want, atol=1e-6, rtol=0)
    assert InputSpec.from_dict({"size": 227, "channels": 3, "mean": [0.5] * 3, "std": [0.2] * 3}).resize is None


def test_evaluating_turns_dropout_and_gradients_off_and_restores_training_mode_after_an_exception():
    from torch import nn

    from train_backend.models.modes import evaluating

    model = nn.Sequential(nn.Linear(3, 3), nn.Dropout(0.5))
    model.train()
    with pytest.raises(ValueError):
        with evaluating(model):
            assert not model.training and not model[1].training and not torch.is_grad_enabled()
            raise ValueError("a probe failed")
    assert model.training and model[1].training and torch.is_grad_enabled()
    model.eval()
    with evaluating(model):
        pass
    assert not model.training  # the previous mode, whichever it was


def test_probes_build_the_evaluation_transform_once_per_input_spec():
    """A probe per click and per validation reuses the spec's transform instead of rebuilding it each time."""
    from PIL import Image

    from train_backend.analysis.probes import display_image, eval_transform, preprocess
    from train_backend.io.checkpoints import InputSpec

    spec = InputSpec(size=67, mean=(0.5, 0.5, 0.5), std=(0.25, 0.25, 0.25), channels=3)
    image = Image.new("RGB", (90, 80), (200, 30, 60))
    eval_transform.cache_clear()
    first = preprocess(image, spec)
    misses = eval_transform.cache_info().misses
    for _ in range(3):
        again = preprocess(image, spec)
        display_image(image, spec)
    assert eval_transform.cache_info().misses == misses + 1  # the display transform, once
    assert first.shape == (1, 3, 67, 67) and torch.equal(first, again)
    assert preprocess(image, spec, ten_crop=True).shape == (10, 3, 67, 67)
