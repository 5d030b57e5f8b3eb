"""``latentkit measure``: measurement reports (JSON, Markdown and PNG in one folder)."""

from __future__ import annotations

from pathlib import Path

import click
import numpy as np

from latentkit.attributes.scorer import load_scorer
from latentkit.directions.projection import project
from latentkit.errors import LatentkitError
from latentkit.io.direction import load_direction
from latentkit.latent.sample import sample_codes
from latentkit.metrics.edits import cosine_matrix, side_effects
from latentkit.metrics.report import markdown_table, write_report
from latentkit.viz.plots import heatmap
from latentkit_cli.options import (
    common_options,
    generator_options,
    overwrite_option,
    prepare,
    scorer_options,
)


@click.group()
def measure() -> None:
    """Measure directions and latent spaces; each run writes one report folder."""


@measure.command("edits")
@generator_options
@scorer_options
@click.option(
    "--direction",
    "directions",
    type=click.Path(path_type=Path),
    multiple=True,
    required=True,
    help="Direction file; repeat. With two or more, each is also measured conditioned on the rest.",
)
@click.option(
    "--n", "count", type=click.IntRange(min=1), default=256, help="Seeded codes to edit from."
)
@click.option(
    "--distance",
    type=click.FloatRange(min=0, min_open=True),
    default=1.0,
    help="Walk from -distance to +distance (relative to each code).",
)
@click.option("--steps", type=click.IntRange(min=2), default=5, help="Points along each walk.")
@click.option(
    "--out", type=click.Path(path_type=Path, file_okay=False), required=True, help="Report folder."
)
@overwrite_option
@common_options
def edits(
    generator,
    latent_dim,
    prior,
    scorer,
    attributes,
    directions,
    count,
    distance,
    steps,
    out,
    overwrite,
    seed,
    device,
) -> None:
    """Side-effect matrix (slope of every attribute along every direction, with and without
    conditioning on the other directions) and the boundary cosine matrix."""
    if scorer is None:
        raise LatentkitError("measure edits needs --scorer")
    report = out / "report.json" if out.is_dir() else out
    fresh = report == out  # a new folder: nothing to overwrite
    net, device = prepare(generator, latent_dim, prior, device, (report,), overwrite or fresh)
    scorer_net = load_scorer(scorer, attributes, device)
    loaded = [load_direction(d).require_size(net.latent_dim, str(d)) for d in directions]
    names = [d.name for d in loaded]
    codes = sample_codes(net.prior, count, net.latent_dim, seed)
    distances = np.linspace(-distance, distance, steps)
    normals = [d.normal for d in loaded]
    effects = side_effects(net, scorer_net, normals, codes, distances, device=device)
    cosines = cosine_matrix(normals)
    attrs = list(scorer_net.attribute_names)
    data = {
        "directions": names,
        "attributes": attrs,
        "codes": count,
        "seed": seed,
        "distances": distances,
        "cosines": cosines,
        "side_effects": effects,
    }
    md = [
        f"# Edit measurements\n\n{count} seeded codes (seed {seed}), relative walks over "
        f"[{-distance}, {distance}] in {steps} steps.\n",
        "## Boundary cosines\n",
        markdown_table(cosines, names, names),
        "\n## Side effects (standardised slope: attribute std per unit distance)\n",
        markdown_table(effects["standardised"], names, attrs),
    ]
    out.mkdir(exist_ok=True)
    heatmap(out / "cosines.png", cosines, names, names, "boundary cosines")
    heatmap(out / "side_effects.png", effects["standardised"], names, attrs, "side effects")
    if len(loaded) > 1:
        conditioned = [
            project(n, [m for j, m in enumerate(normals) if j != i]) for i, n in enumerate(normals)
        ]
        cond_effects = side_effects(
            net, scorer_net, [p.direction for p in conditioned], codes, distances, device=device
        )
        cond_names = [f"{n} ⊥ rest" for n in names]
        data["conditioned"] = {
            "side_effects": cond_effects,
            "cosine_to_primal": [p.cosine_to_primal for p in conditioned],
        }
        md += [
            "\n## Side effects, each direction conditioned on the others\n",
            markdown_table(cond_effects["standardised"], cond_names, attrs),
        ]
        heatmap(
            out / "side_effects_conditioned.png",
            cond_effects["standardised"],
            cond_names,
            attrs,
            "side effects, conditioned",
        )
    paths = write_report(out, data, "\n".join(md))
    click.echo(f"report: {paths['markdown']}")
