"""``latentkit generate``: images from a generator's prior, as a grid."""

from __future__ import annotations

from pathlib import Path

import click
import torch

from latentkit.runtime import sample_prior, torch_generator
from latentkit.viz.grid import save_grid
from latentkit_cli.options import common_options, generator_options, overwrite_option, prepare


@click.command()
@generator_options
@click.option("--n", "count", type=click.IntRange(min=1), default=64, help="How many images.")
@click.option("--columns", type=click.IntRange(min=1), default=8, help="Grid columns.")
@click.option("--out", type=click.Path(path_type=Path), required=True, help="PNG file to write.")
@overwrite_option
@common_options
def generate(generator, count, columns, out, overwrite, seed, device) -> None:
    """Draw --n seeded codes from the generator's prior and write their images as a grid."""
    net, device = prepare(generator, device, (out,), overwrite)
    z = sample_prior(net.prior, count, net.latent_dim, torch_generator(seed))
    with torch.no_grad():
        images = torch.cat([net(chunk.to(device)).cpu() for chunk in z.split(256)])
    save_grid(out, images, columns, overwrite=overwrite)
    click.echo(f"wrote {out}")
