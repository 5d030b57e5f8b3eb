"""An encoder for a fixed, trained generator, by latent regression.

Each step draws seeded codes z, renders G(z) with the generator frozen, and trains E to map the
images back: the loss is ‖E(G(z)) − z‖² (mean over dimensions). For a style-based generator the
codes are those of the chosen space (z, w or wp, with its truncation), so E inverts into W or
W+. The generator may be any latentkit generator spec, including TorchScript; the encoder is a
DCGAN encoder of the generator's image size.
"""

from __future__ import annotations

from dataclasses import asdict

import torch

from latentkit.errors import LatentkitError
from latentkit.io.checkpoint import model_entry
from latentkit.io.models import image_shape, load_generator, save_model
from latentkit.nets import build
from latentkit.priors import draw_codes
from latentkit.seeds import derive_seed
from latentkit.train.config import EncoderConfig, RunOptions
from latentkit.train.loop import Trainer, train, unwrap


class EncoderTrainer(Trainer):
    """Trains E so that E(G(z)) ≈ z for a frozen G."""

    kind = "encoder"

    def __init__(self, config: EncoderConfig, options: RunOptions):
        super().__init__(config, options)
        c = self.config
        self.generator = load_generator(
            c.generator, device=self.dist.device, space=c.space, truncation=c.truncation
        ).requires_grad_(False)
        channels, height, width = image_shape(self.generator, self.dist.device)
        if height != width or height not in (32, 64):
            raise LatentkitError(
                f"{c.generator}: images of {height}×{width}; encoders take 32 or 64 px squares"
            )
        torch.manual_seed(c.seed)
        self.encoder = build(
            {
                "arch": "dcgan.encoder",
                "latent_dim": self.generator.latent_dim,
                "resolution": height,
                "channels": channels,
                "width": c.width,
                "space": getattr(self.generator, "space", "z"),
            }
        )
        self.encoder = self.encoder.to(self.dist.device)
        self.optimizer = torch.optim.Adam(self.encoder.parameters(), lr=c.lr, betas=(0.5, 0.999))
        self.start("encoder")

    def state(self) -> dict:
        return {
            "models": {"encoder": model_entry(unwrap(self.encoder))},
            "optimizers": {"encoder": self.optimizer.state_dict()},
        }

    def restore(self, state: dict) -> None:
        self.encoder.load_state_dict(state["models"]["encoder"]["state"])
        self.optimizer.load_state_dict(state["optimizers"]["encoder"])

    def train_step(self) -> dict[str, float]:
        c = self.config
        # codes of the generator's space, with its truncation (priors.draw_codes)
        seed = derive_seed(c.seed, self.step, self.dist.rank)
        z = torch.from_numpy(draw_codes(self.generator, c.batch_size, seed)).to(self.dist.device)
        with torch.no_grad():
            images = self.generator(z)
        self.encoder.train()
        loss = (self.encoder(images) - z).pow(2).mean()
        self.optimizer.zero_grad(set_to_none=True)
        loss.backward()
        self.optimizer.step()
        return {"loss": loss.item()}

    def export(self) -> None:
        save_model(
            self.folder.path / "encoder.safetensors",
            unwrap(self.encoder).eval(),
            "encoder",
            {"trainer": "encoder", "step": self.step, "config": asdict(self.config)},
        )


def train_encoder(config: EncoderConfig, options: RunOptions):
    """Train an encoder for a fixed generator; returns the run folder (``encoder.safetensors``)."""
    return train(EncoderTrainer(config, options))
