"""``latentkit train``: train generators (and, later, encoders and scorers)."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import click

from latentkit.data import DATASETS
from latentkit.train.bigan import ENCODERS, BiGANConfig, train_bigan
from latentkit.train.encoder import EncoderConfig, train_encoder
from latentkit.train.gan import ARCHS, FAMILIES, GANConfig, train_gan
from latentkit.train.loop import RunOptions
from latentkit.train.losses import LOSSES
from latentkit.train.scorer import ScorerConfig, train_scorer
from latentkit_cli.options import common_options, overwrite_option, split_names


@click.group()
def train() -> None:
    """Train generators, attribute scorers and encoders."""


def run_options(f):
    """Options of every training run: output folder, intervals, resume."""
    for option in reversed(
        [
            click.option(
                "--out", type=click.Path(path_type=Path), required=True, help="Run folder."
            ),
            click.option(
                "--checkpoint-every",
                type=click.IntRange(min=1),
                default=500,
                help="Steps between checkpoints.",
            ),
            click.option(
                "--sample-every",
                type=click.IntRange(min=1),
                default=500,
                help="Steps between sample grids.",
            ),
            click.option(
                "--log-every",
                type=click.IntRange(min=1),
                default=50,
                help="Steps between log records.",
            ),
            click.option(
                "--resume", is_flag=True, help="Continue the run in --out from its last checkpoint."
            ),
            click.option("--no-progress", is_flag=True, help="Hide the progress bar."),
            overwrite_option,
        ]
    ):
        f = option(f)
    return f


def config_from(cls, kw: dict):
    """A run config from parsed options: the options are named as the config's fields."""
    values = {f.name: kw[f.name] for f in fields(cls) if f.name in kw}
    if values.get("attributes") is not None:
        values["attributes"] = tuple(values["attributes"])
    return cls(**values)


def data_options(resolutions: tuple[str, ...]):
    """--data and --resolution."""

    def decorate(f):
        f = click.option(
            "--resolution",
            type=click.Choice(resolutions),
            default=None,
            callback=lambda ctx, param, value: int(value) if value else None,
            help="Image size (default: the dataset's).",
        )(f)
        return click.option("--data", required=True, help=f"Dataset: {', '.join(DATASETS)}.")(f)

    return decorate


def optimisation_options(steps: int, batch_size: int, lr: float | None, what: str = "Images"):
    """--steps, --batch-size and (unless `lr` is None) --lr with their defaults."""

    def decorate(f):
        if lr is not None:
            f = click.option("--lr", type=float, default=lr, help="Adam learning rate.")(f)
        f = click.option(
            "--batch-size",
            type=click.IntRange(min=1),
            default=batch_size,
            help=f"{what} per process per step.",
        )(f)
        return click.option("--steps", type=click.IntRange(min=1), default=steps, help="Updates.")(
            f
        )

    return decorate


@train.command("gan")
@data_options(("8", "32", "64"))
@click.option("--arch", type=click.Choice(ARCHS), default="dcgan", help="Network family.")
@click.option("--latent-dim", type=click.IntRange(min=1), default=100, help="Size of z.")
@click.option(
    "--width",
    type=click.IntRange(min=1),
    default=64,
    help="Base channel count (DCGAN) or hidden units (MLP).",
)
@click.option(
    "--prior", type=click.Choice(["normal", "uniform"]), default="normal", help="Prior of z."
)
@click.option("--loss", type=click.Choice(LOSSES), default="ns", help="Adversarial loss.")
@optimisation_options(steps=5000, batch_size=64, lr=None)
@click.option(
    "--lr", type=float, default=None, help="Adam learning rate [default: 2e-4; 1e-4 for wgan-gp]."
)
@click.option("--beta1", type=float, default=None, help="Adam beta1 [default: 0.5; 0 for wgan-gp].")
@click.option(
    "--beta2", type=float, default=None, help="Adam beta2 [default: 0.999; 0.9 for wgan-gp]."
)
@click.option(
    "--n-critic",
    type=click.IntRange(min=1),
    default=None,
    help="D steps per G step [default: 1; 5 for wgan-gp].",
)
@click.option("--gp-weight", type=float, default=10.0, help="WGAN-GP penalty weight.")
@click.option("--label-smoothing", type=float, default=0.0, help="One-sided: real target 1 - s.")
@click.option(
    "--feature-matching",
    type=float,
    default=0.0,
    help="Weight of the feature-matching term in G's loss.",
)
@click.option(
    "--minibatch-std", is_flag=True, help="Minibatch-std feature in D (minibatch discrimination)."
)
@click.option(
    "--d-norm",
    type=click.Choice(["auto", "batch", "layer", "none"]),
    default="auto",
    help="D normalisation (auto: layer for wgan-gp, else batch).",
)
@click.option("--ema", type=float, default=0.999, help="Decay of the EMA of G's weights (0: off).")
@click.option(
    "--family",
    type=click.Choice(FAMILIES),
    default="gan",
    help="gan; cgan (class-conditional, projection D); acgan (auxiliary classifier); infogan.",
)
@click.option(
    "--info-categorical",
    type=click.IntRange(min=0),
    default=10,
    help="InfoGAN: classes of the categorical code.",
)
@click.option(
    "--info-continuous", type=click.IntRange(min=0), default=2, help="InfoGAN: continuous codes."
)
@click.option(
    "--aux-weight",
    type=float,
    default=1.0,
    help="Weight of AC-GAN's class loss or InfoGAN's mutual-information loss.",
)
@run_options
@common_options
def train_gan_command(**kw) -> None:
    """Train a GAN; writes generator.safetensors, checkpoints, sample grids and a loss log."""
    out = train_gan(config_from(GANConfig, kw), run_options_from(kw))
    click.echo(f"generator: {out / 'generator.safetensors'}")


