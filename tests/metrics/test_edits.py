"""What an edit does, on a generator and scorer whose answers are known."""

import numpy as np
import torch
from torch import nn

from latentkit.attributes.scorer import class_groups
from latentkit.io.direction import Direction
from latentkit.metrics.edits import side_effects


class Codes(nn.Module):
    """A "generator" whose image is its code, as a 1×1 image with d channels."""

    latent_dim, prior = 3, "normal"

    def forward(self, z):
        return z[:, :, None, None]


class ClassAndValue(nn.Module):
    """Class logits (z0, -z0) as c=a and c=b, and x = z1."""

    attribute_names = ("c=a", "c=b", "x")

    def forward(self, images):
        z = images[:, :, 0, 0]
        return torch.stack([z[:, 0], -z[:, 0], z[:, 1]], dim=1)


def test_flip_rates_and_preservation_have_known_values():
    rng = np.random.default_rng(0)
    codes = np.c_[np.full(50, 0.5), rng.normal(size=(50, 2))].astype(np.float32)
    across, along = Direction(np.eye(3)[0]), Direction(np.eye(3)[1])
    effects = side_effects(Codes(), ClassAndValue(), [across, along], codes, [-1.0, 0.0, 1.0])
    # walking z0 by -1 takes every code from class a (z0 = 0.5) to class b; +1 keeps it
    assert np.allclose(effects["flip_rates"]["c"], [[1, 0, 0], [0, 0, 0]])
    # x = z1 does not move along z0; along z1 it moves by 1 / std(z1) at both ends
    drift = effects["drift"]
    assert np.allclose(drift[0, :, 2], 0) and np.allclose(
        drift[1, [0, 2], 2], 1 / codes[:, 1].std()
    )
    assert np.allclose(drift[1, 1], 0)


def test_class_groups_are_names_sharing_a_prefix():
    names = ["digit=0", "digit=1", "shape=heart", "thickness"]
    assert class_groups(names) == {"digit": [0, 1]}
