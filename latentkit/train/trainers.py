"""Every kind of training run by name: its config class and its training function, so that
scripts and benchmarks start runs from Python as the command line does."""

from __future__ import annotations

import importlib
from pathlib import Path

from latentkit.errors import LatentkitError
from latentkit.train.config import BiGANConfig, EncoderConfig, GANConfig, RunOptions, ScorerConfig

TRAINERS = {
    "gan": (GANConfig, "latentkit.train.gan", "train_gan"),
    "scorer": (ScorerConfig, "latentkit.train.scorer", "train_scorer"),
    "encoder": (EncoderConfig, "latentkit.train.encoder", "train_encoder"),
    "bigan": (BiGANConfig, "latentkit.train.bigan", "train_bigan"),
}


def run_training(kind: str, options: RunOptions, **config) -> Path:
    """Train (or, with ``options.resume``, continue) a run of `kind` whose config fields are
    the keyword arguments; returns the run folder."""
    if kind not in TRAINERS:
        raise LatentkitError(f"unknown training kind {kind!r} (known: {', '.join(TRAINERS)})")
    config_class, module, function = TRAINERS[kind]
    train = getattr(importlib.import_module(module), function)
    return train(config_class(**config), options)


def train_or_resume(
    kind: str, out: str | Path, device: str = "cpu", checkpoint_every: int = 250, **config
) -> dict:
    """Train a run of `kind` in `out`, continuing it from its last checkpoint when there is one
    (so an interrupted script picks up where it stopped), without a progress bar; returns the
    run's last training record (``step``, ``elapsed_s``, its losses)."""
    from latentkit.train.run import RunFolder

    options = RunOptions(
        out=Path(out),
        device=device,
        checkpoint_every=checkpoint_every,
        resume=True,
        progress=False,
    )
    run_training(kind, options, **config)
    return RunFolder(out).last_training_record()
