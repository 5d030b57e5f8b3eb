"""Plots for reports."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from latentkit.io.atomic import atomic_path


def pyplot():
    """matplotlib's pyplot on the Agg backend (imported when a plot is first drawn)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def save_figure(fig, path: str | Path, overwrite: bool = True) -> Path:
    """Write a figure as PNG through a temporary file, then close it."""
    with atomic_path(path, overwrite) as tmp:
        fig.savefig(tmp, format="png", dpi=100)
    pyplot().close(fig)
    return Path(path)


def heatmap(
    path: str | Path,
    matrix: np.ndarray,
    rows: list[str],
    columns: list[str],
    title: str,
    symmetric: bool = True,
    overwrite: bool = True,
) -> Path:
    """A labelled heatmap with the values written in the cells, as PNG."""
    plt = pyplot()
    matrix = np.asarray(matrix, np.float64)
    limit = float(np.nanmax(np.abs(matrix))) or 1.0
    label_width = 0.08 * max((len(r) for r in rows), default=0)  # inches for the row labels
    fig, ax = plt.subplots(figsize=(2.5 + label_width + 0.8 * len(columns), 1.5 + 0.55 * len(rows)))
    image = ax.imshow(
        matrix,
        cmap="RdBu_r" if symmetric else "viridis",
        vmin=-limit if symmetric else None,
        vmax=limit if symmetric else None,
    )
    ax.set_xticks(range(len(columns)), columns, rotation=45, ha="right")
    ax.set_yticks(range(len(rows)), rows)
    for (i, j), value in np.ndenumerate(matrix):
        ax.text(j, i, f"{value:.2f}", ha="center", va="center", fontsize=8)
    ax.set_title(title)
    fig.colorbar(image, ax=ax, shrink=0.8)
    fig.tight_layout()
    return save_figure(fig, path, overwrite)
