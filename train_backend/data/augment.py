"""The paper's data augmentation with ``torchvision.transforms.v2``.

Train: resize the shorter side to 256 (scaled for smaller inputs), keep the central 256x256 square
(section 2 of the paper), a random crop of the model's input size inside that square, a horizontal
flip, and PCA colour lighting (section 4.1: add ``[p1 p2 p3] [a1 l1, a2 l2, a3 l3]^T`` to every
pixel, ``a_i ~ N(0, 0.1)`` per image).
Eval: the centre crop, or the ten crops (four corners + centre of the central square, and their
mirrors) whose softmax outputs are averaged.  ``eval_resize="square"`` squashes the whole image to
R x R instead (``Resize((R, R))``, aspect not kept: the seed's fine-tune script).
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np
import torch
from torchvision import tv_tensors
from torchvision.transforms import v2

#: how evaluation resizes an image (see ``TrainConfig.eval_resize``): the shorter side and the central square
#: (the paper), or the whole image squashed to a square (the fine-tune script's ``Resize((256, 256))``)
EVAL_RESIZES = ("shorter", "square")

#: ImageNet RGB covariance eigen-decomposition on 0-1 RGB (as in fb.resnet.torch and many ports).
IMAGENET_EIGVAL = (0.2175, 0.0188, 0.0045)
IMAGENET_EIGVEC = (
    (-0.5675, 0.7192, 0.4009),
    (-0.5808, -0.0045, -0.8140),
    (-0.5836, -0.6948, 0.4203),
)


def resize_size_for(crop: int) -> int:
    """The resize before cropping: 256 for the paper's 224/227 crops, the same ratio for smaller ones."""
    if crop in (224, 227):
        return 256
    return int(round(crop * 256 / 224))


def centre_square(height: int, width: int, side: int, side_w: int | None = None) -> tuple[int, int]:
    """(top, left) of the central ``side`` x ``side`` square (``side`` x ``side_w`` box) of a ``height`` x
    ``width`` image, rounded as ``v2.CenterCrop`` rounds."""
    return int(round((height - side) / 2.0)), int(round((width - (side if side_w is None else side_w)) / 2.0))


def eval_resize_step(resize: int, mode: str = "shorter") -> v2.Resize:
    """The evaluation resize: the shorter side to ``resize`` (the paper), or the whole image squashed to
    ``resize`` x ``resize`` (``mode="square"``, the fine-tune script's ``Resize((256, 256))``)."""
    if mode not in EVAL_RESIZES:
        raise ValueError(f"eval_resize must be one of {', '.join(EVAL_RESIZES)} (got {mode!r})")
    return v2.Resize(resize if mode == "shorter" else [resize, resize], antialias=True)


class PCALighting(v2.Transform):
    """AlexNet's "fancy PCA" colour augmentation on float RGB images in [0, 1].

    Adds ``eigvec @ (alpha * eigval)`` to every pixel, ``alpha ~ N(0, alphastd)`` drawn per call
    (once per image per epoch).  Images with other than three channels pass through unchanged.
    """

    def __init__(self, alphastd: float = 0.1, eigval: Sequence[float] = IMAGENET_EIGVAL,
                 eigvec: Sequence[Sequence[float]] = IMAGENET_EIGVEC) -> None:
        super().__init__()
        self.alphastd = float(alphastd)
        self.register_buffer("eigval", torch.tensor(eigval, dtype=torch.float32), persistent=False)
        self.register_buffer("eigvec", torch.tensor(eigvec, dtype=torch.float32), persistent=False)

    def make_params(self, flat_inputs: list[Any]) -> dict[str, Any]:
        return {"alpha": torch.randn(3) * self.alphastd}

    def transform(self, inpt: Any, params: dict[str, Any]) -> Any:
        if not isinstance(inpt, torch.Tensor) or inpt.shape[-3] != 3 or self.alphastd == 0:
            return inpt
        if not inpt.is_floating_point():
            raise TypeError("PCALighting needs float images in [0, 1]: put it after ToDtype(float32, scale=True)")
        rgb = self.eigvec.to(inpt.device) @ (params["alpha"].to(inpt.device) * self.eigval.to(inpt.device))
        out = inpt + rgb.to(inpt.dtype).view(3, 1, 1)
        return tv_tensors.wrap(out, like=inpt) if isinstance(inpt, tv_tensors.TVTensor) else out

    def rgb_shift(self, alpha: torch.Tensor) -> torch.Tensor:
        """The per-pixel RGB offset for given alphas (for teaching views)."""
        return self.eigvec @ (alpha * self.eigval)