def run_options_from(kw: dict) -> RunOptions:
    """RunOptions from the parsed `run_options`."""
    return RunOptions(
        out=kw["out"],
        device=kw["device"],
        checkpoint_every=kw["checkpoint_every"],
        sample_every=kw["sample_every"],
        log_every=kw["log_every"],
        resume=kw["resume"],
        overwrite=kw["overwrite"],
        progress=not kw["no_progress"],
    )


@train.command("scorer")
@data_options(("32", "64"))
@click.option(
    "--attributes", callback=split_names, default=None, help="Attributes to predict [default: all]."
)
@click.option("--width", type=click.IntRange(min=1), default=32, help="Base channel count.")
@click.option(
    "--norm",
    type=click.Choice(["batch", "layer"]),
    default="batch",
    help="Normalisation of the body (layer: no batch statistics).",
)
@optimisation_options(steps=2000, batch_size=128, lr=1e-3)
@run_options
@common_options
def train_scorer_command(**kw) -> None:
    """Train an attribute predictor; writes scorer.safetensors with held-out figures."""
    out = train_scorer(config_from(ScorerConfig, kw), run_options_from(kw))
    click.echo(f"scorer: {out / 'scorer.safetensors'}")


@train.command("encoder")
@click.option(
    "--generator",
    required=True,
    help="The fixed generator: a latentkit file, TorchScript, or py:module:function.",
)
@click.option("--width", type=click.IntRange(min=1), default=64, help="Base channel count.")
@optimisation_options(steps=3000, batch_size=64, lr=2e-4, what="Codes")
@run_options
@common_options
def train_encoder_command(**kw) -> None:
    """Train an encoder x -> z for a fixed generator by latent regression ‖E(G(z)) − z‖²."""
    out = train_encoder(config_from(EncoderConfig, kw), run_options_from(kw))
    click.echo(f"encoder: {out / 'encoder.safetensors'}")


@train.command("bigan")
@data_options(("32", "64"))
@click.option("--latent-dim", type=click.IntRange(min=1), default=100, help="Size of z.")
@click.option("--width", type=click.IntRange(min=1), default=64, help="Base channel count.")
@click.option(
    "--encoder", type=click.Choice(ENCODERS), default="deterministic", help="Encoder output."
)
@click.option("--unary", is_flag=True, help="BigBiGAN's unary score terms.")
@click.option(
    "--regression", type=float, default=1.0, help="Weight of ‖z − E(G(z))‖² (0: plain BiGAN)."
)
@optimisation_options(steps=5000, batch_size=64, lr=2e-4)
@run_options
@common_options
def train_bigan_command(**kw) -> None:
    """Train BiGAN / ALI: G, an encoder E and a joint discriminator D(x, z)."""
    out = train_bigan(config_from(BiGANConfig, kw), run_options_from(kw))
    click.echo(
        f"generator: {out / 'generator.safetensors'}\nencoder: {out / 'encoder.safetensors'}"
    )
