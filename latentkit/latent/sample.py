"""Seeded codes from a generator's prior, and latent banks of codes with attribute scores."""

from __future__ import annotations

import contextlib
from pathlib import Path

import numpy as np
import torch
from torch import nn
from tqdm import tqdm

from latentkit.attributes.scorer import check_scores_shape
from latentkit.data.base import to_uint8
from latentkit.errors import LatentkitError
from latentkit.io.atomic import atomic_path
from latentkit.io.bank import LatentBank
from latentkit.nets.spaces import codes_meta
from latentkit.priors import draw_codes


@torch.no_grad()
def generate(
    generator: nn.Module,
    codes: np.ndarray,
    batch_size: int = 256,
    device: str | torch.device = "cpu",
) -> torch.Tensor:
    """Images of codes [N, d] (on the CPU), generated in batches."""
    codes = np.asarray(codes, np.float32)
    if codes.ndim != 2 or codes.shape[1] != generator.latent_dim:
        raise LatentkitError(
            f"codes of shape {codes.shape} do not fit a generator with latent size "
            f"{generator.latent_dim}"
        )
    out = [
        generator(torch.from_numpy(codes[i : i + batch_size]).to(device)).float().cpu()
        for i in range(0, len(codes), batch_size)
    ]
    return torch.cat(out)


@torch.no_grad()
def sample_bank(
    generator: nn.Module,
    scorer: nn.Module | None,
    n: int,
    seed: int,
    batch_size: int = 256,
    device: str | torch.device = "cpu",
    images_path: str | Path | None = None,
    progress: bool = True,
    meta: dict | None = None,
) -> LatentBank:
    """Draw n seeded codes of the generator's space, generate and score them batch by batch,
    and return the bank (its meta records the space, the code shape and the truncation).

    Images are made only when they are scored or saved, and never held beyond one batch; with
    `images_path` they are streamed to a uint8 ``.npy`` [N, C, H, W] on disk."""
    z = draw_codes(generator, n, seed)
    names = list(scorer.attribute_names) if scorer is not None else []
    scores = np.zeros((n, len(names)), np.float32)
    images_file = None
    rendered = scorer is not None or images_path is not None
    with atomic_path(images_path) if images_path else contextlib.nullcontext() as tmp:
        for start in tqdm(
            range(0, n if rendered else 0, batch_size),
            disable=not progress,
            desc="sample",
            unit="batch",
        ):
            batch = torch.from_numpy(z[start : start + batch_size]).to(device)
            images = generator(batch)
            if scorer is not None:
                s = scorer(images)
                check_scores_shape(s, scorer, len(batch))
                scores[start : start + len(batch)] = s.float().cpu().numpy()
            if tmp is not None:
                if images_file is None:
                    images_file = np.lib.format.open_memmap(
                        tmp, mode="w+", dtype=np.uint8, shape=(n, *images.shape[1:])
                    )
                images_file[start : start + len(batch)] = to_uint8(images).cpu().numpy()
        if images_file is not None:
            images_file.flush()
            del images_file
    if not np.isfinite(scores).all():
        raise LatentkitError("the scorer returned NaN or infinite scores")
    meta = {"seed": seed, **codes_meta(generator), **(meta or {})}
    return LatentBank(z, scores, names, meta)