class ToChannels(v2.Transform):
    """Repeat a grey image to 3 channels, or average RGB to 1, to match the model's input."""

    def __init__(self, channels: int) -> None:
        super().__init__()
        self.channels = channels

    def transform(self, inpt: Any, params: dict[str, Any]) -> Any:
        if not isinstance(inpt, torch.Tensor) or inpt.shape[-3] == self.channels:
            return inpt
        if self.channels == 3 and inpt.shape[-3] == 1:
            return inpt.expand(*inpt.shape[:-3], 3, *inpt.shape[-2:]).clone()
        if self.channels == 1 and inpt.shape[-3] == 3:
            return v2.functional.rgb_to_grayscale(inpt)
        raise ValueError(f"cannot convert {inpt.shape[-3]} channels to {self.channels}")


class TenCropStack(v2.Transform):
    """The paper's ten test patches stacked as one (10, C, S, S) image batch: the four corners and the centre
    of the central ``square`` x ``square`` (all of the image when ``square`` is None), then their mirrors."""

    NAMES = ("top-left", "top-right", "bottom-left", "bottom-right", "centre")

    def __init__(self, size: int, square: int | None = None) -> None:
        super().__init__()
        self.size, self.square = size, square

    def boxes(self, height: int, width: int) -> list[tuple[int, int, bool]]:
        """(top, left, mirrored) of the ten patches in a ``height`` x ``width`` image, in stacking order."""
        side_h = min(height, self.square or height)
        side_w = min(width, self.square or width)
        if min(side_h, side_w) < self.size:
            raise ValueError(f"a {height}x{width} image is smaller than the {self.size} px crop")
        t0, l0 = centre_square(height, width, side_h, side_w)
        s = self.size
        ct, cl = centre_square(side_h, side_w, s)
        five = [(t0, l0), (t0, l0 + side_w - s), (t0 + side_h - s, l0), (t0 + side_h - s, l0 + side_w - s),
                (t0 + ct, l0 + cl)]
        return [(t, l, False) for t, l in five] + [(t, l, True) for t, l in five]

    def transform(self, inpt: Any, params: dict[str, Any]) -> Any:
        if not isinstance(inpt, torch.Tensor):
            return inpt
        x, s = inpt.as_subclass(torch.Tensor), self.size
        crops = [x[..., t:t + s, l:l + s] for t, l, _ in self.boxes(*x.shape[-2:])]
        crops = crops[:5] + [c.flip(-1) for c in crops[:5]]
        return tv_tensors.Image(torch.stack(crops))


def match_mean_channels(mean_image: torch.Tensor, channels: int) -> torch.Tensor:
    """A mean image (C, R, R) for images of ``channels`` channels: a grey mean broadcasts over RGB as it is; an RGB
    mean becomes grey for a one-channel input (by the same weights as ``rgb_to_grayscale``: it is linear)."""
    if mean_image.shape[0] == 3 and channels == 1:
        return v2.functional.rgb_to_grayscale(mean_image)
    return mean_image


