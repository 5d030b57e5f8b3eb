"""``latentkit arithmetic``: concept vectors and expressions such as A - B + C (DCGAN)."""

from __future__ import annotations

from pathlib import Path

import click
import numpy as np
import torch

from latentkit.errors import LatentkitError
from latentkit.io.bank import load_bank, save_npy
from latentkit.latent.arithmetic import (
    MIN_EXEMPLARS,
    arithmetic_grid,
    concept_codes,
    result_summary,
)
from latentkit.latent.sample import generate
from latentkit.viz.grid import save_grid
from latentkit_cli.options import (
    common_options,
    generator_options,
    overwrite_option,
    prepare,
    scorer_options,
)


@click.command()
@generator_options
@click.option(
    "--concept",
    "concepts",
    multiple=True,
    required=True,
    help="NAME=seeds:1,2,3, NAME=images:a.png,b.png,c.png (with --encoder) or NAME=QUERY on "
    "--bank (e.g. thin=thickness<2); repeat.",
)
@click.option(
    "--expression", required=True, help="Expression over concept names, e.g. 'A - B + C'."
)
@click.option(
    "--bank", type=click.Path(path_type=Path), default=None, help="Bank for query concepts."
)
@click.option(
    "--exemplars",
    type=click.IntRange(min=MIN_EXEMPLARS),
    default=None,
    help="Codes averaged per query concept: every match (White's attribute vectors) unless "
    "given; 3 is DCGAN's (the first matches).",
)
@click.option("--encoder", default=None, help="Encoder that inverts images: exemplars.")
@click.option(
    "--jitter", type=float, default=0.25, help="Uniform noise of the 8 outer cells (DCGAN)."
)
@scorer_options
@click.option("--out", type=click.Path(path_type=Path), required=True, help="PNG grid to write.")
@click.option(
    "--codes-out",
    type=click.Path(path_type=Path),
    default=None,
    help="Also save the grid's codes [rows, columns, d] (.npy; NaN in empty cells).",
)
@overwrite_option
@common_options
def arithmetic(
    generator,
    concepts,
    expression,
    bank,
    exemplars,
    encoder,
    jitter,
    scorers,
    attributes,
    out,
    codes_out,
    overwrite,
    seed,
    device,
) -> None:
    """Evaluate an expression over concept means; rows show each concept's first exemplars and
    mean, the last three rows DCGAN's 3×3 grid of the result (the exact result in the centre).
    With --scorer, prints what it reads in the result cells beside the concepts."""
    net, device = prepare(generator, device, (out, codes_out), overwrite)
    data = load_bank(bank) if bank else None
    if data is not None and data.latent_dim != net.latent_dim:
        raise LatentkitError(
            f"{bank}: codes of size {data.latent_dim}, the generator's are {net.latent_dim}"
        )
    exemplar_codes = {}
    for item in concepts:
        name, _, spec = item.partition("=")
        if not name or not spec:
            raise LatentkitError(f"concept {item!r}: write NAME=SPEC", ("concept",))
        exemplar_codes[name] = concept_codes(spec, net, data, exemplars, encoder, device)
    grid = arithmetic_grid(exemplar_codes, expression, net.prior, jitter, seed)
    known = ~np.isnan(grid.codes).any(axis=1)
    generated = generate(net, grid.codes[known].astype(np.float32), device=device)
    images = torch.full((len(grid.codes), *generated.shape[1:]), 1.0)  # empty cells: blank
    images[torch.from_numpy(known)] = generated
    save_grid(
        out,
        images,
        grid.width,
        row_labels=grid.labels,
        title=f"{expression} (exemplars, mean | result with ±{jitter} jitter)",
        overwrite=overwrite,
    )
    if codes_out is not None:
        shaped = grid.codes.reshape(-1, grid.width, net.latent_dim).astype(np.float32)
        save_npy(codes_out, shaped, overwrite)
    click.echo(f"grid: {out}")
    if scorers:
        from latentkit.attributes.scorer import load_scorers, score_images

        scorer = load_scorers(scorers, attributes, device, tuple(generated.shape[1:]))
        scores = score_images(scorer, generated, device=device)
        summary = result_summary(scores, list(scorer.attribute_names), grid)
        for head, counts in summary["classes"].items():
            found = ", ".join(f"{v} in {c}" for v, c in sorted(counts.items(), key=lambda x: -x[1]))
            click.echo(f"result {head}: {found} of 9 cells")
        for name, values in summary["attributes"].items():
            concepts_text = ", ".join(f"{k} {v:.3g}" for k, v in values.items() if k != "result")
            click.echo(f"result {name}: {values['result']:.3g} (concept means: {concepts_text})")
