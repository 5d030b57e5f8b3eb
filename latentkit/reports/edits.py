"""The edits report: how directions move a scorer's attributes, with and without conditioning."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
from torch import nn

from latentkit.directions.keep import keeping_walk
from latentkit.directions.projection import Projection, project
from latentkit.errors import LatentkitError
from latentkit.io.atomic import report_folder
from latentkit.io.direction import Direction, load_direction
from latentkit.metrics.edits import cosine_matrix, match_directions, side_effects
from latentkit.priors import draw_codes
from latentkit.reports.folder import markdown_table, write_report
from latentkit.viz.plots import heatmap


def conditioned_on_rest(directions: list[Direction], index: int) -> Projection:
    """Direction `index` projected off all the others."""
    others = [d.normal for j, d in enumerate(directions) if j != index]
    try:
        return project(directions[index].normal, others)
    except LatentkitError as exc:
        direction = directions[index]
        raise LatentkitError(f"{direction.source or direction.name}: {exc}") from None


def effects_sections(
    heading: str, effects: dict, names: list[str], attributes: list[str], distances: np.ndarray
) -> list[str]:
    """Markdown for one set of walks (`side_effects`' output): the standardised side-effect
    table under `heading`, the class-flip rate of every class head along each walk, and how far
    every attribute drifted (mean |change| in std) at the walk's two ends."""
    columns = [f"{d:+.2g}" for d in distances]
    md = [f"\n## {heading}\n", markdown_table(effects["standardised"], names, attributes)]
    for head, rates in effects["flip_rates"].items():
        md += [
            f"\n## Identity: share of codes whose predicted {head} changed, per distance\n",
            markdown_table(rates, names, columns),
        ]
    ends = [0, len(distances) - 1]
    drift = effects["drift"][:, ends].reshape(len(names) * 2, -1)
    rows = [f"{n} at {distances[e]:+.2g}" for n in names for e in ends]
    md += [
        "\n## Preservation: mean |change| of each attribute (std) at the walk's ends\n",
        markdown_table(drift, rows, attributes),
    ]
    return md


def edits_report(
    generator: nn.Module,
    scorer: nn.Module,
    directions: list[Direction],
    out: str | Path,
    count: int = 256,
    distance: float = 1.0,
    steps: int = 5,
    reference: str | Path | None = None,
    seed: int = 0,
    device: str | torch.device = "cpu",
    overwrite: bool = False,
    layers: list[int] | None = None,
    keep_class: nn.Module | None = None,
) -> dict:
    """Side-effect matrix (standardised slope of every attribute along every direction, walked
    relatively over [-distance, distance] from `count` seeded codes of the generator's space;
    on W+ codes W directions move `layers`), the boundary cosine matrix,
    with two or more directions each one conditioned on the others, and with a `reference`
    folder of attribute boundaries each direction's best-matching attribute and its cosine to
    that boundary; with a `keep_class` classifier, each direction also walked keeping the class
    it reads at the start (`latentkit.directions.keep`). Writes the report folder `out` and
    returns its data."""
    names = [d.name for d in directions]
    normals = [d.normal for d in directions]
    attrs = list(scorer.attribute_names)
    codes = draw_codes(generator, count, seed)
    distances = np.linspace(-distance, distance, steps)
    effects = side_effects(
        generator, scorer, directions, codes, distances, device=device, layers=layers
    )
    cosines = cosine_matrix(normals)
    data = {
        "directions": names,
        "attributes": attrs,
        "space": getattr(generator, "space", "z"),
        "layers": layers,
        "codes": count,
        "seed": seed,
        "distances": distances,
        "cosines": cosines,
        "side_effects": effects,
    }
    md = [
        f"# Edit measurements\n\n{count} seeded codes (seed {seed}) of the "
        f"{data['space']} space, relative walks over [{-distance}, {distance}] in {steps} "
        f"steps{f' on layers {layers}' if layers else ''}.\n",
        "## Boundary cosines\n",
        markdown_table(cosines, names, names),
    ]
    md += effects_sections(
        "Side effects (standardised slope: attribute std per unit distance)",
        effects, names, attrs, distances,
    )  # fmt: skip
    if reference is not None:
        boundaries = {
            p.stem: load_direction(p).normal for p in sorted(Path(reference).glob("*.npz"))
        }
        matches = match_directions(normals, effects["standardised"], attrs, boundaries)
        data["matches"] = dict(zip(names, matches, strict=True))
        md += [
            "\n## Best-matching attribute per direction\n",
            "| direction | attribute | slope | cosine to its boundary |",
            "|---|---|---|---|",
        ]
        md += [
            f"| {n} | {m['attribute']} | {m['slope']:+.3f} | "
            + ("-" if m["cosine_to_boundary"] is None else f"{m['cosine_to_boundary']:+.3f}")
            + " |"
            for n, m in zip(names, matches, strict=True)
        ]  # fmt: skip
    figures = {
        "cosines.png": (cosines, names, names, "boundary cosines"),
        "side_effects.png": (effects["standardised"], names, attrs, "side effects"),
    }
    if len(directions) > 1:
        conditioned = [conditioned_on_rest(directions, i) for i in range(len(directions))]
        as_directions = [
            Direction(p.direction, 0.0, d.meta)
            for p, d in zip(conditioned, directions, strict=True)
        ]
        cond_effects = side_effects(
            generator, scorer, as_directions, codes, distances, device=device, layers=layers
        )
        cond_names = [f"{n} ⊥ rest" for n in names]
        data["conditioned"] = {
            "side_effects": cond_effects,
            "cosine_to_primal": [p.cosine_to_primal for p in conditioned],
        }
        md += effects_sections(
            "Side effects, each direction conditioned on the others",
            cond_effects, cond_names, attrs, distances,
        )  # fmt: skip
        figures["side_effects_conditioned.png"] = (
            cond_effects["standardised"],
            cond_names,
            attrs,
            "side effects, conditioned",
        )
    if keep_class is not None:

        def keeping(start: np.ndarray, direction: Direction, steps: np.ndarray) -> np.ndarray:
            return keeping_walk(
                start, direction.normal, steps, generator, keep_class, device=device
            )

        kept = side_effects(generator, scorer, directions, codes, distances, device=device,
                            walker=keeping)  # fmt: skip
        kept_names = [f"{n} (class kept)" for n in names]
        data["class_kept"] = {"side_effects": kept, "classifier": getattr(keep_class, "source", "")}
        md += effects_sections(
            "Side effects, each direction walked keeping the class it starts in",
            kept, kept_names, attrs, distances,
        )  # fmt: skip
        figures["side_effects_class_kept.png"] = (
            kept["standardised"], kept_names, attrs, "side effects, class kept",
        )  # fmt: skip
    with report_folder(out, overwrite) as folder:
        for name, (matrix, rows, columns, title) in figures.items():
            heatmap(folder / name, matrix, rows, columns, title)
        write_report(folder, data, "\n".join(md))
    return data
