"""``latentkit demo``: the README's first command."""

from __future__ import annotations

from pathlib import Path

import click

from latentkit.train.gan import GANConfig, train_gan
from latentkit.train.loop import RunOptions
from latentkit_cli.options import common_options


@click.command()
@click.option(
    "--out", type=click.Path(path_type=Path), default=Path("latentkit-demo"), help="Output folder."
)
@click.option("--steps", type=click.IntRange(min=1), default=300, help="Training steps.")
@common_options
def demo(out: Path, steps: int, seed: int, device: str) -> None:
    """Train a small DCGAN on scikit-learn's digits for a few hundred steps and show samples
    (a stand-in until the pretrained bundles ship)."""
    folder = train_gan(
        GANConfig(data="digits", width=32, latent_dim=32, steps=steps, seed=seed),
        RunOptions(
            out=out, device=device, checkpoint_every=steps, sample_every=100, overwrite=True
        ),
    )
    click.echo(f"samples: {sorted((folder / 'samples').glob('*.png'))[-1]}")
    click.echo(f"generator: {folder / 'generator.safetensors'}")
