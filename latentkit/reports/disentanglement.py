"""The disentanglement report: every ground-truth metric for one or more representations."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

from latentkit.errors import LatentkitError
from latentkit.io.atomic import check_report_folder, report_folder
from latentkit.io.bank import load_npy
from latentkit.metrics.disentanglement import (
    ArraySource,
    DatasetSource,
    FactorSource,
    evaluate_all,
)
from latentkit.metrics.representations import representation
from latentkit.reports.folder import markdown_table, write_report
from latentkit.viz.plots import heatmap


def dataset_sources(
    dataset, specs: list[str], seed: int = 0, device: str | torch.device = "cpu"
) -> dict[str, FactorSource]:
    """One source per representation spec (an encoder, ``factors`` or ``pixels:D``) of a
    ground-truth dataset (one with ``sample_factors``)."""
    if not hasattr(dataset, "sample_factors"):
        raise LatentkitError(f"{dataset.name}: not a ground-truth dataset (use sprites)")
    return {
        spec: DatasetSource(dataset, representation(spec, dataset, seed, device)) for spec in specs
    }


def file_source(codes_file: str | Path, factors_file: str | Path) -> FactorSource:
    """Precomputed codes [N, D] and integer factor classes [N, K], from two ``.npy`` files."""
    codes, factors = load_npy(codes_file, "codes"), load_npy(factors_file, "factors")
    try:
        return ArraySource(codes, factors)
    except LatentkitError as exc:
        raise LatentkitError(f"{codes_file}, {factors_file}: {exc}") from None


def disentanglement_report(
    sources: dict[str, FactorSource],
    out: str | Path,
    seed: int = 0,
    dci_mode: str = "gbt",
    num_train: int = 10000,
    num_test: int = 5000,
    batch_size: int = 64,
    overwrite: bool = False,
) -> dict:
    """beta-VAE, FactorVAE, MIG, SAP, DCI, modularity and explicitness of every source at
    disentanglement_lib's sizes (`batch_size` codes per intervention batch of beta-VAE and
    FactorVAE), a table and a heatmap of metrics × sources. Writes the report
    folder `out` and returns its data."""
    check_report_folder(out, overwrite)
    results = {
        name: evaluate_all(source, seed, dci_mode, num_train, num_test, batch_size)
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
        f"# Disentanglement\n\nseed {seed}, {num_train} train / {num_test} test points, "
        f"intervention batches of {batch_size}, DCI mode {dci_mode}.\n\n"
        + markdown_table(table, labels, list(results))
    )
    data = {"seed": seed, "dci_mode": dci_mode, "batch_size": batch_size, "results": results}
    with report_folder(out, overwrite) as folder:
        heatmap(
            folder / "disentanglement.png",
            table,
            labels,
            list(results),
            "disentanglement metrics",
            symmetric=False,
        )
        write_report(folder, data, md)
    return data
