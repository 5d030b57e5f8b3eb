"""A small fully connected generator/discriminator pair for tiny data (e.g. 8x8 digits)."""

from __future__ import annotations

import torch
from torch import nn

from latentkit.nets import register
from latentkit.nets.layers import Generator, dcgan_init, minibatch_std


@register("mlp.generator")
class MLPGenerator(Generator):
    """z [N, latent_dim] -> two ReLU hidden layers -> images [N, channels, R, R] in [-1, 1]."""

    def __init__(
        self,
        latent_dim: int = 32,
        resolution: int = 8,
        channels: int = 1,
        width: int = 256,
        prior: str = "normal",
    ):
        super().__init__(latent_dim, prior)
        self.shape = (channels, resolution, resolution)
        self.main = nn.Sequential(
            nn.Linear(latent_dim, width),
            nn.ReLU(True),
            nn.Linear(width, width),
            nn.ReLU(True),
            nn.Linear(width, channels * resolution * resolution),
            nn.Tanh(),
        )
        dcgan_init(self)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return self.main(z).view(z.shape[0], *self.shape)


@register("mlp.discriminator")
class MLPDiscriminator(nn.Module):
    """Images -> two LeakyReLU hidden layers -> (logits [N], features [N, width], extra [N, 0]);
    the same outputs as the DCGAN discriminator's, without its conditioning options."""

    def __init__(
        self,
        resolution: int = 8,
        channels: int = 1,
        width: int = 256,
        minibatch_std: bool = False,
    ):
        super().__init__()
        self.minibatch_std = minibatch_std
        self.body = nn.Sequential(
            nn.Flatten(),
            nn.Linear(channels * resolution * resolution, width),
            nn.LeakyReLU(0.2),
            nn.Linear(width, width),
            nn.LeakyReLU(0.2),
        )
        self.head = nn.Linear(width + int(minibatch_std), 1)
        dcgan_init(self)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        features = self.body(x)
        h = minibatch_std(features) if self.minibatch_std else features
        return self.head(h).flatten(), features, features[:, :0]
