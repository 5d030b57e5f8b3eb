"""Exponential moving average of a generator's weights."""

from __future__ import annotations

import copy

import torch
from torch import nn

from latentkit.runtime import sample_prior, torch_generator


def ema_decay(decay: float, step: int) -> float:
    """The decay at `step`, warmed up as min(decay, (1 + step) / (10 + step)) so that early
    averages are not dominated by the random initial weights."""
    return min(decay, (1 + step) / (10 + step))


@torch.no_grad()
def update_ema(ema: nn.Module, model: nn.Module, decay: float) -> None:
    """ema ← decay·ema + (1 - decay)·model for parameters; buffers are copied."""
    for p_ema, p in zip(ema.parameters(), model.parameters(), strict=True):
        p_ema.lerp_(p, 1.0 - decay)
    for b_ema, b in zip(ema.buffers(), model.buffers(), strict=True):
        b_ema.copy_(b)


@torch.no_grad()
def recalibrated(
    generator: nn.Module, seed: int, batches: int = 16, batch_size: int = 128
) -> nn.Module:
    """A copy of `generator` in eval mode whose BatchNorm statistics are recomputed for its own
    weights (as SWA does), from seeded prior draws: EMA weights need statistics of their own."""
    out = copy.deepcopy(generator)
    norms = [m for m in out.modules() if isinstance(m, nn.modules.batchnorm._BatchNorm)]
    if norms:
        device = next(out.parameters()).device
        for m in norms:
            m.reset_running_stats()
            m.momentum = None  # cumulative average over the batches below
        out.train()
        classes = getattr(out, "num_classes", 0)
        for i in range(batches):
            draws = torch_generator(seed, i)
            z = sample_prior(out.prior, batch_size, out.latent_dim, draws).to(device)
            if classes:
                out(z, torch.randint(classes, (batch_size,), generator=draws).to(device))
            else:
                out(z)
        for m in norms:
            m.momentum = 0.1
    return out.eval()
