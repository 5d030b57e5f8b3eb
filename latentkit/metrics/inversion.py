"""How well an encoder inverts a generator."""

from __future__ import annotations

import numpy as np
import torch

from latentkit.latent.sample import sample_codes


@torch.no_grad()
def z_recovery(
    generator: torch.nn.Module,
    encoder: torch.nn.Module,
    n: int = 2000,
    seed: int = 0,
    batch_size: int = 256,
    device: str | torch.device = "cpu",
) -> dict[str, float]:
    """E(G(z)) against z on seeded codes: R² (1 − residual / total variance, pooled over
    dimensions), mean squared error and mean cosine."""
    encoder.eval()
    z = sample_codes(generator.prior, n, generator.latent_dim, seed)
    estimates = []
    for start in range(0, n, batch_size):
        batch = torch.from_numpy(z[start : start + batch_size]).to(device)
        out = encoder(generator(batch))
        estimates.append((out[0] if isinstance(out, tuple) else out).float().cpu().numpy())
    estimate = np.concatenate(estimates).astype(np.float64)
    residual = ((estimate - z) ** 2).sum()
    total = ((z - z.mean(0)) ** 2).sum()
    cosine = (estimate * z).sum(1) / (
        np.linalg.norm(estimate, axis=1) * np.linalg.norm(z, axis=1) + 1e-12
    )
    return {
        "r2": float(1 - residual / total),
        "mse": float(((estimate - z) ** 2).mean()),
        "cosine": float(cosine.mean()),
    }
