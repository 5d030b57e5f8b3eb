"""DCGAN (Radford et al. 2016) generator, discriminator and encoder for 32 and 64 px images.

The generator maps z [N, latent_dim] to images [N, channels, R, R] in [-1, 1] through a 4x4 seed
and stride-2 transposed convolutions that halve the width at each doubling (R=32: 4w, 2w, w;
R=64: 8w, 4w, 2w, w). The discriminator and the encoder share the mirror-image body of stride-2
convolutions with LeakyReLU(0.2) and no normalisation on the first layer.
"""

from __future__ import annotations

import math

import torch
from torch import nn

from latentkit.nets import register
from latentkit.nets.layers import (
    Generator,
    InfoEncoder,
    MinibatchDiscrimination,
    dcgan_init,
    minibatch_std,
    norm_layer,
)

RESOLUTIONS = (32, 64)


def _doublings(resolution: int) -> int:
    if resolution not in RESOLUTIONS:
        raise ValueError(f"resolution must be one of {RESOLUTIONS}, not {resolution}")
    return int(math.log2(resolution)) - 2


def _down_body(resolution: int, channels: int, width: int, norm: str) -> tuple[nn.Sequential, int]:
    """Stride-2 convolutions from [C, R, R] down to [c_out, 4, 4]; returns (body, c_out)."""
    layers: list[nn.Module] = [nn.Conv2d(channels, width, 4, 2, 1), nn.LeakyReLU(0.2)]
    c = width
    for _ in range(_doublings(resolution) - 1):
        layers += [nn.Conv2d(c, 2 * c, 4, 2, 1, bias=norm == "none"), norm_layer(norm, 2 * c)]
        layers.append(nn.LeakyReLU(0.2))
        c *= 2
    return nn.Sequential(*layers), c


@register("dcgan.generator")
class DCGANGenerator(Generator):
    """DCGAN generator: z [N, latent_dim] -> images [N, channels, resolution, resolution]."""

    def __init__(
        self,
        latent_dim: int = 100,
        resolution: int = 32,
        channels: int = 1,
        width: int = 64,
        prior: str = "normal",
        class_labels: list[str] | None = None,
    ):
        super().__init__(latent_dim, prior, class_labels)
        c = width * 2 ** (_doublings(resolution) - 1)
        layers: list[nn.Module] = [
            nn.ConvTranspose2d(latent_dim + self.num_classes, c, 4, 1, 0, bias=False),
            nn.BatchNorm2d(c),
            nn.ReLU(True),
        ]
        for _ in range(_doublings(resolution) - 1):
            layers += [nn.ConvTranspose2d(c, c // 2, 4, 2, 1, bias=False), nn.BatchNorm2d(c // 2)]
            layers.append(nn.ReLU(True))
            c //= 2
        layers += [nn.ConvTranspose2d(c, channels, 4, 2, 1), nn.Tanh()]
        self.main = nn.Sequential(*layers)
        dcgan_init(self)

    def forward(self, z: torch.Tensor, labels: torch.Tensor | None = None) -> torch.Tensor:
        return self.main(self.condition(z, labels)[:, :, None, None])


@register("dcgan.discriminator")
class DCGANDiscriminator(nn.Module):
    """DCGAN discriminator. ``forward(x, labels=None)`` returns (logits [N], features [N, F],
    extra [N, E]): the features (the last hidden layer, flattened) serve feature matching; with
    ``projection_classes`` the labels enter by projection (Miyato & Koyama: logits +
    ⟨embed(y), features⟩); ``extra_outputs`` E > 0 adds a linear head on the features (AC-GAN's
    class logits, InfoGAN's Q), else extra is [N, 0]. ``minibatch_std`` appends ProGAN's
    statistic as a channel before the head; ``minibatch_kernels`` B > 0 adds Salimans et al.'s
    minibatch discrimination (B kernels on the features) to the logits."""

    def __init__(
        self,
        resolution: int = 32,
        channels: int = 1,
        width: int = 64,
        norm: str = "batch",
        minibatch_std: bool = False,
        projection_classes: int = 0,
        extra_outputs: int = 0,
        minibatch_kernels: int = 0,
    ):
        super().__init__()
        self.body, c = _down_body(resolution, channels, width, norm)
        self.minibatch_std = minibatch_std
        self.head = nn.Conv2d(c + int(minibatch_std), 1, 4, 1, 0)
        features = c * 16
        self.embed = nn.Embedding(projection_classes, features) if projection_classes else None
        self.extra = nn.Linear(features, extra_outputs) if extra_outputs else None
        self.kernels = (
            MinibatchDiscrimination(features, minibatch_kernels) if minibatch_kernels else None
        )
        dcgan_init(self)

    def read(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """The body's last map h, its features flattened, and the extra head's outputs."""
        h = self.body(x)
        features = h.flatten(1)
        extra = self.extra(features) if self.extra is not None else features[:, :0]
        return h, features, extra

    def forward(
        self, x: torch.Tensor, labels: torch.Tensor | None = None
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        h, features, extra = self.read(x)
        if self.minibatch_std:
            h = minibatch_std(h)
        logits = self.head(h).flatten()
        if self.kernels is not None:
            logits = logits + self.kernels(features)
        if self.embed is not None:
            if labels is None:
                raise ValueError("a projection discriminator needs labels")
            logits = logits + (self.embed(labels) * features).sum(dim=1)
        return logits, features, extra


@register("dcgan.info_encoder")
class DCGANInfoEncoder(InfoEncoder):
    """InfoGAN's Q of a DCGAN discriminator built with the options `discriminator` (see
    `InfoEncoder`); with `projection` D takes the code's categories as projection classes."""

    def __init__(
        self,
        categorical: int = 10,
        continuous: int = 2,
        projection: bool = False,
        class_head: bool = False,
        **discriminator,
    ):
        super().__init__(categorical, continuous, projection, class_head)
        self.discriminator = DCGANDiscriminator(
            **discriminator,
            projection_classes=categorical if projection else 0,
            extra_outputs=self.q_outputs,
        )


@register("dcgan.encoder")
class DCGANEncoder(nn.Module):
    """Encoder x -> z with the discriminator's body. With ``stochastic=True`` it also predicts a
    log-variance and ``forward`` returns (mean, logvar); otherwise it returns the code. `space`
    names the latent space its codes belong to (z, or a style-based generator's w or wp)."""

    def __init__(
        self,
        latent_dim: int = 100,
        resolution: int = 32,
        channels: int = 1,
        width: int = 64,
        norm: str = "batch",
        stochastic: bool = False,
        space: str = "z",
    ):
        super().__init__()
        self.latent_dim = latent_dim
        self.space = space
        self.stochastic = stochastic
        self.body, c = _down_body(resolution, channels, width, norm)
        self.head = nn.Conv2d(c, latent_dim * (2 if stochastic else 1), 4, 1, 0)
        dcgan_init(self)

    def forward(self, x: torch.Tensor) -> torch.Tensor | tuple[torch.Tensor, torch.Tensor]:
        out = self.head(self.body(x)).flatten(1)
        if self.stochastic:
            mean, logvar = out.chunk(2, dim=1)
            return mean, logvar
        return out
