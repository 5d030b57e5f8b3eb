"""Stacked MNIST (Metz et al. 2017; VEEGAN; PacGAN): three independently drawn MNIST digits as the
red, green and blue channels of one image, so 1,000 modes (the digit triples)."""

from __future__ import annotations

import numpy as np
import torch

from latentkit.data.base import ImageSet

SIZE = 100_000
_SEED = 1000


class StackedMNIST(ImageSet):
    """`size` fixed triples of independent draws from `digits` (an MNIST set); attributes
    ``digit_r``, ``digit_g``, ``digit_b`` and ``mode`` = 100·r + 10·g + b (the class)."""

    class_attribute = "mode"

    def __init__(self, digits: ImageSet, size: int = SIZE):
        if digits.channels != 1:
            raise ValueError("Stacked MNIST stacks one-channel digits")
        self.digits = digits
        self.name = f"stacked-{digits.name}"
        self.attribute_names = ["digit_r", "digit_g", "digit_b", "mode"]
        self.channels = 3
        self.resolution = digits.resolution
        rng = np.random.default_rng(_SEED)
        self.triples = rng.integers(len(digits), size=(size, 3))
        self.digit_labels = digits.labels(np.arange(len(digits)))

    def __len__(self) -> int:
        return len(self.triples)

    def class_labels(self) -> list[str]:
        return [f"{k:03d}" for k in range(1000)]

    def images(self, index: np.ndarray) -> torch.Tensor:
        triples = self.triples[np.asarray(index)]
        r = self.resolution
        return self.digits.images(triples.reshape(-1)).view(len(triples), 3, r, r)

    def attributes(self, index: np.ndarray) -> np.ndarray:
        digits = self.digit_labels[self.triples[np.asarray(index)]]
        mode = digits @ np.array([100, 10, 1])
        return np.concatenate([digits, mode[:, None]], 1).astype(np.float32)
