"""``latentkit train``: train generators (and, later, encoders and scorers)."""

from __future__ import annotations

from pathlib import Path

import click

from latentkit.data import DATASETS
from latentkit.train.bigan import ENCODERS, BiGANConfig, train_bigan
from latentkit.train.encoder import EncoderConfig, train_encoder
from latentkit.train.gan import ARCHS, GANConfig, train_gan
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


@train.command("gan")
@click.option("--data", required=True, help=f"Dataset: {', '.join(DATASETS)}.")
@click.option(
    "--resolution",
    type=click.Choice(["8", "32", "64"]),
    default=None,
    help="Image size (default: the dataset's).",
)
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
@click.option("--steps", type=click.IntRange(min=1), default=5000, help="Generator updates.")
@click.option(
    "--batch-size", type=click.IntRange(min=1), default=64, help="Images per process per step."
)
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
@run_options
@common_options
def train_gan_command(**kw) -> None:
    """Train a GAN; writes generator.safetensors, checkpoints, sample grids and a loss log."""
    config = GANConfig(
        data=kw["data"],
        resolution=int(kw["resolution"]) if kw["resolution"] else None,
        arch=kw["arch"],
        latent_dim=kw["latent_dim"],
        width=kw["width"],
        prior=kw["prior"],
        loss=kw["loss"],
        steps=kw["steps"],
        batch_size=kw["batch_size"],
        lr=kw["lr"],
        beta1=kw["beta1"],
        beta2=kw["beta2"],
        n_critic=kw["n_critic"],
        gp_weight=kw["gp_weight"],
        label_smoothing=kw["label_smoothing"],
        feature_matching=kw["feature_matching"],
        minibatch_std=kw["minibatch_std"],
        d_norm=kw["d_norm"],
        ema=kw["ema"],
        seed=kw["seed"],
    )
    out = train_gan(config, run_options_from(kw))
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
@click.option("--data", required=True, help=f"Labelled dataset: {', '.join(DATASETS)}.")
@click.option(
    "--resolution",
    type=click.Choice(["8", "32", "64"]),
    default=None,
    help="Image size (default: the dataset's).",
)
@click.option(
    "--attributes", callback=split_names, default=None, help="Attributes to predict [default: all]."
)
@click.option("--width", type=click.IntRange(min=1), default=32, help="Base channel count.")
@click.option("--steps", type=click.IntRange(min=1), default=2000, help="Updates.")
@click.option(
    "--batch-size", type=click.IntRange(min=1), default=128, help="Images per process per step."
)
@click.option("--lr", type=float, default=1e-3, help="Adam learning rate.")
@run_options
@common_options
def train_scorer_command(**kw) -> None:
    """Train an attribute predictor; writes scorer.safetensors with held-out figures."""
    config = ScorerConfig(
        data=kw["data"],
        resolution=int(kw["resolution"]) if kw["resolution"] else None,
        attributes=tuple(kw["attributes"]) if kw["attributes"] else None,
        width=kw["width"],
        steps=kw["steps"],
        batch_size=kw["batch_size"],
        lr=kw["lr"],
        seed=kw["seed"],
    )
    out = train_scorer(config, run_options_from(kw))
    click.echo(f"scorer: {out / 'scorer.safetensors'}")


@train.command("encoder")
@click.option(
    "--generator",
    required=True,
    help="The fixed generator: a latentkit file, TorchScript, or py:module:function.",
)
@click.option("--width", type=click.IntRange(min=1), default=64, help="Base channel count.")
@click.option("--steps", type=click.IntRange(min=1), default=3000, help="Updates.")
@click.option(
    "--batch-size", type=click.IntRange(min=1), default=64, help="Codes per process per step."
)
@click.option("--lr", type=float, default=2e-4, help="Adam learning rate.")
@run_options
@common_options
def train_encoder_command(**kw) -> None:
    """Train an encoder x -> z for a fixed generator by latent regression ‖E(G(z)) − z‖²."""
    config = EncoderConfig(
        generator=kw["generator"],
        width=kw["width"],
        steps=kw["steps"],
        batch_size=kw["batch_size"],
        lr=kw["lr"],
        seed=kw["seed"],
    )
    out = train_encoder(config, run_options_from(kw))
    click.echo(f"encoder: {out / 'encoder.safetensors'}")


@train.command("bigan")
@click.option("--data", required=True, help=f"Dataset: {', '.join(DATASETS)}.")
@click.option(
    "--resolution",
    type=click.Choice(["32", "64"]),
    default=None,
    help="Image size (default: the dataset's).",
)
@click.option("--latent-dim", type=click.IntRange(min=1), default=100, help="Size of z.")
@click.option("--width", type=click.IntRange(min=1), default=64, help="Base channel count.")
@click.option(
    "--encoder", type=click.Choice(ENCODERS), default="deterministic", help="Encoder output."
)
@click.option("--unary", is_flag=True, help="BigBiGAN's unary score terms.")
@click.option(
    "--regression", type=float, default=1.0, help="Weight of ‖z − E(G(z))‖² (0: plain BiGAN)."
)
@click.option("--steps", type=click.IntRange(min=1), default=5000, help="Updates.")
@click.option(
    "--batch-size", type=click.IntRange(min=1), default=64, help="Images per process per step."
)
@click.option("--lr", type=float, default=2e-4, help="Adam learning rate.")
@run_options
@common_options
def train_bigan_command(**kw) -> None:
    """Train BiGAN / ALI: G, an encoder E and a joint discriminator D(x, z)."""
    config = BiGANConfig(
        data=kw["data"],
        resolution=int(kw["resolution"]) if kw["resolution"] else None,
        latent_dim=kw["latent_dim"],
        width=kw["width"],
        encoder=kw["encoder"],
        unary=kw["unary"],
        regression=kw["regression"],
        steps=kw["steps"],
        batch_size=kw["batch_size"],
        lr=kw["lr"],
        seed=kw["seed"],
    )
    out = train_bigan(config, run_options_from(kw))
    click.echo(
        f"generator: {out / 'generator.safetensors'}\nencoder: {out / 'encoder.safetensors'}"
    )
