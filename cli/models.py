"""``latentkit models``: the pretrained bundles that ship with latentkit."""

from __future__ import annotations

import click

from latentkit.io.bundles import get_bundle, list_bundles


@click.group()
def models() -> None:
    """Pretrained bundles: generators, encoders, scorers and boundaries trained by latentkit."""


@models.command("list")
def list_command() -> None:
    """Name, contents and description of every installed bundle."""
    found = list_bundles()
    if not found:
        click.echo("no pretrained bundles installed")
    for bundle in found.values():
        click.echo(f"{bundle.name}: {bundle.description}")
        click.echo(f"  models: {', '.join(sorted(bundle.models))}")
        click.echo(f"  directions: {', '.join(sorted(bundle.directions))}")
        click.echo(f"  folder: {bundle.folder}")


@models.command("show")
@click.argument("name")
def show_command(name: str) -> None:
    """Print a bundle's model card."""
    click.echo((get_bundle(name).folder / "MODEL_CARD.md").read_text())
