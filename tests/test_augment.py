import numpy as np
import pytest
import torch

from tests.imagefiles import gradient_rgb
from train_backend.data.augment import (IMAGENET_EIGVAL, IMAGENET_EIGVEC, PCALighting, augmented_views,
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


@pytest.mark.parametrize("stored,channels", [(1, 3), (3, 3), (3, 1), (1, 1)])
def test_batch_augment_equals_the_per_image_pipeline(stored, channels):
    """The device-side batch path does exactly what build_train_transform does image by image, given the
    same crop offsets, flips and lighting alphas: bit for bit for grey data (same torchvision kernels, same
    order); with colour, the lighting's 3x3 product may round differently (BLAS gemm vs gemv): 1e-6."""
    from torchvision.transforms import v2

    from train_backend.data.augment import BatchAugment, PCALighting, ToChannels, norm_stats

    g = torch.Generator().manual_seed(5)
    images = torch.randint(0, 256, (6, stored, 28, 34), dtype=torch.uint8, generator=g)
    mean, std = [0.3] * stored, [0.2] * stored
    ba = BatchAugment(24, mean, std, channels=channels, resize=27, lighting=0.1)
    resized = v2.functional.resize(images[0], [27], antialias=True)
    params = ba.draw(6, *resized.shape[-2:], generator=g)
    assert params["flip"].any() and not params["flip"].all()
    out = ba(images, params=params)
    m, s = norm_stats(mean, std, channels)
    for i in range(6):
        x = v2.functional.resize(images[i], [27], antialias=True)
        x = v2.functional.crop(x, int(params["top"][i]), int(params["left"][i]), 24, 24)
        if params["flip"][i]:
            x = v2.functional.horizontal_flip(x)
        x = v2.functional.to_dtype(x, torch.float32, scale=True)
        x = PCALighting(0.1).transform(x, {"alpha": params["alpha"][i]})
        x = v2.functional.normalize(ToChannels(channels).transform(x, {}), m, s)
        torch.testing.assert_close(out[i], x, rtol=0, atol=1e-6 if stored == 3 else 0)
    assert out.shape == (6, channels, 24, 24) and out.is_contiguous()


def test_batch_augment_is_fixed_by_its_generator_and_varies_per_image():
    from train_backend.data.augment import BatchAugment

    images = torch.full((4, 3, 40, 40), 128, dtype=torch.uint8)
    ba = BatchAugment(32, [0.5] * 3, [0.25] * 3, channels=3, resize=36, lighting=0.1)
    a = ba(images, generator=torch.Generator().manual_seed(1))
    b = ba(images, generator=torch.Generator().manual_seed(1))
    c = ba(images, generator=torch.Generator().manual_seed(2))
    assert torch.equal(a, b) and not torch.equal(a, c)
    shifts = a.mean(dim=(2, 3))  # a flat grey image: only the lighting moves the colour, per image
    assert len({tuple(round(v, 5) for v in row.tolist()) for row in shifts}) == 4
    with pytest.raises(ValueError, match="smaller than"):
        BatchAugment(64, [0.5] * 3, [0.25] * 3, resize=36).draw(1, 36, 36)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU (run on a GPU machine)")
def test_batch_augment_on_cuda_matches_the_cpu():
    from train_backend.data.augment import BatchAugment

    images = torch.randint(0, 256, (16, 1, 28, 28), dtype=torch.uint8, generator=torch.Generator().manual_seed(0))
    ba = BatchAugment(99, [0.286], [0.353], channels=3)
    cpu = ba(images, generator=torch.Generator().manual_seed(3))
    gpu = ba.to("cuda")(images.to("cuda"), generator=torch.Generator().manual_seed(3))
    assert gpu.device.type == "cuda"
    # same crops, flips and alphas; the resize kernels may round a pixel differently (1/255 before normalising)
    torch.testing.assert_close(gpu.cpu(), cpu, rtol=0, atol=1.01 / 255 / 0.353)


def two_colour_wide(w=512, h=256, split=None):
    """Red left of the centre square, blue right of it, a grey-level ramp inside it (so crops can be located)."""
    from PIL import Image

    a = np.zeros((h, w, 3), np.uint8)
    left = (w - h) // 2
    a[:, :left] = (255, 0, 0)
    a[:, left + h:] = (0, 0, 255)
    ramp = np.linspace(40, 215, h, dtype=np.float32)
    a[:, left:left + h] = ramp[None, :, None].astype(np.uint8)
    return Image.fromarray(a, "RGB")


def _inside_centre_square(crop: torch.Tensor) -> bool:
    """No red or blue pixel from outside the square (the antialiased resize blurs the border by a pixel)."""
    c = crop[:, :, 2:-2]
    return bool(((c[0] - c[2]).abs() < 0.05).all())


def test_every_training_crop_lies_in_the_central_square_of_a_wide_image():
    img = two_colour_wide()  # 512x256 -> resized to 512x256 for 256: the square is columns 128..383
    tf = build_train_transform(224, [0.0], [1.0], lighting=0.0, flip=False, normalize=False)
    for s in range(40):
        torch.manual_seed(s)
        assert _inside_centre_square(tf(img)), f"seed {s}: a crop reaches outside the central 256 square"


def test_batch_augment_draws_its_crops_inside_the_central_square():
    from train_backend.data.augment import BatchAugment

    ba = BatchAugment(224, [0.0] * 3, [1.0] * 3, resize=256, lighting=0.0, flip=False, normalize=False)
    p = ba.draw(500, 256, 512, generator=torch.Generator().manual_seed(0))
    assert int(p["left"].min()) == 128 and int(p["left"].max()) == 128 + 32
    assert int(p["top"].min()) == 0 and int(p["top"].max()) == 32
    wide = torch.from_numpy(np.array(two_colour_wide())).permute(2, 0, 1)[None].expand(8, -1, -1, -1)
    out = ba(wide, generator=torch.Generator().manual_seed(1))
    assert all(_inside_centre_square(c) for c in out)


def test_ten_crop_patches_are_the_corners_and_centre_of_the_central_square():
    from train_backend.data.augment import TenCropStack

    img = two_colour_wide()
    crops = build_eval_transform(224, [0.0], [1.0], ten_crop=True, normalize=False)(img)
    assert crops.shape == (10, 3, 224, 224) and all(_inside_centre_square(c) for c in crops)
    boxes = TenCropStack(224, square=256).boxes(256, 512)
    assert boxes[:5] == [(0, 128, False), (0, 160, False), (32, 128, False), (32, 160, False), (16, 144, False)]
    assert [b[:2] for b in boxes[5:]] == [b[:2] for b in boxes[:5]] and all(b[2] for b in boxes[5:])
    ref = torch.from_numpy(np.array(img)).permute(2, 0, 1).float() / 255
    torch.testing.assert_close(crops[1], ref[:, :224, 160:384])  # top-right of the square, not of the image
    torch.testing.assert_close(crops[6], ref[:, :224, 160:384].flip(-1))  # its mirror


def test_eval_resize_square_squashes_the_whole_image_like_the_finetune_script():
    img = two_colour_wide()
    centre = build_eval_transform(224, [0.0], [1.0], normalize=False, eval_resize="square")(img)
    assert centre.shape == (3, 224, 224)
    assert centre[0, 100, 0] > 0.9 and centre[2, 100, -1] > 0.9  # red and blue both squeezed in
    crops = build_eval_transform(224, [0.0], [1.0], ten_crop=True, normalize=False, eval_resize="square")(img)
    assert crops[0][0, 0, 0] > 0.9  # the top-left patch starts at the image's (red) left edge
    with pytest.raises(ValueError, match="eval_resize"):
        build_eval_transform(224, [0.0], [1.0], eval_resize="stretch")