class SubtractMeanImage(v2.Transform):
    """Subtract the training set's mean image (C, R, R) from a float image in [0, 1] before the crop: from the whole
    image when it is the central ``R`` x ``R`` square, else from its central square (where every crop lies).
    Cropping afterwards subtracts the mean image cropped at the same place, as Caffe's data layer does
    (``data[h_off + h, w_off + w] - mean[h_off + h, w_off + w]``, mirrored after)."""

    def __init__(self, mean_image: torch.Tensor | np.ndarray) -> None:
        super().__init__()
        self.register_buffer("mean_image", torch.tensor(np.asarray(mean_image, dtype=np.float32)),
                             persistent=False)

    def transform(self, inpt: Any, params: dict[str, Any]) -> Any:
        if not isinstance(inpt, torch.Tensor):
            return inpt
        if not inpt.is_floating_point():
            raise TypeError("SubtractMeanImage needs float images in [0, 1]: put it after ToDtype(float32, scale=True)")
        m = match_mean_channels(self.mean_image.to(inpt.device), inpt.shape[-3]).to(inpt.dtype)
        h, w = inpt.shape[-2:]
        side = m.shape[-1]
        if min(h, w) < side:  # a smaller square than the mean image's: the mean image scaled to it
            side = min(h, w)
            m = torch.nn.functional.interpolate(m[None], size=(side, side), mode="bilinear", align_corners=False,
                                                antialias=True)[0]
        if (h, w) == (side, side):
            out = inpt - m
        else:  # a whole resized image: the mean image covers its central square, where every crop lies
            t, l = centre_square(h, w, side)
            out = inpt.clone()
            out[..., t:t + side, l:l + side] -= m
        return tv_tensors.wrap(out, like=inpt) if isinstance(inpt, tv_tensors.TVTensor) else out


def mean_image_crop(mean_image: torch.Tensor | np.ndarray, size: int, channels: int,
                    crop: int | None = None) -> torch.Tensor:
    """The part of a mean image (C, R, R) that is subtracted from the model's ``size`` crop: the centre crop
    (``crop=None``), or one of the ten test patches (``crop`` 0-9, :class:`TenCropStack`'s order; 5-9 mirrored).
    The centre crop of a non-square image can sit one pixel off the square's centre (``v2.CenterCrop`` rounds on the
    whole image): this is then the mean image one pixel away, which a smooth mean image hardly notices; the
    transforms (:class:`SubtractMeanImage`) are exact."""
    m = match_mean_channels(torch.tensor(np.asarray(mean_image, dtype=np.float32)), channels)
    side = m.shape[-1]
    if crop is None:
        t, l = centre_square(side, side, size)
        return m[:, t:t + size, l:l + size]
    t, l, mirrored = TenCropStack(size, square=side).boxes(side, side)[crop]
    patch = m[:, t:t + size, l:l + size]
    return patch.flip(-1) if mirrored else patch


def norm_stats(mean: Sequence[float], std: Sequence[float], channels: int) -> tuple[list[float], list[float]]:
    """Mean/std for ``channels`` (a grey dataset's stats repeated for a 3-channel model, and back)."""
    mean, std = list(mean), list(std)
    if len(mean) == channels:
        return mean, std
    if len(mean) == 1:
        return mean * channels, std * channels
    return [float(np.mean(mean))] * channels, [float(np.mean(std))] * channels


def build_train_transform(input_size: int, mean: Sequence[float], std: Sequence[float], channels: int = 3,
                          resize: int | None = None, flip: bool = True, lighting: float = 0.1,
                          normalize: bool = True, mean_image: Any = None) -> v2.Compose:
    """The paper's training augmentation for a model taking ``channels`` x ``input_size``²: resize the shorter
    side to ``resize``, keep the central ``resize`` x ``resize`` square, a random ``input_size`` crop in it.

    ``mean_image`` (C, R, R) in [0, 1] units, the training set's mean of those squares: subtracted from the square
    before the crop (so cropped with it, as Caffe does), and ``mean`` is then not subtracted again (only ``std``
    divides: 1/255 for the paper's raw 0-255 values)."""
    mean, std = norm_stats(mean, std, channels)
    if mean_image is not None:
        mean = [0.0] * channels
    resize = resize or resize_size_for(input_size)
    steps: list[Any] = [
        v2.ToImage(),
        v2.Resize(resize, antialias=True),
        v2.CenterCrop(resize),  # the paper's central square: every crop lies inside it
    ]
    if mean_image is not None:
        steps += [v2.ToDtype(torch.float32, scale=True), SubtractMeanImage(mean_image)]
    steps.append(v2.RandomCrop(input_size))
    if flip:
        steps.append(v2.RandomHorizontalFlip())
    if mean_image is None:
        steps.append(v2.ToDtype(torch.float32, scale=True))
    if lighting:  # before the channel match: grey data stays grey, colour data gets the paper's lighting
        steps.append(PCALighting(lighting))
    steps.append(ToChannels(channels))
    if normalize:
        steps.append(v2.Normalize(mean, std))
    steps.append(v2.ToPureTensor())
    return v2.Compose(steps)


