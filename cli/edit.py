"""``latentkit edit``: walk codes along directions and write a labelled grid."""

from __future__ import annotations

from pathlib import Path

import click
import numpy as np
import torch

from latentkit.attributes.scorer import load_scorers
from latentkit.directions.edit import MODES, combine, walk
from latentkit.directions.keep import keeping_walk
from latentkit.errors import LatentkitError
from latentkit.io.bank import save_npy
from latentkit.io.direction import generator_direction
from latentkit.io.models import image_shape
from latentkit.latent.codes import load_codes, load_real_images, parse_indices
from latentkit.latent.sample import generate
from latentkit.viz.grid import save_grid
from latentkit_cli.codes import code_source_options
from latentkit_cli.options import (
    common_options,
    directions_option,
    generator_options,
    overwrite_option,
    prepare,
)


@click.command()
@generator_options
@directions_option("Direction file (.npz or InterFaceGAN .npy); repeat to walk their sum.")
@code_source_options
@click.option(
    "--mode",
    type=click.Choice(MODES),
    default=None,
    help="absolute: distance from the hyperplane (InterFaceGAN); relative: offset from each code "
    "[default: absolute; relative with --image, so that distance 0 is the image itself].",
)
@click.option("--start", type=float, default=-3.0, help="First distance.")
@click.option("--end", type=float, default=3.0, help="Last distance.")
@click.option("--steps", type=click.IntRange(min=2), default=7, help="Columns of the grid.")
@click.option(
    "--compare",
    is_flag=True,
    help="With several --direction: a row per code and direction, instead of walking their sum.",
)
@click.option(
    "--layers",
    default=None,
    help="W+ codes (--space wp): the layers a W direction moves, e.g. 0-3 [default: the "
    "direction's own, else all].",
)
@click.option(
    "--in-sigmas",
    is_flag=True,
    help="Distances in standard deviations along the direction (GANSpace's σ; directions of "
    "boundary pca).",
)
@click.option(
    "--keep-class",
    default=None,
    help="A classifier (a scorer with one class head, e.g. mnist): walk keeping the class it reads "
    "at the start (relative distances, arc length).",
)
@click.option(
    "--off-support",
    is_flag=True,
    help="InfoGAN codes: leave the categorical code where the walk puts it, between its one-hot "
    "corners (where the generator was never trained), instead of snapping it to the nearest.",
)
@click.option("--out", type=click.Path(path_type=Path), required=True, help="PNG grid to write.")
@click.option(
    "--codes-out",
    type=click.Path(path_type=Path),
    default=None,
    help="Also save the edited codes [N, S, d] (.npy).",
)
@overwrite_option
@common_options
def edit(
    generator,
    directions,
    codes,
    mode,
    start,
    end,
    steps,
    compare,
    layers,
    in_sigmas,
    keep_class,
    off_support,
    out,
    codes_out,
    overwrite,
    seed,
    device,
) -> None:
    """Walk codes along a direction; rows are codes, columns are distances (real images: the
    image and its reconstruction first). Saved codes are [rows, steps, d], the rows as in the
    grid."""
    net, device = prepare(generator, device, (out, codes_out), overwrite)
    parts = [generator_direction(d, net) for d in directions]
    walks = parts if compare else [combine(parts)]
    request = codes
    codes, rows = load_codes(net, request, device)
    mode = mode or ("relative" if request.images or keep_class else "absolute")
    distances = np.linspace(start, end, steps)
    chosen = parse_indices(layers, "layers") if layers else None
    if keep_class:
        if mode != "relative" or chosen or in_sigmas:
            raise LatentkitError(
                "--keep-class walks relative distances in the code space, without --layers or "
                "--in-sigmas",
                ("keep_class",),
            )
        classifier = load_scorers([keep_class], None, device, image_shape(net, device))
        paths = [keeping_walk(codes, d.normal, distances, net, classifier, device=device)
                 for d in walks]  # fmt: skip
    else:
        paths = [walk(codes, d, distances, mode, net, chosen, in_sigmas, not off_support)
                 for d in walks]  # fmt: skip
    # code-major: each code's walks are adjacent rows
    walked = np.stack(paths, axis=1).reshape(-1, steps, net.latent_dim)
    labels = [f"{row} {d.name}" if compare else row for row in rows for d in walks]
    images = generate(net, walked.reshape(-1, net.latent_dim).astype(np.float32), device=device)
    columns = [f"{d:+.1f}" for d in distances]
    if request.images:  # each row starts with the image and its reconstruction
        originals, _ = load_real_images(image_shape(net, device), request.images)
        recon = generate(net, codes, device=device)
        per_row = np.repeat(np.arange(len(codes)), len(walks))
        images = torch.cat(
            [originals[per_row, None], recon[per_row, None],
             images.reshape(len(per_row), steps, *images.shape[1:])], dim=1,
        ).flatten(0, 1)  # fmt: skip
        columns = ["image", "recon.", *columns]
    save_grid(
        out,
        images,
        len(columns),
        row_labels=labels,
        column_labels=columns,
        title=f"{' vs '.join(d.name for d in walks)} ({mode}"
        + (", class kept)" if keep_class else ")"),
        overwrite=overwrite,
    )
    if codes_out is not None:
        save_npy(codes_out, walked.astype(np.float32), overwrite)
    click.echo(f"grid: {out}")
