import numpy as np
import pytest
import torch
from torch import nn

from latentkit.directions.keep import keeping_walk
from latentkit.errors import LatentkitError


class Flat(nn.Module):
    """A "generator" whose image is its code: [N, 3] -> [N, 1, 1, 3]."""

    latent_dim, prior = 3, "normal"

    def forward(self, z):
        return z.view(len(z), 1, 1, 3)


class SignClassifier(nn.Module):
    """Class "pos" or "neg" by the sign of the first pixel (softmax of ±4·x₀), and x₁ as an
    attribute: its class depends on x₀ alone."""

    attribute_names = ("side=pos", "side=neg", "x1")

    def forward(self, images):
        x = images.flatten(1)
        p = torch.softmax(torch.stack([4 * x[:, 0], -4 * x[:, 0]], 1), 1)
        return torch.cat([p, x[:, 1:2]], 1)


def test_the_walk_leaves_what_sets_the_class_and_moves_the_rest_by_the_arc_length():
    codes = np.array([[0.3, 0.0, 0.0], [-0.2, 1.0, 5.0]])
    normal = np.array([1.0, 1.0, 0.0]) / np.sqrt(2)  # half of it would change the class
    distances = np.array([-2.0, 0.0, 1.0, 2.0])
    walked = keeping_walk(codes, normal, distances, Flat(), SignClassifier())
    assert np.allclose(walked[:, :, 0], codes[:, :1], atol=1e-5)  # x₀: the class, kept
    assert np.allclose(walked[:, :, 1] - codes[:, 1:2], distances, atol=1e-5)
    assert np.allclose(walked[:, :, 2], codes[:, 2:], atol=1e-6)
    plain = codes[:, None] + distances[:, None] * normal
    assert (np.sign(plain[:, :, 0]) != np.sign(codes[:, None, 0])).any()  # the linear walk flips


def test_keeping_needs_a_class_head():
    class NoHead(SignClassifier):
        attribute_names = ("a", "b", "c")

    with pytest.raises(LatentkitError, match="one class head, it has 0"):
        keeping_walk(np.zeros((1, 3)), np.ones(3), np.array([1.0]), Flat(), NoHead())
