"""Python factories used by the tests as ``py:tests.factories:NAME``."""

from types import SimpleNamespace

import numpy as np
import torch
from torch import nn

from latentkit.nets.dcgan import DCGANGenerator

# What seeded codes need of a generator: 8-dimensional codes of the normal prior.
NORMAL8 = SimpleNamespace(prior="normal", latent_dim=8)


def tiny_generator():
    """A small, seeded DCGAN generator."""
    torch.manual_seed(0)
    return DCGANGenerator(latent_dim=8, resolution=32, channels=1, width=4)


def calibrated_generator(latent_dim: int = 4, width: int = 8) -> DCGANGenerator:
    """A seeded DCGAN generator in eval mode whose batch-norm statistics are those of 1,000
    seeded codes, so that its images vary with z (an untrained one's barely do: about 3e-5)."""
    torch.manual_seed(0)
    generator = DCGANGenerator(latent_dim=latent_dim, width=width)
    for module in generator.modules():
        if isinstance(module, nn.modules.batchnorm._BatchNorm):
            module.momentum = None  # a plain average of the batches seen
    with torch.no_grad():
        generator.train()(torch.randn(1000, latent_dim))
    return generator.eval()


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
