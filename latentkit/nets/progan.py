"""ProGAN's generator (Karras et al. 2018) as InterFaceGAN's PyTorch port computes it, with that
port's state-dict names (``layerN.conv.weight``, ``layerN.wscale.bias``, ``outputN.*``, ``lod``),
so that InterFaceGAN's ``pggan_celebahq.pth`` loads as it is.

Every convolution block pixel-normalises its input, nearest-upsamples by 2 (from the second
resolution on), convolves without a bias, scales by gain/√fan_in (equalised learning rate: the
weights are stored N(0, 1)), adds its bias and applies leaky ReLU 0.2 (gain √2), or nothing for
the toRGB outputs (gain 1). The first block is a 4×4 convolution with padding 3 of the code seen
as a 1×1 image. ``lod`` (a 0-d parameter, the level of detail) skips the last blocks: block k
runs while k + lod < len(channels), else the last image is nearest-upsampled, as InterFaceGAN
does; a fractional lod blends the last two resolutions' images, as the TF original does during
training (fade-in). InterFaceGAN's port does not blend, which makes no difference for its
released weights (lod 0).

The discriminator mirrors it (Karras et al. 2018, Table 2): fromRGB at the input resolution,
two 3×3 convolutions and 2×2 average pooling per resolution, minibatch standard deviation, a
3×3 and a 4×4 convolution and a linear output, every layer with equalised learning rate; a
fractional lod blends the pooled input's fromRGB with the finer block's output.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

from latentkit.nets import register
from latentkit.nets.layers import Generator, minibatch_std


def pixel_norm(x: torch.Tensor, eps: float = 1e-8) -> torch.Tensor:
    """Each pixel's feature vector scaled to unit mean square."""
    return x / (x.square().mean(dim=1, keepdim=True) + eps).sqrt()


class WScale(nn.Module):
    """The run-time weight scale gain/√fan_in of equalised learning rate, then the bias."""

    def __init__(self, in_channels: int, out_channels: int, kernel: int, gain: float):
        super().__init__()
        self.scale = gain / math.sqrt(in_channels * kernel * kernel)
        self.bias = nn.Parameter(torch.zeros(out_channels))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * self.scale + self.bias.reshape(1, -1, 1, 1)


class ConvBlock(nn.Module):
    """Pixel norm, optional ×2 nearest upsampling, convolution, weight scale and bias, leaky
    ReLU (or linear for toRGB)."""

    def __init__(self, in_channels, out_channels, kernel=3, padding=1, upsample=False, rgb=False):
        super().__init__()
        self.upsample, self.rgb = upsample, rgb
        self.conv = nn.Conv2d(in_channels, out_channels, kernel, 1, padding, bias=False)
        nn.init.normal_(self.conv.weight)
        self.wscale = WScale(in_channels, out_channels, kernel, 1.0 if rgb else math.sqrt(2))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = pixel_norm(x)
        if self.upsample:
            x = F.interpolate(x, scale_factor=2, mode="nearest")
        x = self.wscale(self.conv(x))
        return x if self.rgb else F.leaky_relu(x, 0.2)


