"""A latent space with known attribute directions, for tests.

Attributes are monotone functions of projections of z on known unit vectors: ``x`` on u_x,
``y`` on u_y with cos(u_x, u_y) = COSINE, ``size`` on u_size orthogonal to both.
"""

from __future__ import annotations

import numpy as np

DIM = 16
COSINE = 0.6
NAMES = ["x", "y", "size"]


def true_directions(dim: int = DIM) -> dict[str, np.ndarray]:
    basis, _ = np.linalg.qr(np.random.default_rng(123).normal(size=(dim, 3)))
    e1, e2, e3 = basis.T
    return {"x": e1, "y": COSINE * e1 + np.sqrt(1 - COSINE**2) * e2, "size": e3}


def scores(z: np.ndarray) -> np.ndarray:
    """Scores [N, 3]: a sigmoid, a tanh and a cube of the three projections."""
    u = true_directions(z.shape[1])
    return np.stack(
        [1 / (1 + np.exp(-2 * z @ u["x"])), np.tanh(z @ u["y"]), (z @ u["size"]) ** 3], 1
    )


def codes(n: int, seed: int = 0, dim: int = DIM) -> np.ndarray:
    return np.random.default_rng(seed).normal(size=(n, dim))