class BatchAugment(torch.nn.Module):
    """The training augmentation of :func:`build_train_transform`, for a whole uint8 batch on its device.

    For data sets held in memory as uint8 tensors (Fashion-MNIST, CIFAR-10): the batch moves to the device
    as bytes and is resized, cropped, flipped, lit and normalised there in a few tensor ops, instead of
    image by image in Python in the data loader (the bottleneck on a GPU).  Same operations and order:
    resize the shorter side (``v2.functional.resize``, antialiased), a random ``size`` crop and a flip per
    image (one gather) inside the central ``resize`` square, PCA lighting with ``alpha ~ N(0, lighting)`` per image, channel match, normalise.
    The random draws come from the ``generator`` passed in (on the CPU, a few numbers per image), so a
    batch's augmentation is fixed by its seed whatever the device.
    """

    def __init__(self, input_size: int, mean: Sequence[float], std: Sequence[float], channels: int = 3,
                 resize: int | None = None, flip: bool = True, lighting: float = 0.1,
                 normalize: bool = True, mean_image: Any = None) -> None:
        super().__init__()
        mean, std = norm_stats(mean, std, channels)
        if mean_image is not None:  # subtracted at each crop's place (as build_train_transform), not the mean pixel
            mean = [0.0] * channels
        self.register_buffer("mean_image", None if mean_image is None else
                             torch.tensor(np.asarray(mean_image, dtype=np.float32)), persistent=False)
        self.size, self.channels, self.flip, self.lighting = input_size, channels, flip, float(lighting)
        self.resize = resize or resize_size_for(input_size)
        self.normalize = normalize
        self.register_buffer("mean", torch.tensor(mean, dtype=torch.float32).view(1, -1, 1, 1), persistent=False)
        self.register_buffer("std", torch.tensor(std, dtype=torch.float32).view(1, -1, 1, 1), persistent=False)
        self.register_buffer("eigval", torch.tensor(IMAGENET_EIGVAL, dtype=torch.float32), persistent=False)
        self.register_buffer("eigvec", torch.tensor(IMAGENET_EIGVEC, dtype=torch.float32), persistent=False)

    def draw(self, n: int, height: int, width: int, generator: torch.Generator | None = None) -> dict[str, torch.Tensor]:
        """The random parameters for ``n`` images already resized to ``height`` x ``width``: crop offsets
        (in the resized image, inside its central square), flips and lighting alphas."""
        side_h, side_w = min(height, self.resize), min(width, self.resize)
        if side_h < self.size or side_w < self.size:
            raise ValueError(f"a {height}x{width} image is smaller than the {self.size} px crop")
        t0, l0 = centre_square(height, width, side_h, side_w)
        top = t0 + torch.randint(0, side_h - self.size + 1, (n,), generator=generator)
        left = l0 + torch.randint(0, side_w - self.size + 1, (n,), generator=generator)
        flip = (torch.rand(n, generator=generator) < 0.5) if self.flip else torch.zeros(n, dtype=torch.bool)
        alpha = torch.randn(n, 3, generator=generator) * self.lighting
        return {"top": top, "left": left, "flip": flip, "alpha": alpha}

    def resized(self, images: torch.Tensor) -> torch.Tensor:
        """The batch with its shorter side resized (uint8 stays uint8, as per image): what crops are cut from."""
        if images.dim() != 4:
            raise ValueError(f"expected a (N, C, H, W) batch, got shape {tuple(images.shape)}")
        return v2.functional.resize(images, [self.resize], antialias=True)

    def rgb_shift(self, alpha: torch.Tensor) -> torch.Tensor:
        """The RGB offset PCA lighting adds to every pixel for alphas (N, 3): ``eigvec @ (alpha * eigval)``."""
        return (alpha.to(self.eigval.device) * self.eigval) @ self.eigvec.T

    def forward(self, images: torch.Tensor, generator: torch.Generator | None = None,
                params: dict[str, torch.Tensor] | None = None) -> torch.Tensor:
        x = self.resized(images)
        n, c, h, w = x.shape
        p = params if params is not None else self.draw(n, h, w, generator)
        dev = x.device
        ar = torch.arange(self.size, device=dev)
        rows = p["top"].to(dev)[:, None] + ar  # (N, S)
        cols = p["left"].to(dev)[:, None] + torch.where(p["flip"].to(dev)[:, None], self.size - 1 - ar, ar)
        x = x[torch.arange(n, device=dev)[:, None, None, None], torch.arange(c, device=dev)[None, :, None, None],
              rows[:, None, :, None], cols[:, None, None, :]]
        x = v2.functional.to_dtype(x, torch.float32, scale=True)
        if self.mean_image is not None:  # the mean image at the same rows and columns of the central square
            t0, l0 = centre_square(h, w, min(h, self.resize), min(w, self.resize))
            m = match_mean_channels(self.mean_image, c)
            x = x - m[torch.arange(m.shape[0], device=dev)[None, :, None, None], (rows - t0)[:, None, :, None],
                      (cols - l0)[:, None, None, :]]
        if self.lighting and c == 3:  # grey data stays grey, as in build_train_transform
            x = x + self.rgb_shift(p["alpha"])[:, :, None, None]
        if c != self.channels:
            if self.channels == 3 and c == 1:
                x = x.expand(n, 3, self.size, self.size)
            elif self.channels == 1 and c == 3:
                x = v2.functional.rgb_to_grayscale(x)
            else:
                raise ValueError(f"cannot convert {c} channels to {self.channels}")
        if self.normalize:
            x = (x - self.mean) / self.std
        return x.contiguous()


