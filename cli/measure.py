"""``latentkit measure``: measurement reports (JSON, Markdown and PNG in one folder)."""

from __future__ import annotations

from pathlib import Path

import click
import numpy as np

from latentkit.attributes.scorer import load_scorer
from latentkit.data import load_dataset
from latentkit.directions.projection import project
from latentkit.errors import LatentkitError
from latentkit.io.atomic import check_writable
from latentkit.io.bank import load_npy
from latentkit.io.direction import load_direction
from latentkit.latent.sample import sample_codes
from latentkit.metrics.disentanglement import DCI_MODES, ArraySource, DatasetSource, evaluate_all
from latentkit.metrics.edits import cosine_matrix, side_effects
from latentkit.metrics.report import markdown_table, write_report
from latentkit.metrics.representations import representation
from latentkit.runtime import resolve_device
from latentkit.viz.plots import heatmap
from latentkit_cli.options import (
    common_options,
    generator_options,
    overwrite_option,
    prepare,
    scorer_options,
)


def report_options(f):
    """--out FOLDER and --overwrite: a report folder is new, or replaced with --overwrite."""
    f = overwrite_option(f)
    return click.option(
        "--out",
        type=click.Path(path_type=Path, file_okay=False),
        required=True,
        help="Report folder.",
    )(f)


def report_file(out: Path, overwrite: bool) -> tuple[Path, bool]:
    """The file whose writability stands for the folder's, and whether it may be replaced."""
    return (out / "report.json", overwrite) if out.is_dir() else (out, True)


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
@report_options
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
    report, replace = report_file(out, overwrite)
    net, device = prepare(generator, latent_dim, prior, device, (report,), replace)
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


@measure.command("disentanglement")
@click.option(
    "--codes",
    "codes_file",
    type=click.Path(path_type=Path),
    default=None,
    help="Codes [N, D] (.npy), with --factors: measure precomputed codes.",
)
@click.option(
    "--factors",
    "factors_file",
    type=click.Path(path_type=Path),
    default=None,
    help="Integer factor classes [N, K] (.npy) aligned with --codes.",
)
@click.option("--data", default=None, help="Ground-truth dataset (sprites) to render and encode.")
@click.option(
    "--resolution", type=click.Choice(["32", "64"]), default=None, help="Image size for --data."
)
@click.option(
    "--encoder",
    "encoders",
    multiple=True,
    help="With --data: an encoder file, 'factors' or 'pixels:D'; repeat to compare.",
)
@click.option(
    "--dci-mode",
    type=click.Choice(DCI_MODES),
    default="fast",
    help="gbt: the reference's estimator.",
)
@click.option("--num-train", type=click.IntRange(min=10), default=10000, help="Training points.")
@click.option("--num-test", type=click.IntRange(min=10), default=5000, help="Test points.")
@report_options
@common_options
def disentanglement(
    codes_file,
    factors_file,
    data,
    resolution,
    encoders,
    dci_mode,
    num_train,
    num_test,
    out,
    overwrite,
    seed,
    device,
) -> None:
    """beta-VAE, FactorVAE, MIG, SAP, DCI, modularity and explicitness at disentanglement_lib's
    sizes, for precomputed codes or for representations of a ground-truth dataset."""
    check_writable(*report_file(out, overwrite))
    sources = {}
    if codes_file is not None or factors_file is not None:
        if codes_file is None or factors_file is None or data is not None:
            raise LatentkitError("give --codes with --factors, or --data with --encoder")
        codes, factors = load_npy(codes_file, "codes"), load_npy(factors_file, "factors")
        try:
            sources[codes_file.stem] = ArraySource(codes, factors)
        except LatentkitError as exc:
            raise LatentkitError(f"{codes_file}: {exc}") from None
    elif data is not None:
        dataset = load_dataset(data, int(resolution) if resolution else None)
        if not hasattr(dataset, "sample_factors"):
            raise LatentkitError(f"{data}: not a ground-truth dataset (use sprites)")
        device = resolve_device(device)
        for spec in encoders or ("factors", "pixels:10"):
            sources[spec] = DatasetSource(dataset, representation(spec, dataset, seed, device))
    else:
        raise LatentkitError("give --codes with --factors, or --data with --encoder")
    results = {
        name: evaluate_all(source, seed, dci_mode, num_train, num_test)
        for name, source in sources.items()
    }
    first = next(iter(results.values()))
    keys = [
        (m, k)
        for m, values in first.items()
        for k in values
        if k not in ("seconds", "num_active_dims")
    ]
    labels = [f"{m}.{k}" for m, k in keys]
    table = np.array([[results[n][m][k] for n in results] for m, k in keys])  # metrics × sources
    md = (
        f"# Disentanglement\n\nseed {seed}, {num_train} train / {num_test} test points, DCI mode "
        f"{dci_mode}.\n\n" + markdown_table(table, labels, list(results))
    )
    out.mkdir(exist_ok=True)
    heatmap(
        out / "disentanglement.png",
        table,
        labels,
        list(results),
        "disentanglement metrics",
        symmetric=False,
    )
    paths = write_report(out, {"seed": seed, "dci_mode": dci_mode, "results": results}, md)
    click.echo(f"report: {paths['markdown']}")
