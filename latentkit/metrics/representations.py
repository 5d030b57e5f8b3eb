"""Representation functions for the ground-truth metrics: encoders and baselines.

A spec names one: ``factors`` (the true factor classes, the best a representation can do),
``pixels:D`` (a seeded Gaussian random projection of the pixels to D dimensions, a baseline that
knows nothing), or an encoder (a latentkit file holding an ``encoder``, TorchScript, or a
pretrained bundle's name).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch

from latentkit.errors import LatentkitError
from latentkit.io.models import load_encoder
from latentkit.latent.encode import encode_images


def representation(
    spec: str, dataset, seed: int = 0, device: str | torch.device = "cpu", batch_size: int = 256
) -> Callable | None:
    """A function from observations (images [N, C, H, W]) to codes [N, D] (numpy); None for
    ``factors`` (the factors themselves are the codes)."""
    if spec == "factors":
        return None
    if spec.startswith("pixels:"):
        try:
            dim = int(spec.split(":", 1)[1])
        except ValueError:
            raise LatentkitError(f"{spec}: write pixels:D with D a whole number") from None
        pixels = dataset.channels * dataset.resolution**2
        matrix = np.random.default_rng(seed).normal(size=(pixels, dim)) / np.sqrt(pixels)
        return lambda images: images.reshape(len(images), -1).numpy() @ matrix
    net = load_encoder(spec, device)
    return lambda images: encode_images(net, images, batch_size, device)
