import pytest
import torch

from latentkit.nets import build
from latentkit.nets.dcgan import DCGANDiscriminator, DCGANEncoder, DCGANGenerator


@pytest.mark.parametrize("resolution", [32, 64])
@pytest.mark.parametrize("channels", [1, 3])
def test_shapes_and_ranges(resolution, channels):
    g = DCGANGenerator(latent_dim=12, resolution=resolution, channels=channels, width=4)
    x = g(torch.randn(5, 12))
    assert x.shape == (5, channels, resolution, resolution)
    assert x.abs().max() <= 1
    d = DCGANDiscriminator(resolution=resolution, channels=channels, width=4, minibatch_std=True)
    logits, features, extra = d(x)
    assert extra.shape == (5, 0)
    assert logits.shape == (5,) and features.shape == (
        5,
        4 * 2 ** (resolution.bit_length() - 4) * 16,
    )
    e = DCGANEncoder(latent_dim=12, resolution=resolution, channels=channels, width=4)
    assert e(x).shape == (5, 12)


def test_stochastic_encoder_returns_mean_and_logvar():
    e = DCGANEncoder(latent_dim=6, width=4, stochastic=True)
    mean, logvar = e(torch.randn(3, 1, 32, 32))
    assert mean.shape == logvar.shape == (3, 6)


def test_minibatch_std_sees_the_batch():
    d = DCGANDiscriminator(width=4, minibatch_std=True).eval()
    x = torch.randn(4, 1, 32, 32)
    same = x[:1].expand(4, -1, -1, -1)
    # identical images: zero spread, so the logits differ from a varied batch's first logit
    assert not torch.allclose(d(x)[0][0], d(same)[0][0])


def test_config_rebuilds_the_architecture():
    g = DCGANGenerator(latent_dim=7, resolution=64, channels=3, width=4, prior="uniform")
    assert g.config == {
        "arch": "dcgan.generator",
        "latent_dim": 7,
        "resolution": 64,
        "channels": 3,
        "width": 4,
        "prior": "uniform",
        "class_labels": None,
    }
    h = build(g.config)
    assert [p.shape for p in h.parameters()] == [p.shape for p in g.parameters()]


def test_dcgan_initialisation():
    g = DCGANGenerator(width=16)
    w = g.main[0].weight
    assert abs(w.mean().item()) < 0.002 and w.std().item() == pytest.approx(0.02, rel=0.05)


def test_unsupported_resolution():
    with pytest.raises(ValueError, match="resolution"):
        DCGANGenerator(resolution=48)
