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
