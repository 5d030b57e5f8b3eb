"""``latentkit interpolate``: lerp and slerp chains, and analogy grids."""

from __future__ import annotations

from pathlib import Path

import click
import numpy as np

from latentkit.errors import LatentkitError
from latentkit.io.bank import save_npy
from latentkit.latent.codes import load_codes
from latentkit.latent.interpolate import METHODS, analogy_grid, chain, default_method
from latentkit.latent.sample import generate
from latentkit.viz.grid import save_grid
from latentkit_cli.codes import code_source_options
from latentkit_cli.options import common_options, generator_options, overwrite_option, prepare


@click.command()
@generator_options
@code_source_options
@click.option(
    "--method",
    type=click.Choice(METHODS),
    default=None,
    help="Path between codes [default: slerp for a normal prior, else lerp].",
)
@click.option(
    "--steps", type=click.IntRange(min=2), default=8, help="Codes per segment (ends included)."
)
@click.option(
    "--analogy",
    is_flag=True,
    help="With three codes A, B, C: a steps×steps grid whose fourth corner is B + C − A.",
)
@click.option("--out", type=click.Path(path_type=Path), required=True, help="PNG grid to write.")
@click.option(
    "--codes-out", type=click.Path(path_type=Path), default=None, help="Also save the codes (.npy)."
)
@overwrite_option
@common_options
def interpolate(
    generator,
    codes,
    method,
    steps,
    analogy,
    out,
    codes_out,
    overwrite,
    seed,
    device,
) -> None:
    """Interpolate through codes: one row per segment; or an analogy grid."""
    net, device = prepare(generator, device, (out, codes_out), overwrite)
    points, labels = load_codes(net, codes, device, default_seeds="0-1")
    method = method or default_method(net.prior)
    if analogy:
        if len(points) != 3:
            raise LatentkitError(f"--analogy takes exactly three codes A, B, C; got {len(points)}")
        grid_codes = analogy_grid(*points.astype(np.float64), steps).reshape(-1, net.latent_dim)
        title = f"analogy: A={labels[0]}, B={labels[1]}, C={labels[2]}, corner B+C-A"
        rows = None
    else:
        path = chain(points.astype(np.float64), steps, method)
        segments = [path[i * (steps - 1) : i * (steps - 1) + steps] for i in range(len(points) - 1)]
        grid_codes = np.concatenate(segments)
        title = f"{method}, {steps} steps per segment"
        rows = [f"{labels[i]} > {labels[i + 1]}" for i in range(len(points) - 1)]
    images = generate(net, grid_codes.astype(np.float32), device=device)
    save_grid(out, images, steps, row_labels=rows, title=title, overwrite=overwrite)
    if codes_out is not None:
        save_npy(codes_out, grid_codes.astype(np.float32), overwrite)
    click.echo(f"grid: {out}")
