"""``latentkit models``: the pretrained bundles that ship with latentkit."""

from __future__ import annotations

from pathlib import Path

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
@click.argument("spec")
def show_command(spec: str) -> None:
    """A bundle's model card, or what a model file, run folder, TorchScript file or py: factory
    holds (architecture, size, provenance, held-out figures)."""
    from latentkit.io.models import describe

    if spec in list_bundles() and not Path(spec).exists():
        click.echo((get_bundle(spec).folder / "MODEL_CARD.md").read_text())
    else:
        click.echo("\n".join(describe(spec)))