@register("progan.generator")
class ProGANGenerator(Generator):
    """ProGAN's generator: `channels` [latent size, 4×4 width, 8×8 width, …] (InterFaceGAN's
    CelebA-HQ model: [512, 512, 512, 512, 512, 256, 128, 64, 32, 16], 1024 px). ``forward(z)``
    -> images [N, channels, R, R] at R = 2^(len(channels))."""

    def __init__(
        self,
        channels: list[int] = (512, 512, 512, 512, 512),
        image_channels: int = 3,
        prior: str = "sphere",
    ):
        channels = [int(c) for c in channels]
        if len(channels) < 2:
            raise ValueError("channels lists the latent size and at least the 4×4 width")
        super().__init__(channels[0], prior)
        self.channels = channels
        self.lod = nn.Parameter(torch.zeros(()), requires_grad=False)  # set, never learned
        self.layer0 = ConvBlock(channels[0], channels[1], kernel=4, padding=3)
        self.layer1 = ConvBlock(channels[1], channels[1])
        self.output0 = ConvBlock(channels[1], image_channels, 1, 0, rgb=True)
        for k in range(2, len(channels)):
            up = ConvBlock(channels[k - 1], channels[k], upsample=True)
            setattr(self, f"layer{2 * k - 2}", up)
            setattr(self, f"layer{2 * k - 1}", ConvBlock(channels[k], channels[k]))
            setattr(self, f"output{k - 1}", ConvBlock(channels[k], image_channels, 1, 0, rgb=True))

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        x = z.reshape(len(z), -1, 1, 1)
        lod, levels = float(self.lod.detach()), len(self.channels)
        image = None
        for k in range(1, levels):
            if k + lod < levels:
                x = getattr(self, f"layer{2 * k - 2}")(x)
                x = getattr(self, f"layer{2 * k - 1}")(x)
                coarse = image
                image = getattr(self, f"output{k - 1}")(x)
                fade = k + lod - (levels - 1)  # in (0, 1) for the block fading in
                if coarse is not None and fade > 0:
                    coarse = F.interpolate(coarse, scale_factor=2, mode="nearest")
                    image = torch.lerp(image, coarse, fade)
            else:
                image = F.interpolate(image, scale_factor=2, mode="nearest")
        return image


@register("progan.discriminator")
class ProGANDiscriminator(nn.Module):
    """ProGAN's critic for images at 4·2^(len(channels)-2) px (see the module docstring);
    ``forward(x, lod)`` returns (scores [N], features [N, F], extra [N, 0])."""

    def __init__(self, channels: list[int] = (512, 512, 512, 512, 512), image_channels: int = 3):
        super().__init__()
        channels = [int(c) for c in channels]
        self.channels = channels
        levels = len(channels)
        # fromRGB and a block per resolution, finest first: block k takes channels[k] to [k-1]
        self.fromrgb = nn.ModuleList(
            EqualConv(image_channels, channels[k], 1, 0) for k in range(1, levels)
        )
        self.blocks = nn.ModuleList(
            nn.Sequential(EqualConv(channels[k], channels[k], 3, 1),
                          EqualConv(channels[k], channels[k - 1], 3, 1))
            for k in range(2, levels)
        )  # fmt: skip
        c = channels[1]
        self.final_conv = EqualConv(c + 1, c, 3, 1)
        self.final_dense = EqualConv(c, c, 4, 0)
        self.out = EqualConv(c, 1, 1, 0, activation=False)

    def forward(self, x: torch.Tensor, lod: float = 0.0):
        levels = len(self.channels)
        top = levels - 1 - math.floor(lod)  # the finest level in play, 1 … levels-1
        fade = lod - math.floor(lod)
        size = 4 * 2 ** (top - 1)
        if x.shape[-1] != size:
            x = F.avg_pool2d(x, x.shape[-1] // size)
        h = self.fromrgb[top - 1](x)
        for k in range(top, 1, -1):
            h = F.avg_pool2d(self.blocks[k - 2](h), 2)
            if k == top and fade > 0:  # the block fading in, blended with the coarser input
                h = torch.lerp(h, self.fromrgb[k - 2](F.avg_pool2d(x, 2)), fade)
        features = self.final_dense(self.final_conv(minibatch_std(h))).flatten(1)
        return self.out(features.reshape(len(x), -1, 1, 1)).flatten(), features, features[:, :0]


class EqualConv(nn.Module):
    """A convolution with equalised learning rate (weights N(0, 1) scaled by √2/√fan_in at run
    time), bias, and leaky ReLU 0.2 unless `activation` is off."""

    def __init__(self, in_channels, out_channels, kernel, padding, activation=True):
        super().__init__()
        self.padding, self.activation = padding, activation
        self.weight = nn.Parameter(torch.randn(out_channels, in_channels, kernel, kernel))
        self.bias = nn.Parameter(torch.zeros(out_channels))
        self.scale = (math.sqrt(2) if activation else 1.0) / math.sqrt(in_channels * kernel**2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = F.conv2d(x, self.weight * self.scale, self.bias, padding=self.padding)
        return F.leaky_relu(x, 0.2) if self.activation else x
