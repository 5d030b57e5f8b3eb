"""The GAN training loop: DCGAN or MLP networks, four losses and the stabilising tricks.

Per step: ``n_critic`` discriminator updates, then one generator update, then the EMA update.
Batches and noise are drawn statelessly from (seed, step, rank), so a run resumed from a
checkpoint reproduces an uninterrupted run exactly on CPU. Under torchrun the networks are wrapped
in DistributedDataParallel; ``batch_size`` is per process and rank 0 alone writes files.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import torch
from torch import nn

from latentkit.data import load_dataset
from latentkit.errors import LatentkitError
from latentkit.io.checkpoint import model_entry
from latentkit.io.models import save_model
from latentkit.nets import build
from latentkit.nets.layers import NORMS
from latentkit.runtime import EpochSampler, sample_prior, torch_generator
from latentkit.train.ema import ema_decay, update_ema
from latentkit.train.loop import RunOptions, Trainer, train, unwrap
from latentkit.train.losses import (
    LOSSES,
    discriminator_loss,
    feature_matching_loss,
    generator_loss,
    gradient_penalty,
)
from latentkit.viz.grid import save_grid

log = logging.getLogger("latentkit")

ARCHS = ("dcgan", "mlp")
# Streams of random numbers, each seeded with (seed, stream, step, ...).
_NOISE, _GP, _SAMPLES = range(3)


@dataclass(frozen=True)
class GANConfig:
    """Everything that defines a GAN run's result. ``None`` means the loss's default: Adam
    lr 2e-4, betas (0.5, 0.999), one D step per G step (DCGAN), or for ``wgan-gp`` lr 1e-4,
    betas (0, 0.9), 5 critic steps and layer norm in the critic (Gulrajani et al.)."""

    data: str
    resolution: int | None = None
    arch: str = "dcgan"
    latent_dim: int = 100
    width: int = 64
    prior: str = "normal"
    loss: str = "ns"
    steps: int = 5000
    batch_size: int = 64
    lr: float | None = None
    beta1: float | None = None
    beta2: float | None = None
    n_critic: int | None = None
    gp_weight: float = 10.0
    label_smoothing: float = 0.0
    feature_matching: float = 0.0
    minibatch_std: bool = False
    d_norm: str = "auto"
    ema: float = 0.999
    seed: int = 0

    def resolved(self) -> GANConfig:
        """The config with every default filled in and every value checked."""
        if self.loss not in LOSSES:
            raise LatentkitError(f"unknown loss {self.loss!r} (known: {', '.join(LOSSES)})")
        if self.arch not in ARCHS:
            raise LatentkitError(f"unknown architecture {self.arch!r} (known: {', '.join(ARCHS)})")
        if self.d_norm not in ("auto", *NORMS):
            raise LatentkitError(f"unknown norm {self.d_norm!r} (known: auto, {', '.join(NORMS)})")
        for name in ("steps", "batch_size", "latent_dim", "width"):
            if getattr(self, name) < 1:
                raise LatentkitError(f"{name} must be positive, not {getattr(self, name)}")
        if not 0 <= self.label_smoothing < 1 or not 0 <= self.ema < 1:
            raise LatentkitError("label_smoothing and ema must lie in [0, 1)")
        wgan = self.loss == "wgan-gp"
        return replace(
            self,
            lr=self.lr or (1e-4 if wgan else 2e-4),
            beta1=(0.0 if wgan else 0.5) if self.beta1 is None else self.beta1,
            beta2=(0.9 if wgan else 0.999) if self.beta2 is None else self.beta2,
            n_critic=self.n_critic or (5 if wgan else 1),
            d_norm=("layer" if wgan else "batch") if self.d_norm == "auto" else self.d_norm,
        )


def build_networks(
    config: GANConfig, channels: int, resolution: int
) -> tuple[nn.Module, nn.Module]:
    """The generator and discriminator of a resolved config."""
    common = {"resolution": resolution, "channels": channels, "width": config.width}
    g = build(
        {
            "arch": f"{config.arch}.generator",
            "latent_dim": config.latent_dim,
            "prior": config.prior,
            **common,
        }
    )
    d_extra = {"norm": config.d_norm} if config.arch == "dcgan" else {}
    d = build(
        {
            "arch": f"{config.arch}.discriminator",
            "minibatch_std": config.minibatch_std,
            **d_extra,
            **common,
        }
    )
    return g, d


class GANTrainer(Trainer):
    """A GAN run: networks, optimisers and data; `run` trains to ``config.steps``."""

    kind = "gan"

    def __init__(self, config: GANConfig, options: RunOptions):
        super().__init__(config, options)
        self.data = load_dataset(self.config.data, self.config.resolution)
        self.sampler = EpochSampler(len(self.data), self.config.seed)
        torch.manual_seed(self.config.seed)  # weight initialisation
        g, d = build_networks(self.config, self.data.channels, self.data.resolution)
        self.g, self.d = g.to(self.dist.device), d.to(self.dist.device)
        self.g_ema = build(g.config).to(self.dist.device).eval() if self.config.ema > 0 else None
        if self.g_ema is not None:
            self.g_ema.load_state_dict(g.state_dict())
        betas = (self.config.beta1, self.config.beta2)
        self.opt_g = torch.optim.Adam(self.g.parameters(), lr=self.config.lr, betas=betas)
        self.opt_d = torch.optim.Adam(self.d.parameters(), lr=self.config.lr, betas=betas)
        self.start("g", "d")

    # -- state -----------------------------------------------------------------------------
    def state(self) -> dict:
        models = {
            "G": model_entry(unwrap(self.g)),
            "D": model_entry(unwrap(self.d)),
            "generator": model_entry(self.export_generator()),
        }
        if self.g_ema is not None:
            models["G_ema"] = model_entry(self.g_ema)
        return {
            "models": models,
            "optimizers": {"G": self.opt_g.state_dict(), "D": self.opt_d.state_dict()},
        }

    def restore(self, state: dict) -> None:
        models = state["models"]
        self.g.load_state_dict(models["G"]["state"])
        self.d.load_state_dict(models["D"]["state"])
        if self.g_ema is not None:
            self.g_ema.load_state_dict(models["G_ema"]["state"])
        self.opt_g.load_state_dict(state["optimizers"]["G"])
        self.opt_d.load_state_dict(state["optimizers"]["D"])

    def export_generator(self) -> nn.Module:
        """The generator to ship: EMA weights when kept, with recalibrated BatchNorm statistics."""
        source = self.g_ema if self.g_ema is not None else unwrap(self.g)
        return self.shipped_generator(source)

    def export(self) -> None:
        save_model(
            self.folder.path / "generator.safetensors",
            self.export_generator(),
            "generator",
            {"trainer": "gan", "step": self.step, "config": asdict(self.config)},
        )

    def write_samples(self) -> None:
        z = sample_prior(
            self.config.prior,
            64,
            self.config.latent_dim,
            torch_generator(self.config.seed, _SAMPLES),
        )
        with torch.no_grad():
            images = self.export_generator()(z.to(self.dist.device))
        (self.folder.path / "samples").mkdir(exist_ok=True)
        save_grid(
            self.folder.path / "samples" / f"step_{self.step:07d}.png",
            images,
            8,
            title=f"{self.config.data}, step {self.step}",
        )

    # -- one step --------------------------------------------------------------------------
    def _noise(self, *keys: int) -> torch.Tensor:
        z = sample_prior(
            self.config.prior,
            self.config.batch_size,
            self.config.latent_dim,
            torch_generator(self.config.seed, *keys, self.dist.rank),
        )
        return z.to(self.dist.device)

    def _real_batch(self, index: int) -> torch.Tensor:
        b, world = self.config.batch_size, self.dist.world_size
        start = (index * world + self.dist.rank) * b
        return self.data.images(self.sampler.take(start, b)).to(self.dist.device)

    def train_step(self) -> dict[str, float]:
        """One generator update and its ``n_critic`` discriminator updates; returns the losses."""
        c, step = self.config, self.step
        d_module = unwrap(self.d)
        stats: dict[str, float] = {}
        d_module.requires_grad_(True)
        for k in range(c.n_critic):
            real = self._real_batch(step * c.n_critic + k)
            last = k == c.n_critic - 1
            # The last critic step's fakes keep their graph and are reused by the G step.
            with torch.set_grad_enabled(last):
                fake = self.g(self._noise(_NOISE, step, k))
            real_logits, real_features = self.d(real)
            fake_logits, _ = self.d(fake.detach())
            d_loss = discriminator_loss(c.loss, real_logits, fake_logits, c.label_smoothing)
            if c.loss == "wgan-gp":
                gp = gradient_penalty(
                    self.d,
                    real,
                    fake.detach(),
                    torch_generator(c.seed, _GP, step, k, self.dist.rank),
                )
                stats["gp"] = gp.item()
                d_loss = d_loss + c.gp_weight * gp
            self.opt_d.zero_grad(set_to_none=True)
            d_loss.backward()
            self.opt_d.step()
        # Generator step through the bare discriminator with frozen weights: no D gradients.
        d_module.requires_grad_(False)
        fake_logits, fake_features = d_module(fake)
        g_loss = generator_loss(c.loss, fake_logits)
        if c.feature_matching > 0:
            fm = feature_matching_loss(real_features.detach(), fake_features)
            stats["fm"] = fm.item()
            g_loss = g_loss + c.feature_matching * fm
        self.opt_g.zero_grad(set_to_none=True)
        g_loss.backward()
        self.opt_g.step()
        if self.g_ema is not None:
            update_ema(self.g_ema, unwrap(self.g), ema_decay(c.ema, step))
        stats["d_loss"], stats["g_loss"] = d_loss.item(), g_loss.item()
        return stats


def train_gan(config: GANConfig, options: RunOptions) -> Path:
    """Train a GAN as configured; returns the run folder (``generator.safetensors`` inside)."""
    return train(GANTrainer(config, options))
