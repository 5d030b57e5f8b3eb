"""``latentkit boundary``: fit attribute boundaries and project them against conditions."""

from __future__ import annotations

from pathlib import Path

import click

from latentkit.directions.pca import ganspace, pca_directions
from latentkit.directions.projection import project_direction
from latentkit.directions.sefa import sefa
from latentkit.directions.svm import SOLVERS, check_scores, fit_boundaries
from latentkit.errors import LatentkitError
from latentkit.io.atomic import check_writable
from latentkit.io.bank import import_interfacegan, load_bank, load_npy
from latentkit.io.bundles import expand_directions
from latentkit.io.direction import Direction, load_direction, save_boundaries, save_direction
from latentkit.latent.codes import codes_from_file, parse_indices
from latentkit.nets.spaces import SPACES
from latentkit.priors import draw_codes
from latentkit.runtime import resolve_device
from latentkit_cli.options import (
    common_options,
    generator_options,
    option,
    overwrite_option,
    prepare,
    seed_option,
    split_names,
)


@click.group()
def boundary() -> None:
    """Directions: attribute boundaries (InterFaceGAN's recipe), conditional projection, and
    unsupervised directions (SeFa, PCA / GANSpace)."""


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.2f}"


@boundary.command("fit")
@click.option(
    "--bank",
    type=click.Path(path_type=Path),
    required=True,
    help="Latent bank (.npz), or InterFaceGAN codes (.npy, with --scores).",
)
@click.option(
    "--attribute",
    "attributes",
    callback=split_names,
    default=None,
    help="Attributes to fit, comma-separated [default: all of the bank's].",
)
@click.option(
    "--scores",
    type=click.Path(path_type=Path),
    default=None,
    help="A scores .npy aligned with the bank, used instead of its scores (one attribute).",
)
@option(fit_boundaries, "--solver", type=click.Choice(SOLVERS), help="Linear classifier.")
@option(
    fit_boundaries,
    "--ratio",
    "chosen_num_or_ratio",
    type=float,
    help="InterFaceGAN's chosen_num_or_ratio.",
)
@option(fit_boundaries, "--split", "split_ratio", type=float, help="Train share of chosen codes.")
@click.option(
    "--invalid-value", type=float, default=None, help="Scores equal to this are left out."
)
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help="Folder for <attribute>.npz (and summary.json).",
)
@click.option(
    "--interfacegan", is_flag=True, help="Also write InterFaceGAN's <attribute>_boundary.npy."
)
@click.option(
    "--space",
    type=click.Choice(SPACES),
    default=None,
    help="Latent space of the codes [default: the bank's; z for InterFaceGAN codes].",
)
@overwrite_option
@seed_option
def fit(
    bank,
    attributes,
    scores,
    solver,
    chosen_num_or_ratio,
    split_ratio,
    invalid_value,
    out,
    interfacegan,
    space,
    overwrite,
    seed,
) -> None:
    """Fit one boundary per attribute and report its accuracies."""
    data = import_interfacegan(bank) if bank.suffix == ".npy" else load_bank(bank)
    saved = data.meta.get("space")
    if space and saved and space != saved:
        raise LatentkitError(f"{bank}: codes of the {saved} space, not {space}", ("space",))
    source = str(scores or bank)
    if scores is not None:
        if not attributes or len(attributes) != 1:
            raise LatentkitError("--scores needs exactly one --attribute to name it")
        columns = {attributes[0]: check_scores(load_npy(scores, "scores"), len(data.z), source)}
    else:
        names = attributes or data.attribute_names
        if not names:
            raise LatentkitError(f"{bank}: the bank has no scores; pass --scores")
        columns = {name: data.score(name, source) for name in names}
    directions = fit_boundaries(
        data.z, columns, chosen_num_or_ratio, split_ratio, invalid_value, solver, seed, source,
        space or saved or "z",
    )  # fmt: skip
    save_boundaries(out, directions, interfacegan, overwrite)
    click.echo(f"{'attribute':<16} {'train':>7} {'val':>7} {'remain':>7} {'all':>7}  (accuracy %)")
    for name, direction in directions.items():
        a = direction.meta["accuracy"]
        click.echo(
            f"{name:<16} {_percent(a['train']):>7} {_percent(a['validation']):>7} "
            f"{_percent(a['remaining']):>7} {_percent(a['all']):>7}"
        )
    click.echo(f"boundaries: {out}")


