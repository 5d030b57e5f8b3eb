import numpy as np
import pytest
import torch

from latentkit.errors import LatentkitError
from latentkit.metrics.latent import direction_auc, linear_separability, path_length


def test_axis_aligned_linear_attributes_are_separable_and_scrambled_ones_are_not():
    z = np.random.default_rng(0).normal(size=(4000, 8))
    linear = z[:, :3]  # attributes are coordinates: linear in z
    scrambled = np.stack([z[:, 0] * z[:, 1], np.sin(3 * z[:, 2]), z[:, 3] * z[:, 4]], axis=1)
    good = linear_separability(z, linear)["separability"]
    bad = linear_separability(z, scrambled)["separability"]
    assert good == pytest.approx(1.0, abs=0.02)
    assert bad > 2.0  # about one bit lost per scrambled attribute


def test_probabilities_use_their_half_point():
    z = np.random.default_rng(1).normal(size=(2000, 4))
    p = 1 / (1 + np.exp(-4 * z[:, 0]))
    result = linear_separability(z, p[:, None], thresholds=[0.5])
    assert result["separability"] == pytest.approx(1.0, abs=0.02)


def test_direction_as_a_classifier():
    z = np.random.default_rng(2).normal(size=(3000, 5))
    labels = z[:, 1] > 0
    assert direction_auc(z, labels, np.eye(5)[1]) == {"auc": 1.0, "accuracy": 1.0}
    assert direction_auc(z, labels, np.eye(5)[3])["auc"] == pytest.approx(0.5, abs=0.05)
    with pytest.raises(LatentkitError, match="single class"):
        direction_auc(z, np.ones(3000, bool), np.eye(5)[0])


class Linear(torch.nn.Module):
    def __init__(self, scale):
        super().__init__()
        self.scale, self.latent_dim, self.prior = scale, 6, "normal"

    def forward(self, z):
        return (self.scale * z).view(-1, 1, 2, 3) + 5.0  # an offset keeps features away from 0


def test_path_length_grows_with_the_generators_gain():
    def features(images):
        return images

    short = path_length(Linear(1.0), features, num_samples=500)["path_length"]
    long = path_length(Linear(3.0), features, num_samples=500)["path_length"]
    assert long > 2 * short > 0
