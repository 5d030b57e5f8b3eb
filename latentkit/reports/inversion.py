"""The inversion report: how well an encoder (and refinement) inverts a generator."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
from torch import nn

from latentkit.io.atomic import report_folder
from latentkit.latent.invert import check_pair
from latentkit.metrics.inversion import measure_inversion
from latentkit.reports.folder import write_report
from latentkit.viz.grid import save_grid


def inversion_report(
    generator: nn.Module,
    encoder: nn.Module,
    images: torch.Tensor,
    out: str | Path,
    labels: np.ndarray | None = None,
    predictor: nn.Module | None = None,
    refine_steps: int = 0,
    description: str = "",
    seed: int = 0,
    device: str | torch.device = "cpu",
    overwrite: bool = False,
) -> dict:
    """z recovery beside the rank of G's Jacobian; reconstruction error beside the shuffled-pair
    baseline, per route (encoder; refined with `refine_steps`); with `labels` and a `predictor`
    (class head), label preservation; with `labels`, 1-NN and linear probes of E(x) beside the
    raw pixels and a random encoder; a grid of the first eight reconstructions. `description`
    says where the images came from. Writes the report folder `out` and returns its data."""
    check_pair(generator, encoder, getattr(encoder, "source", "encoder"))
    results, reconstructions = measure_inversion(
        generator, encoder, images, labels, predictor, refine_steps, seed, device
    )
    md = [
        f"# Inversion\n\n{len(images)} images{f' of {description}' if description else ''}; "
        f"encoder {getattr(encoder, 'source', '')}.\n",
        "z recovery: R² {r2:.3f}, cosine {cosine:.3f}".format(**results["z_recovery"]),
        "G's Jacobian: effective rank {effective_rank:.1f} of {dim}, {above_1_percent} directions "
        "above 1% of the largest (an encoder recovers z along these only)".format(
            dim=generator.latent_dim, **results["generator_jacobian"]
        ),
    ]
    for name in reconstructions:
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
    grids = {name: recon[:8] for name, recon in reconstructions.items()}
    columns = torch.stack([images[:8], *grids.values()], dim=1).flatten(0, 1)
    data = {"seed": seed, "data": description, "n": len(images), **results}
    with report_folder(out, overwrite) as folder:
        save_grid(
            folder / "reconstructions.png", columns, 1 + len(grids), column_labels=["x", *grids]
        )
        write_report(folder, data, "\n\n".join(md))
    return data
