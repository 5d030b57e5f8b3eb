"""``latentkit measure``: each command loads its inputs, makes one `latentkit.reports` call."""

from __future__ import annotations

from pathlib import Path

import click

from latentkit.errors import LatentkitError
from latentkit.io.atomic import check_report_folder
from latentkit.latent.codes import parse_indices
from latentkit.metrics.disentanglement import DCI_MODES
from latentkit.reports import (
    disentanglement_report,
    edits_report,
    inversion_report,
    latent_report,
    modes_report,
    quality_report,
)
from latentkit_cli.options import (
    common_options,
    directions_option,
    generator_options,
    option,
    overwrite_option,
    prepare,
    scorer_options,
)


def report_options(f):
    """--out FOLDER and --overwrite: a report folder is new, or replaced with --overwrite."""
    out = click.Path(path_type=Path, file_okay=False)
    return click.option("--out", type=out, required=True, help="Report folder (all or nothing).")(
        overwrite_option(f)
    )


@click.group()
def measure() -> None:
    """Measure directions and latent spaces; each run writes one report folder."""


@measure.command("edits")
@generator_options
@scorer_options
@directions_option(
    "Direction file; repeat. With two or more, each is also measured conditioned on the rest."
)
@option(edits_report, "--n", "count", type=click.IntRange(min=1), help="Seeded codes to edit from.")
@option(
    edits_report,
    "--distance",
    type=click.FloatRange(min=0, min_open=True),
    help="Walk from -distance to +distance (relative to each code).",
)
@option(edits_report, "--steps", type=click.IntRange(min=2), help="Points along each walk.")
@click.option(
    "--reference",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    default=None,
    help="A folder of attribute boundaries (boundary fit's output): match each direction to the "
    "attribute it moves most and report its cosine with that attribute's boundary.",
)
@click.option(
    "--layers",
    default=None,
    help="W+ codes (--space wp): the layers W directions move, e.g. 0-3 [default: all].",
)
@click.option(
    "--keep-class",
    default=None,
    help="A classifier (a scorer with one class head, e.g. mnist): also walk each direction "
    "keeping the class it reads at the start.",
)
@report_options
@common_options
def edits(
    generator,
    scorers,
    attributes,
    directions,
    layers,
    keep_class,
    out,
    overwrite,
    seed,
    device,
    **kw,
) -> None:
    """Side-effect matrix (slope of every attribute along every direction, with and without
    conditioning on the other directions), the boundary cosine matrix and, with --reference,
    each direction's best-matching attribute boundary."""
    from latentkit.attributes.scorer import load_scorers
    from latentkit.io.direction import generator_direction
    from latentkit.io.models import image_shape

    if not scorers:
        raise LatentkitError("measure edits needs a scorer", ("scorer",))
    net, device = prepare(generator, device, report=out, overwrite=overwrite)
    shape = image_shape(net, device)
    scorer = load_scorers(scorers, attributes, device, shape)
    loaded = [generator_direction(d, net) for d in directions]
    chosen = parse_indices(layers, "layers") if layers else None
    keeper = load_scorers([keep_class], None, device, shape) if keep_class else None
    edits_report(net, scorer, loaded, out, seed=seed, device=device, overwrite=overwrite,
                 layers=chosen, keep_class=keeper, **kw)  # fmt: skip
    click.echo(f"report: {out / 'report.md'}")


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
    help="With --data: an encoder file, 'factors' or 'pixels:D'; repeat to compare "
    "[default: factors and pixels:10].",
)
@option(
    disentanglement_report,
    "--dci-mode",
    type=click.Choice(DCI_MODES),
    help="gbt: the reference's estimator; fast: LightGBM (see the README for its agreement).",
)
@option(disentanglement_report, "--num-train", type=click.IntRange(min=10), help="Training points.")
@option(disentanglement_report, "--num-test", type=click.IntRange(min=10), help="Test points.")
@option(
    disentanglement_report,
    "--batch-size",
    type=click.IntRange(min=2),
    help="Codes per intervention batch.",
)
@report_options
@common_options
def disentanglement(
    codes_file, factors_file, data, resolution, encoders, out, overwrite, seed, device, **kw
) -> None:
    """beta-VAE, FactorVAE, MIG, SAP, DCI, modularity and explicitness at disentanglement_lib's
    sizes, for precomputed codes or for representations of a ground-truth dataset."""
    from latentkit.data import load_dataset
    from latentkit.reports import dataset_sources, file_source
    from latentkit.runtime import resolve_device

    check_report_folder(out, overwrite)
    if codes_file is not None and factors_file is not None and data is None:
        sources = {codes_file.stem: file_source(codes_file, factors_file)}
    elif data is not None and codes_file is None and factors_file is None:
        dataset = load_dataset(data, int(resolution) if resolution else None)
        specs = list(encoders or ("factors", "pixels:10"))
        sources = dataset_sources(dataset, specs, seed, resolve_device(device))
    else:
        raise LatentkitError("give --codes with --factors, or --data with --encoder")
    disentanglement_report(sources, out, seed=seed, overwrite=overwrite, **kw)
    click.echo(f"report: {out / 'report.md'}")


