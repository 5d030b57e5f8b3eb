"""The 2-D mixtures of Gaussians of the mode-collapse literature, as fixed point sets.

``ring8``: 8 Gaussians evenly spaced on the unit circle, σ = 0.01 (VEEGAN, Srivastava et al.
2017; PacGAN, Lin et al. 2018). ``grid25``: 25 Gaussians at {−4, −2, 0, 2, 4}², σ = 0.05
(PacGAN). Each set holds 100,000 points drawn once with a fixed seed, every mode equally likely
(PacGAN's ``num_sample``). A point is stored as a 1×1 "image" with two channels, [n, 2, 1, 1],
so the image pipeline (batches, packing, checkpoints) carries it unchanged; its values are
coordinates, not bounded to [−1, 1] (``bounded`` is False).
"""

from __future__ import annotations

import itertools

import numpy as np
import torch

from latentkit.data.base import ImageSet

POINT_SETS = ("ring8", "grid25")
SIZE = 100_000
_SEED = 2017


def mixture(name: str) -> tuple[np.ndarray, float]:
    """The mode centres [K, 2] and the common standard deviation of a point set."""
    if name == "ring8":
        angles = 2 * np.pi * np.arange(8) / 8
        return np.stack([np.cos(angles), np.sin(angles)], axis=1), 0.01
    if name == "grid25":
        return np.array(list(itertools.product(range(-4, 5, 2), repeat=2)), float), 0.05
    raise ValueError(f"unknown point set {name!r} (known: {', '.join(POINT_SETS)})")


class PointSet(ImageSet):
    """A mixture of isotropic Gaussians in the plane: points [n, 2, 1, 1] with attributes
    ``x``, ``y`` and ``mode`` (the index of the centre each point was drawn from; the class)."""

    channels = 2
    resolution = 1
    bounded = False
    class_attribute = "mode"

    def __init__(self, name: str):
        self.name = name
        self.attribute_names = ["x", "y", "mode"]
        self.centres, self.std = mixture(name)
        rng = np.random.default_rng(_SEED)
        self.modes = rng.integers(len(self.centres), size=SIZE)
        noise = rng.standard_normal((SIZE, 2)) * self.std
        self.points = (self.centres[self.modes] + noise).astype(np.float32)

    def __len__(self) -> int:
        return SIZE

    def class_labels(self) -> list[str]:
        return [str(k) for k in range(len(self.centres))]

    def images(self, index: np.ndarray) -> torch.Tensor:
        return torch.from_numpy(self.points[np.asarray(index)])[:, :, None, None]

    def attributes(self, index: np.ndarray) -> np.ndarray:
        index = np.asarray(index)
        return np.concatenate([self.points[index], self.modes[index, None]], 1).astype(np.float32)
