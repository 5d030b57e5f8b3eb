"""StyleGAN2's generator (Karras et al. 2020), written from the paper and the official network
description, with the official module and state-dict names so that official weights load as
they are.

Mapping: z normalised to unit second moment (and, for a conditional generator, the class
embedding likewise), then fully connected layers with equalised learning rate (weights stored
divided by ``lr_multiplier``, scaled at run time) and leaky ReLU with gain √2; ``w_avg`` is
tracked for truncation. Synthesis: a learned 4×4 constant, then per resolution two modulated and
demodulated 3×3 convolutions (the first upsampling by 2 through a transposed convolution and the
[1, 3, 3, 1] FIR filter), per-layer noise with a learned strength, bias and leaky ReLU; the skip
architecture adds every resolution's toRGB output to the upsampled image. ``num_ws`` counts as
the official network does: a block's toRGB and the next block's first convolution share a w.
"""

from __future__ import annotations

import math

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from latentkit.nets import register
from latentkit.nets.layers import Generator, minibatch_std

NOISE_MODES = ("const", "random", "none")
SQRT2 = math.sqrt(2)


def normalize_2nd_moment(x: torch.Tensor, eps: float = 1e-8) -> torch.Tensor:
    """Each row scaled to unit mean square."""
    return x * (x.square().mean(dim=1, keepdim=True) + eps).rsqrt()


def fir_filter(taps=(1, 3, 3, 1)) -> torch.Tensor:
    """The 2-D resampling filter: the outer product of `taps`, normalised to sum 1."""
    f = torch.tensor(taps, dtype=torch.float32)
    f = torch.outer(f, f)
    return f / f.sum()


def upfirdn2d(x: torch.Tensor, f: torch.Tensor, up: int = 1, padding=(0, 0, 0, 0), gain=1.0):
    """Upsample by inserting zeros, pad (x0, x1, y0, y1), then convolve every channel with the
    2-D filter `f` (flipped, so that the operation is a true convolution) scaled by `gain`."""
    n, c, h, w = x.shape
    if up > 1:
        x = x.reshape(n, c, h, 1, w, 1)
        x = F.pad(x, [0, up - 1, 0, 0, 0, up - 1])
        x = x.reshape(n, c, h * up, w * up)
    px0, px1, py0, py1 = padding
    x = F.pad(x, [max(px0, 0), max(px1, 0), max(py0, 0), max(py1, 0)])
    x = x[:, :, max(-py0, 0) : x.shape[2] - max(-py1, 0), max(-px0, 0) : x.shape[3] - max(-px1, 0)]
    f = (f * (gain ** (f.ndim / 2))).to(x.dtype).flip([0, 1])
    f = f[None, None].repeat(c, 1, 1, 1)
    return F.conv2d(x, f, groups=c)


