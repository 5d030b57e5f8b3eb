"""Python factories used by the tests as ``py:tests.factories:NAME``."""

from types import SimpleNamespace

import numpy as np
import torch
from torch import nn

from latentkit.nets.dcgan import DCGANGenerator
from latentkit.train.ema import prior_inputs, recalibrated

# What seeded codes need of a generator: 8-dimensional codes of the normal prior.
NORMAL8 = SimpleNamespace(prior="normal", latent_dim=8)


def tiny_generator():
    """A small, seeded DCGAN generator."""
    torch.manual_seed(0)
    return DCGANGenerator(latent_dim=8, resolution=32, channels=1, width=4)


def calibrated_generator() -> DCGANGenerator:
    """A seeded DCGAN generator with its BatchNorm statistics recomputed on prior draws, as
    latentkit ships generators, so that its images vary with z (an untrained one's barely do)."""
    torch.manual_seed(0)
    generator = DCGANGenerator(latent_dim=4, width=8)
    return recalibrated(generator, prior_inputs(generator, seed=0))


def not_a_module():
    return 42


class LinearToy(nn.Module):
    """A generator whose first layer stretches z most along a planted direction u."""

    def __init__(self, u: np.ndarray, features: int = 64, seed: int = 0):
        super().__init__()
        self.latent_dim, self.prior = len(u), "normal"
        rng = np.random.default_rng(seed)
        a = rng.normal(size=features)
        weight = 3 * np.outer(a / np.linalg.norm(a), u) + 0.1 * rng.normal(size=(features, len(u)))
        self.first = nn.Linear(len(u), features)
        self.first.weight.data = torch.tensor(weight, dtype=torch.float32)
        self.rest = nn.Sequential(nn.Tanh(), nn.Unflatten(1, (1, 8, 8)))

    def forward(self, z):
        return self.rest(self.first(z))


def planted(d=16, seed=1):
    u = np.random.default_rng(seed).normal(size=d)
    return u / np.linalg.norm(u)


def linear_toy():
    """A LinearToy around `planted()`."""
    return LinearToy(planted())


class Convention(nn.Module):
    """tiny_generator's images in another convention: pixels in [0, 255], or channels last."""

    def __init__(self, channels_last: bool = False):
        super().__init__()
        self.inner, self.channels_last = tiny_generator(), channels_last
        self.latent_dim, self.prior = 8, "normal"

    def forward(self, z):
        images = self.inner(z)
        if self.channels_last:
            return images.permute(0, 2, 3, 1)
        return (images + 1) * 127.5


def bytes_generator():
    """Images in [0, 255]."""
    return Convention()


def channels_last_generator():
    """Images [N, H, W, C] in [-1, 1]."""
    return Convention(channels_last=True)
