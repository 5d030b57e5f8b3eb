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
    concept_codes,
    concept_vector,
    evaluate,
    jittered,
)
from latentkit.latent.sample import generate
from latentkit.viz.grid import save_grid
from latentkit_cli.options import common_options, generator_options, overwrite_option, prepare

CENTRE_FIRST = [1, 2, 3, 4, 0, 5, 6, 7, 8]


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
    default=3,
    help="Codes averaged per query concept (the first matches in the bank).",
)
@click.option("--encoder", default=None, help="Encoder that inverts images: exemplars.")
@click.option(
    "--jitter", type=float, default=0.25, help="Uniform noise of the 8 outer cells (DCGAN)."
)
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
    out,
    codes_out,
    overwrite,
    seed,
    device,
) -> None:
    """Evaluate an expression over concept means; rows show each concept's exemplars and mean,
    the last three rows DCGAN's 3×3 grid of the result (the exact result in the centre)."""
    net, device = prepare(generator, device, (out, codes_out), overwrite)
    data = load_bank(bank) if bank else None
    if data is not None and data.latent_dim != net.latent_dim:
        raise LatentkitError(
            f"{bank}: codes of size {data.latent_dim}, the generator's are {net.latent_dim}"
        )
    exemplar_codes, vectors = {}, {}
    for item in concepts:
        name, _, spec = item.partition("=")
        if not name or not spec:
            raise LatentkitError(f"concept {item!r}: write NAME=SPEC", ("concept",))
        exemplar_codes[name] = concept_codes(spec, net, data, exemplars, encoder, device)
        vectors[name] = concept_vector(exemplar_codes[name], name)
    result = evaluate(expression, vectors)
    width = max(3, *(len(c) + 1 for c in exemplar_codes.values()))
    rows, labels = [], []
    for name, codes in exemplar_codes.items():
        row = np.concatenate([codes, vectors[name][None]])
        rows.append(np.concatenate([row, np.full((width - len(row), net.latent_dim), np.nan)]))
        labels.append(name)
    # DCGAN's figure: the exact result in the centre, jittered copies around it.
    grid = jittered(result, np.random.default_rng(seed), 9, jitter)[CENTRE_FIRST].reshape(3, 3, -1)
    for r in range(3):
        rows.append(np.concatenate([grid[r], np.full((width - 3, net.latent_dim), np.nan)]))
        labels.append(expression if r == 0 else "")
    codes = np.concatenate(rows)
    known = ~np.isnan(codes).any(axis=1)
    generated = generate(net, codes[known].astype(np.float32), device=device)
    images = torch.full((len(codes), *generated.shape[1:]), 1.0)  # empty cells: blank
    images[torch.from_numpy(known)] = generated
    save_grid(
        out,
        images,
        width,
        row_labels=labels,
        title=f"{expression} (exemplars, mean | result with ±{jitter} jitter)",
        overwrite=overwrite,
    )
    if codes_out is not None:
        save_npy(codes_out, codes.reshape(-1, width, net.latent_dim).astype(np.float32), overwrite)
    click.echo(f"grid: {out}")
