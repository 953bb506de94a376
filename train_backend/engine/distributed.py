"""Data parallel training under ``torchrun``: one process per device, DistributedDataParallel.

``torchrun`` (``python -m torch.distributed.run``) starts N copies of ``alexnet-gui train`` and gives each
``RANK``, ``WORLD_SIZE``, ``LOCAL_RANK``, ``MASTER_ADDR`` and ``MASTER_PORT``; :func:`torchrun_context` reads
them.  The :class:`~train_backend.engine.Trainer` then:

* joins the process group: NCCL when it trains on CUDA (each process on ``cuda:LOCAL_RANK``), gloo on CPUs;
* wraps the model in ``DistributedDataParallel`` (gradients averaged over the processes in backward);
* gives each process its shard of the same seeded permutation (:class:`~.sampling.ShardedBatches`): one step
  takes the next ``batch_size x world_size`` images of the epoch's order (the *global* batch) and process r
  trains on the r-th slice, so a resume at global batch k continues exactly where the run stopped, and
  N processes with ``--batch-size B`` see the images one process with ``--batch-size N*B`` would;
* lets rank 0 alone write the run folder (the others get no run folder at all);
* agrees on when to stop (a stop request, the time budget) once a step, over a CPU (gloo) group, so no
  process is left waiting in a collective for one that has left;
* validates a shard per process and sums the tallies over the processes.

``--batch-size`` is per process (as in PyTorch's DDP examples); the global batch is ``batch_size x world_size``
and the learning rate is not scaled: pass the one you want.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Mapping

import torch

from ..errors import AlexNetGuiError

#: the variables torchrun sets for each process it starts
TORCHRUN_VARIABLES = ("RANK", "WORLD_SIZE", "LOCAL_RANK", "MASTER_ADDR", "MASTER_PORT")


class DistributedError(AlexNetGuiError, RuntimeError):
    """Another process of a distributed run failed, or the process group could not be formed."""


@dataclass(frozen=True)
class DistContext:
    """Where this process stands in a torchrun job."""

    rank: int
    world_size: int
    local_rank: int = 0

    @property
    def is_main(self) -> bool:
        return self.rank == 0


def torchrun_context(environ: Mapping[str, str] | None = None) -> DistContext | None:
    """This process's place in a torchrun job with more than one process, or None (not under torchrun, or a
    job of one process, which trains as a plain run)."""
    env = os.environ if environ is None else environ
    if not all(k in env for k in ("RANK", "WORLD_SIZE")):
        return None
    try:
        rank, world = int(env["RANK"]), int(env["WORLD_SIZE"])
        local = int(env.get("LOCAL_RANK", rank))
    except ValueError as err:
        raise DistributedError(f"torchrun's RANK/WORLD_SIZE/LOCAL_RANK are not numbers: {err}") from None
    if world <= 1:
        return None
    if not 0 <= rank < world:
        raise DistributedError(f"RANK {rank} is outside WORLD_SIZE {world}")
    return DistContext(rank, world, local)


def process_device(ctx: DistContext, requested: torch.device) -> torch.device:
    """The device this process trains on: ``cuda:LOCAL_RANK`` when the run asks for CUDA, else the CPU."""
    if requested.type == "cuda":
        n = torch.cuda.device_count()
        if ctx.local_rank >= n:
            raise DistributedError(f"local rank {ctx.local_rank} has no GPU (this machine has {n}); start at most "
                                   f"{n} processes per node (--nproc-per-node {n})")
        return torch.device("cuda", ctx.local_rank)
    if requested.type != "cpu":
        raise DistributedError(f"distributed training runs on CUDA (NCCL) or CPUs (gloo), not on {requested.type}")
    return torch.device("cpu")


class ProcessGroup:
    """The job's process group (NCCL or gloo) and a gloo group for the small per-step agreements (so they
    never wait on the GPU).  ``close()`` leaves it."""

    def __init__(self, ctx: DistContext, device: torch.device, timeout_s: float = 600.0) -> None:
        import torch.distributed as dist

        self.ctx, self.device = ctx, device
        self.backend = "nccl" if device.type == "cuda" else "gloo"
        self.created = not dist.is_initialized()
        if device.type == "cuda":
            torch.cuda.set_device(device)
        if self.created:
            try:
                dist.init_process_group(self.backend, rank=ctx.rank, world_size=ctx.world_size,
                                        timeout=timedelta(seconds=timeout_s))
            except (RuntimeError, ValueError) as err:
                raise DistributedError(f"could not join the distributed run as rank {ctx.rank} of "
                                       f"{ctx.world_size} ({self.backend}): {err}") from err
        self.control = dist.new_group(backend="gloo") if self.backend != "gloo" else None

    def agree(self, values: list[float]) -> list[float]:
        """The maximum of each value over all processes (stop flags, elapsed time)."""
        import torch.distributed as dist

        t = torch.tensor(values, dtype=torch.float64)
        dist.all_reduce(t, op=dist.ReduceOp.MAX, group=self.control)
        return t.tolist()

    def sum(self, t: torch.Tensor) -> torch.Tensor:
        """``t`` summed over all processes (in place, on this process's device)."""
        import torch.distributed as dist

        dist.all_reduce(t, op=dist.ReduceOp.SUM)
        return t

    def close(self, wait: bool = True) -> None:
        """Leave the group; ``wait``: first wait for every process to get here (rank 0's last checkpoint is then
        on disk when any process returns)."""
        import torch.distributed as dist

        if wait and dist.is_initialized():
            try:
                dist.barrier(group=self.control)
            except Exception:  # noqa: BLE001 - a process that has gone: nothing left to wait for
                pass
        if self.created and dist.is_initialized():
            try:
                dist.destroy_process_group()
            except Exception:  # noqa: BLE001 - leaving a broken group must not hide why it broke
                pass


def peer_failure(err: BaseException) -> bool:
    """Whether ``err`` says another process of the run went away (gloo/NCCL connection errors)."""
    text = f"{type(err).__name__} {err}".lower()
    return any(s in text for s in ("connection closed", "connection reset", "broken pipe", "gloo", "nccl",
                                   "distbackenderror", "timed out", "timeout", "peer"))


def peer_message(err: BaseException, step: int, world_size: int, last_checkpoint: str | None) -> str:
    """What the user reads when another process went away (``err``: a :func:`peer_failure`) at ``step``."""
    first = (str(err).strip().splitlines() or [type(err).__name__])[0][:300]
    where = (f"; the last checkpoint is {last_checkpoint}: resume with --resume {last_checkpoint}"
             if last_checkpoint else
             "; rank 0 holds the run folder's last checkpoint (RUN/last.pt): resume with --resume RUN/last.pt")
    return (f"the distributed run broke at step {step}: another process (of {world_size}) "
            f"stopped or became unreachable ({first}){where}")


def distributed_info(ctx: DistContext, batch_size: int, group: ProcessGroup | None) -> dict[str, Any]:
    """What config.json and checkpoints record about a data parallel run (``batch_size`` per process)."""
    return {"world_size": ctx.world_size, "batch_size_per_process": batch_size,
            "global_batch_size": batch_size * ctx.world_size,
            "backend": group.backend if group is not None else None}


def data_parallel(model: torch.nn.Module, device: torch.device) -> torch.nn.Module:
    """``model`` as DistributedDataParallel: rank 0's weights are broadcast now, gradients averaged in backward."""
    from torch.nn.parallel import DistributedDataParallel

    return DistributedDataParallel(model, device_ids=[device.index] if device.type == "cuda" else None)
