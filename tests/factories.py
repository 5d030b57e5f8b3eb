"""Python factories used by the tests as ``py:tests.factories:NAME``."""

from latentkit.nets.dcgan import DCGANGenerator


def tiny_generator():
    """A small, seeded DCGAN generator."""
    import torch

    torch.manual_seed(0)
    return DCGANGenerator(latent_dim=8, resolution=32, channels=1, width=4)


def not_a_module():
    return 42