def upsample2d(x: torch.Tensor, f: torch.Tensor, up: int = 2) -> torch.Tensor:
    """Upsampling by `up` with the FIR filter `f` (the image path of the skip architecture)."""
    fw = f.shape[-1]
    padding = ((fw + up - 1) // 2, (fw - up) // 2, (fw + up - 1) // 2, (fw - up) // 2)
    return upfirdn2d(x, f, up=up, padding=padding, gain=up * up)


def modulated_conv2d(
    x: torch.Tensor,
    weight: torch.Tensor,
    styles: torch.Tensor,
    noise: torch.Tensor | None = None,
    up: int = 1,
    padding: int = 0,
    resample_filter: torch.Tensor | None = None,
    demodulate: bool = True,
) -> torch.Tensor:
    """The weight modulated per sample by `styles` [N, I] (and demodulated); with ``up`` 2 a
    stride-2 transposed convolution followed by the FIR filter. `noise` is added to the result.

    Computed unfused, as the official code does in training: the input scaled by the styles,
    one convolution with the shared weight, the output scaled by the demodulation coefficients.
    It equals the per-sample (grouped) convolution and is several times faster on a CPU."""
    batch = x.shape[0]
    kw = weight.shape[-1]
    x = x * styles.reshape(batch, -1, 1, 1)
    if up > 1:
        fw = resample_filter.shape[-1]
        px0 = padding + (fw + up - 1) // 2 - (kw - 1)
        px1 = padding + (fw - up) // 2 - (kw - up)
        x = F.conv_transpose2d(x, weight.transpose(0, 1), stride=up)
        x = upfirdn2d(x, resample_filter, padding=(px0, px1, px0, px1), gain=up * up)
    else:
        x = F.conv2d(x, weight, padding=padding)
    if demodulate:
        # Σ_{i,k} (w_oik s_i)² for every sample and output channel, as one matrix product.
        squares = styles.square() @ weight.square().sum(dim=[2, 3]).t()
        x = x * (squares + 1e-8).rsqrt().reshape(batch, -1, 1, 1)
    return x if noise is None else x + noise


class FullyConnectedLayer(nn.Module):
    """A linear layer with equalised learning rate: the stored weight and bias are scaled at run
    time by lr_multiplier / √fan_in and lr_multiplier."""

    def __init__(
        self,
        in_features: int,
        out_features: int,
        activation: str = "linear",
        lr_multiplier: float = 1.0,
        bias_init: float = 0.0,
    ):
        super().__init__()
        self.activation = activation
        self.weight = nn.Parameter(torch.randn(out_features, in_features) / lr_multiplier)
        self.bias = nn.Parameter(torch.full([out_features], float(bias_init)))
        self.weight_gain = lr_multiplier / math.sqrt(in_features)
        self.bias_gain = lr_multiplier

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        w = self.weight * self.weight_gain
        b = self.bias * self.bias_gain if self.bias_gain != 1 else self.bias
        if self.activation == "linear":
            return torch.addmm(b.unsqueeze(0), x, w.t())
        return F.leaky_relu(x.matmul(w.t()) + b, 0.2) * SQRT2


class MappingNetwork(nn.Module):
    """z (and a class's embedding) -> w, broadcast to `num_ws` rows, with truncation toward
    ``w_avg``."""

    def __init__(
        self,
        z_dim: int,
        c_dim: int,
        w_dim: int,
        num_ws: int,
        num_layers: int = 8,
        lr_multiplier: float = 0.01,
        w_avg_beta: float = 0.995,
    ):
        super().__init__()
        self.z_dim, self.c_dim, self.w_dim, self.num_ws = z_dim, c_dim, w_dim, num_ws
        self.num_layers, self.w_avg_beta = num_layers, w_avg_beta
        embed = w_dim if c_dim else 0
        if c_dim:
            self.embed = FullyConnectedLayer(c_dim, embed)
        features = [z_dim + embed] + [w_dim] * num_layers
        for i in range(num_layers):
            layer = FullyConnectedLayer(features[i], features[i + 1], "lrelu", lr_multiplier)
            setattr(self, f"fc{i}", layer)
        self.register_buffer("w_avg", torch.zeros([w_dim]))

    def forward(
        self,
        z: torch.Tensor,
        c: torch.Tensor | None = None,
        truncation_psi: float = 1.0,
        truncation_cutoff: int | None = None,
    ) -> torch.Tensor:
        parts = [normalize_2nd_moment(z.float())] if self.z_dim else []
        if self.c_dim:
            parts.append(normalize_2nd_moment(self.embed(c.float())))
        x = torch.cat(parts, dim=1) if len(parts) > 1 else parts[0]
        for i in range(self.num_layers):
            x = getattr(self, f"fc{i}")(x)
        if self.training:
            self.w_avg.copy_(x.detach().mean(dim=0).lerp(self.w_avg, self.w_avg_beta))
        x = x.unsqueeze(1).repeat([1, self.num_ws, 1])
        if truncation_psi != 1:
            cutoff = self.num_ws if truncation_cutoff is None else truncation_cutoff
            x = torch.cat([self.w_avg.lerp(x[:, :cutoff], truncation_psi), x[:, cutoff:]], dim=1)
        return x


class SynthesisLayer(nn.Module):
    """A modulated 3×3 convolution (upsampling with ``up`` 2), noise, bias, leaky ReLU."""

    def __init__(self, in_channels, out_channels, w_dim, resolution, up=1, conv_clamp=None):
        super().__init__()
        self.resolution, self.up, self.padding = resolution, up, 1
        self.conv_clamp = conv_clamp
        self.affine = FullyConnectedLayer(w_dim, in_channels, bias_init=1)
        self.weight = nn.Parameter(torch.randn([out_channels, in_channels, 3, 3]))
        self.noise_strength = nn.Parameter(torch.zeros([]))
        self.bias = nn.Parameter(torch.zeros([out_channels]))
        self.register_buffer("resample_filter", fir_filter())
        self.register_buffer("noise_const", torch.randn([resolution, resolution]))

    def forward(self, x: torch.Tensor, w: torch.Tensor, noise_mode: str = "const"):
        styles = self.affine(w)
        noise = None
        if noise_mode == "random":
            shape = [x.shape[0], 1, self.resolution, self.resolution]
            noise = torch.randn(shape, device=x.device) * self.noise_strength
        elif noise_mode == "const":
            noise = self.noise_const * self.noise_strength
        x = modulated_conv2d(x, self.weight, styles, noise, self.up, self.padding,
                             self.resample_filter)  # fmt: skip
        x = F.leaky_relu(x + self.bias.reshape(1, -1, 1, 1), 0.2) * SQRT2
        return x if self.conv_clamp is None else x.clamp(-self.conv_clamp, self.conv_clamp)


class ToRGBLayer(nn.Module):
    """A modulated 1×1 convolution to image channels, not demodulated, plus bias."""

    def __init__(self, in_channels: int, out_channels: int, w_dim: int, conv_clamp=None):
        super().__init__()
        self.conv_clamp = conv_clamp
        self.affine = FullyConnectedLayer(w_dim, in_channels, bias_init=1)
        self.weight = nn.Parameter(torch.randn([out_channels, in_channels, 1, 1]))
        self.bias = nn.Parameter(torch.zeros([out_channels]))
        self.weight_gain = 1 / math.sqrt(in_channels)

    def forward(self, x: torch.Tensor, w: torch.Tensor) -> torch.Tensor:
        styles = self.affine(w) * self.weight_gain
        x = modulated_conv2d(x, self.weight, styles, demodulate=False)
        x = x + self.bias.reshape(1, -1, 1, 1)
        return x if self.conv_clamp is None else x.clamp(-self.conv_clamp, self.conv_clamp)


class SynthesisBlock(nn.Module):
    """One resolution: (the constant, or conv0 upsampling), conv1, toRGB added to the image."""

    def __init__(self, in_channels, out_channels, w_dim, resolution, img_channels, conv_clamp=None):
        super().__init__()
        self.in_channels = in_channels
        self.register_buffer("resample_filter", fir_filter())
        if in_channels == 0:
            self.const = nn.Parameter(torch.randn([out_channels, resolution, resolution]))
        else:
            self.conv0 = SynthesisLayer(in_channels, out_channels, w_dim, resolution, 2, conv_clamp)
        self.conv1 = SynthesisLayer(out_channels, out_channels, w_dim, resolution, 1, conv_clamp)
        self.torgb = ToRGBLayer(out_channels, img_channels, w_dim, conv_clamp)
        self.num_conv = 1 if in_channels == 0 else 2

    def forward(self, x, img, ws: torch.Tensor, noise_mode: str = "const"):
        w = iter(ws.unbind(dim=1))
        if self.in_channels == 0:
            x = self.const.unsqueeze(0).repeat([ws.shape[0], 1, 1, 1])
        else:
            x = self.conv0(x, next(w), noise_mode)
        x = self.conv1(x, next(w), noise_mode)
        if img is not None:
            img = upsample2d(img, self.resample_filter)
        y = self.torgb(x, next(w))
        return x, y if img is None else img + y


class SynthesisNetwork(nn.Module):
    """ws [N, num_ws, w_dim] -> images [N, C, R, R]."""

    def __init__(
        self, w_dim, img_resolution, img_channels, channel_base=32768, channel_max=512,
        conv_clamp=None,
    ):  # fmt: skip
        super().__init__()
        self.block_resolutions = [2**i for i in range(2, int(np.log2(img_resolution)) + 1)]
        channels = {r: min(channel_base // r, channel_max) for r in self.block_resolutions}
        self.num_ws = 0
        for r in self.block_resolutions:
            in_channels = channels[r // 2] if r > 4 else 0
            block = SynthesisBlock(in_channels, channels[r], w_dim, r, img_channels, conv_clamp)
            setattr(self, f"b{r}", block)
            self.num_ws += block.num_conv
        self.num_ws += 1  # the last block's toRGB

    def affines(self) -> list[tuple[int, FullyConnectedLayer]]:
        """(index of the w it reads, affine layer) for every modulated layer, in order."""
        out, index = [], 0
        for r in self.block_resolutions:
            block = getattr(self, f"b{r}")
            if block.num_conv == 2:
                out.append((index, block.conv0.affine))
            out += [(index + block.num_conv - 1, block.conv1.affine),
                    (index + block.num_conv, block.torgb.affine)]  # fmt: skip
            index += block.num_conv
        return out

    def forward(self, ws: torch.Tensor, noise_mode: str = "const") -> torch.Tensor:
        ws = ws.float()
        x = img = None
        index = 0
        for r in self.block_resolutions:
            block = getattr(self, f"b{r}")
            x, img = block(x, img, ws.narrow(1, index, block.num_conv + 1), noise_mode)
            index += block.num_conv
        return img


@register("stylegan2.generator")
class StyleGAN2Generator(Generator):
    """StyleGAN2's generator (see the module docstring) under latentkit's contract: ``forward(z)``
    (or ``forward(z, labels)`` with class indices for a conditional one) -> images [N, C, R, R].
    `mapping` and `synthesis` carry the official names; ``mapping(z, c)`` gives ws and
    ``synthesis(ws)`` images, for the W and W+ spaces."""

    def __init__(
        self,
        latent_dim: int = 512,
        w_dim: int = 512,
        resolution: int = 32,
        channels: int = 3,
        mapping_layers: int = 8,
        channel_base: int = 32768,
        channel_max: int = 512,
        class_labels: list[str] | None = None,
        noise_mode: str = "const",
        conv_clamp: float | None = None,
    ):
        super().__init__(latent_dim, "normal", class_labels)
        if noise_mode not in NOISE_MODES:
            raise ValueError(f"noise_mode must be one of {NOISE_MODES}, not {noise_mode!r}")
        self.w_dim, self.noise_mode = w_dim, noise_mode
        self.synthesis = SynthesisNetwork(
            w_dim, resolution, channels, channel_base, channel_max, conv_clamp
        )
        self.num_ws = self.synthesis.num_ws
        self.mapping = MappingNetwork(latent_dim, self.num_classes, w_dim, self.num_ws,
                                      mapping_layers)  # fmt: skip

    def one_hot(self, labels: torch.Tensor | None) -> torch.Tensor | None:
        """Class indices as the one-hot c the mapping network embeds (None: unconditional)."""
        if not self.num_classes:
            return None
        return F.one_hot(labels.long(), self.num_classes).float()

    def forward(
        self,
        z: torch.Tensor,
        labels: torch.Tensor | None = None,
        mix: tuple[torch.Tensor, int] | None = None,
        noise_mode: str | None = None,
        return_ws: bool = False,
    ):
        """Images of z (and class indices). Training's extras: `mix` (z2, cutoff) takes ws from
        `cutoff` on from z2's (style-mixing regularisation); `noise_mode` overrides the
        generator's; `return_ws` also returns the ws (for the path-length penalty)."""
        c = self.one_hot(None if labels is None else labels.to(z.device))
        ws = self.mapping(z, c)
        if mix is not None:
            z2, cutoff = mix
            ws = torch.cat([ws[:, :cutoff], self.mapping(z2, c)[:, cutoff:]], dim=1)
        images = self.synthesis(ws, noise_mode or self.noise_mode)
        return (images, ws) if return_ws else images


class Conv2dLayer(nn.Module):
    """A convolution with equalised learning rate, optionally downsampling by 2 after the
    [1, 3, 3, 1] FIR filter, then bias and leaky ReLU (gain √2) or nothing."""

    def __init__(self, in_channels, out_channels, kernel, activation="lrelu", down=1, bias=True):
        super().__init__()
        self.activation, self.down, self.kernel = activation, down, kernel
        self.weight = nn.Parameter(torch.randn([out_channels, in_channels, kernel, kernel]))
        self.bias = nn.Parameter(torch.zeros([out_channels])) if bias else None
        self.weight_gain = 1 / math.sqrt(in_channels * kernel * kernel)
        self.register_buffer("resample_filter", fir_filter())

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        w = self.weight * self.weight_gain
        if self.down > 1:
            fw = self.resample_filter.shape[-1]
            pad = (self.kernel - 1) // 2 + (fw - self.down + 1) // 2
            pad1 = (self.kernel - 1) // 2 + (fw - self.down) // 2
            x = upfirdn2d(x, self.resample_filter, padding=(pad, pad1, pad, pad1))
            x = F.conv2d(x, w, stride=self.down)
        else:
            x = F.conv2d(x, w, padding=self.kernel // 2)
        if self.bias is not None:
            x = x + self.bias.reshape(1, -1, 1, 1)
        return F.leaky_relu(x, 0.2) * SQRT2 if self.activation == "lrelu" else x


class DiscriminatorBlock(nn.Module):
    """One resolution of the residual discriminator: (fromRGB), two 3×3 convolutions, the second
    downsampling, and a 1×1 downsampling skip; the sum scaled by √½."""

    def __init__(self, in_channels, out_channels, img_channels, first):
        super().__init__()
        self.fromrgb = Conv2dLayer(img_channels, in_channels, 1) if first else None
        self.conv0 = Conv2dLayer(in_channels, in_channels, 3)
        self.conv1 = Conv2dLayer(in_channels, out_channels, 3, down=2)
        self.skip = Conv2dLayer(in_channels, out_channels, 1, "linear", down=2, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.fromrgb is not None:
            x = self.fromrgb(x)
        y = self.skip(x)
        return (self.conv1(self.conv0(x)) + y) * math.sqrt(0.5)


@register("stylegan2.discriminator")
class StyleGAN2Discriminator(nn.Module):
    """StyleGAN2's residual discriminator with equalised learning rate: blocks down to 4×4, then
    minibatch-std, a 3×3 convolution and two fully connected layers. ``forward(x)`` returns
    (logits [N], features [N, F], extra [N, 0]) as latentkit's other discriminators do."""

    def __init__(self, resolution=32, channels=3, channel_base=32768, channel_max=512):
        super().__init__()
        sizes = [2**i for i in range(int(np.log2(resolution)), 2, -1)]
        width = {r: min(channel_base // r, channel_max) for r in [*sizes, 4]}
        self.blocks = nn.ModuleList(
            DiscriminatorBlock(width[r], width[r // 2], channels, r == resolution) for r in sizes
        )
        c = width[4]
        self.conv = Conv2dLayer(c + 1, c, 3)
        self.fc = FullyConnectedLayer(c * 16, c, "lrelu")
        self.out = FullyConnectedLayer(c, 1)

    def forward(self, x: torch.Tensor, labels: torch.Tensor | None = None):
        for block in self.blocks:
            x = block(x)
        features = self.fc(self.conv(minibatch_std(x)).flatten(1))
        return self.out(features).flatten(), features, features[:, :0]
