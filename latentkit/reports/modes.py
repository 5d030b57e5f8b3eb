"""The mode-collapse report: modes captured, high-quality fraction and reverse KL of a
generator trained on a 2-D mixture (``ring8``, ``grid25``) or on Stacked MNIST, with the samples
drawn over the modes and the mode histogram."""

from __future__ import annotations

from pathlib import Path

import torch
from torch import nn

from latentkit.attributes.scorer import predicted_classes
from latentkit.data import ImageSet, PointSet, StackedMNIST
from latentkit.errors import LatentkitError
from latentkit.io.atomic import report_folder
from latentkit.latent.codes import dataset_rows
from latentkit.latent.sample import generate
from latentkit.metrics.modes import (
    POINT_SAMPLES,
    STACKED_SAMPLES,
    assign_modes,
    mode_spread,
    mode_statistics,
    stacked_modes,
)
from latentkit.priors import draw_codes
from latentkit.reports.folder import write_report
from latentkit.viz.grid import save_grid
from latentkit.viz.modes import plot_mode_histogram, plot_points


def modes_report(
    generator: nn.Module,
    data: ImageSet,
    out: str | Path,
    classifier: nn.Module | None = None,
    count: int | None = None,
    seed: int = 0,
    device: str | torch.device = "cpu",
    overwrite: bool = False,
) -> dict:
    """Count the modes of `data` (a `PointSet` or `StackedMNIST`) that `count` samples of
    `generator` capture (default: 2,500 points or 26,000 images, as the papers), the
    high-quality fraction (point sets) and the reverse KL to uniform modes, beside the same
    measure on `count` real samples (``real``: what a perfect generator would score). Stacked
    MNIST needs a digit `classifier` (a latentkit predictor with a class head) for its channels.
    Writes the report folder `out` (report.json, report.md, samples.png, histogram.png); returns
    the data."""
    stacked = isinstance(data, StackedMNIST)
    if not stacked and not isinstance(data, PointSet):
        raise LatentkitError(f"{data.name}: modes are counted on ring8, grid25 or stacked-mnist")
    if stacked and classifier is None:
        raise LatentkitError("stacked-mnist: counting its modes needs a digit classifier")
    count = count or (STACKED_SAMPLES if stacked else POINT_SAMPLES)
    codes = draw_codes(generator, count, seed)
    samples = generate(generator, codes, device=device)
    if tuple(samples.shape[1:]) != (data.channels, data.resolution, data.resolution):
        raise LatentkitError(
            f"the generator makes {tuple(samples.shape[1:])}, {data.name} holds "
            f"{(data.channels, data.resolution, data.resolution)}"
        )
    stats = sample_modes(samples, data, classifier, device)
    real_samples = data.images(dataset_rows(data, None, count, seed))
    real = sample_modes(real_samples, data, classifier, device)
    real.pop("counts")
    with report_folder(out, overwrite) as folder:
        if stacked:
            save_grid(folder / "samples.png", samples[:64], 8, title=f"{data.name}: samples")
        else:
            points = samples.flatten(1).numpy()
            plot_points(
                folder / "samples.png", points, data.centres, f"{data.name}: {count} samples"
            )
        plot_mode_histogram(
            folder / "histogram.png", stats["counts"], f"{data.name}: samples per mode"
        )
        md = (
            f"# Mode collapse\n\n{count} samples of the generator on {data.name}: "
            f"**{stats['modes']} of {stats['of']} modes** captured{quality_text(stats)}; reverse "
            f"KL to uniform modes {kl_text(stats)}.\n\nThe same measure on "
            f"{count} real samples: {real['modes']} of {real['of']} modes{quality_text(real)}; "
            f"reverse KL {kl_text(real)}.\n\n"
            "![samples](samples.png)\n\n![histogram](histogram.png)\n"
        )
        result = {"seed": seed, "n": count, "data": data.name, **stats, "real": real}
        write_report(folder, result, md)
    return result


def sample_modes(
    samples: torch.Tensor,
    data: ImageSet,
    classifier: nn.Module | None = None,
    device: str | torch.device = "cpu",
) -> dict:
    """Modes captured, reverse KL and per-mode counts of `samples` of `data`, with the
    high-quality fraction and the spread within modes (in σ) for a point set; Stacked MNIST's
    channels read by `classifier`."""
    if isinstance(data, StackedMNIST):
        r = data.resolution
        digits = predicted_classes(classifier, samples.reshape(-1, 1, r, r), device)
        stats = mode_statistics(stacked_modes(digits.reshape(-1, 3)), 1000)
        stats.pop("high_quality")  # every image has a mode: the papers report none
        return stats
    points = samples.flatten(1).numpy()
    assignment = assign_modes(points, data.centres, data.std)
    stats = mode_statistics(assignment, len(data.centres))
    return {**stats, "spread": mode_spread(points, data.centres, assignment, data.std)}


def quality_text(stats: dict) -> str:
    """The high-quality fraction and the spread within modes as the report states them, when
    there are."""
    if "high_quality" not in stats:
        return ""
    text = f"; high-quality samples {100 * stats['high_quality']:.1f}%"
    if stats["spread"] is not None:
        text += f", spread within modes {stats['spread']:.2f} σ"
    return text


def kl_text(stats: dict) -> str:
    """The reverse KL as the report states it: undefined without a high-quality sample."""
    if stats["reverse_kl"] is None:
        return "undefined (no high-quality sample)"
    return f"{stats['reverse_kl']:.3f} nats"
