"""``latentkit sample``: a latent bank of seeded codes and their attribute scores."""

from __future__ import annotations

from pathlib import Path

import click

from latentkit.attributes.scorer import load_scorers
from latentkit.io.bank import export_interfacegan, save_bank
from latentkit.io.models import image_shape
from latentkit.latent.sample import sample_bank
from latentkit_cli.options import (
    common_options,
    generator_options,
    option,
    overwrite_option,
    prepare,
    scorer_options,
)


@click.command()
@generator_options
@scorer_options
@click.option("--n", "count", type=click.IntRange(min=1), default=10000, help="How many codes.")
@option(sample_bank, "--batch-size", type=click.IntRange(min=1), help="Codes per batch.")
@click.option("--out", type=click.Path(path_type=Path), required=True, help="Bank file (.npz).")
@click.option(
    "--images",
    type=click.Path(path_type=Path),
    default=None,
    help="Also stream the images to this .npy (uint8).",
)
@click.option(
    "--interfacegan",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Also export z.npy and <attribute>.npy to this folder.",
)
@click.option("--no-progress", is_flag=True, help="Hide the progress bar.")
@overwrite_option
@common_options
def sample(
    generator,
    scorers,
    attributes,
    count,
    batch_size,
    out,
    images,
    interfacegan,
    no_progress,
    overwrite,
    seed,
    device,
) -> None:
    """Draw --n seeded codes, generate and score them, and write a latent bank."""
    net, device = prepare(generator, device, (out, images), overwrite)
    shape = image_shape(net, device)
    scorer_net = load_scorers(scorers, attributes, device, shape) if scorers else None
    bank = sample_bank(
        net,
        scorer_net,
        count,
        seed,
        batch_size,
        device,
        images,
        progress=not no_progress,
        meta={"generator": str(generator), "scorer": list(scorers)},
    )
    save_bank(out, bank, overwrite)
    click.echo(
        f"bank: {out} ({count} codes, attributes: {', '.join(bank.attribute_names) or 'none'})"
    )
    if interfacegan:
        interfacegan.mkdir(exist_ok=True)
        export_interfacegan(bank, interfacegan, overwrite)
        click.echo(f"InterFaceGAN files: {interfacegan}")
