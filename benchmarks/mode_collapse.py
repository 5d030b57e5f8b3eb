"""Mode collapse and its remedies, measured as PacGAN (Lin et al. 2018) and VEEGAN measure it.

Every remedy is trained on the 2-D ring of 8 and grid of 25 Gaussians with PacGAN's settings
(2-D standard normal z, generator MLP 4 × 400 with batch norm, discriminator 3 maxout layers of
200 with 5 pieces, Adam lr 1e-4, β1 0.8, batch 100; other losses with their papers' optimisers)
for several seeds, and optionally on Stacked MNIST with DCGAN-32 networks (in bfloat16
autocast); each generator is measured by ``latentkit measure modes`` (2,500 samples on the point
sets, 26,000 on Stacked MNIST). One table per data set gives the mean ± standard deviation over
seeds and the training time of one run, beside PacGAN's published rows (10 trials; theirs train
400 epochs = 400,000 steps, ours far fewer: the step count is printed).

All runs use latentkit's library (as its commands do) in ``--work`` and are resumed when
present, so an interrupted benchmark picks up where it stopped; two invocations with different
``--sets`` use both cores.

The table is printed after each round of seeds (every remedy once per round). With --figure,
seed 0's samples of every remedy are drawn over the centres, a row per point set.

Usage: python benchmarks/mode_collapse.py [--work runs/modes] [--sets ring8,grid25]
       [--seeds 5] [--steps 10000] [--remedies gan,pack2,...] [--stacked-seeds 3]
       [--stacked-steps 20000] [--stacked-remedies gan,pack2] [--scorer mnist]
       [--figure docs/benchmarks/mode_collapse.png]
"""

from __future__ import annotations

import argparse
import json
import statistics
from pathlib import Path

from latentkit.attributes.scorer import load_predictor
from latentkit.data import load_dataset
from latentkit.io.models import load_generator
from latentkit.latent.sample import generate
from latentkit.metrics.modes import POINT_SAMPLES
from latentkit.priors import draw_codes
from latentkit.reports import modes_report
from latentkit.train.run import RunFolder
from latentkit.train.trainers import train_or_resume
from latentkit.viz.modes import plot_points_panels

REMEDIES = {
    "gan": {},
    "pack2": {"pack": 2},
    "pack4": {"pack": 4},
    "unroll5": {"unroll": 5},
    "minibatch-kernels": {"minibatch_kernels": 50},
    "minibatch-std": {"minibatch_std": True},
    "wgan-clip": {"loss": "wgan-clip"},
    "wgan-gp": {"loss": "wgan-gp", "d_norm": "none"},
    "began": {"family": "began"},
}
REAL = "real"  # the table's row of real samples (a perfect generator's figures)
POINTS = {"latent_dim": 2, "width": 400, "batch_size": 100}
STACKED = {"resolution": 32, "latent_dim": 100, "width": 64, "batch_size": 64, "precision": "bf16"}
PACGAN = {  # Lin et al. 2018, Tables 1 and 2 (10 trials): modes, high-quality %, reverse KL
    "ring8": [("GAN", 6.3, 98.2, 0.45), ("ALI", 6.6, 97.6, 0.36), ("PacGAN2", 7.9, 95.6, 0.07),
              ("PacGAN4", 7.8, 95.9, 0.07)],
    "grid25": [("GAN", 17.3, 94.8, 0.70), ("ALI", 24.1, 95.7, 0.14),
               ("PacGAN2", 23.8, 91.3, 0.13), ("PacGAN4", 24.8, 93.6, 0.04)],
    "stacked-mnist": [("DCGAN", 99, None, 3.40), ("unrolled GAN", 48.7, None, 4.32),
                      ("VEEGAN", 150, None, 2.95), ("PacDCGAN2", 1000, None, 0.06)],
}  # fmt: skip


def measure(work: Path, data: str, remedy: str, seed: int, steps: int, scorer) -> dict:
    """Train (or resume) one run and measure its modes; returns the report with the time."""
    run = work / data / remedy / f"seed{seed}"
    base = STACKED if data == "stacked-mnist" else POINTS
    run.parent.mkdir(parents=True, exist_ok=True)
    record = train_or_resume(
        "gan", run, data=data, steps=steps, seed=seed, ema=0.0, **base, **REMEDIES[remedy]
    )
    report = run / "modes" / "report.json"
    result = json.loads(report.read_text()) if report.exists() else {}
    if "real" not in result:  # not measured yet, or by a version without the real samples' row
        generator = load_generator(run)
        result = modes_report(
            generator, load_dataset(data), report.parent, scorer, seed=seed, overwrite=True
        )
    return {**result, "seconds": training_seconds(run, record["step"], base["batch_size"])}


