"""StyleGAN2's training step (Karras et al. 2020; the official stylegan2-ada-pytorch recipe).

Per step: one discriminator update on the non-saturating loss, with the R1 penalty
(γ/2)·E‖∇D(x)‖² on real images every ``r1_every`` steps (lazy regularisation, scaled by the
interval); one generator update on the non-saturating loss, its images made with random noise
and, with probability ``style_mixing``, two codes mixed at a random layer; with ``pl_weight``
> 0, the path-length penalty every ``pl_every`` steps in an update of its own. The lazily
regularised networks' Adam gets lr·k/(k+1) and betas**(k/(k+1)). ``w_avg`` is tracked by the
mapping network in training mode and shipped with the EMA weights.

Noise inside the synthesis layers is drawn from torch's global generator, seeded per (seed,
step, rank), so a resumed run equals an uninterrupted one.
"""

from __future__ import annotations

import math

import torch

from latentkit.seeds import derive_seed, torch_generator
from latentkit.train.ema import ema_decay, update_ema
from latentkit.train.gan import _NOISE, GANTrainer
from latentkit.train.loop import unwrap
from latentkit.train.losses import discriminator_loss, generator_loss, r1_penalty

# Streams of random numbers, apart from the GAN trainer's.
_STYLE_NOISE, _MIXING, _PL, _PL_NOISE = range(10, 14)
PL_DECAY = 0.01  # the moving average of path lengths (official pl_decay)


class StyleGAN2Trainer(GANTrainer):
    """A StyleGAN2 run: the GAN trainer's data, EMA, checkpoints and exports, StyleGAN2's step."""

    def prepare_optimizers(self) -> None:
        c = self.config
        self.opt_g = self.optimizer(self.g, c.pl_every / (c.pl_every + 1) if c.pl_weight else 1)
        self.opt_d = self.optimizer(self.d, c.r1_every / (c.r1_every + 1))
        resolution = self.data.resolution
        self.r1_gamma = (
            c.r1_gamma
            if c.r1_gamma is not None
            else 2e-4 * resolution**2 / (c.batch_size * self.dist.world_size)
        )
        self.pl_mean = torch.zeros((), device=self.dist.device)

    def state(self) -> dict:
        return {**super().state(), "pl_mean": self.pl_mean}

    def restore(self, state: dict) -> None:
        super().restore(state)
        self.pl_mean = state["pl_mean"].to(self.dist.device)

    def _mixing(self, step: int) -> tuple[torch.Tensor, int] | None:
        """With probability ``style_mixing``: a second code and the layer it takes over from."""
        draws = torch_generator(self.config.seed, _MIXING, step, self.dist.rank)
        mixed = torch.rand((), generator=draws) < self.config.style_mixing
        cutoff = int(torch.randint(1, unwrap(self.g).num_ws, (), generator=draws))
        return (self._noise(_MIXING, step), cutoff) if mixed else None

    def train_step(self) -> dict[str, float]:
        c, step = self.config, self.step
        torch.manual_seed(derive_seed(c.seed, _STYLE_NOISE, step, self.dist.rank))
        d_module = unwrap(self.d)
        real, _ = self._real_batch(step)
        z = self._noise(_NOISE, step, 0)
        fake = self.g(z, mix=self._mixing(step), noise_mode="random")
        d_module.requires_grad_(True)
        regularise = step % c.r1_every == 0 and self.r1_gamma > 0
        real.requires_grad_(regularise)
        real_logits = self.d(real)[0]
        d_loss = discriminator_loss("ns", real_logits, self.d(fake.detach())[0])
        stats: dict[str, float] = {}
        if regularise:
            r1 = r1_penalty(real_logits, real)
            stats["r1"] = r1.item()
            d_loss = d_loss + r1 * (self.r1_gamma / 2) * c.r1_every
        self.opt_d.zero_grad(set_to_none=True)
        d_loss.backward()
        self.opt_d.step()
        d_module.requires_grad_(False)
        g_loss = generator_loss("ns", self.top_scored(d_module(fake)[0]))
        self.opt_g.zero_grad(set_to_none=True)
        g_loss.backward()
        self.opt_g.step()
        if c.pl_weight > 0 and step % c.pl_every == 0:
            stats["pl"] = self._path_length_step(step)
        if self.dist.enabled:  # each rank tracked its own batches' mean w: average them
            w_avg = unwrap(self.g).mapping.w_avg
            torch.distributed.all_reduce(w_avg)
            w_avg /= self.dist.world_size
        if self.g_ema is not None:
            update_ema(self.g_ema, unwrap(self.g), ema_decay(c.ema, step))
        stats["d_loss"], stats["g_loss"] = d_loss.item(), g_loss.item()
        return stats

    def _path_length_step(self, step: int) -> float:
        """One generator update on the path-length penalty: the Jacobian-vector norms
        ‖J_wᵀ y‖ (y Gaussian image noise scaled by 1/√(H·W)) pulled toward their moving mean."""
        c = self.config
        z = self._noise(_PL, step)[: max(1, c.batch_size // 2)]
        images, ws = self.g(z, noise_mode="random", return_ws=True)
        draws = torch_generator(c.seed, _PL_NOISE, step, self.dist.rank)
        noise = torch.randn(images.shape, generator=draws).to(images.device)
        noise = noise / math.sqrt(images.shape[2] * images.shape[3])
        (grad,) = torch.autograd.grad((images * noise).sum(), ws, create_graph=True)
        lengths = grad.square().sum(dim=2).mean(dim=1).sqrt()
        self.pl_mean = self.pl_mean.lerp(lengths.mean().detach(), PL_DECAY)
        penalty = (lengths - self.pl_mean).square().mean()
        self.opt_g.zero_grad(set_to_none=True)
        # images·0 makes every weight part of this backward (the official trick for DDP)
        (images[:, 0, 0, 0] * 0 + penalty * c.pl_weight * c.pl_every).mean().backward()
        self.opt_g.step()
        return penalty.item()
