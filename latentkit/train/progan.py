"""ProGAN's training (Karras et al. 2018): networks that grow from 4×4 to the data's resolution.

The level of detail (lod) follows the step: the 4×4 networks train for ``phase_steps`` steps;
then each finer resolution fades in over ``phase_steps`` steps (lod falls linearly by one, the
new block's output blended with the upsampled coarser image in G and the pooled image's fromRGB
in D) and trains as many steps stable. Real images are blended the same way (the average-pooled
image lerped toward its coarser version by the fractional lod). The loss is the paper's WGAN-GP
with the drift term ε·E[D(x)²], or the non-saturating one; minibatch standard deviation,
equalised learning rate and pixel norm are in the networks. The lod is a function of the step,
so a run resumed anywhere, mid-fade included, equals an uninterrupted one.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from latentkit.seeds import torch_generator
from latentkit.train.ema import ema_decay, update_ema
from latentkit.train.gan import _GP, _NOISE, GANTrainer
from latentkit.train.loop import unwrap
from latentkit.train.losses import discriminator_loss, generator_loss, gradient_penalty


def level_of_detail(step: int, phase_steps: int, levels: int) -> float:
    """The lod at `step` for networks of `levels` resolutions: levels-1 (4×4) for the first
    phase, then per resolution a fade (lod falling by one) and a stable phase; 0 at the end."""
    phase, within = divmod(step, phase_steps)
    if phase == 0:
        return float(levels - 1)
    grown = (phase + 1) // 2  # resolutions added so far, the one fading in included
    lod = levels - 1 - grown
    if phase % 2 == 1:  # fading in
        lod += 1 - within / phase_steps
    return float(max(lod, 0))


def blend_reals(images: torch.Tensor, lod: float) -> torch.Tensor:
    """Real images at the lod's resolution (average-pooled), lerped toward their coarser
    version by the fractional part, and shown at full size (nearest)."""
    size = images.shape[-1]
    level = int(lod)
    x = F.avg_pool2d(images, 2**level) if level else images
    fade = lod - level
    if fade > 0:
        coarse = F.interpolate(F.avg_pool2d(x, 2), scale_factor=2, mode="nearest")
        x = torch.lerp(x, coarse, fade)
    return F.interpolate(x, size=size, mode="nearest") if x.shape[-1] != size else x


class ProGANTrainer(GANTrainer):
    """A ProGAN run: the GAN trainer's data, EMA, checkpoints and exports, ProGAN's schedule."""

    partial_networks = True  # coarse levels leave the fine layers unused

    @property
    def lod(self) -> float:
        levels = len(unwrap(self.g).channels) - 1
        return level_of_detail(self.step, self.config.phase_steps, levels)

    def _set_lod(self, lod: float) -> None:
        for net in (unwrap(self.g), self.g_ema):
            if net is not None:
                net.lod.data.fill_(lod)

    def export_generator(self):
        self._set_lod(self.lod)
        return super().export_generator()

    def train_step(self) -> dict[str, float]:
        c, step, lod = self.config, self.step, self.lod
        self._set_lod(lod)
        real, _ = self._real_batch(step)
        real = blend_reals(real, lod)
        z = self._noise(_NOISE, step, 0)
        fake = self.g(z)
        unwrap(self.d).requires_grad_(True)
        real_scores = self.d(real, lod)[0]
        d_loss = discriminator_loss(c.loss, real_scores, self.d(fake.detach(), lod)[0])
        stats: dict[str, float] = {"lod": lod}
        if c.loss == "wgan-gp":
            gp = gradient_penalty(lambda x: self.d(x, lod)[0], real, fake.detach(),
                                  torch_generator(c.seed, _GP, step, self.dist.rank))  # fmt: skip
            stats["gp"] = gp.item()
            d_loss = d_loss + c.gp_weight * gp + c.drift * real_scores.square().mean()
        self.opt_d.zero_grad(set_to_none=True)
        d_loss.backward()
        self.opt_d.step()
        d_module = unwrap(self.d)
        d_module.requires_grad_(False)
        g_loss = generator_loss(c.loss, self.top_scored(d_module(fake, lod)[0]))
        self.opt_g.zero_grad(set_to_none=True)
        g_loss.backward()
        self.opt_g.step()
        if self.g_ema is not None:
            update_ema(self.g_ema, unwrap(self.g), ema_decay(c.ema, step))
            self._set_lod(lod)
        stats["d_loss"], stats["g_loss"] = d_loss.item(), g_loss.item()
        return stats
