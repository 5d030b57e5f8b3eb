"""Seeds: every random draw of latentkit comes from a generator seeded by a tuple of integers."""

from __future__ import annotations

import numpy as np
import torch


def derive_seed(*keys: int) -> int:
    """A 63-bit seed derived from a sequence of integers (the run seed, a step, a rank, ...)."""
    return int(np.random.SeedSequence(list(keys)).generate_state(2, np.uint64)[0] >> np.uint64(1))


def torch_generator(*keys: int) -> torch.Generator:
    """A CPU torch generator seeded from `keys`; draws are the same on every device."""
    return torch.Generator().manual_seed(derive_seed(*keys))
