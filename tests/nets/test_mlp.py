import torch

from latentkit.nets.mlp import MLPDiscriminator, MLPGenerator


def test_mlp_pair_shapes():
    g = MLPGenerator(latent_dim=5, resolution=8, channels=1, width=16)
    x = g(torch.randn(3, 5))
    assert x.shape == (3, 1, 8, 8) and x.abs().max() <= 1
    logits, features, extra = MLPDiscriminator(resolution=8, width=16, minibatch_std=True)(x)
    assert logits.shape == (3,) and features.shape == (3, 16) and extra.shape == (3, 0)
