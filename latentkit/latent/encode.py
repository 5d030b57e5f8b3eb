"""Encoders' codes: the one place that reads a stochastic encoder's ``(mean, logvar)``."""

from __future__ import annotations

import numpy as np
import torch
from torch import nn


def encode(encoder: nn.Module, images: torch.Tensor) -> torch.Tensor:
    """Codes of `images` (gradients flow): a deterministic encoder's output, or the mean of a
    stochastic one that returns ``(mean, logvar)``."""
    out = encoder(images)
    return out[0] if isinstance(out, tuple) else out


@torch.no_grad()
def encode_images(
    encoder: nn.Module,
    images: torch.Tensor,
    batch_size: int = 256,
    device: str | torch.device = "cpu",
) -> np.ndarray:
    """Codes [N, d] (float32, numpy) of images [N, C, H, W], encoded in batches on `device`."""
    encoder.eval()
    return np.concatenate(
        [
            encode(encoder, chunk.to(device)).float().cpu().numpy()
            for chunk in images.split(batch_size)
        ]
    )
