"""Seeded data order and augmentation: what makes a resumed run draw what an uninterrupted one would.

Each epoch's order is a permutation seeded by (seed, epoch); each image's augmentation is seeded by
(seed, epoch, index) in a forked RNG, so neither the worker count nor a resume changes what is drawn.
"""

from __future__ import annotations

import os
from typing import Any, Iterator, Sequence

import torch
from torch.utils.data import DataLoader, Dataset, Sampler

from ..config import TrainConfig


def item_seed(seed: int, epoch: int, index: int) -> int:
    return ((seed * 1_000_003 + epoch) * 10_000_019 + index) % (2**63 - 1)


class EpochSampler(Sampler):
    """A seeded permutation of the training set for one epoch, started at a batch offset.

    Yields ``(index, augmentation_seed)`` so every image's augmentation is fixed by (seed, epoch, index)
    whatever the worker count or a resume.
    """

    def __init__(self, n: int, seed: int, epoch: int, start: int = 0) -> None:
        self.n, self.seed, self.epoch, self.start = n, seed, epoch, start

    def order(self) -> list[int]:
        g = torch.Generator().manual_seed(item_seed(self.seed, self.epoch, 0))
        return torch.randperm(self.n, generator=g).tolist()

    def __iter__(self) -> Iterator[tuple[int, int]]:
        for i in self.order()[self.start:]:
            yield i, item_seed(self.seed, self.epoch, i + 1)

    def __len__(self) -> int:
        return max(0, self.n - self.start)


