"""Devices, seeds and the distributed context (torchrun / DDP)."""

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


def derive_seed(*keys: int) -> int:
    """A 63-bit seed derived from a sequence of integers (the run seed, a step, a rank, ...)."""
    return int(np.random.SeedSequence(list(keys)).generate_state(2, np.uint64)[0] >> np.uint64(1))


def torch_generator(*keys: int) -> torch.Generator:
    """A CPU torch generator seeded from `keys`; draws are the same on every device."""
    return torch.Generator().manual_seed(derive_seed(*keys))


def parse_info_prior(prior: str) -> tuple[int, int] | None:
    """(categories, continuous) of an InfoGAN prior ``infogan:K:M``, else None."""
    name, _, rest = prior.partition(":")
    if name != "infogan":
        return None
    try:
        categories, continuous = (int(v) for v in rest.split(":"))
    except ValueError:
        raise LatentkitError(f"an InfoGAN prior is infogan:K:M, not {prior!r}") from None
    if categories < 0 or continuous < 0 or categories + continuous == 0:
        raise LatentkitError(f"{prior!r}: K and M must be non-negative, not both zero")
    return categories, continuous


def sample_prior(prior: str, n: int, dim: int, generator: torch.Generator) -> torch.Tensor:
    """n codes [n, dim] from the prior: ``normal`` N(0, I), ``uniform`` U(-1, 1), or InfoGAN's
    ``infogan:K:M``: N(0, I) noise, then a one-hot code of K uniform categories, then M codes
    U(-1, 1) (the last K + M of the dim coordinates)."""
    if prior == "normal":
        return torch.randn(n, dim, generator=generator)
    if prior == "uniform":
        return torch.rand(n, dim, generator=generator) * 2 - 1
    info = parse_info_prior(prior)
    if info is None:
        raise LatentkitError(f"unknown prior {prior!r} (use normal, uniform or infogan:K:M)")
    categories, continuous = info
    noise = dim - categories - continuous
    if noise < 1:
        raise LatentkitError(f"{prior!r} needs a latent size above {categories + continuous}")
    z = torch.randn(n, noise, generator=generator)
    parts = [z]
    if categories:
        labels = torch.randint(categories, (n,), generator=generator)
        parts.append(torch.nn.functional.one_hot(labels, categories).float())
    if continuous:
        parts.append(torch.rand(n, continuous, generator=generator) * 2 - 1)
    return torch.cat(parts, dim=1)


def latent_names(prior: str, dim: int) -> list[str]:
    """Names of the code's coordinates: ``z0``…, and for InfoGAN ``cat0``… and ``c0``…"""
    info = parse_info_prior(prior) or (0, 0)
    noise = dim - sum(info)
    return (
        [f"z{i}" for i in range(noise)]
        + [f"cat{i}" for i in range(info[0])]
        + [f"c{i}" for i in range(info[1])]
    )


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


def init_distributed(device: str) -> Distributed:
    """Join the process group when launched by torchrun (gloo on CPU, nccl on CUDA)."""
    world_size = int(os.environ.get("WORLD_SIZE", "1"))
    rank = int(os.environ.get("RANK", "0"))
    local_rank = int(os.environ.get("LOCAL_RANK", "0"))
    resolved = resolve_device(device, local_rank)
    if world_size > 1 and not dist.is_initialized():
        if resolved.type == "cuda":
            torch.cuda.set_device(resolved)
        dist.init_process_group("nccl" if resolved.type == "cuda" else "gloo")
    return Distributed(rank, world_size, local_rank, resolved)


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
