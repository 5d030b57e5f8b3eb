"""Devices, the distributed context (torchrun / DDP) and stateless epoch sampling."""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np
import torch
import torch.distributed as dist

from latentkit.errors import LatentkitError

DEVICES = ("auto", "cpu", "cuda")


def resolve_device(name: str, local_rank: int = 0) -> torch.device:
    """``auto`` -> CUDA when available, else CPU; ``cuda`` fails clearly without a GPU."""
    if name not in DEVICES and not name.startswith("cuda:"):
        raise LatentkitError(f"unknown device {name!r} (use {', '.join(DEVICES)} or cuda:N)")
    if name == "auto":
        name = "cuda" if torch.cuda.is_available() else "cpu"
    if name.startswith("cuda"):
        if not torch.cuda.is_available():
            raise LatentkitError(f"device {name!r} asked for, but CUDA is not available here")
        return torch.device(name if ":" in name else f"cuda:{local_rank}")
    return torch.device("cpu")


@dataclass(frozen=True)
class Distributed:
    """Where this process stands: rank, world size, device. ``world_size`` 1 when not under
    torchrun."""

    rank: int
    world_size: int
    local_rank: int
    device: torch.device

    @property
    def is_main(self) -> bool:
        return self.rank == 0

    @property
    def enabled(self) -> bool:
        return self.world_size > 1


def launched_rank() -> int:
    """This process's rank as torchrun launched it (0 outside torchrun)."""
    return int(os.environ.get("RANK", "0"))


def init_distributed(device: str) -> Distributed:
    """Join the process group when launched by torchrun (gloo on CPU, nccl on CUDA)."""
    world_size = int(os.environ.get("WORLD_SIZE", "1"))
    rank = launched_rank()
    local_rank = int(os.environ.get("LOCAL_RANK", "0"))
    resolved = resolve_device(device, local_rank)
    if world_size > 1 and not dist.is_initialized():
        if resolved.type == "cuda":
            torch.cuda.set_device(resolved)
        dist.init_process_group("nccl" if resolved.type == "cuda" else "gloo")
    return Distributed(rank, world_size, local_rank, resolved)


def wait_for_all(context: Distributed) -> None:
    """Block until every process reaches this point (no-op outside torchrun)."""
    if context.enabled and dist.is_initialized():
        dist.barrier()


def close_distributed(context: Distributed) -> None:
    """Leave the process group, if this process joined one."""
    if context.enabled and dist.is_initialized():
        dist.destroy_process_group()


class EpochSampler:
    """Stateless shuffled sampling: position p of the stream is item ``perm_e[p mod n]`` with
    ``e = p // n`` and ``perm_e`` a permutation seeded by (seed, e). A resumed run therefore
    draws exactly the batches an uninterrupted one would."""

    def __init__(self, n: int, seed: int):
        if n < 1:
            raise LatentkitError("the dataset is empty")
        self.n = n
        self.seed = seed
        self._epoch = -1
        self._perm = np.empty(0, np.int64)

    def _permutation(self, epoch: int) -> np.ndarray:
        if epoch != self._epoch:
            self._perm = np.random.default_rng([self.seed, epoch]).permutation(self.n)
            self._epoch = epoch
        return self._perm

    def take(self, start: int, count: int) -> np.ndarray:
        """Items at stream positions start .. start + count - 1."""
        out = np.empty(count, np.int64)
        filled = 0
        while filled < count:
            epoch, offset = divmod(start + filled, self.n)
            chunk = self._permutation(epoch)[offset : offset + count - filled]
            out[filled : filled + len(chunk)] = chunk
            filled += len(chunk)
        return out
