"""Codes with known disentanglement: the factors themselves, rotated, or pairwise mixed."""

import numpy as np

SIZES = (3, 6, 8, 8)


def factors(n, seed=0, sizes=SIZES):
    rng = np.random.default_rng(seed)
    return np.stack([rng.integers(0, s, n) for s in sizes], axis=1)


def aligned(f, seed=1, noise=0.02):
    """Codes equal to the factors (scaled to [0, 1]) plus small noise."""
    scaled = f / (np.array(f.max(0)) + 1e-9)
    return scaled + noise * np.random.default_rng(seed).normal(size=f.shape)


def rotated(codes, seed=2):
    q, _ = np.linalg.qr(np.random.default_rng(seed).normal(size=(codes.shape[1],) * 2))
    return codes @ q


def mixed(codes):
    """The last two codes replaced by their sum and difference: each of the two is then equally
    informative of both of the last two factors."""
    a, b = codes[:, -2], codes[:, -1]
    return np.concatenate([codes[:, :-2], np.stack([a + b, a - b], 1)], axis=1)
