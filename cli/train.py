"""``latentkit train``: train generators, encoders and scorers. Every default comes from the run's
config dataclass in `latentkit.train.config`; the training code is imported when a run starts."""

from __future__ import annotations

from dataclasses import MISSING, fields
from pathlib import Path

import click
from click.core import ParameterSource

from latentkit.data import DATASETS
from latentkit.errors import LatentkitError
from latentkit.train.config import (
    ARCHS,
    ENCODERS,
    FAMILIES,
    LOSSES,
    BiGANConfig,
    EncoderConfig,
    GANConfig,
    RunOptions,
    ScorerConfig,
)
from latentkit_cli.options import common_options, option, overwrite_option, split_names


@click.group()
def train() -> None:
    """Train generators, attribute scorers and encoders."""


def run_options(f):
    """Options of every training run: output folder, intervals, resume."""
    for decorate in reversed(
        [
            click.option(
                "--out", type=click.Path(path_type=Path), required=True, help="Run folder."
            ),
            option(
                RunOptions,
                "--checkpoint-every",
                type=click.IntRange(min=1),
                help="Steps between checkpoints.",
            ),
            option(
                RunOptions,
                "--sample-every",
                type=click.IntRange(min=1),
                help="Steps between sample grids.",
            ),
            option(
                RunOptions, "--log-every", type=click.IntRange(min=1), help="Steps between logs."
            ),
            click.option(
                "--resume", is_flag=True, help="Continue the run in --out from its last checkpoint."
            ),
            click.option("--no-progress", is_flag=True, help="Hide the progress bar."),
            overwrite_option,
        ]
    ):
        f = decorate(f)
    return f


def start(kind: str, config_class: type, kw: dict) -> Path:
    """Start (or resume) a run of `kind` from parsed options named as the config's fields. With
    --resume, an option not given takes the run's own value (so --out alone continues a run);
    one given that contradicts the run is refused naming both values."""
    from latentkit.train.run import saved_config
    from latentkit.train.trainers import run_training

    ctx = click.get_current_context()
    saved = (saved_config(kw["out"]) if kw["resume"] else None) or {}
    values = {}
    for f in fields(config_class):
        given = ctx.get_parameter_source(f.name) == ParameterSource.COMMANDLINE
        if f.name in saved and not given:
            values[f.name] = saved[f.name]
        elif (f.name in kw and kw[f.name] is not None) or f.name not in saved:
            values[f.name] = kw.get(f.name)
    required = [f.name for f in fields(config_class) if f.default is MISSING]
    missing = [name for name in required if values.get(name) is None]
    if missing:
        raise LatentkitError(
            f"train {kind} needs {', '.join(missing)} unless it resumes a run", tuple(missing)
        )
    if values.get("attributes") is not None:
        values["attributes"] = tuple(values["attributes"])
    options = RunOptions(
        out=kw["out"],
        device=kw["device"],
        checkpoint_every=kw["checkpoint_every"],
        sample_every=kw["sample_every"],
        log_every=kw["log_every"],
        resume=kw["resume"],
        overwrite=kw["overwrite"],
        progress=not kw["no_progress"],
    )
    return run_training(kind, options, **values)


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
        return click.option(
            "--data", default=None, help=f"Dataset: {', '.join(DATASETS)} [required, or --resume]."
        )(f)

    return decorate


def optimisation_options(config: type, what: str = "Images", lr: bool = True):
    """--steps, --batch-size and (with `lr`) --lr with the config's defaults."""

    def decorate(f):
        if lr:
            f = option(config, "--lr", type=float, help="Adam learning rate.")(f)
        f = option(
            config, "--batch-size", type=click.IntRange(min=1), help=f"{what} per process per step."
        )(f)
        return option(config, "--steps", type=click.IntRange(min=1), help="Updates.")(f)

    return decorate


