"""Fully connected generator/discriminator pairs for small data: 8×8 digits and 2-D points.

On point data they are PacGAN's (Lin et al. 2018, after VEEGAN): a generator of four hidden
layers with batch norm and ReLU and a linear output, a discriminator of three maxout layers
(five pieces) and no normalisation.
"""

from __future__ import annotations

import torch
from torch import nn

from latentkit.nets import register
from latentkit.nets.layers import (
    Generator,
    InfoEncoder,
    MinibatchDiscrimination,
    dcgan_init,
    minibatch_std,
)

OUTPUTS = ("tanh", "linear")


class Maxout(nn.Module):
    """A linear maxout layer: the maximum over `pieces` linear maps (Goodfellow et al. 2013)."""

    def __init__(self, in_features: int, out_features: int, pieces: int):
        super().__init__()
        self.pieces = pieces
        self.linear = nn.Linear(in_features, out_features * pieces)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.linear(x).view(x.shape[0], -1, self.pieces).max(dim=2).values


@register("mlp.generator")
class MLPGenerator(Generator):
    """z [N, latent_dim] -> `hidden_layers` ReLU layers of `width` (batch-normalised with
    `batch_norm`) -> images [N, channels, R, R], squashed to [-1, 1] (``output`` tanh) or not
    (``linear``, for coordinates)."""

    def __init__(
        self,
        latent_dim: int = 32,
        resolution: int = 8,
        channels: int = 1,
        width: int = 256,
        prior: str = "normal",
        hidden_layers: int = 2,
        batch_norm: bool = False,
        output: str = "tanh",
    ):
        super().__init__(latent_dim, prior)
        if output not in OUTPUTS:
            raise ValueError(f"output must be one of {', '.join(OUTPUTS)}, not {output!r}")
        self.shape = (channels, resolution, resolution)
        layers: list[nn.Module] = []
        size = latent_dim
        for _ in range(hidden_layers):
            layers += [nn.Linear(size, width, bias=not batch_norm)]
            layers += [nn.BatchNorm1d(width), nn.ReLU(True)] if batch_norm else [nn.ReLU(True)]
            size = width
        layers.append(nn.Linear(size, channels * resolution * resolution))
        if output == "tanh":
            layers.append(nn.Tanh())
        self.main = nn.Sequential(*layers)
        dcgan_init(self)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return self.main(z).view(z.shape[0], *self.shape)


@register("mlp.discriminator")
class MLPDiscriminator(nn.Module):
    """Images -> `hidden_layers` layers of `width` (LeakyReLU(0.2), or maxout of `maxout` pieces)
    -> (logits [N], features [N, width], extra [N, E]); the same outputs as the DCGAN
    discriminator's: ``extra_outputs`` E > 0 adds a linear head on the features (InfoGAN's Q),
    else extra is [N, 0]. `minibatch_std` appends ProGAN's statistic to the features;
    `minibatch_kernels` B > 0 adds Salimans et al.'s minibatch discrimination (B kernels)."""

    def __init__(
        self,
        resolution: int = 8,
        channels: int = 1,
        width: int = 256,
        minibatch_std: bool = False,
        hidden_layers: int = 2,
        maxout: int = 0,
        minibatch_kernels: int = 0,
        extra_outputs: int = 0,
    ):
        super().__init__()
        self.minibatch_std = minibatch_std
        layers: list[nn.Module] = [nn.Flatten()]
        size = channels * resolution * resolution
        for _ in range(hidden_layers):
            if maxout:
                layers.append(Maxout(size, width, maxout))
            else:
                layers += [nn.Linear(size, width), nn.LeakyReLU(0.2)]
            size = width
        self.body = nn.Sequential(*layers)
        self.head = nn.Linear(width + int(minibatch_std), 1)
        self.extra = nn.Linear(width, extra_outputs) if extra_outputs else None
        self.kernels = (
            MinibatchDiscrimination(width, minibatch_kernels) if minibatch_kernels else None
        )
        dcgan_init(self)

    def read(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """The body's output h, the features (h itself) and the extra head's outputs."""
        features = self.body(x)
        extra = self.extra(features) if self.extra is not None else features[:, :0]
        return features, features, extra

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        _, features, extra = self.read(x)
        h = minibatch_std(features) if self.minibatch_std else features
        logits = self.head(h).flatten()
        if self.kernels is not None:
            logits = logits + self.kernels(features)
        return logits, features, extra


@register("mlp.info_encoder")
class MLPInfoEncoder(InfoEncoder):
    """InfoGAN's Q of an MLP discriminator built with the options `discriminator` (see
    `InfoEncoder`; no projection)."""

    def __init__(self, categorical: int = 10, continuous: int = 2, **discriminator):
        super().__init__(categorical, continuous)
        self.discriminator = MLPDiscriminator(**discriminator, extra_outputs=self.q_outputs)
