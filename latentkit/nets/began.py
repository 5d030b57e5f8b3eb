"""BEGAN's discriminator (Berthelot et al. 2017): an auto-encoder x -> h -> x̂ whose L1
reconstruction error is its judgement. Convolutional for images (DCGAN's stride-2 body without
normalisation to a code of `code` units, then the mirror image with ELUs, as the paper's
networks have no batch norm), or fully connected (`dense`: 8×8 digits, 2-D points)."""

from __future__ import annotations

import torch
from torch import nn

from latentkit.nets import register
from latentkit.nets.dcgan import _doublings, _down_body
from latentkit.nets.layers import dcgan_init


def _decoder(code: int, resolution: int, channels: int, width: int) -> nn.Sequential:
    """code [N, code] -> images [N, channels, R, R] in [-1, 1] by stride-2 transposed convs."""
    c = width * 2 ** (_doublings(resolution) - 1)
    layers: list[nn.Module] = [nn.Linear(code, c * 16), nn.ELU(), nn.Unflatten(1, (c, 4, 4))]
    for _ in range(_doublings(resolution) - 1):
        layers += [nn.ConvTranspose2d(c, c // 2, 4, 2, 1), nn.ELU()]
        c //= 2
    layers += [nn.ConvTranspose2d(c, channels, 4, 2, 1), nn.Tanh()]
    return nn.Sequential(*layers)


@register("began.discriminator")
class BEGANDiscriminator(nn.Module):
    """``forward(x)`` returns the reconstruction of x (same shape); `dense` selects the fully
    connected form (one ELU layer of `width` on each side, linear output)."""

    def __init__(
        self,
        resolution: int = 32,
        channels: int = 1,
        width: int = 64,
        code: int = 64,
        dense: bool = False,
    ):
        super().__init__()
        if dense:
            size = channels * resolution * resolution
            self.encoder = nn.Sequential(
                nn.Flatten(), nn.Linear(size, width), nn.ELU(), nn.Linear(width, code)
            )
            self.decoder = nn.Sequential(
                nn.Linear(code, width), nn.ELU(), nn.Linear(width, size),
                nn.Unflatten(1, (channels, resolution, resolution)),
            )  # fmt: skip
        else:
            body, c = _down_body(resolution, channels, width, "none")
            self.encoder = nn.Sequential(body, nn.Flatten(), nn.Linear(c * 16, code))
            self.decoder = _decoder(code, resolution, channels, width)
        dcgan_init(self)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.decoder(self.encoder(x))
