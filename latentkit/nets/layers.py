"""Small building blocks shared by the architectures."""

from __future__ import annotations

import torch
from torch import nn

from latentkit.priors import PRIORS, parse_info_prior

NORMS = ("batch", "layer", "none")


class Generator(nn.Module):
    """Base of latentkit's generators: records the latent size, the prior of z and, for a
    class-conditional generator, its class labels (``forward(z, labels)``)."""

    __jit_ignored_attributes__ = ("class_labels",)  # so that TorchScript can script generators

    def __init__(self, latent_dim: int, prior: str, class_labels: list[str] | None = None):
        super().__init__()
        if prior not in PRIORS and parse_info_prior(prior) is None:
            raise ValueError(f"prior must be one of {PRIORS} or infogan:K:M, not {prior!r}")
        self.latent_dim = latent_dim
        self.prior = prior
        self.class_labels = list(class_labels or [])
        self.num_classes = len(self.class_labels)  # 0: unconditional

    def condition(self, z: torch.Tensor, labels: torch.Tensor | None) -> torch.Tensor:
        """z with the one-hot labels appended (conditional), or z itself."""
        if self.num_classes == 0:
            return z
        if labels is None:
            raise ValueError("a class-conditional generator needs labels")
        one_hot = nn.functional.one_hot(labels, self.num_classes).to(z.dtype)
        return torch.cat([z, one_hot], 1)


def norm_layer(kind: str, channels: int) -> nn.Module:
    """A normalisation for conv features: BatchNorm, LayerNorm over (C, H, W), or none."""
    if kind == "batch":
        return nn.BatchNorm2d(channels)
    if kind == "layer":
        return nn.GroupNorm(1, channels)
    if kind == "none":
        return nn.Identity()
    raise ValueError(f"norm must be one of {', '.join(NORMS)}, not {kind!r}")


def minibatch_std(x: torch.Tensor) -> torch.Tensor:
    """Append the mean over features of the across-batch standard deviation as one more channel
    (ProGAN's minibatch-std, a cheap form of minibatch discrimination). Works on [N, C, ...]."""
    std = x.float().std(dim=0, unbiased=False).mean() if x.shape[0] > 1 else x.new_zeros(())
    extra = std.to(x.dtype).expand(x.shape[0], 1, *x.shape[2:])
    return torch.cat([x, extra], dim=1)


def dcgan_init(module: nn.Module) -> None:
    """DCGAN's initialisation: conv weights N(0, 0.02), norm scales N(1, 0.02), biases 0."""
    for m in module.modules():
        if isinstance(m, nn.Conv2d | nn.ConvTranspose2d | nn.Linear):
            nn.init.normal_(m.weight, 0.0, 0.02)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, nn.BatchNorm2d | nn.GroupNorm):
            nn.init.normal_(m.weight, 1.0, 0.02)
            nn.init.zeros_(m.bias)
