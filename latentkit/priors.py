"""Priors of the latent code: the normal, the uniform and InfoGAN's structured prior, their
coordinate names, and seeded codes drawn from them. At the bottom of the import graph."""

from __future__ import annotations

import numpy as np
import torch

from latentkit.errors import LatentkitError
from latentkit.seeds import torch_generator

PRIORS = ("normal", "uniform", "sphere")


def parse_info_prior(prior: str) -> tuple[int, int] | None:
    """(categories, continuous) of an InfoGAN prior ``infogan:K:M``, else None."""
    name, _, rest = prior.partition(":")
    if name != "infogan":
        return None
    try:
        categories, continuous = (int(v) for v in rest.split(":"))
    except ValueError:
        raise LatentkitError(f"an InfoGAN prior is infogan:K:M, not {prior!r}") from None
    if categories < 0 or continuous < 0 or categories + continuous == 0:
        raise LatentkitError(f"{prior!r}: K and M must be non-negative, not both zero")
    return categories, continuous


def sample_prior(prior: str, n: int, dim: int, generator: torch.Generator) -> torch.Tensor:
    """n codes [n, dim] from the prior: ``normal`` N(0, I), ``uniform`` U(-1, 1), ``sphere`` (normal
    draws rescaled to norm √dim, InterFaceGAN's pre-processing for ProGAN), or InfoGAN's
    ``infogan:K:M``: N(0, I) noise, then a one-hot code of K uniform categories, then M codes
    U(-1, 1) (the last K + M of the dim coordinates)."""
    if prior == "normal":
        return torch.randn(n, dim, generator=generator)
    if prior == "uniform":
        return torch.rand(n, dim, generator=generator) * 2 - 1
    if prior == "sphere":
        z = torch.randn(n, dim, generator=generator)
        return z / z.norm(dim=1, keepdim=True) * dim**0.5
    info = parse_info_prior(prior)
    if info is None:
        raise LatentkitError(f"unknown prior {prior!r} (use normal, uniform or infogan:K:M)")
    categories, continuous = info
    noise = dim - categories - continuous
    if noise < 1:
        raise LatentkitError(f"{prior!r} needs a latent size above {categories + continuous}")
    z = torch.randn(n, noise, generator=generator)
    parts = [z]
    if categories:
        labels = torch.randint(categories, (n,), generator=generator)
        parts.append(torch.nn.functional.one_hot(labels, categories).float())
    if continuous:
        parts.append(torch.rand(n, continuous, generator=generator) * 2 - 1)
    return torch.cat(parts, dim=1)


def latent_names(prior: str, dim: int) -> list[str]:
    """Names of the code's coordinates: ``z0``…, and for InfoGAN ``cat0``… and ``c0``…"""
    info = parse_info_prior(prior) or (0, 0)
    noise = dim - sum(info)
    return (
        [f"z{i}" for i in range(noise)]
        + [f"cat{i}" for i in range(info[0])]
        + [f"c{i}" for i in range(info[1])]
    )


def onto_support(prior: str, codes: np.ndarray) -> np.ndarray:
    """Codes [..., d] with an InfoGAN prior's categorical block set to the one-hot of its largest
    entry: the corners are the only values of the block the generator was trained on, and what
    it draws between them was never asked of it. Codes of every other prior come back
    unchanged."""
    info = parse_info_prior(prior)
    if not info or not info[0]:
        return codes
    categories, continuous = info
    first = codes.shape[-1] - categories - continuous
    block = codes[..., first : first + categories]
    out = np.array(codes, copy=True)
    out[..., first : first + categories] = np.eye(categories, dtype=out.dtype)[block.argmax(-1)]
    return out


def sample_codes(
    prior: str, n: int, dim: int, seed: int, truncation: float | None = None
) -> np.ndarray:
    """n codes [n, dim] (float32) from the prior, the same for a seed on every machine.

    With `truncation` t (normal prior only), BigGAN's truncation trick: every component with
    |z_i| > t is drawn again until it lies within t."""
    if n < 1:
        raise LatentkitError(f"the number of codes must be positive, not {n}")
    generator = torch_generator(seed)
    z = sample_prior(prior, n, dim, generator)
    if truncation is not None:
        if prior != "normal" or truncation <= 0:
            raise LatentkitError("truncation needs a normal prior and a positive threshold")
        outside = z.abs() > truncation
        while outside.any():
            z[outside] = torch.randn(int(outside.sum()), generator=generator)
            outside = z.abs() > truncation
    return z.numpy().astype(np.float32)


def draw_codes(generator, n: int, seed: int) -> np.ndarray:
    """n seeded codes [n, latent_dim] for a loaded generator: its own ``draw(n, seed)`` when it
    has one (a generator seen in a W or W+ space), else its prior's draws, truncated at its
    ``truncation`` threshold when it has one."""
    draw = getattr(generator, "draw", None)
    if draw is not None:
        return draw(n, seed)
    truncation = getattr(generator, "truncation", None)
    return sample_codes(generator.prior, n, int(generator.latent_dim), seed, truncation)
