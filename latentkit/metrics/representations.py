"""Representation functions for the ground-truth metrics: encoders and baselines.

A spec names one: ``factors`` (the true factor classes, the best a representation can do),
``pixels:D`` (a seeded Gaussian random projection of the pixels to D dimensions, a baseline that
knows nothing), or an encoder (a latentkit file holding an ``encoder``, TorchScript, or a
pretrained bundle's name).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch

from latentkit.errors import LatentkitError
from latentkit.io.bundles import resolve_model
from latentkit.io.models import load_encoder


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
    path = Path(resolve_model(spec, "encoder"))
    if not path.is_file():
        raise LatentkitError(f"{spec}: no such encoder file (or use factors, pixels:D)")
    net = load_encoder(path, device)

    @torch.no_grad()
    def encode(images: torch.Tensor) -> np.ndarray:
        out = []
        for chunk in images.split(batch_size):
            codes = net(chunk.to(device))
            codes = codes[0] if isinstance(codes, tuple) else codes  # a stochastic encoder's mean
            out.append(codes.float().cpu().numpy())
        return np.concatenate(out)

    return encode
