"""Mode collapse and its remedies, measured as PacGAN (Lin et al. 2018) and VEEGAN measure it.

Every remedy is trained on the 2-D ring of 8 and grid of 25 Gaussians with PacGAN's settings
(2-D standard normal z, generator MLP 4 × 400 with batch norm, discriminator 3 maxout layers of
200 with 5 pieces, Adam lr 1e-4, β1 0.8, batch 100; other losses with their papers' optimisers,
WGAN-GP with its toy code's penalty weight) for several seeds, and optionally on Stacked MNIST
with DCGAN-32 networks (batch 64; in float32: under bfloat16 autocast a step took 15× longer
on a CPU without bfloat16 instructions, 8.8 s against 0.6 s). As in PacGAN's code, a batch
counts packs: packing by K, D judges 100 (64) packs of K samples a step, G draws K times as
many samples (the ``25packs`` remedies split 100 samples into 25 packs of 4 instead, as earlier
sessions did). Each generator is measured by ``latentkit measure modes`` (2,500 samples on the point
sets, 26,000 on Stacked MNIST). One table per data set gives the mean ± standard deviation over
seeds and the training time of one run, beside PacGAN's published rows (10 trials; theirs train
400 epochs = 400,000 steps, ours far fewer: the step count is printed).

All runs use latentkit's library (as its commands do) in ``--work`` and are resumed when
present, so an interrupted benchmark picks up where it stopped; two invocations with different
``--sets``, or with different seeds (``--first-seed``), use both cores. Each finished run's
figures and training time are kept as one JSON record in ``--results``
(benchmarks/results/mode_collapse, committed with the code): a record of the same steps and
options stands for its run, so the tables gather runs made on other days and machines (the
record names its date and the code's commit); delete a record to measure its run again.

The table is printed after each round of seeds (every remedy once per round). ``--long
SET:REMEDY:STEPS`` (repeatable) then trains one remedy far longer on a set, for --long-seeds
seeds, and adds its row; the ``-decay`` remedies (packing by 2 or 4, with or without top-k
updates or R1, WGAN with weight clipping, or InfoGAN; G's weights averaged, both learning rates
falling to zero over the last 20,000 steps) are for these long runs only. Each set's table is
followed by every row's check against the targets below. With --figure, seed 0's samples of
every remedy and long run are drawn over the centres, a row per point set.

Usage: python benchmarks/mode_collapse.py [--work runs/modes] [--results DIR] [--sets ring8,grid25]
       [--seeds 5] [--steps 10000] [--remedies gan,pack2,...] [--stacked-seeds 3]
       [--stacked-steps 20000] [--stacked-remedies gan,pack2] [--scorer mnist]
       [--long ring8:pack2-ema-decay:220000 ...] [--long-seeds 3] [--first-seed 0]
       [--figure docs/benchmarks/mode_collapse.png]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
from pathlib import Path

import torch

from latentkit.attributes.scorer import load_predictor
from latentkit.data import load_dataset
from latentkit.errors import TrainingInterrupted
from latentkit.io.atomic import write_text
from latentkit.io.models import load_generator
from latentkit.latent.sample import generate
from latentkit.metrics.modes import POINT_SAMPLES
from latentkit.priors import draw_codes
from latentkit.reports import modes_report
from latentkit.train.run import RunFolder
from latentkit.train.trainers import train_or_resume
from latentkit.viz.modes import plot_points_panels

SPLIT_PACKS = {"pack": 4, "batch_size": 100}
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
    "pack2-ema": {"pack": 2, "ema": 0.999},  # and G's weights averaged (sampled from the EMA)
    # InfoGAN (Chen et al. 2016): a categorical code of as many categories as the set has modes
    # beside the noise, D's Q head recovering it (G a mixture of generators sharing weights). A
    # continuous G of a connected latent strings samples between disconnected modes (Tanielian
    # et al. 2020 bound its precision); the code lets G jump from one mode to the next.
    "infogan": {"family": "infogan", "info_continuous": 0},
    "infogan-ema": {"family": "infogan", "info_continuous": 0, "ema": 0.999},
    # Long runs only: the learning rates falling to zero over the last 20,000 steps.
    "pack2-ema-decay": {"pack": 2, "ema": 0.999, "lr_decay_steps": 20000},
    "pack4-ema-decay": {"pack": 4, "ema": 0.999, "lr_decay_steps": 20000},
    # and top-k updates (Sinha et al. 2020: G learns from the half of the packs D likes best)
    "pack4-topk-ema-decay": {"pack": 4, "top_k": 0.5, "ema": 0.999, "lr_decay_steps": 20000},
    "wgan-clip-ema-decay": {"loss": "wgan-clip", "ema": 0.999, "lr_decay_steps": 20000},
    # InfoGAN's categories move slowly from a mode they share to an empty one: more steps.
    "infogan-ema-decay": {
        "family": "infogan",
        "info_continuous": 0,
        "ema": 0.999,
        "lr_decay_steps": 20000,
    },
    # and R1 (Mescheder et al. 2018: (γ/2)·E‖∇D(x)‖² on real points), which kept the ring's
    # modes balanced where packing alone let one starve. γ suits the ring's points 0.01 apart:
    # at γ = 1 the ring's D stayed at chance (loss log 4) for its first 7,000 steps, and at
    # 0.01 the grid's D did so for 15,000.
    "pack4-r1-ema-decay": {"pack": 4, "r1_gamma": 0.01, "ema": 0.999, "lr_decay_steps": 20000},
    # The point sets' batch of 100 samples split into 25 packs of 4, not PacGAN's 100 packs:
    # the long runs of earlier sessions, kept to compare.
    "pack4-25packs-ema-decay": {**SPLIT_PACKS, "ema": 0.999, "lr_decay_steps": 20000},
    "pack4-25packs-r1-ema-decay": {
        **SPLIT_PACKS,
        "r1_gamma": 0.01,
        "ema": 0.999,
        "lr_decay_steps": 20000,
    },
    "pack4-25packs-topk-ema-decay": {
        **SPLIT_PACKS,
        "top_k": 0.5,
        "ema": 0.999,
        "lr_decay_steps": 20000,
    },
}
ROUND_REMEDIES = [name for name in REMEDIES if not name.endswith("-decay")]
# Gulrajani et al.'s toy experiments (gan_toy.py) weight the gradient penalty 0.1, not 10:
# their note says a smaller λ helps on toy tasks; the images keep 10.
POINT_REMEDIES = {"wgan-gp": {"gp_weight": 0.1}}
REAL = "real"  # the table's row of real samples (a perfect generator's figures)
POINTS = {"latent_dim": 2, "width": 400, "batch_size": 100}
STACKED = {"resolution": 32, "latent_dim": 100, "width": 64, "batch_size": 64}
PACGAN = {  # Lin et al. 2018, Tables 1 and 2 (10 trials): modes, high-quality %, reverse KL
    "ring8": [("GAN", 6.3, 98.2, 0.45), ("ALI", 6.6, 97.6, 0.36), ("PacGAN2", 7.9, 95.6, 0.07),
              ("PacGAN4", 7.8, 95.9, 0.07)],
    "grid25": [("GAN", 17.3, 94.8, 0.70), ("ALI", 24.1, 95.7, 0.14),
               ("PacGAN2", 23.8, 91.3, 0.13), ("PacGAN4", 24.8, 93.6, 0.04)],
    "stacked-mnist": [("DCGAN", 99, None, 3.40), ("unrolled GAN", 48.7, None, 4.32),
                      ("VEEGAN", 150, None, 2.95), ("PacDCGAN2", 1000, None, 0.06)],
}  # fmt: skip
TARGETS = {  # the best remedy on this CPU: modes at least, high quality at least, KL at most
    "ring8": (8, 0.97, 0.05),
    "grid25": (25, 0.95, None),
    "stacked-mnist": (990, None, 0.1),
}
TARGET_SEEDS = {"ring8": 5, "grid25": 5, "stacked-mnist": 3}  # the means are over this many
MODES = {"ring8": 8, "grid25": 25, "stacked-mnist": 1000}


RESULTS = Path(__file__).parent / "results" / "mode_collapse"


def measure(
    work: Path,
    results: Path,
    data: str,
    remedy: str,
    seed: int,
    steps: int,
    scorer,
    folder: str | None = None,
    train: bool = True,
) -> dict | None:
    """One run's modes report with its training time: its record in results/data/`folder`
    (the remedy's name unless given) when one of `steps` and of the remedy's present options is
    there, else (unless not `train`: None) the run trained (or resumed) in work/data/`folder`,
    measured and recorded."""
    record_path = results / data / (folder or remedy) / f"seed{seed}.json"
    config = run_config(data, remedy)
    if record_path.exists():
        record = json.loads(record_path.read_text())
        if record["steps"] == steps and record["config"] == config:
            return record["result"]
    if not train:
        return None
    result = train_and_measure(
        work / data / (folder or remedy) / f"seed{seed}", data, config, seed, steps, scorer
    )
    record = {
        "data": data,
        "remedy": remedy,
        "seed": seed,
        "steps": steps,
        "config": config,
        "date": datetime.date.today().isoformat(),
        "commit": current_commit(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"{torch.backends.cpu.get_cpu_capability()}",
        "result": result,
    }
    record_path.parent.mkdir(parents=True, exist_ok=True)
    write_text(record_path, json.dumps(record, indent=1) + "\n")
    return result


def current_commit() -> str:
    """The code's git commit (with ``+`` when the work tree has changes), or "unknown"."""

    def git(*args: str) -> str:
        try:
            return subprocess.run(
                ["git", *args], cwd=Path(__file__).parent, capture_output=True, text=True
            ).stdout.strip()
        except OSError:  # no git on this machine
            return ""

    commit = git("rev-parse", "--short", "HEAD")
    return (
        commit + ("+" if git("status", "--porcelain", "--untracked-files=no") else "")
    ) or "unknown"


def run_config(data: str, remedy: str) -> dict:
    """The training options of `remedy` on `data`. The set's batch counts packs, as in PacGAN's
    code: packing by K, D judges `batch` packs of K samples a step and G draws batch·K samples
    (unless the remedy sets its own batch)."""
    stacked = data == "stacked-mnist"
    remedy_config = {**REMEDIES[remedy], **({} if stacked else POINT_REMEDIES.get(remedy, {}))}
    if remedy_config.get("family") == "infogan":
        remedy_config["info_categorical"] = MODES[data]
    base = STACKED if stacked else POINTS
    packs = {"batch_size": base["batch_size"] * remedy_config.get("pack", 1)}
    return {"ema": 0.0, **base, **packs, **remedy_config}


def train_and_measure(run: Path, data: str, config: dict, seed: int, steps: int, scorer) -> dict:
    """Train (or resume) one run of training options `config` in `run` and measure its modes;
    returns the report with the time."""
    run.parent.mkdir(parents=True, exist_ok=True)
    record = train_or_resume("gan", run, data=data, steps=steps, seed=seed, **config)
    report = run / "modes" / "report.json"
    if not report.exists():
        modes_report(load_generator(run), load_dataset(data), report.parent, scorer, seed=seed)
    result = json.loads(report.read_text())
    return {**result, "seconds": training_seconds(run, record["step"], config["batch_size"])}


def training_seconds(run: Path, steps: int, batch_size: int) -> float:
    """A run's training time at its median logged throughput: the wall time of an uninterrupted
    run, leaving out the pauses and restarts its elapsed time may hold."""
    rates = [r["images_per_s"] for r in RunFolder(run).records() if "images_per_s" in r]
    return steps * batch_size / statistics.median(rates)


def figure(path: Path, work: Path, sets: list[str], rows: dict[str, dict]) -> None:
    """Seed 0 of every remedy (and long run) whose run is in `work`, its samples over the
    centres, one row per point set."""
    panels = []
    for data in sets:
        if data == "stacked-mnist":
            continue
        row = []
        for remedy, results in rows[data].items():
            run = work / data / remedy / "seed0"
            if not results or not run.exists():
                print(f"figure: no run {run}, {remedy} left out")
                continue
            generator = load_generator(run)
            points = generate(generator, draw_codes(generator, POINT_SAMPLES, 0)).flatten(1)
            first = results[0]
            hq = 100 * first["high_quality"]
            title = f"{remedy}\n{first['modes']}/{first['of']} modes, {hq:.0f}% high quality"
            row.append((points.numpy(), title))
        panels.append((load_dataset(data).centres, row))
    plot_points_panels(path, panels)


def spread(values: list[float | None], digits: int) -> str:
    """Mean ± standard deviation over seeds; values a seed left undefined (None: a reverse KL
    without a high-quality sample) are counted beside it."""
    defined = [v for v in values if v is not None]
    undefined = len(values) - len(defined)
    note = f" (undefined in {undefined})" if undefined else ""
    if not defined:
        return "undefined" + note
    mean = statistics.fmean(defined)
    sd = statistics.stdev(defined) if len(defined) > 1 else 0.0
    return f"{mean:.{digits}f} ± {sd:.{digits}f}{note}"


def within_modes(results: list[dict]) -> str:
    """The spread within modes over the seeds whose record holds it (records made before
    latentkit measured it do not; their count is given), "—" where none does."""
    measured = [r["spread"] for r in results if "spread" in r]
    if not measured:
        return "—"
    note = "" if len(measured) == len(results) else f" ({len(measured)} of {len(results)} seeds)"
    return spread(measured, 2) + note


def real_row(rows: dict[str, list[dict]]) -> list[dict]:
    """The real samples' figures of each seed: the same in every remedy's report of that seed
    (the first remedy with most seeds gives them)."""
    longest = max(rows.values(), key=len)
    return [r["real"] for r in longest]


def target_check(data: str, results: list[dict]) -> str:
    """Whether the mean over seeds of a run's figures meets the set's targets, and whether there
    are seeds enough for the mean to count."""
    modes, quality, kl = TARGETS[data]
    seeds = len(results)
    mean_modes = statistics.fmean(r["modes"] for r in results)
    checks = [
        f"seeds {seeds} ≥ {TARGET_SEEDS[data]}: {seeds >= TARGET_SEEDS[data]}",
        f"modes {mean_modes:.1f} ≥ {modes}: {mean_modes >= modes}",
    ]
    if quality is not None:
        hq = statistics.fmean(100 * r["high_quality"] for r in results)  # as the table rounds it
        checks.append(f"high quality {hq:.1f} % ≥ {100 * quality:.0f} %: {hq >= 100 * quality}")
    if kl is not None:
        kls = [r["reverse_kl"] for r in results]
        if None in kls:
            checks.append(f"reverse KL undefined in {kls.count(None)} seeds: False")
        else:
            mean_kl = statistics.fmean(kls)
            checks.append(f"reverse KL {mean_kl:.3f} ≤ {kl}: {mean_kl <= kl}")
    return "targets: " + "; ".join(checks)


def table(data: str, rows: dict[str, list[dict]], steps: int) -> str:
    """One Markdown table: our remedies (mean ± sd over seeds; a long run's row is named with
    its steps), the real samples' figures, then PacGAN's rows."""
    lines = [
        f"**{data}** ({steps} steps per run)",
        "",
        "| method | seeds | modes | high-quality % | spread within modes (σ) | reverse KL "
        "| train time per run |",
        "|---|---|---|---|---|---|---|",
    ]
    for remedy, results in rows.items():
        if not results:  # no round run (--seeds 0)
            continue
        quality = (
            spread([100 * r["high_quality"] for r in results], 1)
            if "high_quality" in results[0]
            else "—"
        )
        name = "real samples, same measure" if remedy == REAL else f"latentkit {remedy}"
        name = name.replace("@", ", ") + (" steps" if "@" in remedy else "")
        time = "—" if remedy == REAL else f"{statistics.fmean(r['seconds'] for r in results):.0f} s"
        lines.append(
            f"| {name} | {len(results)} | {spread([r['modes'] for r in results], 1)} "
            f"| {quality} | {within_modes(results)} "
            f"| {spread([r['reverse_kl'] for r in results], 3)} | {time} |"
        )
    for name, modes, quality, kl in PACGAN[data]:
        quality_text = "—" if quality is None else f"{quality}"
        lines.append(f"| PacGAN paper: {name} | 10 | {modes} | {quality_text} | — | {kl} | — |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=Path("runs/modes"))
    parser.add_argument("--results", type=Path, default=RESULTS, help="The runs' records.")
    parser.add_argument("--sets", default="ring8,grid25", help="ring8, grid25, stacked-mnist.")
    parser.add_argument(
        "--remedies", default=",".join(ROUND_REMEDIES), help="Subset of the remedies."
    )
    parser.add_argument("--seeds", type=int, default=5, help="Seeds per remedy (point sets).")
    parser.add_argument("--steps", type=int, default=10000, help="Steps per run (point sets).")
    parser.add_argument("--stacked-seeds", type=int, default=3)
    parser.add_argument(
        "--stacked-remedies", help="Remedies on Stacked MNIST [default: those of --remedies]."
    )
    parser.add_argument("--stacked-steps", type=int, default=20000)
    parser.add_argument("--scorer", default="mnist", help="Digit classifier for Stacked MNIST.")
    parser.add_argument(
        "--long",
        action="append",
        default=[],
        metavar="SET:REMEDY:STEPS",
        help="After a set's rounds, train this remedy for STEPS on it; repeatable.",
    )
    parser.add_argument("--long-seeds", type=int, default=3, help="Seeds of each --long run.")
    parser.add_argument(
        "--first-seed",
        type=int,
        default=0,
        help="Start rounds and long runs at this seed: a second invocation takes the later seeds.",
    )
    parser.add_argument("--figure", type=Path, help="PNG of seed 0's samples per remedy.")
    parser.add_argument(
        "--recorded",
        action="store_true",
        help="Tables of the recorded runs alone: train nothing, leave out runs without a record.",
    )
    args = parser.parse_args()
    if args.first_seed < 0:
        parser.error(f"--first-seed {args.first_seed}: a seed is 0 or more")
    remedies = args.remedies.split(",")
    stacked_remedies = args.stacked_remedies.split(",") if args.stacked_remedies else remedies
    long_runs: dict[str, list[tuple[str, int]]] = {}
    for spec in args.long:
        data, _, rest = spec.partition(":")
        remedy, _, count = rest.partition(":")
        if data not in TARGETS or not count.isdigit():
            parser.error(f"--long {spec!r}: use SET:REMEDY:STEPS with a set of {list(TARGETS)}")
        long_runs.setdefault(data, []).append((remedy, int(count)))
    long_remedies = [remedy for runs in long_runs.values() for remedy, _ in runs]
    unknown = sorted(set(remedies + stacked_remedies + long_remedies) - set(REMEDIES))
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
        train = not args.recorded
        # every remedy once per round: partial tables cover them all
        for seed in range(args.first_seed, seeds):
            for remedy in rows:
                result = measure(
                    args.work, args.results, data, remedy, seed, steps, scorer, train=train
                )
                rows[remedy] += [result] if result else []
            if train:
                print(table(data, {**rows, REAL: real_row(rows)}, steps), end="\n\n", flush=True)
        for remedy, long_steps in long_runs.get(data, []):
            name = f"{remedy}@{long_steps}"
            results = [
                measure(
                    args.work, args.results, data, remedy, seed, long_steps, scorer, name, train
                )
                for seed in range(args.first_seed, args.long_seeds)
            ]
            rows[name] = [result for result in results if result]
            if train and rows[name]:
                print(table(data, {**rows, REAL: real_row(rows)}, steps), end="\n\n", flush=True)
        if any(rows.values()):  # the recorded runs' table (training printed it), the checks
            if not train:
                print(table(data, {**rows, REAL: real_row(rows)}, steps), end="\n\n")
            checks = [f"{name}: {target_check(data, got)}" for name, got in rows.items() if got]
            print("\n".join(checks), end="\n\n", flush=True)
    if args.figure:
        figure(args.figure, args.work, sets, tables)


if __name__ == "__main__":
    try:
        main()
    except TrainingInterrupted as stop:  # SIGTERM / Ctrl-C: the run resumes from its checkpoint
        print(f"{stop}; the same command continues it", file=sys.stderr)
        sys.exit(stop.exit_code)