class ShardedBatches:
    """One process's batches of an epoch: the steps of :class:`EpochSampler`'s order, sharded over a data parallel
    run.

    Each step takes the next ``batch_size * world_size`` positions of the epoch's order (the global batch, starting
    at the sampler's ``start``, a position that is a whole number of global batches) and rank r gets the r-th of
    ``world_size`` equal slices.  The last, shorter global batch is split evenly too, wrapping around its own
    images so every process trains the same number of images per step (DDP averages gradients with equal weights).
    With one process this is the plain order cut into batches.  Yields ``(global batch number, [index, ...])``.
    """

    def __init__(self, sampler: EpochSampler, batch_size: int, rank: int = 0, world_size: int = 1) -> None:
        self.sampler, self.batch_size, self.rank, self.world_size = sampler, batch_size, rank, world_size

    def __iter__(self) -> Iterator[tuple[int, list[int]]]:
        order, start, glob = self.sampler.order(), self.sampler.start, self.batch_size * self.world_size
        for b0 in range(start, len(order), glob):
            chunk = order[b0:b0 + glob]
            if self.world_size == 1:
                yield b0 // glob, chunk
                continue
            k = -(-len(chunk) // self.world_size)
            yield b0 // glob, [chunk[(self.rank * k + j) % len(chunk)] for j in range(k)]

    def __len__(self) -> int:
        return -(-len(self.sampler) // (self.batch_size * self.world_size))


class KeyBatches:
    """:class:`ShardedBatches` as a DataLoader ``batch_sampler``: lists of ``(index, augmentation seed)``."""

    def __init__(self, batches: ShardedBatches) -> None:
        self.batches = batches

    def __iter__(self) -> Iterator[list[tuple[int, int]]]:
        s = self.batches.sampler
        for _, indices in self.batches:
            yield [(i, item_seed(s.seed, s.epoch, i + 1)) for i in indices]

    def __len__(self) -> int:
        return len(self.batches)


def shard_positions(n: int, rank: int, world_size: int) -> range:
    """Rank's contiguous share of ``n`` validation positions (the first ``n % world_size`` ranks one more)."""
    base, extra = divmod(n, world_size)
    start = rank * base + min(rank, extra)
    return range(start, start + base + (1 if rank < extra else 0))


class SeededTransformDataset(Dataset):
    """Applies a random transform under a per-item seed in a forked RNG (the global RNG is untouched)."""

    def __init__(self, base: Dataset, transform) -> None:
        self.base, self.transform = base, transform

    def __len__(self) -> int:
        return len(self.base)  # type: ignore[arg-type]

    def __getitem__(self, key):
        index, seed = key if isinstance(key, tuple) else (key, None)
        image, label = self.base[index]
        if seed is None:
            return self.transform(image), label
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(seed)
            return self.transform(image), label


class EvalDataset(Dataset):
    def __init__(self, base: Dataset, transform, indices: Sequence[int] | None = None) -> None:
        self.base, self.transform = base, transform
        self.indices = list(indices) if indices is not None else None

    def __len__(self) -> int:
        return len(self.indices) if self.indices is not None else len(self.base)  # type: ignore[arg-type]

    def __getitem__(self, i: int):
        image, label = self.base[self.indices[i] if self.indices is not None else i]
        return self.transform(image), label


def dataset_options(cfg: TrainConfig) -> dict[str, Any]:
    """``load_dataset`` options from a config: the download, and a folder's validation split."""
    opts: dict[str, Any] = {"download": True} if cfg.download else {}
    if cfg.dataset == "folder":
        opts.update(val_fraction=cfg.val_fraction, seed=cfg.split_seed)
    return opts


def make_loader(dataset: Dataset, cfg: TrainConfig, device: torch.device, dataset_name: str, epoch: int, step: int,
                sampler=None, batch_sampler=None) -> DataLoader:
    """A DataLoader with the config's worker count (or one that suits the device) and its own generator;
    ``batch_sampler`` (a :class:`KeyBatches`) replaces the sampler and the batch size."""
    # a private generator: creating an iterator must not draw from the global RNG (dropout's), or a
    # resumed run or a mid-epoch validation would change the masks that follow
    return data_loader(dataset, cfg.batch_size, device, dataset_name, item_seed(cfg.seed, epoch, step),
                       cfg.num_workers, sampler, batch_sampler)


def data_loader(dataset: Dataset, batch_size: int, device: torch.device, dataset_name: str, seed: int,
                workers: int | None = None, sampler=None, batch_sampler=None) -> DataLoader:
    """A DataLoader with ``workers`` processes (None: a number that suits the device) and a generator of its own,
    seeded with ``seed``; ``batch_sampler`` replaces the sampler and the batch size."""
    if workers is None:  # GPUs need parallel loading; on a small CPU, workers compete with the math
        if device.type == "cuda":
            workers = min(8, os.cpu_count() or 1)
        else:
            workers = 1 if dataset_name == "folder" else 0
    gen = torch.Generator().manual_seed(seed)
    if batch_sampler is not None:
        return DataLoader(dataset, batch_sampler=batch_sampler, num_workers=workers,
                          pin_memory=device.type == "cuda", generator=gen)
    return DataLoader(dataset, batch_size=batch_size, sampler=sampler, num_workers=workers,
                      pin_memory=device.type == "cuda", drop_last=False, generator=gen)


def tensor_batches(ds, batches: ShardedBatches, cfg: TrainConfig, device: torch.device,
                   augment) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
    """Batches of an in-memory uint8 data set (``TensorImages``), augmented on the device by ``augment``
    (a :class:`~train_backend.data.augment.BatchAugment`).

    The same epoch order as the DataLoader path; each batch's random crops, flips and lighting are fixed
    by (seed, epoch, global batch number, rank), so a resumed run draws what an uninterrupted one would have.
    """
    cuda = device.type == "cuda"
    sampler, world = batches.sampler, batches.world_size
    for batch, indices in batches:
        idx = torch.tensor(indices)
        images, labels = ds.images.index_select(0, idx), ds.labels.index_select(0, idx)
        if cuda:
            images, labels = images.pin_memory(), labels.pin_memory()
        images = images.to(device, non_blocking=cuda)
        labels = labels.to(device, non_blocking=cuda)
        g = torch.Generator().manual_seed(item_seed(cfg.seed, sampler.epoch, -(batch * world + batches.rank + 1)))
        yield augment(images, generator=g), labels
