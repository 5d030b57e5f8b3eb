"""Plots of mode coverage: 2-D samples over the mixture's centres, and the mode histogram."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from latentkit.viz.plots import pyplot, save_figure


def draw_points(ax, points: np.ndarray, centres: np.ndarray, title: str) -> None:
    """Samples [n, 2] as small dots over the mode centres [K, 2] (red rings, which leave the
    samples of a narrow mode visible) on one axis."""
    ax.scatter(centres[:, 0], centres[:, 1], s=60, facecolors="none", edgecolors="red", zorder=1)
    ax.scatter(points[:, 0], points[:, 1], s=3, c="black", alpha=0.3, linewidths=0, zorder=2)
    reach = float(np.abs(centres).max()) * 1.5 + 0.5
    ax.set_xlim(-reach, reach)
    ax.set_ylim(-reach, reach)
    ax.set_aspect("equal")
    ax.set_title(title, fontsize=8)


def plot_points(
    path: str | Path, points: np.ndarray, centres: np.ndarray, title: str, overwrite: bool = True
) -> Path:
    """Samples [n, 2] over the mode centres [K, 2], equal axes."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(5, 5))
    draw_points(ax, points, centres, title)
    fig.tight_layout()
    return save_figure(fig, path, overwrite)


def plot_points_panels(
    path: str | Path, rows: list[tuple[np.ndarray, list[tuple[np.ndarray, str]]]]
) -> Path:
    """One row per data set (its centres, then (samples, title) per panel), side by side."""
    plt = pyplot()
    columns = max(len(panels) for _, panels in rows)
    fig, axes = plt.subplots(
        len(rows), columns, figsize=(2.2 * columns, 2.3 * len(rows)), squeeze=False
    )
    for row, (centres, panels) in enumerate(rows):
        for column in range(columns):
            ax = axes[row, column]
            if column < len(panels):
                points, title = panels[column]
                draw_points(ax, points, centres, title)
                ax.tick_params(labelsize=6)
            else:
                ax.axis("off")
    fig.tight_layout()
    return save_figure(fig, path, overwrite=True)


def plot_mode_histogram(
    path: str | Path, counts: np.ndarray, title: str, overwrite: bool = True
) -> Path:
    """Samples per mode as bars (modes in index order), the uniform share as a dashed line."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(8 if len(counts) > 50 else 5, 3))
    width = 1.0 if len(counts) > 50 else 0.8
    ax.bar(np.arange(len(counts)), counts, width=width, color="tab:blue")
    ax.axhline(counts.sum() / len(counts), color="black", linestyle="--", linewidth=1)
    ax.set_xlabel("mode")
    ax.set_ylabel("samples")
    ax.set_title(title)
    fig.tight_layout()
    return save_figure(fig, path, overwrite)