@measure.command("quality")
@generator_options
@click.option(
    "--scorer", required=True, help="A latentkit predictor: its features and its classes."
)
@click.option("--data", required=True, help="The real dataset the generator imitates.")
@option(quality_report, "--n", "count", type=click.IntRange(min=10), help="Images per set.")
@report_options
@common_options
def quality(generator, scorer, data, count, out, overwrite, seed, device) -> None:
    """Fréchet distance and KID in a domain classifier's feature space, beside the real-versus-real
    baseline, and class coverage of the generated images."""
    from latentkit.attributes.scorer import load_predictor
    from latentkit.data import load_dataset
    from latentkit.io.models import image_shape

    net, device = prepare(generator, device, report=out, overwrite=overwrite)
    shape = image_shape(net, device)
    predictor = load_predictor(scorer, device, shape)
    real = load_dataset(data, shape[-1])  # the real images at the generator's size
    if real.channels != shape[0]:
        raise LatentkitError(f"{data}: {real.channels}-channel images, the generator makes {shape}")
    quality_report(net, predictor, real, out, count, seed, device, overwrite)
    click.echo(f"report: {out / 'report.md'}")


@measure.command("modes")
@generator_options
@click.option(
    "--data", required=True, help="The data the generator imitates: ring8, grid25, stacked-mnist."
)
@click.option(
    "--scorer",
    default="mnist",
    show_default=True,
    help="Stacked MNIST: the digit classifier read on each channel (a latentkit predictor).",
)
@click.option(
    "--n",
    "count",
    type=click.IntRange(min=1),
    default=None,
    help="Samples [default: 2,500 points or 26,000 images, as VEEGAN and PacGAN].",
)
@report_options
@common_options
def modes(generator, data, scorer, count, out, overwrite, seed, device) -> None:
    """Modes captured, high-quality samples and reverse KL on a 2-D mixture or Stacked MNIST,
    with the samples over the modes and the mode histogram."""
    from latentkit.attributes.scorer import load_predictor
    from latentkit.data import StackedMNIST, load_dataset

    net, device = prepare(generator, device, report=out, overwrite=overwrite)
    dataset = load_dataset(data)
    classifier = None
    if isinstance(dataset, StackedMNIST):
        shape = (1, dataset.resolution, dataset.resolution)
        classifier = load_predictor(scorer, device, shape)
    result = modes_report(net, dataset, out, classifier, count, seed, device, overwrite)
    real = result["real"]
    click.echo(
        f"modes: {result['modes']} of {result['of']} (real samples: {real['modes']}); "
        f"report: {out / 'report.md'}"
    )


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
@option(latent_report, "--path-samples", type=click.IntRange(min=10), help="Paths for path length.")
@click.option(
    "--compare-spaces",
    is_flag=True,
    help="Style-based generator, bank of z codes: separability and path length in Z and in W "
    "side by side.",
)
@report_options
@common_options
def latent(
    generator, bank, scorer, directions, path_samples, compare_spaces, out, overwrite, seed, device
) -> None:
    """Linear separability of the bank's attributes (StyleGAN), path length (with --scorer) and
    each direction's ROC AUC as a classifier of its attribute (median split)."""
    from latentkit.attributes.scorer import load_predictor
    from latentkit.io.bank import load_bank
    from latentkit.io.direction import generator_direction
    from latentkit.io.models import image_shape

    net, device = prepare(generator, device, report=out, overwrite=overwrite)
    predictor = load_predictor(scorer, device, image_shape(net, device)) if scorer else None
    loaded = [generator_direction(d, net) for d in directions]
    spaces = ["z", "w"] if compare_spaces else None
    latent_report(
        net, load_bank(bank), out, predictor, loaded, path_samples, seed, device, overwrite, spaces
    )
    click.echo(f"report: {out / 'report.md'}")


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
@option(
    inversion_report,
    "--refine-steps",
    type=click.IntRange(min=0),
    help="Also measure refined inversion.",
)
@report_options
@common_options
def inversion(
    generator, encoder, data, indices, count, scorer, refine_steps, out, overwrite, seed, device
) -> None:
    """How well an encoder inverts the generator: z recovery, reconstruction beside the
    shuffled-pair baseline, label preservation, and 1-NN / linear probes of E(x) beside the raw
    pixels and a random encoder of the same architecture."""
    from latentkit.attributes.scorer import load_predictor
    from latentkit.data import load_dataset
    from latentkit.io.models import image_shape, load_encoder
    from latentkit.latent.codes import dataset_rows

    net, device = prepare(generator, device, report=out, overwrite=overwrite)
    encoder_net = load_encoder(encoder, device)
    shape = image_shape(net, device)
    dataset = load_dataset(data, shape[-1])
    rows = dataset_rows(dataset, indices, count, seed)
    labels = dataset.labels(rows) if dataset.class_attribute is not None else None
    predictor = load_predictor(scorer, device, shape) if scorer else None
    images = dataset.images(rows)
    args = (labels, predictor, refine_steps, data, seed, device, overwrite)
    inversion_report(net, encoder_net, images, out, *args)
    click.echo(f"report: {out / 'report.md'}")
