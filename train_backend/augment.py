"""The paper's data augmentation with ``torchvision.transforms.v2``.

Train: resize the shorter side to 256 (scaled for smaller inputs), a random crop of the model's
input size, a horizontal flip, and PCA colour lighting (section 4.1: add
``[p1 p2 p3] [a1 l1, a2 l2, a3 l3]^T`` to every pixel, ``a_i ~ N(0, 0.1)`` per image).
Eval: the centre crop, or the ten crops (four corners + centre, and their mirrors) whose
softmax outputs are averaged.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np
import torch
from torchvision import tv_tensors
from torchvision.transforms import v2

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
    """The paper's ten test patches (corners + centre, and mirrors) stacked as one (10, C, S, S) image batch."""

    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size

    def transform(self, inpt: Any, params: dict[str, Any]) -> Any:
        if not isinstance(inpt, torch.Tensor):
            return inpt
        crops = v2.functional.ten_crop(inpt, [self.size, self.size])
        return tv_tensors.Image(torch.stack([c.as_subclass(torch.Tensor) for c in crops]))


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
                          normalize: bool = True) -> v2.Compose:
    """The paper's training augmentation for a model taking ``channels`` x ``input_size``²."""
    mean, std = norm_stats(mean, std, channels)
    steps: list[Any] = [
        v2.ToImage(),
        v2.Resize(resize or resize_size_for(input_size), antialias=True),
        v2.RandomCrop(input_size),
    ]
    if flip:
        steps.append(v2.RandomHorizontalFlip())
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
    image (one gather), PCA lighting with ``alpha ~ N(0, lighting)`` per image, channel match, normalise.
    The random draws come from the ``generator`` passed in (on the CPU, a few numbers per image), so a
    batch's augmentation is fixed by its seed whatever the device.
    """

    def __init__(self, input_size: int, mean: Sequence[float], std: Sequence[float], channels: int = 3,
                 resize: int | None = None, flip: bool = True, lighting: float = 0.1,
                 normalize: bool = True) -> None:
        super().__init__()
        mean, std = norm_stats(mean, std, channels)
        self.size, self.channels, self.flip, self.lighting = input_size, channels, flip, float(lighting)
        self.resize = resize or resize_size_for(input_size)
        self.normalize = normalize
        self.register_buffer("mean", torch.tensor(mean, dtype=torch.float32).view(1, -1, 1, 1), persistent=False)
        self.register_buffer("std", torch.tensor(std, dtype=torch.float32).view(1, -1, 1, 1), persistent=False)
        self.register_buffer("eigval", torch.tensor(IMAGENET_EIGVAL, dtype=torch.float32), persistent=False)
        self.register_buffer("eigvec", torch.tensor(IMAGENET_EIGVEC, dtype=torch.float32), persistent=False)

    def draw(self, n: int, height: int, width: int, generator: torch.Generator | None = None) -> dict[str, torch.Tensor]:
        """The random parameters for ``n`` images already resized to ``height`` x ``width``."""
        if height < self.size or width < self.size:
            raise ValueError(f"a {height}x{width} image is smaller than the {self.size} px crop")
        top = torch.randint(0, height - self.size + 1, (n,), generator=generator)
        left = torch.randint(0, width - self.size + 1, (n,), generator=generator)
        flip = (torch.rand(n, generator=generator) < 0.5) if self.flip else torch.zeros(n, dtype=torch.bool)
        alpha = torch.randn(n, 3, generator=generator) * self.lighting
        return {"top": top, "left": left, "flip": flip, "alpha": alpha}

    def forward(self, images: torch.Tensor, generator: torch.Generator | None = None,
                params: dict[str, torch.Tensor] | None = None) -> torch.Tensor:
        if images.dim() != 4:
            raise ValueError(f"expected a (N, C, H, W) batch, got shape {tuple(images.shape)}")
        x = v2.functional.resize(images, [self.resize], antialias=True)  # uint8 stays uint8, as per image
        n, c, h, w = x.shape
        p = params if params is not None else self.draw(n, h, w, generator)
        dev = x.device
        ar = torch.arange(self.size, device=dev)
        rows = p["top"].to(dev)[:, None] + ar  # (N, S)
        cols = p["left"].to(dev)[:, None] + torch.where(p["flip"].to(dev)[:, None], self.size - 1 - ar, ar)
        x = x[torch.arange(n, device=dev)[:, None, None, None], torch.arange(c, device=dev)[None, :, None, None],
              rows[:, None, :, None], cols[:, None, None, :]]
        x = v2.functional.to_dtype(x, torch.float32, scale=True)
        if self.lighting and c == 3:  # grey data stays grey, as in build_train_transform
            rgb = (p["alpha"].to(dev) * self.eigval) @ self.eigvec.T  # (N, 3): eigvec @ (alpha * eigval)
            x = x + rgb[:, :, None, None]
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
                         resize: int | None = None, ten_crop: bool = False, normalize: bool = True) -> v2.Compose:
    """Centre crop (C, S, S), or ``ten_crop=True``: the ten crops stacked as (10, C, S, S)."""
    mean, std = norm_stats(mean, std, channels)
    steps: list[Any] = [v2.ToImage(), v2.Resize(resize or resize_size_for(input_size), antialias=True)]
    if ten_crop:
        steps.append(TenCropStack(input_size))
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
