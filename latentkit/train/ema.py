"""Exponential moving average of a generator's weights, and BatchNorm statistics recomputed for
the weights a network ships with."""

from __future__ import annotations

import copy
from collections.abc import Callable

import torch
from torch import nn

from latentkit.priors import sample_prior
from latentkit.seeds import torch_generator


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
def recalibrated(module: nn.Module, inputs: Callable[[int], tuple], batches: int = 16) -> nn.Module:
    """A copy of `module` in eval mode whose BatchNorm statistics are recomputed for its own
    weights (as SWA does): the cumulative average over the batches ``inputs(0)`` … ``inputs(
    batches - 1)``. Averaged weights (EMA) need statistics of their own, and the running averages
    of a network whose weights moved fast can lag far behind them."""
    out = copy.deepcopy(module)
    norms = [m for m in out.modules() if isinstance(m, nn.modules.batchnorm._BatchNorm)]
    if norms:
        for m in norms:
            m.reset_running_stats()
            m.momentum = None  # cumulative average over the batches below
        out.train()
        for i in range(batches):
            out(*inputs(i))
        for m in norms:
            m.momentum = 0.1
    return out.eval()


def prior_inputs(generator: nn.Module, seed: int, batch_size: int = 128) -> Callable[[int], tuple]:
    """Seeded batches of a generator's inputs: prior draws, and class labels if it has classes."""
    device = next(generator.parameters()).device
    classes = getattr(generator, "num_classes", 0)

    def inputs(i: int) -> tuple:
        draws = torch_generator(seed, i)
        z = sample_prior(generator.prior, batch_size, generator.latent_dim, draws).to(device)
        if classes:
            return z, torch.randint(classes, (batch_size,), generator=draws).to(device)
        return (z,)

    return inputs
