import torch

from latentkit.nets.layers import MinibatchDiscrimination, minibatch_std, norm_layer


def test_minibatch_std_appends_the_spread():
    x = torch.tensor([[0.0, 2.0], [2.0, 4.0]])  # per-feature std 1 (population)
    out = minibatch_std(x)
    assert out.shape == (2, 3) and torch.allclose(out[:, 2], torch.ones(2))


def test_layer_norm_normalises_each_sample():
    y = norm_layer("layer", 4)(torch.randn(3, 4, 5, 5) * 7 + 2)
    assert torch.allclose(y.mean(dim=(1, 2, 3)), torch.zeros(3), atol=1e-5)


def test_minibatch_discrimination_counts_the_close_neighbours():
    layer = MinibatchDiscrimination(in_features=3, kernels=2, kernel_dim=4).eval()
    assert torch.equal(layer(torch.randn(5, 3)), torch.zeros(5))  # enters at zero
    torch.nn.init.ones_(layer.weight)  # logit = o_1 + o_2
    torch.nn.init.zeros_(layer.bias)
    same = torch.ones(5, 3)
    # identical samples: every kernel sees 4 others at distance 0, exp(0) = 1 each
    assert torch.allclose(layer(same), torch.full((5,), 8.0))
    apart = torch.arange(5.0)[:, None].repeat(1, 3) * 1e3
    assert torch.allclose(layer(apart), torch.zeros(5), atol=1e-6)
    one_far = torch.cat([torch.ones(4, 3), torch.full((1, 3), 1e3)])
    assert torch.allclose(layer(one_far), torch.tensor([6.0, 6, 6, 6, 0]), atol=1e-5)


def test_minibatch_discrimination_initialises_from_its_first_training_batch():
    """As the authors' code: each kernel's mean nearest-neighbour distance becomes 2 and the
    statistics start centred, whatever the scale of the features; once only."""
    layer = MinibatchDiscrimination(in_features=6, kernels=3)
    tiny = torch.randn(50, 6) * 0.01  # the scale of a freshly initialised D's features
    o = layer.statistics(tiny)
    assert bool(layer.initialised)
    nearest = layer.distances(tiny).amin(dim=2).mean(dim=1)
    assert torch.allclose(nearest, torch.full((3,), 2.0), rtol=1e-4)
    assert torch.allclose(o.mean(dim=0), torch.zeros(3), atol=1e-5)
    scales = layer.log_scale.clone()
    layer.statistics(torch.randn(50, 6))
    assert torch.equal(layer.log_scale, scales)
