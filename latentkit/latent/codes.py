"""Where codes come from: seeds, a bank, or a codes file."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from latentkit.errors import LatentkitError
from latentkit.io.bank import load_bank, load_npy
from latentkit.latent.sample import sample_codes


def parse_indices(text: str) -> list[int]:
    """``"0-3,7"`` -> [0, 1, 2, 3, 7]."""
    out: list[int] = []
    try:
        for part in text.split(","):
            first, _, last = part.strip().partition("-")
            out += list(range(int(first), int(last) + 1)) if last else [int(first)]
    except ValueError:
        raise LatentkitError(f"cannot read {text!r} as a list like 0-3,7") from None
    if not out:
        raise LatentkitError("the list is empty")
    return out


def codes_from_seeds(
    prior: str, dim: int, seeds: list[int], truncation: float | None = None
) -> np.ndarray:
    """One code per seed [len(seeds), dim]: the first code that seed draws."""
    return np.concatenate([sample_codes(prior, 1, dim, seed, truncation) for seed in seeds])


def codes_from_file(path: str | Path, dim: int) -> np.ndarray:
    """Codes [N, dim] from a ``.npy`` [N, d] file or the ``z`` of a bank ``.npz``."""
    path = Path(path)
    codes = load_bank(path).z if path.suffix == ".npz" else load_npy(path, "codes")
    if codes.ndim != 2 or codes.shape[1] != dim:
        raise LatentkitError(f"{path}: codes of shape {codes.shape} do not fit latent size {dim}")
    if not np.isfinite(codes).all():
        raise LatentkitError(f"{path}: codes contain NaN or infinite values")
    return codes.astype(np.float32)
