"""``latentkit generate``: images from a generator's prior, as a grid."""

from __future__ import annotations

from pathlib import Path

import click

from latentkit.latent.sample import generate
from latentkit.priors import draw_codes
from latentkit.viz.grid import save_grid
from latentkit_cli.options import common_options, generator_options, overwrite_option, prepare


@click.command("generate")
@generator_options
@click.option("--n", "count", type=click.IntRange(min=1), default=64, help="How many images.")
@click.option("--columns", type=click.IntRange(min=1), default=8, help="Grid columns.")
@click.option("--out", type=click.Path(path_type=Path), required=True, help="PNG file to write.")
@overwrite_option
@common_options
def generate_command(generator, count, columns, out, overwrite, seed, device) -> None:
    """Draw --n seeded codes from the generator's prior and write their images as a grid."""
    net, device = prepare(generator, device, (out,), overwrite)
    images = generate(net, draw_codes(net, count, seed), device=device)
    save_grid(out, images, columns, overwrite=overwrite)
    click.echo(f"wrote {out}")
