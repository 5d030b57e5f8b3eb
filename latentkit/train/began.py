"""BEGAN (Berthelot et al. 2017): the discriminator is an auto-encoder, L(v) = |v − D(v)|₁
(mean over pixels), and the two losses balance through the equilibrium control

    L_D = L(x) − k_t·L(G(z)),   L_G = L(G(z)),   k_{t+1} = clip(k_t + λ_k(γ·L(x) − L(G(z))), 0, 1),

with γ = E[L(G(z))] / E[L(x)] the diversity ratio. The convergence measure
M = L(x) + |γ·L(x) − L(G(z))| is logged as ``m_global``; k_t is checkpointed, so a resumed run
continues exactly. Under torchrun the losses that drive k_t are averaged over the processes."""

from __future__ import annotations

import torch

from latentkit.train.ema import ema_decay, update_ema
from latentkit.train.gan import _NOISE, GANTrainer
from latentkit.train.loop import unwrap


def reconstruction_error(d: torch.nn.Module, x: torch.Tensor) -> torch.Tensor:
    """BEGAN's L(x): the mean absolute error of the auto-encoder D on x."""
    return (d(x) - x).abs().mean()


class BEGANTrainer(GANTrainer):
    """A BEGAN run on the GAN trainer's data, EMA, checkpoints and exports."""

    def prepare_optimizers(self) -> None:
        super().prepare_optimizers()
        self.k = torch.zeros((), device=self.dist.device)

    def state(self) -> dict:
        return {**super().state(), "began_k": self.k}

    def restore(self, state: dict) -> None:
        super().restore(state)
        self.k = state["began_k"].to(self.dist.device)

    def train_step(self) -> dict[str, float]:
        c, step = self.config, self.step
        d_module = unwrap(self.d)
        real, _ = self._real_batch(step)
        fake = self.g(self._noise(_NOISE, step, 0))
        d_module.requires_grad_(True)
        loss_real = reconstruction_error(self.d, real)
        d_loss = loss_real - self.k * reconstruction_error(self.d, fake.detach())
        self.opt_d.zero_grad(set_to_none=True)
        d_loss.backward()
        self.opt_d.step()
        d_module.requires_grad_(False)
        g_loss = reconstruction_error(d_module, fake)
        self.opt_g.zero_grad(set_to_none=True)
        g_loss.backward()
        self.opt_g.step()
        losses = torch.stack([loss_real.detach(), g_loss.detach()])
        if self.dist.enabled:
            torch.distributed.all_reduce(losses)
            losses /= self.dist.world_size
        balance = c.began_gamma * losses[0] - losses[1]
        self.k = (self.k + c.began_lambda_k * balance).clamp(0, 1)
        if self.g_ema is not None:
            update_ema(self.g_ema, unwrap(self.g), ema_decay(c.ema, step))
        return {
            "d_loss": d_loss.item(),
            "g_loss": g_loss.item(),
            "k": self.k.item(),
            "m_global": (losses[0] + balance.abs()).item(),
        }
