"""scikit-learn's 8×8 handwritten digits (1,797 images), upsampled."""

from __future__ import annotations

import numpy as np
import torch

from latentkit.data.base import TensorImageSet, resize_pixels


def load_digits(resolution: int = 32) -> TensorImageSet:
    """The digits with their class, at `resolution` (8 keeps the original size)."""
    from sklearn.datasets import load_digits as sklearn_digits

    bunch = sklearn_digits()
    pixels = torch.from_numpy(np.round(bunch.images * (255 / 16)).astype(np.uint8))[:, None]
    return TensorImageSet(
        "digits",
        resize_pixels(pixels, resolution),
        bunch.target.astype(np.float32)[:, None],
        ["digit"],
        class_attribute="digit",
    )
