"""Codes for real images: an encoder's guess, optionally refined by optimisation.

Refinement (in-domain inversion, Zhu et al. 2020) starts from z = E(x) and minimises, with the
generator and encoder frozen, the pixel error ‖G(z) − x‖² (mean over pixels) plus
``domain_weight`` · ‖z − E(G(z))‖² (mean over dimensions), a term that keeps the code where the
encoder expects codes of generated images to be, so the code stays editable.
"""

from __future__ import annotations

import torch
from torch import nn

from latentkit.errors import LatentkitError
from latentkit.io.models import image_shape
from latentkit.latent.encode import encode


def check_pair(generator: nn.Module, encoder: nn.Module, source: str = "encoder") -> None:
    """Refuse an encoder of another latent space or size than the generator's codes, or (a
    latentkit
    encoder, which says so) that reads images of another shape than the generator makes."""
    space, reads = getattr(generator, "space", "z"), getattr(encoder, "space", "z")
    if space != reads:
        raise LatentkitError(
            f"{source}: predicts codes of the {reads} space, the generator's are {space}",
            ("space",),
        )
    size = getattr(encoder, "latent_dim", None)
    if size is not None and int(size) != int(generator.latent_dim):
        raise LatentkitError(
            f"{source}: codes of size {size}, the generator's latent size is {generator.latent_dim}"
        )
    config = getattr(encoder, "config", None) or {}
    if "resolution" in config and "channels" in config:
        reads = (int(config["channels"]), int(config["resolution"]), int(config["resolution"]))
        makes = image_shape(generator, next(generator.parameters(), torch.zeros(0)).device)
        if reads != makes:
            raise LatentkitError(
                f"{source}: reads images of shape {reads}, the generator makes {makes}"
            )


def invert(
    generator: nn.Module,
    encoder: nn.Module,
    images: torch.Tensor,
    steps: int = 0,
    lr: float = 0.05,
    domain_weight: float = 0.1,
    batch_size: int = 64,
) -> torch.Tensor:
    """Codes [N, d] for images [N, C, H, W] in [-1, 1] (on the generator's device)."""
    check_pair(generator, encoder)
    generator.eval().requires_grad_(False)
    encoder.eval().requires_grad_(False)
    codes = []
    for chunk in images.split(batch_size):
        with torch.no_grad():
            z = encode(encoder, chunk)
        if steps > 0:
            z = z.clone().requires_grad_(True)
            optimizer = torch.optim.Adam([z], lr=lr)
            for _ in range(steps):
                reconstruction = generator(z)
                loss = (reconstruction - chunk).pow(2).mean()
                if domain_weight > 0:
                    loss = (
                        loss + domain_weight * (z - encode(encoder, reconstruction)).pow(2).mean()
                    )
                optimizer.zero_grad(set_to_none=True)
                loss.backward()
                optimizer.step()
        codes.append(z.detach())
    return torch.cat(codes)
