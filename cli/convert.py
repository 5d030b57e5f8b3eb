"""``latentkit convert``: a generator of another tool, written once as a latentkit file."""

from __future__ import annotations

from pathlib import Path

import click

from latentkit.io.models import convert_generator
from latentkit_cli.options import overwrite_option, seed_option


@click.command("convert")
@click.argument("source")
@click.option(
    "--out", type=click.Path(path_type=Path), required=True, help="latentkit file (.safetensors)."
)
@overwrite_option
@seed_option
def convert(source, out, overwrite, seed) -> None:
    """Read SOURCE — a stylegan2-ada-pytorch network pickle (G_ema), InterFaceGAN's PGGAN .pth,
    official-key safetensors — without running code from it, and write it as a latentkit
    generator file (architecture and source in its metadata). Every --generator also takes
    SOURCE directly; converting reads it once."""
    net = convert_generator(source, out, overwrite)
    count = sum(p.numel() for p in net.parameters())
    click.echo(f"generator: {out} ({net.config['arch']}, {count:,} parameters)")