@boundary.command("project")
@click.option(
    "--primal", type=click.Path(path_type=Path), required=True, help="Direction to condition."
)
@click.option(
    "--condition",
    "conditions",
    type=click.Path(path_type=Path),
    multiple=True,
    required=True,
    help="A condition direction (repeat for several); a pattern names every match, e.g. "
    "mnist:digit=* (all the class boundaries: keeps the class) or boundaries/digit=*.npz.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    required=True,
    help="Projected direction (.npz, or .npy for InterFaceGAN).",
)
@click.option(
    "--space",
    type=click.Choice(SPACES),
    default=None,
    help="The latent space the directions must be of [default: the primal's].",
)
@overwrite_option
@seed_option
def project_command(primal, conditions, space, out, overwrite, seed) -> None:
    """Remove from --primal its components along every --condition (least squares)."""
    check_writable(out, overwrite)
    primal_direction = load_direction(primal)
    saved = primal_direction.meta.get("space")
    if space and saved and space != saved:
        raise LatentkitError(f"{primal}: a direction of the {saved} space, not {space}", ("space",))
    others = [load_direction(d) for c in conditions for d in expand_directions(c)]
    direction, result = project_direction(primal_direction, others)
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    save_direction(out, direction, overwrite)
    click.echo(f"cos(primal, projected) = {result.cosine_to_primal:.4f}")
    click.echo(
        "residual dots: "
        + ", ".join(f"{o.name} {d:+.1e}" for o, d in zip(others, result.residual_dots, strict=True))
    )
    click.echo(f"direction: {out}")


def _save_components(
    out: Path, prefix: str, rows, values, meta: dict, overwrite: bool, stds=None
) -> None:
    """Directions ``<prefix>_<i>.npz`` (intercept 0), each with its eigenvalue or variance (and
    the codes' standard deviation along it, when given)."""
    paths = [out / f"{prefix}_{i}.npz" for i in range(len(rows))]
    if out.is_dir():
        for path in paths:
            check_writable(path, overwrite)
    out.mkdir(exist_ok=True)
    for i, (path, row, value) in enumerate(zip(paths, rows, values, strict=True)):
        info = {**meta, "name": path.stem, "component": i, "value": float(value)}
        if stds is not None:
            info["std"] = float(stds[i])
        save_direction(path, Direction(row, 0.0, info), overwrite)
        click.echo(f"{path.stem:<10} {float(value):12.4f}")
    click.echo(f"directions: {out}")


def _components_options(f):
    f = click.option(
        "--out", type=click.Path(path_type=Path, file_okay=False), required=True, help="Folder."
    )(f)
    return click.option("--k", type=click.IntRange(min=1), default=5, help="How many directions.")(
        f
    )


@boundary.command("sefa")
@generator_options
@click.option(
    "--layers",
    default=None,
    help="Style-based generators: the W+ layers whose modulation weights to factorise, e.g. "
    "0-3 [default: all]; the directions act on them.",
)
@_components_options
@overwrite_option
@common_options
def sefa_command(generator, k, layers, out, overwrite, seed, device) -> None:
    """SeFa: the top eigenvectors of AᵀA, A the weight that reads the code: the first layer's,
    or a style-based generator's modulation weights of --layers (directions in W)."""
    resolve_device(device)  # refused here if unknown; SeFa reads weights on the CPU
    net, _ = prepare(generator, "cpu")
    chosen = parse_indices(layers, "layers") if layers else None
    rows, values = sefa(net, k, chosen)
    style = hasattr(net, "w_dim")
    meta = {"method": "sefa", "generator": str(generator), "seed": seed,
            "space": "w" if style else "z", "layers": chosen}  # fmt: skip
    _save_components(out, "sefa", rows, values, meta, overwrite)


@boundary.command("pca")
@generator_options
@click.option(
    "--layer", default=None, help="GANSpace: PCA of this layer's activations (e.g. main.0)."
)
@click.option(
    "--codes",
    "codes_file",
    type=click.Path(path_type=Path),
    default=None,
    help="Or PCA of these codes: a .npy [N, d] or a bank .npz.",
)
@option(ganspace, "--n", type=click.IntRange(min=2), help="Codes for GANSpace.")
@_components_options
@overwrite_option
@common_options
def pca_command(generator, layer, codes_file, n, k, out, overwrite, seed, device) -> None:
    """Principal directions: GANSpace (--layer), PCA of given codes (--codes), or, in W or W+
    (--space w), PCA of --n sampled codes (GANSpace for StyleGAN; each direction keeps the
    codes' standard deviation along it for edit --in-sigmas)."""
    if layer is not None and codes_file is not None:
        raise LatentkitError("give --layer (GANSpace) or --codes, not both")
    net, device = prepare(generator, device)
    space = getattr(net, "space", "z")
    if layer is not None:
        rows, values = ganspace(net, layer, k, n, seed, device)
        meta = {"method": "ganspace", "layer": layer, "n": n}
    elif codes_file is not None:
        rows, values = pca_directions(codes_from_file(codes_file, net), k)
        meta = {"method": "pca", "codes": str(codes_file)}
    elif space != "z":
        rows, values = pca_directions(draw_codes(net, n, seed), k)
        meta = {"method": "pca", "n": n}
    else:
        raise LatentkitError("give --layer (GANSpace) or --codes, or a W space", ("space",))
    meta.update(generator=str(generator), seed=seed, space=space)
    stds = values**0.5 if meta["method"] == "pca" else None
    _save_components(out, "pca", rows, values, meta, overwrite, stds)
