"""BiGAN / ALI: a generator G, an encoder E and a joint discriminator D(x, z) trained together.

D learns to tell real pairs (x, E(x)) from generated pairs (G(z), z); G and E learn with the
labels swapped (non-saturating). Options: a deterministic or a Gaussian encoder (reparameterised,
E returns a mean and a log-variance), BigBiGAN's unary terms (the same losses on scores of x
alone and of z alone), and the latent-regression term ‖z − E(G(z))‖² (ALICE-style, weight
``regression``, on by default) that makes reconstructions keep what they depict.
"""

from __future__ import annotations

from dataclasses import asdict

import torch
import torch.nn.functional as F

from latentkit.data import load_dataset
from latentkit.io.checkpoint import model_entry
from latentkit.io.models import save_model
from latentkit.latent.encode import encode
from latentkit.nets import build
from latentkit.priors import sample_prior
from latentkit.runtime import EpochSampler
from latentkit.seeds import torch_generator
from latentkit.train.config import BiGANConfig, RunOptions
from latentkit.train.loop import Trainer, train, unwrap
from latentkit.viz.grid import save_grid

_NOISE, _EPS = range(2)


def _scores_loss(scores: tuple[torch.Tensor, ...], real: bool, unary: bool) -> torch.Tensor:
    """Non-saturating logistic loss of the joint (and unary) logits for the target label."""
    used = scores if unary else scores[:1]
    return sum(F.softplus(-s if real else s).mean() for s in used)


class BiGANTrainer(Trainer):
    """Trains G, E and D(x, z) jointly."""

    kind = "bigan"

    def __init__(self, config: BiGANConfig, options: RunOptions):
        super().__init__(config, options)
        c = self.config
        self.data = load_dataset(c.data, c.resolution, c.attributes_file, c.strict)
        self.sampler = EpochSampler(len(self.data), c.seed)
        torch.manual_seed(c.seed)
        shape = {
            "resolution": self.data.resolution,
            "channels": self.data.channels,
            "width": c.width,
        }
        device = self.dist.device
        self.g = build({"arch": "dcgan.generator", "latent_dim": c.latent_dim, **shape}).to(device)
        self.e = build(
            {
                "arch": "dcgan.encoder",
                "latent_dim": c.latent_dim,
                "stochastic": c.encoder == "gaussian",
                **shape,
            }
        ).to(device)
        self.d = build({"arch": "bigan.discriminator", "latent_dim": c.latent_dim, **shape}).to(
            device
        )
        betas = (0.5, 0.999)
        self.opt_ge = torch.optim.Adam(
            [*self.g.parameters(), *self.e.parameters()], lr=c.lr, betas=betas
        )
        self.opt_d = torch.optim.Adam(self.d.parameters(), lr=c.lr, betas=betas)
        self.start("g", "e", "d")

    def state(self) -> dict:
        return {
            "models": {
                "G": model_entry(unwrap(self.g)),
                "E": model_entry(unwrap(self.e)),
                "D": model_entry(unwrap(self.d)),
            },
            "optimizers": {"GE": self.opt_ge.state_dict(), "D": self.opt_d.state_dict()},
        }

    def restore(self, state: dict) -> None:
        for name, net in (("G", self.g), ("E", self.e), ("D", self.d)):
            net.load_state_dict(state["models"][name]["state"])
        self.opt_ge.load_state_dict(state["optimizers"]["GE"])
        self.opt_d.load_state_dict(state["optimizers"]["D"])

    def _encode(self, x: torch.Tensor, key: int) -> torch.Tensor:
        out = self.e(x)
        if self.config.encoder == "deterministic":
            return out
        mean, logvar = out
        eps = torch.randn(
            mean.shape,
            generator=torch_generator(self.config.seed, _EPS, self.step, key, self.dist.rank),
        ).to(mean.device)
        return mean + (0.5 * logvar).exp() * eps

    def train_step(self) -> dict[str, float]:
        c = self.config
        b, world = c.batch_size, self.dist.world_size
        x = self.data.images(self.sampler.take((self.step * world + self.dist.rank) * b, b)).to(
            self.dist.device
        )
        z = sample_prior(
            "normal", b, c.latent_dim, torch_generator(c.seed, _NOISE, self.step, self.dist.rank)
        ).to(self.dist.device)
        self.g.train()
        self.e.train()
        fake_x, real_z = self.g(z), self._encode(x, 0)
        d_module = unwrap(self.d)
        d_module.requires_grad_(True)
        d_loss = _scores_loss(self.d(x, real_z.detach()), True, c.unary) + _scores_loss(
            self.d(fake_x.detach(), z), False, c.unary
        )
        self.opt_d.zero_grad(set_to_none=True)
        d_loss.backward()
        self.opt_d.step()
        d_module.requires_grad_(False)  # G and E see D frozen, with the labels swapped
        ge_loss = _scores_loss(d_module(x, real_z), False, c.unary) + _scores_loss(
            d_module(fake_x, z), True, c.unary
        )
        stats = {"d_loss": d_loss.item()}
        if c.regression > 0:
            regression = (self._encode(fake_x, 1) - z).pow(2).mean()
            stats["regression"] = regression.item()
            ge_loss = ge_loss + c.regression * regression
        self.opt_ge.zero_grad(set_to_none=True)
        ge_loss.backward()
        self.opt_ge.step()
        stats["ge_loss"] = ge_loss.item()
        return stats

    def export(self) -> None:
        source = {"trainer": "bigan", "step": self.step, "config": asdict(self.config)}
        generator = self.shipped_generator(unwrap(self.g))
        save_model(self.folder.path / "generator.safetensors", generator, "generator", source)
        save_model(
            self.folder.path / "encoder.safetensors", unwrap(self.e).eval(), "encoder", source
        )

    @torch.no_grad()
    def write_samples(self) -> None:
        """Real images beside their reconstructions G(E(x)), row by row."""
        x = self.data.images(self.sampler.take(0, 32)).to(self.dist.device)
        encoder, generator = unwrap(self.e).eval(), self.shipped_generator(unwrap(self.g))
        pairs = torch.stack([x, generator(encode(encoder, x))], dim=1).flatten(0, 1)
        (self.folder.path / "samples").mkdir(exist_ok=True)
        save_grid(
            self.folder.path / "samples" / f"step_{self.step:07d}.png",
            pairs,
            8,
            title=f"x | G(E(x)), step {self.step}",
        )


def train_bigan(config: BiGANConfig, options: RunOptions):
    """Train BiGAN / ALI; returns the run folder (``generator`` and ``encoder.safetensors``)."""
    return train(BiGANTrainer(config, options))
