"""``latentkit train``: train generators, encoders and scorers. Every default comes from the run's
config dataclass in `latentkit.train.config`; the training code is imported when a run starts."""

from __future__ import annotations

import click

from latentkit.nets.spaces import SPACES
from latentkit.train.config import (
    ARCHS,
    ENCODERS,
    FAMILIES,
    LOSSES,
    TOP_K_DECAY,
    TOP_K_EPOCH,
    BiGANConfig,
    EncoderConfig,
    GANConfig,
    ScorerConfig,
)
from latentkit_cli.options import common_options, option, split_names
from latentkit_cli.run_options import (
    data_options,
    optimisation_options,
    precision_option,
    run_options,
    start,
)


@click.group()
def train() -> None:
    """Train generators, attribute scorers and encoders."""


@train.command("gan")
@data_options(("8", "32", "64"))
@option(
    GANConfig,
    "--arch",
    type=click.Choice(ARCHS),
    help="Networks: dcgan, mlp (PacGAN's on ring8 and grid25); auto: mlp for point sets.",
)
@option(GANConfig, "--latent-dim", type=click.IntRange(min=1), help="Size of z.")
@option(
    GANConfig,
    "--width",
    type=click.IntRange(min=1),
    help="Base channel count (DCGAN), hidden units (MLP) or widest layer (StyleGAN2).",
)
@option(GANConfig, "--prior", type=click.Choice(["normal", "uniform"]), help="Prior of z.")
@option(GANConfig, "--loss", type=click.Choice(LOSSES), help="Adversarial loss.")
@optimisation_options(GANConfig, lr=False)
@option(
    GANConfig,
    "--lr",
    type=float,
    help="Learning rate [default: 2e-4; 1e-4 for wgan-gp, began and point sets; 5e-5 (RMSProp) "
    "for wgan-clip].",
)
@option(
    GANConfig,
    "--lr-decay-steps",
    type=click.IntRange(min=0),
    help="Both learning rates fall linearly to zero over the run's last this many steps.",
)
@option(
    GANConfig, "--beta1", type=float, help="Adam beta1 [default: 0.5; 0 for wgan-gp; 0.8 points]."
)
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
@click.option("--minibatch-std", is_flag=True, help="ProGAN's minibatch-std feature in D.")
@option(
    GANConfig,
    "--minibatch-kernels",
    type=click.IntRange(min=0),
    help="Salimans et al.'s minibatch discrimination with this many kernels (0: off).",
)
@option(
    GANConfig,
    "--pack",
    type=int,
    help="PacGAN: D judges this many samples at once (>= 1, dividing the batch size; "
    "PacGAN's batch of B packs is --batch-size B*K).",
)
@option(
    GANConfig,
    "--unroll",
    type=int,
    help="Unrolled GAN: G's loss through this many differentiable D updates (0: off).",
)
@option(
    GANConfig,
    "--top-k",
    type=click.FloatRange(min=0, max=1, min_open=True),
    help="Top-k updates: G's loss over the fakes D scores most real, a share of the batch "
    f"falling from 1 by {TOP_K_DECAY} every {TOP_K_EPOCH:,} steps down to this (1: off).",
)
@option(GANConfig, "--clip", type=float, help="wgan-clip: the critic's weight bound.")
@option(GANConfig, "--began-gamma", type=float, help="BEGAN: diversity ratio γ.")
@option(GANConfig, "--began-lambda-k", type=float, help="BEGAN: learning rate λ_k of k_t.")
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
    help="gan; cgan (class-conditional, projection D); acgan (auxiliary classifier); infogan; "
    "stylegan2 (its own networks and regularisers; lr 0.0025, betas 0, 0.99); progan (growing "
    "networks, fade-in; lr 0.001, betas 0, 0.99; use --loss wgan-gp as the paper); began "
    "(auto-encoder D, equilibrium k_t).",
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
@option(GANConfig, "--mapping-layers", type=click.IntRange(min=1), help="StyleGAN2: mapping depth.")
@option(
    GANConfig,
    "--r1-gamma",
    type=click.FloatRange(min=0),
    help="R1 weight γ on real images, each D step (ns, minimax or hinge loss) [StyleGAN2 "
    "default: 0.0002·resolution²/batch, the official auto, every --r1-every steps; others: none].",
)
@option(GANConfig, "--r1-every", type=click.IntRange(min=1), help="StyleGAN2: R1 interval.")
@option(
    GANConfig,
    "--style-mixing",
    type=click.FloatRange(0, 1),
    help="StyleGAN2: probability of mixing two codes.",
)
@option(
    GANConfig,
    "--pl-weight",
    type=click.FloatRange(min=0),
    help="StyleGAN2: path-length penalty weight (official 2; 0: off).",
)
@option(GANConfig, "--pl-every", type=click.IntRange(min=1), help="StyleGAN2: its interval.")
@option(
    GANConfig,
    "--phase-steps",
    type=click.IntRange(min=1),
    help="ProGAN: steps of each fade-in and of each stable phase.",
)
@option(GANConfig, "--drift", type=click.FloatRange(min=0), help="ProGAN: WGAN-GP drift ε.")
@option(
    GANConfig,
    "--d-class-loss",
    type=click.FloatRange(min=0),
    help="Weight of a class loss on real images through a head of D (the dataset's class "
    "labels, e.g. the sprites' shape; G stays unconditional): teaches D what tells the classes "
    "apart. With --family infogan the head is Q's categorical code, bound so to the classes "
    "(semi-supervised InfoGAN; --info-categorical = the number of classes) [default: 0, off].",
)
@option(
    GANConfig,
    "--g-class-entropy",
    type=click.FloatRange(min=0),
    help="With --d-class-loss: weight of CatGAN's generator term on D's class head (each fake "
    "one definite class, all classes drawn) [default: 0, off].",
)
@click.option(
    "--info-projection",
    is_flag=True,
    help="With --family infogan: bind the categorical code to the dataset's classes through a "
    "projection discriminator (reals judged with their labels, fakes with their code's "
    "category; --info-categorical = the number of classes).",
)
@precision_option(GANConfig)
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
    from latentkit.train.run import RunFolder

    out = start("scorer", ScorerConfig, kw)
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
@option(
    EncoderConfig,
    "--space",
    type=click.Choice(SPACES),
    help="The codes the encoder predicts: z, or a style-based generator's w or wp (W+).",
)
@option(
    EncoderConfig,
    "--truncation",
    type=float,
    help="Style-based generators: truncation ψ of the codes it learns from [default: none].",
)
@option(EncoderConfig, "--width", type=click.IntRange(min=1), help="Base channel count.")
@optimisation_options(EncoderConfig, what="Codes")
@run_options
@common_options
def train_encoder_command(**kw) -> None:
    """Train an encoder x -> code for a fixed generator by latent regression ‖E(G(z)) − z‖²
    (z: codes of --space)."""
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
@precision_option(BiGANConfig)
@run_options
@common_options
def train_bigan_command(**kw) -> None:
    """Train BiGAN / ALI: G, an encoder E and a joint discriminator D(x, z)."""
    out = start("bigan", BiGANConfig, kw)
    click.echo(
        f"generator: {out / 'generator.safetensors'}\nencoder: {out / 'encoder.safetensors'}"
    )
