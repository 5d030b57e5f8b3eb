import torch

from latentkit.nets.mlp import MLPDiscriminator, MLPGenerator, MLPInfoEncoder


def test_mlp_pair_shapes():
    g = MLPGenerator(latent_dim=5, resolution=8, channels=1, width=16)
    x = g(torch.randn(3, 5))
    assert x.shape == (3, 1, 8, 8) and x.abs().max() <= 1
    logits, features, extra = MLPDiscriminator(resolution=8, width=16, minibatch_std=True)(x)
    assert logits.shape == (3,) and features.shape == (3, 16) and extra.shape == (3, 0)


def test_pacgan_point_networks_maxout_and_minibatch_kernels():
    g = MLPGenerator(latent_dim=2, resolution=1, channels=2, width=16, hidden_layers=4,
                     batch_norm=True, output="linear")  # fmt: skip
    torch.nn.init.constant_(g.main[-1].bias, 5.0)
    points = g(torch.randn(64, 2))
    assert points.shape == (64, 2, 1, 1) and points.min() > 4  # coordinates, not squashed
    assert sum(isinstance(m, torch.nn.BatchNorm1d) for m in g.modules()) == 4
    d = MLPDiscriminator(resolution=1, channels=4, width=8, hidden_layers=3, maxout=5,
                         minibatch_kernels=6)  # fmt: skip
    maxout = d.body[1]
    x = torch.randn(10, 4)
    pieces = maxout.linear(x).view(10, 8, 5)
    assert torch.equal(maxout(x), pieces.amax(dim=2))
    logits, features, _ = d(points.reshape(32, 4, 1, 1))  # two points packed per sample
    assert logits.shape == (32,) and features.shape == (32, 8)
    assert torch.allclose(logits, d.head(features).flatten() + d.kernels(features))


def test_mlp_info_encoder_reads_the_q_head_of_the_discriminators_weights():
    d = MLPDiscriminator(resolution=1, channels=2, width=8, hidden_layers=3, maxout=5,
                         extra_outputs=5)  # fmt: skip
    encoder = MLPInfoEncoder(resolution=1, channels=2, width=8, hidden_layers=3, maxout=5,
                             categorical=3, continuous=2)  # fmt: skip
    encoder.discriminator.load_state_dict(d.state_dict())
    x = torch.randn(6, 2, 1, 1)
    _, features, q = d(x)
    assert q.shape == (6, 5) and torch.allclose(q, d.extra(features))
    codes = encoder(x)
    assert torch.allclose(codes[:, :3], q[:, :3].softmax(dim=1))
    assert torch.allclose(codes[:, 3:], q[:, 3:])