def training_seconds(run: Path, steps: int, batch_size: int) -> float:
    """A run's training time at its median logged throughput: the wall time of an uninterrupted
    run, leaving out the pauses and restarts its elapsed time may hold."""
    rates = [r["images_per_s"] for r in RunFolder(run).records() if "images_per_s" in r]
    return steps * batch_size / statistics.median(rates)


def figure(path: Path, work: Path, sets: list[str], rows: dict[str, dict]) -> None:
    """Seed 0 of every remedy, its samples over the centres, one row per point set."""
    panels = []
    for data in sets:
        if data == "stacked-mnist":
            continue
        row = []
        for remedy, results in rows[data].items():
            generator = load_generator(work / data / remedy / "seed0")
            points = generate(generator, draw_codes(generator, POINT_SAMPLES, 0)).flatten(1)
            first = results[0]
            title = f"{remedy}: {first['modes']}/{first['of']}, {100 * first['high_quality']:.0f}%"
            row.append((points.numpy(), title))
        panels.append((load_dataset(data).centres, row))
    plot_points_panels(path, panels)


def spread(values: list[float], digits: int) -> str:
    mean = statistics.fmean(values)
    sd = statistics.stdev(values) if len(values) > 1 else 0.0
    return f"{mean:.{digits}f} ± {sd:.{digits}f}"


def table(data: str, rows: dict[str, list[dict]], steps: int) -> str:
    """One Markdown table: our remedies (mean ± sd over seeds), the real samples' figures, then
    PacGAN's rows."""
    lines = [
        f"**{data}** ({steps} steps per run)",
        "",
        "| method | seeds | modes | high-quality % | reverse KL | train time per run |",
        "|---|---|---|---|---|---|",
    ]
    for remedy, results in rows.items():
        quality = (
            spread([100 * r["high_quality"] for r in results], 1)
            if "high_quality" in results[0]
            else "—"
        )
        name = "real samples, same measure" if remedy == REAL else f"latentkit {remedy}"
        time = "—" if remedy == REAL else f"{statistics.fmean(r['seconds'] for r in results):.0f} s"
        lines.append(
            f"| {name} | {len(results)} | {spread([r['modes'] for r in results], 1)} "
            f"| {quality} | {spread([r['reverse_kl'] for r in results], 2)} | {time} |"
        )
    for name, modes, quality, kl in PACGAN[data]:
        quality_text = "—" if quality is None else f"{quality}"
        lines.append(f"| PacGAN paper: {name} | 10 | {modes} | {quality_text} | {kl} | — |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=Path("runs/modes"))
    parser.add_argument("--sets", default="ring8,grid25", help="ring8, grid25, stacked-mnist.")
    parser.add_argument("--remedies", default=",".join(REMEDIES), help="Subset of the remedies.")
    parser.add_argument("--seeds", type=int, default=5, help="Seeds per remedy (point sets).")
    parser.add_argument("--steps", type=int, default=10000, help="Steps per run (point sets).")
    parser.add_argument("--stacked-seeds", type=int, default=3)
    parser.add_argument(
        "--stacked-remedies", help="Remedies on Stacked MNIST [default: those of --remedies]."
    )
    parser.add_argument("--stacked-steps", type=int, default=20000)
    parser.add_argument("--scorer", default="mnist", help="Digit classifier for Stacked MNIST.")
    parser.add_argument("--figure", type=Path, help="PNG of seed 0's samples per remedy.")
    args = parser.parse_args()
    remedies = args.remedies.split(",")
    stacked_remedies = args.stacked_remedies.split(",") if args.stacked_remedies else remedies
    unknown = sorted(set(remedies + stacked_remedies) - set(REMEDIES))
    if unknown:
        parser.error(f"unknown remedies {unknown} (known: {', '.join(REMEDIES)})")
    sets, tables = args.sets.split(","), {}
    for data in sets:
        stacked = data == "stacked-mnist"
        seeds, steps = (
            (args.stacked_seeds, args.stacked_steps) if stacked else (args.seeds, args.steps)
        )
        scorer = load_predictor(args.scorer, "cpu", (1, 32, 32)) if stacked else None
        rows = tables[data] = {remedy: [] for remedy in (stacked_remedies if stacked else remedies)}
        for seed in range(seeds):  # every remedy once per round: partial tables cover them all
            for remedy in rows:
                rows[remedy].append(measure(args.work, data, remedy, seed, steps, scorer))
            # The real samples drawn for a seed are the same in every remedy's report.
            real = [r["real"] for r in next(iter(rows.values()))]
            print(table(data, {**rows, REAL: real}, steps), end="\n\n", flush=True)
    if args.figure:
        figure(args.figure, args.work, sets, tables)


if __name__ == "__main__":
    main()
