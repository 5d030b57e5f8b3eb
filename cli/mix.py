"""``latentkit mix``: the style-mixing grid of the StyleGAN paper."""

from __future__ import annotations

from pathlib import Path

import click
import torch

from latentkit.latent.codes import codes_from_seeds, parse_indices
from latentkit.latent.mixing import mix_styles
from latentkit.latent.sample import generate
from latentkit.viz.grid import save_grid
from latentkit_cli.options import common_options, generator_options, overwrite_option, prepare


@click.command("mix")
@generator_options
@click.option("--destinations", default="0-3", help="Seeds of the rows' codes.  [default: 0-3]")
@click.option("--sources", default="4-8", help="Seeds of the columns' codes.  [default: 4-8]")
@click.option(
    "--layers",
    required=True,
    help="W+ layers taken from the source, e.g. 0-3 (coarse styles) or 4-7 (fine ones).",
)
@click.option("--out", type=click.Path(path_type=Path), required=True, help="PNG grid to write.")
@overwrite_option
@common_options
def mix(generator, destinations, sources, layers, out, overwrite, seed, device) -> None:
    """Style mixing: rows are destination codes, columns source codes; each cell is the
    destination with --layers taken from the source. The first row shows the sources, the first
    column the destinations."""
    net, device = prepare(generator, device, (out,), overwrite)
    rows = parse_indices(destinations, "destinations")
    columns = parse_indices(sources, "sources")
    chosen = parse_indices(layers, "layers")
    dest_codes, source_codes = codes_from_seeds(net, rows), codes_from_seeds(net, columns)
    cells = mix_styles(net, dest_codes, source_codes, chosen, device)
    dest_images = generate(net, dest_codes, device=device)
    source_images = generate(net, source_codes, device=device)
    blank = torch.ones_like(source_images[:1])
    tiles = [blank, source_images]
    for i in range(len(rows)):
        tiles += [dest_images[i : i + 1], cells[i * len(columns) : (i + 1) * len(columns)]]
    save_grid(
        out,
        torch.cat(tiles),
        len(columns) + 1,
        row_labels=["sources", *(f"seed {s}" for s in rows)],
        column_labels=["", *(f"seed {s}" for s in columns)],
        title=f"layers {layers} from the source",
        overwrite=overwrite,
    )
    click.echo(f"grid: {out}")