def build_eval_transform(input_size: int, mean: Sequence[float], std: Sequence[float], channels: int = 3,
                         resize: int | None = None, ten_crop: bool = False, normalize: bool = True,
                         eval_resize: str = "shorter", mean_image: Any = None) -> v2.Compose:
    """Centre crop (C, S, S), or ``ten_crop=True``: the ten crops of the central square stacked as
    (10, C, S, S).  ``eval_resize``: see :func:`eval_resize_step`.  ``mean_image`` (with ``normalize``): subtracted
    from the central square before the crops (see :func:`build_train_transform`)."""
    mean, std = norm_stats(mean, std, channels)
    resize = resize or resize_size_for(input_size)
    steps: list[Any] = [v2.ToImage(), eval_resize_step(resize, eval_resize)]
    if mean_image is not None and normalize:  # the crops where the plain path cuts them, minus the mean image there
        steps += [v2.ToDtype(torch.float32, scale=True), ToChannels(channels), SubtractMeanImage(mean_image),
                  TenCropStack(input_size, square=resize) if ten_crop else v2.CenterCrop(input_size),
                  v2.Normalize([0.0] * channels, std), v2.ToPureTensor()]
        return v2.Compose(steps)
    if ten_crop:
        steps.append(TenCropStack(input_size, square=resize))
    else:
        steps.append(v2.CenterCrop(input_size))
    steps += [v2.ToDtype(torch.float32, scale=True), ToChannels(channels)]
    if normalize:
        steps.append(v2.Normalize(mean, std))
    steps.append(v2.ToPureTensor())
    return v2.Compose(steps)


def augmented_views(image: Any, n: int, input_size: int, seed: int = 0, lighting: float = 0.1,
                    channels: int = 3) -> list[np.ndarray]:
    """``n`` training-time views of one image as display-ready uint8 (H, W, 3) arrays (seeded)."""
    tf = build_train_transform(input_size, [0.0], [1.0], channels=channels, lighting=lighting, normalize=False)
    state = torch.random.get_rng_state()
    try:
        torch.manual_seed(seed)
        views = []
        for _ in range(n):
            t = tf(image).clamp(0, 1)
            if t.shape[0] == 1:
                t = t.expand(3, -1, -1)
            views.append((t.permute(1, 2, 0).numpy() * 255 + 0.5).astype(np.uint8))
        return views
    finally:
        torch.random.set_rng_state(state)