@train.command("gan")
@data_options(("8", "32", "64"))
@option(GANConfig, "--arch", type=click.Choice(ARCHS), help="Network family.")
@option(GANConfig, "--latent-dim", type=click.IntRange(min=1), help="Size of z.")
@option(
    GANConfig,
    "--width",
    type=click.IntRange(min=1),
    help="Base channel count (DCGAN) or hidden units (MLP).",
)
@option(GANConfig, "--prior", type=click.Choice(["normal", "uniform"]), help="Prior of z.")
@option(GANConfig, "--loss", type=click.Choice(LOSSES), help="Adversarial loss.")
@optimisation_options(GANConfig, lr=False)
@option(GANConfig, "--lr", type=float, help="Adam learning rate [default: 2e-4; 1e-4 for wgan-gp].")
@option(GANConfig, "--beta1", type=float, help="Adam beta1 [default: 0.5; 0 for wgan-gp].")
@option(GANConfig, "--beta2", type=float, help="Adam beta2 [default: 0.999; 0.9 for wgan-gp].")
@option(
    GANConfig,
    "--n-critic",
    type=click.IntRange(min=1),
    help="D steps per G step [default: 1; 5 for wgan-gp].",
)
@option(GANConfig, "--gp-weight", type=float, help="WGAN-GP penalty weight.")
@option(GANConfig, "--label-smoothing", type=float, help="One-sided: real target 1 - s.")
@option(
    GANConfig, "--feature-matching", type=float, help="Weight of the feature-matching term in G."
)
@click.option(
    "--minibatch-std", is_flag=True, help="Minibatch-std feature in D (minibatch discrimination)."
)
@option(
    GANConfig,
    "--d-norm",
    type=click.Choice(["auto", "batch", "layer", "none"]),
    help="D normalisation (auto: layer for wgan-gp, else batch).",
)
@option(GANConfig, "--ema", type=float, help="Decay of the EMA of G's weights (0: off).")
@option(
    GANConfig,
    "--family",
    type=click.Choice(FAMILIES),
    help="gan; cgan (class-conditional, projection D); acgan (auxiliary classifier); infogan.",
)
@option(
    GANConfig,
    "--info-categorical",
    type=click.IntRange(min=0),
    help="InfoGAN: classes of the categorical code.",
)
@option(
    GANConfig, "--info-continuous", type=click.IntRange(min=0), help="InfoGAN: continuous codes."
)
@option(
    GANConfig,
    "--aux-weight",
    type=float,
    help="Weight of AC-GAN's class loss or InfoGAN's mutual-information loss.",
)
@run_options
@common_options
def train_gan_command(**kw) -> None:
    """Train a GAN; writes generator.safetensors, checkpoints, sample grids and a loss log."""
    out = start("gan", GANConfig, kw)
    click.echo(f"generator: {out / 'generator.safetensors'}")


@train.command("scorer")
@data_options(("32", "64"))
@click.option(
    "--attributes", callback=split_names, default=None, help="Attributes to predict [default: all]."
)
@option(ScorerConfig, "--width", type=click.IntRange(min=1), help="Base channel count.")
@option(
    ScorerConfig,
    "--norm",
    type=click.Choice(["batch", "layer"]),
    help="Normalisation of the body (layer: no batch statistics).",
)
@optimisation_options(ScorerConfig)
@run_options
@common_options
def train_scorer_command(**kw) -> None:
    """Train an attribute predictor; writes scorer.safetensors with held-out figures."""
    out = start("scorer", ScorerConfig, kw)
    from latentkit.train.run import RunFolder

    for record in reversed(RunFolder(out).records()):  # the figures of the shipped scorer
        held = {k.removeprefix("holdout_"): v for k, v in record.items() if "holdout_" in k}
        if held:
            click.echo(", ".join(f"held-out {k}: {v:.4g}" for k, v in held.items()))
            break
    click.echo(f"scorer: {out / 'scorer.safetensors'}")


@train.command("encoder")
@click.option(
    "--generator",
    default=None,
    help="The fixed generator: a bundle, run folder, latentkit file, TorchScript or py:module:fn "
    "[required, or --resume].",
)
@option(EncoderConfig, "--width", type=click.IntRange(min=1), help="Base channel count.")
@optimisation_options(EncoderConfig, what="Codes")
@run_options
@common_options
def train_encoder_command(**kw) -> None:
    """Train an encoder x -> z for a fixed generator by latent regression ‖E(G(z)) − z‖²."""
    out = start("encoder", EncoderConfig, kw)
    click.echo(f"encoder: {out / 'encoder.safetensors'}")


@train.command("bigan")
@data_options(("32", "64"))
@option(BiGANConfig, "--latent-dim", type=click.IntRange(min=1), help="Size of z.")
@option(BiGANConfig, "--width", type=click.IntRange(min=1), help="Base channel count.")
@option(BiGANConfig, "--encoder", type=click.Choice(ENCODERS), help="Encoder output.")
@click.option("--unary", is_flag=True, help="BigBiGAN's unary score terms.")
@option(BiGANConfig, "--regression", type=float, help="Weight of ‖z − E(G(z))‖² (0: plain BiGAN).")
@optimisation_options(BiGANConfig)
@run_options
@common_options
def train_bigan_command(**kw) -> None:
    """Train BiGAN / ALI: G, an encoder E and a joint discriminator D(x, z)."""
    out = start("bigan", BiGANConfig, kw)
    click.echo(
        f"generator: {out / 'generator.safetensors'}\nencoder: {out / 'encoder.safetensors'}"
    )
