import numpy as np
import pytest
import torch

from tests.imagefiles import gradient_rgb
from train_backend.augment import (IMAGENET_EIGVAL, IMAGENET_EIGVEC, PCALighting, augmented_views,
                                   build_eval_transform, build_train_transform, resize_size_for)
from train_backend.data import IMAGENET_MEAN, IMAGENET_STD


def test_resize_sizes():
    assert resize_size_for(227) == 256 and resize_size_for(224) == 256 and resize_size_for(112) == 128


def test_train_transform_is_seeded_and_random():
    tf = build_train_transform(227, IMAGENET_MEAN, IMAGENET_STD)
    img = gradient_rgb(320, 260)
    torch.manual_seed(0)
    a = tf(img)
    torch.manual_seed(0)
    b = tf(img)
    c = tf(img)
    assert a.shape == (3, 227, 227) and a.dtype == torch.float32
    torch.testing.assert_close(a, b)
    assert not torch.equal(a, c)


def test_crop_comes_from_the_resized_image_and_flip_mirrors():
    img = gradient_rgb(256, 256)
    tf = build_train_transform(224, [0.0], [1.0], lighting=0.0, flip=False, normalize=False)
    ref = torch.from_numpy(np.array(img)).permute(2, 0, 1).float() / 255
    torch.manual_seed(1)
    crop = tf(img)
    found = any(torch.allclose(crop, ref[:, i:i + 224, j:j + 224], atol=1e-6)
                for i in range(33) for j in range(33))
    assert found
    flips = set()
    tf_flip = build_train_transform(224, [0.0], [1.0], lighting=0.0, normalize=False)
    for s in range(8):
        torch.manual_seed(s)
        out = tf_flip(img)
        flips.add(bool(out[0, 0, 0] > out[0, 0, -1]))  # red grows left-to-right unless mirrored
    assert flips == {True, False}


def test_pca_lighting_adds_the_eigen_combination():
    t = PCALighting(0.1)
    x = torch.full((3, 4, 4), 0.5)
    torch.manual_seed(7)
    alpha = torch.randn(3) * 0.1
    torch.manual_seed(7)
    y = t(x)
    want = torch.tensor(IMAGENET_EIGVEC) @ (alpha * torch.tensor(IMAGENET_EIGVAL))
    torch.testing.assert_close(y[:, 0, 0] - 0.5, want)
    torch.testing.assert_close(y - y[:, :1, :1], torch.zeros_like(y))  # same shift at every pixel
    grey = torch.full((1, 4, 4), 0.5)
    assert torch.equal(t(grey), grey)
    with pytest.raises(TypeError):
        t(torch.zeros(3, 2, 2, dtype=torch.uint8))


def test_ten_crop_is_corners_centre_and_mirrors():
    img = gradient_rgb(256, 256)
    tf = build_eval_transform(224, [0.0], [1.0], ten_crop=True, normalize=False)
    crops = tf(img)
    assert crops.shape == (10, 3, 224, 224)
    ref = torch.from_numpy(np.array(img)).permute(2, 0, 1).float() / 255
    torch.testing.assert_close(crops[0], ref[:, :224, :224])  # top-left
    torch.testing.assert_close(crops[4], ref[:, 16:240, 16:240])  # centre
    torch.testing.assert_close(crops[9], ref[:, 16:240, 16:240].flip(-1))  # mirrored centre


def test_grey_data_to_three_channels_and_back():
    grey = torch.randint(0, 255, (1, 28, 28), dtype=torch.uint8)
    x3 = build_train_transform(112, [0.286], [0.353], channels=3)(grey)
    assert x3.shape == (3, 112, 112)
    torch.testing.assert_close(x3[0], x3[1])
    x1 = build_eval_transform(112, IMAGENET_MEAN, IMAGENET_STD, channels=1)(gradient_rgb())
    assert x1.shape == (1, 112, 112)


def test_augmented_views_are_seeded():
    img = gradient_rgb(300, 200)
    a = augmented_views(img, 4, 112, seed=3)
    b = augmented_views(img, 4, 112, seed=3)
    assert len(a) == 4 and a[0].shape == (112, 112, 3) and a[0].dtype == np.uint8
    for u, v in zip(a, b):
        np.testing.assert_array_equal(u, v)
    assert any(not np.array_equal(a[0], v) for v in a[1:])
