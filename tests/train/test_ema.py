import pytest
import torch

from latentkit.nets.dcgan import DCGANGenerator
from latentkit.train.ema import ema_decay, prior_inputs, recalibrated, update_ema


def test_decay_warms_up():
    assert ema_decay(0.999, 0) == pytest.approx(0.1)
    assert ema_decay(0.999, 10**6) == 0.999


def test_update_is_a_moving_average():
    a, b = torch.nn.Linear(2, 2), torch.nn.Linear(2, 2)
    before = a.weight.detach().clone()
    update_ema(a, b, 0.9)
    assert torch.allclose(a.weight, 0.9 * before + 0.1 * b.weight)


def test_recalibration_measures_the_generators_own_statistics():
    torch.manual_seed(0)
    g = DCGANGenerator(latent_dim=8, width=4)
    calibrated = recalibrated(g, prior_inputs(g, seed=1, batch_size=64), batches=8)
    bn = calibrated.main[1]
    with torch.no_grad():
        first = g.main[0](torch.randn(4096, 8)[:, :, None, None])
    assert torch.allclose(bn.running_mean, first.mean(dim=(0, 2, 3)), atol=0.02)
    assert not calibrated.training and g.main[1].running_mean.abs().sum() == 0  # original intact


def test_recalibration_averages_the_statistics_of_the_given_batches():
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(3, 3), torch.nn.BatchNorm1d(3))
    batches = torch.randn(4, 32, 3) * 2 + 5
    calibrated = recalibrated(net, lambda i: (batches[i],), batches=4)
    with torch.no_grad():
        features = net[0](batches)  # [4, 32, 3]
    bn = calibrated[1]
    assert torch.allclose(bn.running_mean, features.mean(dim=(0, 1)), atol=1e-5)
    assert torch.allclose(bn.running_var, features.var(dim=1).mean(0), atol=1e-4)
    assert not calibrated.training and net[1].num_batches_tracked == 0  # original intact
