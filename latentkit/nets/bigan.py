"""The joint discriminator of BiGAN / ALI: D(x, z) with an image stream and a code stream fused.

The image stream is the DCGAN discriminator body; the code stream an MLP; their features are
concatenated and scored by a joint MLP. BigBiGAN's unary scores (one from each stream alone) come
with it: ``forward`` returns (joint, x_unary, z_unary) logits, each [N].
"""

from __future__ import annotations

import torch
from torch import nn

from latentkit.nets import register
from latentkit.nets.dcgan import _down_body
from latentkit.nets.layers import dcgan_init


@register("bigan.discriminator")
class JointDiscriminator(nn.Module):
    """D(x, z) -> (joint, x_unary, z_unary) logits."""

    def __init__(
        self,
        latent_dim: int = 100,
        resolution: int = 32,
        channels: int = 1,
        width: int = 64,
        hidden: int = 512,
    ):
        super().__init__()
        self.x_body, c = _down_body(resolution, channels, width, "batch")
        self.x_features = nn.Sequential(nn.Flatten(), nn.Linear(c * 16, hidden), nn.LeakyReLU(0.2))
        self.z_features = nn.Sequential(
            nn.Linear(latent_dim, hidden),
            nn.LeakyReLU(0.2),
            nn.Linear(hidden, hidden),
            nn.LeakyReLU(0.2),
        )
        self.joint = nn.Sequential(
            nn.Linear(2 * hidden, 2 * hidden), nn.LeakyReLU(0.2), nn.Linear(2 * hidden, 1)
        )
        self.x_unary, self.z_unary = nn.Linear(hidden, 1), nn.Linear(hidden, 1)
        dcgan_init(self)

    def forward(
        self, x: torch.Tensor, z: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        fx, fz = self.x_features(self.x_body(x)), self.z_features(z)
        joint = self.joint(torch.cat([fx, fz], dim=1)).flatten()
        return joint, self.x_unary(fx).flatten(), self.z_unary(fz).flatten()
