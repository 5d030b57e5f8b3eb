"""TorchScript models built in the tests: a generator whose images encode known projections of
z, and a scorer that reads them back (no `from __future__ import annotations`: TorchScript reads
the type hints). Images are [N, 1, 8, 8] in [-1, 1]; pixel (0, i) holds
tanh(z · u_i) for the analytic directions u_x, u_y, u_size."""

import numpy as np
import torch

from tests import analytic


class ProjectionGenerator(torch.nn.Module):
    latent_dim: int

    def __init__(self):
        super().__init__()
        u = analytic.true_directions()
        self.register_buffer(
            "basis", torch.tensor(np.stack([u[n] for n in analytic.NAMES], 1), dtype=torch.float32)
        )
        self.latent_dim = analytic.DIM

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        projections = torch.tanh(z @ self.basis / 2)
        images = torch.full((z.shape[0], 1, 8, 8), -1.0, dtype=z.dtype)
        images[:, 0, 0, :3] = projections
        return images


class PixelScorer(torch.nn.Module):
    attribute_names: list[str]

    def __init__(self):
        super().__init__()
        self.attribute_names = list(analytic.NAMES)

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        return images[:, 0, 0, :3]


def save_models(folder) -> tuple[str, str]:
    generator, scorer = folder / "generator.pt", folder / "scorer.pt"
    torch.jit.script(ProjectionGenerator()).save(str(generator))
    torch.jit.script(PixelScorer()).save(str(scorer))
    return str(generator), str(scorer)


def sample_args(generator: str, scorer: str, out, n: int, *extra) -> tuple:
    """The arguments of ``latentkit sample`` for the analytic models."""
    return (
        "sample",
        "--generator",
        generator,
        "--scorer",
        scorer,
        "--n",
        str(n),
        "--no-progress",
        "--out",
        out,
        *extra,
    )
