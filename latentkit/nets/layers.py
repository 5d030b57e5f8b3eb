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
    o_b(x_i) = Σ_{j≠i} exp(−‖M_i,b − M_j,b‖₁) + bias_b, and the layer returns o's share of the
    next linear layer, a map o -> logit [N] (weights starting at zero, so the statistic enters as
    D learns to use it), which the discriminator adds to its own. As in the authors' code, the
    sum leaves out j = i, C = 5, T is weight-normalised (each column a unit vector times a learnt
    scale), and the first training batch initialises it from the data: the scales so that each
    kernel's mean nearest-neighbour distance is 2, the bias so that o starts centred. (Without
    that, D's small initial features put every sample at distance ≈ 0 from every other, and o is
    the batch size for real and fake alike.)"""

    def __init__(self, in_features: int, kernels: int, kernel_dim: int = 5):
        super().__init__()
        self.kernels, self.kernel_dim = kernels, kernel_dim
        self.theta = nn.Parameter(torch.randn(in_features, kernels * kernel_dim) * 0.05)
        self.log_scale = nn.Parameter(torch.zeros(kernels * kernel_dim))
        self.bias = nn.Parameter(torch.full((kernels,), -1.0))
        self.weight = nn.Parameter(torch.zeros(kernels))
        self.register_buffer("initialised", torch.tensor(False))

    def distances(self, f: torch.Tensor) -> torch.Tensor:
        """L1 distances [B, N, N] between the samples' rows, kernel by kernel; inf on the
        diagonal (a sample is not its own neighbour)."""
        t = self.theta * (self.log_scale.exp() / self.theta.norm(dim=0))
        m = (f @ t).view(-1, self.kernels, self.kernel_dim).transpose(0, 1)  # [B, N, C]
        distance = torch.cdist(m, m, p=1)
        eye = torch.eye(len(f), dtype=torch.bool, device=f.device)
        return distance.masked_fill(eye, float("inf"))

    def statistics(self, f: torch.Tensor) -> torch.Tensor:
        """The per-kernel statistics o [N, B]; the first call in training mode initialises the
        scales and the bias from `f`."""
        if self.training and not self.initialised:
            self.initialise(f)
        return torch.exp(-self.distances(f)).sum(dim=2).T + self.bias

    @torch.no_grad()
    def initialise(self, f: torch.Tensor) -> None:
        """The authors' data-dependent initialisation from one batch (averaged over the
        processes of a distributed run, so that they start alike)."""
        nearest = self.distances(f).amin(dim=2).mean(dim=1)  # [B]
        self.log_scale -= torch.log(nearest / 2).repeat_interleave(self.kernel_dim)
        self.bias.copy_(-torch.exp(-self.distances(f)).sum(dim=2).mean(dim=1))
        if torch.distributed.is_available() and torch.distributed.is_initialized():
            for tensor in (self.log_scale, self.bias):
                torch.distributed.all_reduce(tensor)
                tensor /= torch.distributed.get_world_size()
        self.initialised.fill_(True)

    def forward(self, f: torch.Tensor) -> torch.Tensor:
        return self.statistics(f) @ self.weight


class InfoEncoder(nn.Module):
    """InfoGAN's Q network as an encoder x -> c [N, K + M]: a discriminator's body and Q head
    (subclasses set ``self.discriminator``, whose ``read`` gives its features and extra
    outputs, built with `q_outputs` extra outputs), the categorical code as probabilities, then
    the continuous codes. With `projection` (a code bound to the classes by a projection
    discriminator) Q reads the M codes only, and the categorical probabilities are the softmax
    of D's class head when it has one (`class_head`: D's extra outputs start with `categorical`
    class logits trained on the real images' labels, the classes the code is bound to), else of
    the projection's class scores ⟨embed(y), features⟩."""

    discriminator: nn.Module

    def __init__(
        self, categorical: int, continuous: int, projection: bool = False, class_head: bool = False
    ):
        super().__init__()
        self.categorical, self.projection = categorical, projection
        self.q_start = categorical if projection and class_head else 0
        self.latent_dim = categorical + continuous
        # D's extra outputs: the class head (if any) and Q's continuous codes, or Q's K + M
        self.q_outputs = self.q_start + continuous if projection else self.latent_dim

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        _, features, q = self.discriminator.read(x)
        if self.projection:
            scores = (
                q[:, : self.q_start]
                if self.q_start
                else features @ self.discriminator.embed.weight.T
            )
            return torch.cat([scores.softmax(dim=1), q[:, self.q_start :]], dim=1)
        k = self.categorical
        return torch.cat([q[:, :k].softmax(dim=1), q[:, k:]], dim=1)


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
