"""GAN losses on discriminator logits, the WGAN-GP and R1 penalties and feature matching."""

from __future__ import annotations

from collections.abc import Callable

import torch
import torch.nn.functional as F

from latentkit.train.config import LOSSES


def discriminator_loss(
    loss: str, real: torch.Tensor, fake: torch.Tensor, label_smoothing: float = 0.0
) -> torch.Tensor:
    """The discriminator's loss on real and fake logits. `label_smoothing` s sets the real
    target to 1 - s (one-sided: fake targets stay 0); it applies to the logistic losses."""
    if loss in ("ns", "minimax"):
        real_target = torch.full_like(real, 1.0 - label_smoothing)
        return F.binary_cross_entropy_with_logits(real, real_target) + F.softplus(fake).mean()
    if loss in ("wgan-gp", "wgan-clip"):
        return fake.mean() - real.mean()
    if loss == "hinge":
        return F.relu(1 - real).mean() + F.relu(1 + fake).mean()
    raise ValueError(f"unknown loss {loss!r} (known: {', '.join(LOSSES)})")


def generator_loss(loss: str, fake: torch.Tensor) -> torch.Tensor:
    """The generator's loss on fake logits: ``ns`` -log D(G(z)); ``minimax`` log(1 - D(G(z)));
    ``wgan-gp``, ``wgan-clip`` and ``hinge`` -D(G(z))."""
    if loss == "ns":
        return F.softplus(-fake).mean()
    if loss == "minimax":
        return -F.softplus(fake).mean()
    if loss in ("wgan-gp", "wgan-clip", "hinge"):
        return -fake.mean()
    raise ValueError(f"unknown loss {loss!r} (known: {', '.join(LOSSES)})")


def gradient_penalty(
    critic: Callable[[torch.Tensor], torch.Tensor],
    real: torch.Tensor,
    fake: torch.Tensor,
    generator: torch.Generator,
) -> torch.Tensor:
    """WGAN-GP's penalty E[(‖∇x D(x̂)‖₂ - 1)²] at random interpolates x̂ of real and fake;
    `critic` maps images to logits."""
    alpha = torch.rand(real.shape[0], 1, 1, 1, generator=generator).to(real.device)
    mixed = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
    logits = critic(mixed)
    (grad,) = torch.autograd.grad(logits.sum(), mixed, create_graph=True)
    return (grad.flatten(1).norm(dim=1) - 1).pow(2).mean()


def r1_penalty(real_logits: torch.Tensor, real: torch.Tensor) -> torch.Tensor:
    """R1 (Mescheder et al. 2018): E‖∇x D(x)‖² over real images `real`, which were given
    ``requires_grad`` before D's `real_logits` were computed (the graph is kept for backward)."""
    (grad,) = torch.autograd.grad(real_logits.sum(), real, create_graph=True)
    return grad.square().flatten(1).sum(dim=1).mean()


def feature_matching_loss(real_features: torch.Tensor, fake_features: torch.Tensor) -> torch.Tensor:
    """Salimans et al.'s feature matching on D's last hidden layer f: the squared distance between
    the batch means of f(real) and f(fake), averaged over features so one weight suits any width."""
    return (real_features.mean(0) - fake_features.mean(0)).pow(2).mean()


def class_entropy_term(class_logits: torch.Tensor) -> torch.Tensor:
    """CatGAN's generator objective (Springenberg 2016) on a class head's logits for fakes [N, K]:
    the mean entropy of each image's class distribution (low: each fake is one definite class)
    minus the entropy of the batch's mean distribution (high: every class is drawn)."""
    p = class_logits.float().softmax(dim=1)
    per_image = -(p * p.clamp_min(1e-12).log()).sum(dim=1).mean()
    mean = p.mean(dim=0)
    return per_image + (mean * mean.clamp_min(1e-12).log()).sum()
