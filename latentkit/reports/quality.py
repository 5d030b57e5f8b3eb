"""The sample-quality report: Fréchet distance and KID in a domain predictor's features, beside
the real-versus-real baseline, and class coverage."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
from torch import nn

from latentkit.attributes.scorer import class_head, predicted_classes
from latentkit.errors import LatentkitError
from latentkit.io.atomic import report_folder
from latentkit.latent.sample import generate
from latentkit.metrics.quality import class_coverage, frechet_distance, kernel_distance, unit_scale
from latentkit.priors import draw_codes
from latentkit.reports.folder import write_report


@torch.no_grad()
def features_of(
    predictor: nn.Module, images: torch.Tensor, device: str | torch.device = "cpu"
) -> np.ndarray:
    """A latentkit predictor's pooled features [N, F] of images, in batches."""
    return np.concatenate(
        [predictor.features(chunk.to(device)).float().cpu().numpy() for chunk in images.split(256)]
    )


def quality_report(
    generator: nn.Module,
    predictor: nn.Module,
    real,
    out: str | Path,
    count: int = 5000,
    seed: int = 0,
    device: str | torch.device = "cpu",
    overwrite: bool = False,
) -> dict:
    """Fréchet distance and KID of `count` generated images against `count` real ones of the
    dataset `real`, beside two disjoint real sets against each other, in `predictor`'s features
    (scaled so that the real ones have unit average variance); with a class head, the class
    coverage of the generated images. Writes the report folder `out` and returns its data."""
    if len(real) < 2 * count:
        raise LatentkitError(
            f"{real.name}: {len(real)} images, the real-versus-real baseline needs {2 * count}"
        )
    order = np.random.default_rng(seed).permutation(len(real))
    real_a = features_of(predictor, real.images(np.sort(order[:count])), device)
    real_b = features_of(predictor, real.images(np.sort(order[count : 2 * count])), device)
    codes = draw_codes(generator, count, seed)
    fake_images = generate(generator, codes, device=device)
    fake = features_of(predictor, fake_images, device)
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
    head = class_head(predictor)
    if head is not None:
        labels = predicted_classes(predictor, fake_images, device)
        results["coverage"] = {"attribute": head[0], **class_coverage(labels, len(head[1]))}
    md = [
        f"# Sample quality\n\n{count} generated and 2 × {count} real images ({real.name}), "
        f"features of {getattr(predictor, 'source', 'the predictor')} (scaled so that the real "
        "ones have unit average variance).\n",
        "| | Fréchet | KID |",
        "|---|---|---|",
    ]
    md += [
        f"| {name} | {r['frechet']:.4f} | {r['kid']:.3g}"
        + ("" if r["kid_std"] is None else f" ± {r['kid_std']:.2g}")
        + " |"
        for name, r in results.items()
        if "frechet" in r
    ]
    if "coverage" in results:
        c = results["coverage"]
        c["classes"] = [predictor.attribute_names[i].partition("=")[2] for i in head[1]]
        shares = ", ".join(
            f"{name} {100 * share:.1f}%"
            for name, share in zip(c["classes"], c["shares"], strict=True)
        )
        md.append(
            f"\nClasses covered: {c['classes_covered']} of {len(head[1])}; "
            f"balance {c['balance']:.3f}; shares ({c['attribute']}): {shares}; the largest "
            f"departure from uniform {100 * c['largest_departure_from_uniform']:.1f}%."
        )
    data = {"seed": seed, "n": count, "data": real.name, **results}
    with report_folder(out, overwrite) as folder:
        write_report(folder, data, "\n".join(md))
    return data
