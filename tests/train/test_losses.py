import math

import pytest
import torch

from latentkit.train.losses import (
    class_entropy_term,
    discriminator_loss,
    feature_matching_loss,
    generator_loss,
    gradient_penalty,
)

ZERO = torch.zeros(4)
LOG2 = math.log(2)


def test_logistic_losses_at_an_undecided_discriminator():
    assert discriminator_loss("ns", ZERO, ZERO).item() == pytest.approx(2 * LOG2)
    assert generator_loss("ns", ZERO).item() == pytest.approx(LOG2)
    assert generator_loss("minimax", ZERO).item() == pytest.approx(-LOG2)


def test_minimax_saturates_where_ns_does_not():
    fake = torch.full((4,), -8.0, requires_grad=True)  # D confidently rejects the fakes
    (g_ns,) = torch.autograd.grad(generator_loss("ns", fake), fake)
    (g_mm,) = torch.autograd.grad(generator_loss("minimax", fake), fake)
    assert g_ns.abs().mean() > 100 * g_mm.abs().mean()


def test_one_sided_label_smoothing_moves_only_the_real_target():
    real = torch.full((4,), 10.0)
    fake = torch.full((4,), -10.0)
    plain = discriminator_loss("ns", real, fake)
    smoothed = discriminator_loss("ns", real, fake, label_smoothing=0.1)
    # with target 0.9 the loss on a logit of 10 is 0.1 * 10 + softplus(-10)
    assert smoothed.item() == pytest.approx(1.0 + 2 * math.log1p(math.exp(-10)), abs=1e-4)
    assert plain.item() < 1e-3


def test_hinge_and_wasserstein_values():
    real, fake = torch.tensor([2.0, 0.5]), torch.tensor([-2.0, 0.0])
    assert discriminator_loss("hinge", real, fake).item() == pytest.approx(0.25 + 0.5)
    assert discriminator_loss("wgan-gp", real, fake).item() == pytest.approx(-1.0 - 1.25)
    assert generator_loss("hinge", fake).item() == pytest.approx(1.0)


class Linear(torch.nn.Module):
    def __init__(self, w):
        super().__init__()
        self.w = torch.nn.Parameter(w)

    def forward(self, x):
        return x.flatten(1) @ self.w


def test_gradient_penalty_of_a_linear_critic():
    w = torch.full((12,), 0.5)  # ‖∇‖ = 0.5·√12 everywhere
    real, fake = torch.randn(6, 3, 2, 2), torch.randn(6, 3, 2, 2)
    gp = gradient_penalty(Linear(w), real, fake, torch.Generator().manual_seed(0))
    assert gp.item() == pytest.approx((0.5 * math.sqrt(12) - 1) ** 2, rel=1e-5)


def test_feature_matching():
    a = torch.randn(8, 5)
    assert feature_matching_loss(a, a[torch.randperm(8)]).item() == pytest.approx(0, abs=1e-6)
    assert feature_matching_loss(a, a + 2).item() == pytest.approx(4.0)


def test_unknown_loss():
    with pytest.raises(ValueError):
        generator_loss("lsgan", ZERO)


def test_class_entropy_term_rewards_definite_classes_drawn_evenly():
    big = 50.0
    one_hot_even = torch.eye(3).repeat(2, 1) * big  # each image one class, every class drawn
    one_hot_collapsed = torch.zeros(6, 3)
    one_hot_collapsed[:, 0] = big  # each image one class, always the same one
    undecided = torch.zeros(6, 3)  # every image uniform over the classes
    log3 = math.log(3)
    assert class_entropy_term(one_hot_even).item() == pytest.approx(-log3, abs=1e-6)
    assert class_entropy_term(one_hot_collapsed).item() == pytest.approx(0.0, abs=1e-6)
    assert class_entropy_term(undecided).item() == pytest.approx(0.0, abs=1e-6)
