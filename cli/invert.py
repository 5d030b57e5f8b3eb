"""``latentkit invert``: codes for real images, with a grid of original | reconstruction."""

from __future__ import annotations

import logging
from pathlib import Path

import click
import numpy as np
import torch

from latentkit.io.bank import save_npy
from latentkit.io.models import image_shape, load_encoder
from latentkit.latent.codes import load_real_images
from latentkit.latent.invert import check_pair, invert
from latentkit.latent.sample import generate
from latentkit.viz.grid import save_grid
from latentkit_cli.options import (
    common_options,
    generator_options,
    option,
    overwrite_option,
    prepare,
)

log = logging.getLogger("latentkit")


@click.command("invert")
@generator_options
@click.option("--encoder", required=True, help="Encoder: a latentkit file or TorchScript.")
@click.option(
    "--image", "files", type=click.Path(path_type=Path), multiple=True, help="Image file; repeat."
)
@click.option("--data", default=None, help="Or a dataset, with --indices.")
@click.option("--indices", default=None, help="Dataset rows, e.g. 0-7 [default: 0-7].")
@option(invert, "--steps", type=click.IntRange(min=0), help="Refinement steps (0: encoder only).")
@option(invert, "--lr", type=float, help="Adam learning rate of the refinement.")
@option(invert, "--domain-weight", type=float, help="Weight of ‖z − E(G(z))‖² in refinement.")
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    required=True,
    help="PNG grid: original | reconstruction.",
)
@click.option(
    "--codes-out", type=click.Path(path_type=Path), default=None, help="Also save the codes (.npy)."
)
@overwrite_option
@common_options
def invert_command(
    generator,
    encoder,
    files,
    data,
    indices,
    steps,
    lr,
    domain_weight,
    out,
    codes_out,
    overwrite,
    seed,
    device,
) -> None:
    """Find codes for real images: the encoder's guess, refined by --steps of optimisation."""
    net, device = prepare(generator, device, (out, codes_out), overwrite)
    encoder_net = load_encoder(encoder, device)
    check_pair(net, encoder_net, str(encoder))
    images, labels = load_real_images(image_shape(net, device), files, data, indices)
    torch.manual_seed(seed)
    codes = invert(net, encoder_net, images.to(device), steps, lr, domain_weight)
    reconstructions = generate(net, codes.cpu().numpy(), device=device)
    error = (reconstructions - images).pow(2).mean().item()
    pairs = torch.stack([images, reconstructions], dim=1).flatten(0, 1)
    save_grid(
        out,
        pairs,
        2,
        row_labels=labels,
        column_labels=["original", "reconstruction"],
        title=f"{'encoder' if steps == 0 else f'encoder + {steps} steps'}: MSE {error:.4f}",
        overwrite=overwrite,
    )
    if codes_out is not None:
        save_npy(codes_out, codes.cpu().numpy().astype(np.float32), overwrite)
    click.echo(f"grid: {out} (reconstruction MSE {error:.4f})")
