"""The latent-space report: linear separability, path length and directions as classifiers."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
from torch import nn

from latentkit.errors import LatentkitError
from latentkit.io.atomic import report_folder
from latentkit.io.bank import LatentBank
from latentkit.io.direction import Direction
from latentkit.latent.interpolate import default_method
from latentkit.metrics.latent import direction_auc, linear_separability, path_length
from latentkit.reports.folder import write_report


def latent_report(
    generator: nn.Module,
    bank: LatentBank,
    out: str | Path,
    predictor: nn.Module | None = None,
    directions: list[Direction] = (),
    path_samples: int = 2000,
    seed: int = 0,
    device: str | torch.device = "cpu",
    overwrite: bool = False,
    spaces: list[str] | None = None,
) -> dict:
    """StyleGAN's linear separability of the bank's attributes; with a latentkit `predictor`,
    perceptual path length in its features; each direction's ROC AUC as a classifier of its
    attribute (median split of the bank's scores). With `spaces` (a style-based generator, a
    bank of z codes), separability and path length in each of them side by side, the bank's
    codes carried into each space (StyleGAN's Table 4: W against Z). Writes the report folder
    `out` and returns its data."""
    source = bank.source or "the bank"
    if bank.latent_dim != generator.latent_dim:
        raise LatentkitError(
            f"{source}: codes of size {bank.latent_dim}, the generator's are {generator.latent_dim}"
        )
    own = getattr(generator, "space", "z")
    if bank.meta.get("space", "z") != own:
        raise LatentkitError(
            f"{source}: codes of the {bank.meta['space']} space, the generator's are {own}",
            ("space",),
        )
    if not bank.attribute_names:
        raise LatentkitError(f"{source}: the bank has no scores")
    aucs = {}
    for direction in directions:
        attribute = direction.meta.get("attribute")
        if attribute not in bank.attribute_names:
            raise LatentkitError(
                f"{direction.source or direction.name}: its attribute {attribute!r} is not in "
                f"{source}"
            )
        scores = bank.score(attribute)
        aucs[direction.name] = direction_auc(bank.z, scores > np.median(scores), direction.normal)
    if spaces and not hasattr(generator, "convert"):
        raise LatentkitError(f"{generator.source}: only a style-based generator has W spaces")

    def measured(view, codes) -> dict:
        separability = linear_separability(codes, bank.scores)
        out = {
            "separability": separability["separability"],
            "conditional_entropy_bits": dict(
                zip(bank.attribute_names, separability["conditional_entropy_bits"], strict=True)
            ),
        }
        if predictor is not None:
            out |= path_length(view, predictor.features, path_samples, seed=seed, device=device)
        return out

    own_results = measured(generator, bank.z)
    results = dict(own_results)
    if spaces:
        results["spaces"] = {
            space: own_results if space == own else measured(
                generator.in_space(space), generator.convert(bank.z, space)
            )
            for space in spaces
        }  # fmt: skip
    results["directions"] = aucs
    md = [
        f"# Latent space\n\nBank {source} ({len(bank.z)} codes).\n",
        f"Linear separability: {results['separability']:.3f} "
        "(1 = every attribute linearly separable)\n",
    ]
    md += [f"- {name}: H = {h:.3f} bits" for name, h in results["conditional_entropy_bits"].items()]
    if "path_length" in results:
        md.append(
            f"\nPath length ({own}, {default_method(generator.prior)}, ε = 1e-4, features of "
            f"{getattr(predictor, 'source', 'the predictor')}): {results['path_length']:.2f}"
        )
    if spaces:
        md += ["\n| space | separability | path length |", "|---|---|---|"]
        md += [
            f"| {space} | {r['separability']:.3f} | "
            + (f"{r['path_length']:.2f} |" if "path_length" in r else "- |")
            for space, r in results["spaces"].items()
        ]  # fmt: skip
    md += [
        f"- direction {name}: AUC {v['auc']:.3f}, accuracy {v['accuracy']:.3f}"
        for name, v in aucs.items()
    ]
    data = {"seed": seed, "bank": source, **results}
    with report_folder(out, overwrite) as folder:
        write_report(folder, data, "\n".join(md))
    return data
