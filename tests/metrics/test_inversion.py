import numpy as np
import pytest
import torch

from latentkit.metrics.inversion import (
    jacobian_spectrum,
    probe_accuracy,
    reconstruction_error,
    z_recovery,
)


class Identity(torch.nn.Module):
    latent_dim, prior = 6, "normal"

    def forward(self, z):
        return z.view(-1, 1, 2, 3)


class Flatten(torch.nn.Module):
    def forward(self, x):
        return x.flatten(1)


def test_a_perfect_inverse_recovers_z_exactly():
    scores = z_recovery(Identity(), Flatten(), n=300)
    assert scores["r2"] == pytest.approx(1.0) and scores["mse"] == pytest.approx(0.0)


class Linear(torch.nn.Module):
    """G(z) = A z with singular values 3, 2, 1 and three discarded directions."""

    latent_dim, prior = 6, "normal"

    def __init__(self):
        super().__init__()
        u, _ = torch.linalg.qr(torch.randn(8, 8, generator=torch.Generator().manual_seed(0)))
        v, _ = torch.linalg.qr(torch.randn(6, 6, generator=torch.Generator().manual_seed(1)))
        self.matrix = u[:, :3] @ torch.diag(torch.tensor([3.0, 2.0, 1.0])) @ v[:, :3].T

    def forward(self, z):
        return (z @ self.matrix.T).view(-1, 1, 2, 4)


def test_the_jacobian_spectrum_counts_the_directions_the_generator_uses():
    spectrum = jacobian_spectrum(Linear(), n=4)
    assert spectrum["effective_rank"] == pytest.approx(36 / 14, rel=1e-4)
    assert spectrum["above_1_percent"] == 3


class Doubling(torch.autograd.Function):
    """An old-style autograd function, which torch.func's transforms refuse."""

    @staticmethod
    def forward(ctx, x):
        return 2 * x

    @staticmethod
    def backward(ctx, grad):
        return 2 * grad


def test_a_generator_torch_func_refuses_gets_the_same_spectrum_in_reverse_mode():
    class Wrapped(Linear):
        def forward(self, z):
            return Doubling.apply(super().forward(z))

    plain, wrapped = jacobian_spectrum(Linear(), n=4), jacobian_spectrum(Wrapped(), n=4)
    assert wrapped == pytest.approx(plain)  # doubling scales every singular value alike


def test_reconstruction_beside_the_shuffled_baseline():
    images = torch.randn(50, 1, 4, 4)
    perfect = reconstruction_error(images, images)
    assert perfect["mse"] == 0 and perfect["shuffled_mse"] == pytest.approx(
        2.0, rel=0.2
    )  # 2σ² apart
    # a constant guess is no closer to its own image than to another: ratio 1
    assert reconstruction_error(images, torch.zeros_like(images))["ratio"] == pytest.approx(
        1.0, rel=0.1
    )


def test_probes_read_labels_from_informative_codes_only():
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 3, 600)
    informative = np.eye(3)[labels] + 0.1 * rng.normal(size=(600, 3))
    assert probe_accuracy(informative, labels) == {
        "nn1": pytest.approx(1.0, abs=0.02),
        "linear": pytest.approx(1.0, abs=0.02),
    }
    noise = probe_accuracy(rng.normal(size=(600, 3)), labels)
    assert noise["nn1"] < 0.5 and noise["linear"] < 0.5
