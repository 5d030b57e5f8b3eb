"""``latentkit measure``: measurement reports (JSON, Markdown and PNG in one folder)."""

from __future__ import annotations

from pathlib import Path

import click
import numpy as np
import torch

from latentkit.attributes.scorer import load_scorer, load_scorers
from latentkit.data import load_dataset
from latentkit.directions.projection import project
from latentkit.errors import LatentkitError
from latentkit.io.atomic import check_writable
from latentkit.io.bank import load_bank, load_npy
from latentkit.io.direction import generator_direction, load_direction
from latentkit.io.models import load_encoder
from latentkit.latent.codes import parse_indices
from latentkit.latent.invert import check_pair
from latentkit.latent.sample import generate, sample_codes
from latentkit.metrics.disentanglement import DCI_MODES, ArraySource, DatasetSource, evaluate_all
from latentkit.metrics.edits import cosine_matrix, match_directions, side_effects
from latentkit.metrics.inversion import measure_inversion
from latentkit.metrics.latent import direction_auc, linear_separability, path_length
from latentkit.metrics.quality import (
    class_coverage,
    frechet_distance,
    kernel_distance,
    unit_scale,
)
from latentkit.metrics.report import markdown_table, write_report
from latentkit.metrics.representations import representation
from latentkit.runtime import resolve_device
from latentkit.viz.grid import save_grid
from latentkit.viz.plots import heatmap
from latentkit_cli.options import (
    common_options,
    directions_option,
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
@directions_option(
    "Direction file; repeat. With two or more, each is also measured conditioned on the rest."
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
    "--reference",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    default=None,
    help="A folder of attribute boundaries (boundary fit's output): match each direction to the "
    "attribute it moves most and report its cosine with that attribute's boundary.",
)
@report_options
@common_options
def edits(
    generator,
    scorers,
    attributes,
    directions,
    count,
    distance,
    steps,
    reference,
    out,
    overwrite,
    seed,
    device,
) -> None:
    """Side-effect matrix (slope of every attribute along every direction, with and without
    conditioning on the other directions), the boundary cosine matrix and, with --reference,
    each direction's best-matching attribute boundary."""
    if not scorers:
        raise LatentkitError("measure edits needs --scorer")
    report, replace = report_file(out, overwrite)
    net, device = prepare(generator, device, (report,), replace)
    scorer_net = load_scorers(scorers, attributes, device)
    loaded = [generator_direction(d, net) for d in directions]
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
    if reference is not None:
        boundaries = {p.stem: load_direction(p).normal for p in sorted(reference.glob("*.npz"))}
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
            raise LatentkitError(f"{codes_file}, {factors_file}: {exc}") from None
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


def feature_network(scorer_spec: str, device):
    """A latentkit attribute predictor, whose last hidden layer serves as the feature space."""
    net = load_scorer(scorer_spec, None, device)
    if not hasattr(net, "features"):
        raise LatentkitError(
            f"{scorer_spec}: feature measures need a scorer trained by latentkit "
            "(latentkit train scorer)"
        )
    return net


@torch.no_grad()
def _features(net, images: torch.Tensor, device, batch_size: int = 256) -> np.ndarray:
    return np.concatenate(
        [net.features(chunk.to(device)).cpu().numpy() for chunk in images.split(batch_size)]
    )


@measure.command("quality")
@generator_options
@click.option(
    "--scorer", required=True, help="A latentkit predictor: its features and its classes."
)
@click.option("--data", required=True, help="The real dataset the generator imitates.")
@click.option("--n", "count", type=click.IntRange(min=10), default=5000, help="Images per set.")
@report_options
@common_options
def quality(generator, scorer, data, count, out, overwrite, seed, device) -> None:
    """Fréchet distance and KID in a domain classifier's feature space, beside the real-versus-real
    baseline, and class coverage of the generated images."""
    report, replace = report_file(out, overwrite)
    net, device = prepare(generator, device, (report,), replace)
    features_net = feature_network(scorer, device)
    real = load_dataset(data, features_net.config["resolution"])
    if len(real) < 2 * count:
        raise LatentkitError(
            f"{data}: {len(real)} images, the real-versus-real baseline needs {2 * count}"
        )
    order = np.random.default_rng(seed).permutation(len(real))
    real_a = _features(features_net, real.images(np.sort(order[:count])), device)
    real_b = _features(features_net, real.images(np.sort(order[count : 2 * count])), device)
    fake_images = generate(net, sample_codes(net.prior, count, net.latent_dim, seed), device=device)
    fake = _features(features_net, fake_images, device)
    real_a, real_b, fake = unit_scale(real_a, real_b, fake)
    results = {
        "generated_vs_real": {
            "frechet": frechet_distance(fake, real_a),
            **kernel_distance(fake, real_a, seed=seed),
        },
        "real_vs_real": {
            "frechet": frechet_distance(real_b, real_a),
            **kernel_distance(real_b, real_a, seed=seed),
        },
    }
    class_head = next((h for h in features_net.heads if h["kind"] == "class"), None)
    if class_head is not None:
        columns = [
            i
            for i, n in enumerate(features_net.attribute_names)
            if n.startswith(f"{class_head['name']}=")
        ]
        scores = torch.cat(
            [features_net(chunk.to(device)).cpu() for chunk in fake_images.split(256)]
        )
        labels = scores[:, columns].argmax(dim=1).numpy()
        results["coverage"] = {
            "attribute": class_head["name"],
            **class_coverage(labels, len(columns)),
        }
    md = [
        f"# Sample quality\n\n{count} generated and 2 × {count} real images ({data}), "
        f"features of {scorer} (scaled so that the real ones have unit average variance).\n",
        "| | Fréchet | KID |",
        "|---|---|---|",
    ]
    md += [
        f"| {name} | {r['frechet']:.4f} | {r['kid']:.5f} ± {r['kid_std']:.5f} |"
        for name, r in results.items()
        if "frechet" in r
    ]
    if "coverage" in results:
        c = results["coverage"]
        md.append(
            f"\nClasses covered: {c['classes_covered']} of {len(columns)}; "
            f"balance {c['balance']:.3f}; largest class {100 * c['largest_class_share']:.1f}%."
        )
    paths = write_report(out, {"seed": seed, "n": count, "data": data, **results}, "\n".join(md))
    click.echo(f"report: {paths['markdown']}")


@measure.command("latent")
@generator_options
@click.option(
    "--bank",
    type=click.Path(path_type=Path),
    required=True,
    help="Bank of codes and scores (latentkit sample).",
)
@click.option(
    "--scorer", default=None, help="A latentkit predictor for path length in its features."
)
@directions_option(
    "Directions whose attribute is in the bank: their AUC as classifiers; repeat.", required=False
)
@click.option(
    "--path-samples", type=click.IntRange(min=10), default=2000, help="Paths for path length."
)
@report_options
@common_options
def latent(
    generator,
    bank,
    scorer,
    directions,
    path_samples,
    out,
    overwrite,
    seed,
    device,
) -> None:
    """Linear separability of the bank's attributes (StyleGAN), path length (with --scorer) and
    each direction's ROC AUC as a classifier of its attribute (median split)."""
    report, replace = report_file(out, overwrite)
    net, device = prepare(generator, device, (report,), replace)
    data = load_bank(bank)
    if data.latent_dim != net.latent_dim:
        raise LatentkitError(
            f"{bank}: codes of size {data.latent_dim}, the generator's are {net.latent_dim}"
        )
    if not data.attribute_names:
        raise LatentkitError(f"{bank}: the bank has no scores")
    separability = linear_separability(data.z, data.scores)
    results = {
        "separability": separability["separability"],
        "conditional_entropy_bits": dict(
            zip(data.attribute_names, separability["conditional_entropy_bits"], strict=True)
        ),
    }
    if scorer is not None:
        features = feature_network(scorer, device).features
        results |= path_length(net, features, path_samples, seed=seed, device=device)
    aucs = {}
    for path in directions:
        direction = generator_direction(path, net)
        attribute = direction.meta.get("attribute")
        if attribute not in data.attribute_names:
            raise LatentkitError(f"{path}: its attribute {attribute!r} is not in {bank}")
        scores = data.score(attribute)
        aucs[direction.name] = direction_auc(data.z, scores > np.median(scores), direction.normal)
    results["directions"] = aucs
    md = [
        f"# Latent space\n\nBank {bank} ({len(data.z)} codes).\n",
        f"Linear separability: {results['separability']:.3f} "
        "(1 = every attribute linearly separable)\n",
    ]
    md += [f"- {name}: H = {h:.3f} bits" for name, h in results["conditional_entropy_bits"].items()]
    if "path_length" in results:
        md.append(
            f"\nPath length (z, slerp, ε = 1e-4, features of {scorer}): "
            f"{results['path_length']:.2f}"
        )
    md += [
        f"- direction {name}: AUC {v['auc']:.3f}, accuracy {v['accuracy']:.3f}"
        for name, v in aucs.items()
    ]
    paths = write_report(out, {"seed": seed, "bank": str(bank), **results}, "\n".join(md))
    click.echo(f"report: {paths['markdown']}")


@measure.command("inversion")
@generator_options
@click.option("--encoder", required=True, help="Encoder: a latentkit file or TorchScript.")
@click.option("--data", required=True, help="Held-out real images (with labels for the probes).")
@click.option("--indices", default=None, help="Rows of --data [default: a seeded sample of --n].")
@click.option(
    "--n", "count", type=click.IntRange(min=4), default=1000, help="Images when no --indices."
)
@click.option(
    "--scorer", default=None, help="A latentkit predictor with a class head: label preservation."
)
@click.option(
    "--refine-steps", type=click.IntRange(min=0), default=0, help="Also measure refined inversion."
)
@report_options
@common_options
def inversion(
    generator,
    encoder,
    data,
    indices,
    count,
    scorer,
    refine_steps,
    out,
    overwrite,
    seed,
    device,
) -> None:
    """How well an encoder inverts the generator: z recovery, reconstruction beside the
    shuffled-pair baseline, label preservation, and 1-NN / linear probes of E(x) beside the raw
    pixels and a random encoder of the same architecture."""
    report, replace = report_file(out, overwrite)
    net, device = prepare(generator, device, (report,), replace)
    encoder_net = load_encoder(encoder, device)
    check_pair(net, encoder_net, str(encoder))
    dataset = load_dataset(data, net(torch.zeros(1, net.latent_dim, device=device)).shape[-1])
    rows = (
        np.array(parse_indices(indices))
        if indices
        else np.sort(
            np.random.default_rng(seed).choice(
                len(dataset), min(count, len(dataset)), replace=False
            )
        )
    )
    images = dataset.images(rows)
    labels = dataset.labels(rows) if dataset.class_attribute is not None else None
    classifier = feature_network(scorer, device) if scorer else None
    results, reconstructions = measure_inversion(
        net, encoder_net, images, labels, classifier, refine_steps, seed, device
    )
    grids = {name: recon[:8] for name, recon in reconstructions.items()}
    out.mkdir(exist_ok=True)
    columns = torch.stack([images[:8], *grids.values()], dim=1).flatten(0, 1)
    save_grid(
        out / "reconstructions.png",
        columns,
        1 + len(grids),
        column_labels=["x", *grids],
        overwrite=True,
    )
    md = [
        f"# Inversion\n\n{len(rows)} images of {data}; encoder {encoder}.\n",
        "z recovery: R² {r2:.3f}, cosine {cosine:.3f}".format(**results["z_recovery"]),
        "G's Jacobian: effective rank {effective_rank:.1f} of {dim}, {above_1_percent} directions "
        "above 1% of the largest (an encoder recovers z along these only)".format(
            dim=net.latent_dim, **results["generator_jacobian"]
        ),
    ]
    for name in grids:
        r = results[name]
        md.append(
            f"{name}: MSE {r['mse']:.4f} (shuffled {r['shuffled_mse']:.4f}, ratio {r['ratio']:.3f})"
            + (
                f", label preservation {r['label_preservation']:.3f}"
                if "label_preservation" in r
                else ""
            )
        )
    for key in ("probe", "probe_pixels", "probe_random_encoder"):
        if key in results:
            md.append(f"{key}: 1-NN {results[key]['nn1']:.3f}, linear {results[key]['linear']:.3f}")
    paths = write_report(
        out, {"seed": seed, "data": data, "n": len(rows), **results}, "\n\n".join(md)
    )
    click.echo(f"report: {paths['markdown']}")
