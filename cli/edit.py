"""``latentkit edit``: walk codes along directions and write a labelled grid."""

from __future__ import annotations

from pathlib import Path

import click
import numpy as np

from latentkit.directions.edit import MODES, combine, edit_codes
from latentkit.errors import LatentkitError
from latentkit.io.atomic import atomic_path
from latentkit.io.direction import load_direction
from latentkit.latent.codes import codes_from_file, codes_from_seeds, parse_indices
from latentkit.latent.sample import generate
from latentkit.viz.grid import save_grid
from latentkit_cli.options import common_options, generator_options, overwrite_option, prepare


def code_source_options(f):
    """Where codes come from: --seeds, or --codes (a .npy or a bank) with --indices."""
    f = click.option(
        "--indices", default=None, help="Rows of --codes to use, e.g. 0-7 [default: the first 8]."
    )(f)
    f = click.option(
        "--codes",
        "codes_file",
        type=click.Path(path_type=Path),
        default=None,
        help="Codes: a .npy [N, d] or a bank .npz.",
    )(f)
    f = click.option("--truncation", type=float, default=None, help="Truncation for seeded codes.")(
        f
    )
    return click.option(
        "--seeds", default=None, help="Seeds of the codes, e.g. 0-7 [default: 0-7]."
    )(f)


def load_codes(net, seeds, codes_file, indices, truncation) -> tuple[np.ndarray, list[str]]:
    """Codes and their row labels from the code-source options."""
    if codes_file is not None:
        if seeds is not None:
            raise LatentkitError("give --seeds or --codes, not both")
        codes = codes_from_file(codes_file, net.latent_dim)
        rows = parse_indices(indices) if indices else list(range(min(8, len(codes))))
        if max(rows) >= len(codes) or min(rows) < 0:
            raise LatentkitError(
                f"{codes_file}: has {len(codes)} codes, --indices asks for row {max(rows)}"
            )
        return codes[rows], [f"#{i}" for i in rows]
    seed_list = parse_indices(seeds or "0-7")
    return codes_from_seeds(net.prior, net.latent_dim, seed_list, truncation), [
        f"seed {s}" for s in seed_list
    ]


@click.command()
@generator_options
@click.option(
    "--direction",
    "directions",
    type=click.Path(path_type=Path),
    multiple=True,
    required=True,
    help="Direction file (.npz or InterFaceGAN .npy); repeat to walk their sum.",
)
@code_source_options
@click.option(
    "--mode",
    type=click.Choice(MODES),
    default="absolute",
    help="absolute: distance from the hyperplane (InterFaceGAN); relative: offset from each code.",
)
@click.option("--start", type=float, default=-3.0, help="First distance.")
@click.option("--end", type=float, default=3.0, help="Last distance.")
@click.option("--steps", type=click.IntRange(min=2), default=7, help="Columns of the grid.")
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
    latent_dim,
    prior,
    directions,
    seeds,
    codes_file,
    indices,
    truncation,
    mode,
    start,
    end,
    steps,
    out,
    codes_out,
    overwrite,
    seed,
    device,
) -> None:
    """Walk codes along a direction; rows are codes, columns are distances."""
    net, device = prepare(generator, latent_dim, prior, device, (out, codes_out), overwrite)
    parts = [load_direction(d).require_size(net.latent_dim, str(d)) for d in directions]
    direction = combine(parts)
    codes, rows = load_codes(net, seeds, codes_file, indices, truncation)
    distances = np.linspace(start, end, steps)
    walked = edit_codes(codes, direction.normal, distances, mode, direction.intercept)
    images = generate(net, walked.reshape(-1, net.latent_dim).astype(np.float32), device=device)
    save_grid(
        out,
        images,
        steps,
        row_labels=rows,
        column_labels=[f"{d:+.1f}" for d in distances],
        title=f"{direction.name} ({mode})",
        overwrite=overwrite,
    )
    if codes_out is not None:
        with atomic_path(codes_out, overwrite) as tmp, tmp.open("wb") as f:
            np.save(f, walked.astype(np.float32))
    click.echo(f"grid: {out}")
