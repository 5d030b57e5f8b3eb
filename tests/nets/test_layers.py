import torch

from latentkit.nets.layers import minibatch_std, norm_layer


def test_minibatch_std_appends_the_spread():
    x = torch.tensor([[0.0, 2.0], [2.0, 4.0]])  # per-feature std 1 (population)
    out = minibatch_std(x)
    assert out.shape == (2, 3) and torch.allclose(out[:, 2], torch.ones(2))


def test_layer_norm_normalises_each_sample():
    y = norm_layer("layer", 4)(torch.randn(3, 4, 5, 5) * 7 + 2)
    assert torch.allclose(y.mean(dim=(1, 2, 3)), torch.zeros(3), atol=1e-5)
