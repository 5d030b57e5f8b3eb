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


class MinibatchDiscrimination(nn.Module):
    """Salimans et al. (2016)'s minibatch discrimination: features f [N, A] are projected by a
    tensor T [A, B, C] to rows M_i [B, C]; kernel b compares sample i with every other sample j,
    o_b(x_i) = Σ_{j≠i} exp(−‖M_i,b − M_j,b‖₁), and the layer returns o [N, B]. The sum leaves out
    j = i, as the authors' code does; C = 5 is their kernel size. In the paper o joins f as the
    input of the next (linear) layer; here the layer returns o's share of that layer, a linear
    map o -> logit [N] (weights starting at zero, so the statistic enters as D learns to use
    it), which the discriminator adds to its own."""

    def __init__(self, in_features: int, kernels: int, kernel_dim: int = 5):
        super().__init__()
        self.kernels, self.kernel_dim = kernels, kernel_dim
        self.T = nn.Parameter(torch.randn(in_features, kernels * kernel_dim) * 0.1)
        self.weight = nn.Parameter(torch.zeros(kernels))

    def forward(self, f: torch.Tensor) -> torch.Tensor:
        m = (f @ self.T).view(-1, self.kernels, self.kernel_dim).transpose(0, 1)  # [B, N, C]
        distance = torch.cdist(m, m, p=1)  # [B, N, N], L1 between samples, kernel by kernel
        o = torch.exp(-distance).sum(dim=2) - 1.0  # exp(0) = 1 for j = i
        return o.T @ self.weight


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
