import numpy as np
import pytest
import torch
from torch import nn

from latentkit.priors import sample_codes
from latentkit.reports import inversion_report

DIM = 6


class Linear(nn.Module):
    """G(z) = A z as 8×8 images, A with orthonormal columns; its exact inverse E(x) = Aᵀ x."""

    def __init__(self, transpose: bool = False):
        super().__init__()
        q, _ = np.linalg.qr(np.random.default_rng(0).normal(size=(64, DIM)))
        self.register_buffer("a", torch.tensor(q, dtype=torch.float32))
        self.transpose, self.latent_dim, self.prior = transpose, DIM, "normal"

    def forward(self, x):
        if self.transpose:
            return x.flatten(1) @ self.a
        return (x @ self.a.T).reshape(-1, 1, 8, 8)


def test_an_exact_inverse_recovers_every_code(tmp_path):
    g, e = Linear(), Linear(transpose=True)
    z = sample_codes("normal", 200, DIM, seed=5)
    images = g(torch.from_numpy(z))
    labels = (z[:, 0] > 0).astype(int)
    data = inversion_report(g, e, images, tmp_path / "r", labels, description="toy", seed=1)
    assert data["z_recovery"]["r2"] == pytest.approx(1.0, abs=1e-5)
    assert data["encoder"]["mse"] < 1e-10 < data["encoder"]["shuffled_mse"]
    assert data["generator_jacobian"]["above_1_percent"] == DIM
    assert data["probe"]["linear"] > 0.9  # the sign of z0 is a linear function of E(x)
    assert (tmp_path / "r/reconstructions.png").stat().st_size > 0
