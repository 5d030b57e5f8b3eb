"""Make a pretrained bundle (``pretrained/NAME``) with latentkit's own commands, and its model card.

Every step is a ``latentkit`` command line, run in order and recorded in the card with its wall
time: train the generator, the encoder and the scorer (resumed when their run folder already
holds a checkpoint, so an interrupted build continues); sample a bank and score it; fit a boundary
per attribute; project the most correlated pairs; measure sample quality and inversion (and, for
sprites, the encoder's disentanglement). The bundle keeps the weights, the boundaries, the
reports and ``MODEL_CARD.md``.

Usage: python scripts/make_bundle.py mnist|sprites [--runs runs] [--dest pretrained]
"""

from __future__ import annotations

import argparse
import itertools
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

from latentkit.directions.projection import CONDITIONED
from latentkit.io.direction import load_direction
from latentkit.train.run import RunFolder

SEED = "0"
BANK_SIZE = "20000"
PAIRS = 2  # conditioned boundaries for the most correlated pairs

RECIPES = {
    "mnist": {
        "description": "DCGAN-32 on the MNIST subset (mnist@train), with a latent-regression "
        "encoder, a digit classifier and boundaries for each digit, thickness, slant and width",
        "data": "mnist@train",
        "heldout": "mnist@heldout",
        "gan_run": "mnist-gan",
        "quality_n": "500",  # mnist@heldout holds 1,000: two real sets of 500 for the baseline
        "gan": ["--data", "mnist@train", "--steps", "5000", "--batch-size", "64"],
        "encoder": ["--steps", "3000"],
        "scorer": ["--data", "mnist@train", "--steps", "1500"],
        "scorers": ("SCORER", "analytic:digits"),
        "fit": "digit=0,digit=1,digit=2,digit=3,digit=4,digit=5,digit=6,digit=7,digit=8,digit=9,"
        "thickness,slant,width",
        "pair_pool": ("thickness", "slant", "width"),
    },
    "sprites": {
        "description": "DCGAN-32 on the procedural sprites (all 737,280), with a "
        "latent-regression encoder, a factor predictor and boundaries for each shape, scale, "
        "orientation, x and y",
        "data": "sprites",
        "heldout": "sprites",
        "gan_run": "sprites-dcgan32",
        "quality_n": "2000",
        "gan": ["--data", "sprites", "--resolution", "32", "--steps", "5000", "--batch-size", "64"],
        "encoder": ["--steps", "3000"],
        "scorer": ["--data", "sprites", "--resolution", "32", "--norm", "layer", "--steps", "3000"],
        "scorers": ("SCORER",),
        "fit": None,
        "pair_pool": ("scale", "x", "y", "orientation_sin", "orientation_cos"),
    },
}


class Recorder:
    """Runs latentkit commands and keeps what ran, for the model card. With `keep_reports`, a
    measure command whose report already exists is not run again (its time is then unknown)."""

    def __init__(self, keep_reports: bool = False):
        self.steps: list[tuple[str, float | None]] = []
        self.keep_reports = keep_reports

    def __call__(self, *args: str) -> None:
        line = " ".join(["latentkit", *args])
        out = Path(args[args.index("--out") + 1]) if "--out" in args else None
        if self.keep_reports and args[0] == "measure" and (out / "report.json").exists():
            print(f"$ {line}    # kept from an earlier run", flush=True)
            self.steps.append((line, None))
            return
        print(f"$ {line}", flush=True)
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "latentkit_cli", *args], check=True)
        self.steps.append((line, time.perf_counter() - start))


def trained(record: Recorder, kind: str, out: Path, *args: str) -> dict:
    """Train (or resume) a run; returns its steps and training wall time from its log."""
    common = ["--seed", SEED, "--device", "cpu", "--no-progress", "--checkpoint-every", "250"]
    record("train", kind, *args, *common, "--out", str(out), "--resume")
    last = RunFolder(out).last_training_record()
    record.steps[-1] = (record.steps[-1][0].replace(" --resume", ""), last["elapsed_s"])
    return {"steps": last["step"], "seconds": last["elapsed_s"]}


def correlated_pairs(boundaries: dict[str, Path], pool: tuple[str, ...]) -> list[tuple[str, str]]:
    """The PAIRS pairs of `pool` attributes whose boundaries have the largest |cosine|."""
    names = [n for n in pool if n in boundaries]
    normals = {n: load_direction(boundaries[n]).normal for n in names}
    pairs = sorted(
        itertools.combinations(names, 2),
        key=lambda p: -abs(float(normals[p[0]] @ normals[p[1]])),
    )
    return pairs[:PAIRS]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("name", choices=sorted(RECIPES))
    parser.add_argument("--runs", type=Path, default=Path("runs"), help="Training runs folder.")
    parser.add_argument("--dest", type=Path, default=Path("pretrained"), help="Bundles folder.")
    parser.add_argument(
        "--keep-reports", action="store_true", help="Reuse measure reports that already exist."
    )
    args = parser.parse_args()
    recipe, name = RECIPES[args.name], args.name
    runs, work = args.runs, args.runs / f"{name}-bundle"
    work.mkdir(parents=True, exist_ok=True)
    record = Recorder(args.keep_reports)

    training = {
        "generator": trained(record, "gan", runs / recipe["gan_run"], *recipe["gan"]),
    }
    generator = str(runs / recipe["gan_run"] / "generator.safetensors")
    training["encoder"] = trained(
        record, "encoder", runs / f"{name}-encoder", "--generator", generator, *recipe["encoder"]
    )
    training["scorer"] = trained(record, "scorer", runs / f"{name}-scorer", *recipe["scorer"])
    encoder = str(runs / f"{name}-encoder" / "encoder.safetensors")
    scorer = str(runs / f"{name}-scorer" / "scorer.safetensors")

    boundaries_dir = work / "boundaries"
    bank = str(work / "bank.npz")
    scoring = [
        a for spec in recipe["scorers"] for a in ("--scorer", scorer if spec == "SCORER" else spec)
    ]
    record("sample", "--generator", generator, *scoring, "--n", BANK_SIZE, "--seed", SEED,
           "--device", "cpu", "--no-progress", "--overwrite", "--out", bank)  # fmt: skip
    chosen = ["--attribute", recipe["fit"]] if recipe["fit"] else []
    record("boundary", "fit", "--bank", bank, *chosen, "--seed", SEED, "--overwrite",
           "--out", str(boundaries_dir))  # fmt: skip
    boundaries = {
        p.stem: p for p in sorted(boundaries_dir.glob("*.npz")) if CONDITIONED not in p.stem
    }
    for primal, condition in correlated_pairs(boundaries, recipe["pair_pool"]):
        out = boundaries_dir / f"{primal}{CONDITIONED}{condition}.npz"
        record("boundary", "project", "--primal", str(boundaries[primal]), "--condition",
               str(boundaries[condition]), "--overwrite", "--out", str(out))  # fmt: skip

    reports = work / "reports"
    reports.mkdir(exist_ok=True)
    record("measure", "quality", "--generator", generator, "--scorer", scorer, "--data",
           recipe["heldout"], "--n", recipe["quality_n"], "--seed", SEED, "--device", "cpu",
           "--overwrite", "--out", str(reports / "quality"))  # fmt: skip
    record("measure", "inversion", "--generator", generator, "--encoder", encoder, "--data",
           recipe["heldout"], "--n", "1000", "--scorer", scorer, "--refine-steps", "100",
           "--seed", SEED, "--device", "cpu", "--overwrite",
           "--out", str(reports / "inversion"))  # fmt: skip
    if name == "sprites":
        record("measure", "disentanglement", "--data", "sprites", "--resolution", "32",
               "--encoder", encoder, "--encoder", "factors", "--encoder", "pixels:10",
               "--num-train", "1000", "--num-test", "500",
               "--seed", SEED, "--device", "cpu", "--overwrite",
               "--out", str(reports / "disentanglement"))  # fmt: skip

    assemble(args.dest / name, name, recipe, runs, work, training, record.steps)


def assemble(bundle: Path, name, recipe, runs, work, training, steps) -> None:
    """Copy the weights, boundaries and reports into the bundle; write its manifest and card."""
    if bundle.exists():
        shutil.rmtree(bundle)
    (bundle / "boundaries").mkdir(parents=True)
    (bundle / "reports").mkdir()
    models = {
        "generator": runs / recipe["gan_run"] / "generator.safetensors",
        "encoder": runs / f"{name}-encoder" / "encoder.safetensors",
        "scorer": runs / f"{name}-scorer" / "scorer.safetensors",
    }
    for role, source in models.items():
        shutil.copy(source, bundle / f"{role}.safetensors")
    directions = {}
    for path in sorted((work / "boundaries").glob("*.npz")):
        shutil.copy(path, bundle / "boundaries" / path.name)
        directions[path.stem] = f"boundaries/{path.name}"
    for report in sorted((work / "reports").glob("*/report.json")):
        shutil.copy(report, bundle / "reports" / f"{report.parent.name}.json")
    manifest = {
        "name": name,
        "description": recipe["description"],
        "models": {role: f"{role}.safetensors" for role in models},
        "directions": directions,
    }
    (bundle / "bundle.json").write_text(json.dumps(manifest, indent=2) + "\n")
    (bundle / "MODEL_CARD.md").write_text(model_card(bundle, name, recipe, training, steps))
    print(f"bundle: {bundle}")


def model_card(bundle: Path, name, recipe, training, steps) -> str:
    """The card: what was trained, how, and what it measures."""
    reports = {p.stem: json.loads(p.read_text()) for p in (bundle / "reports").glob("*.json")}
    lines = [
        f"# Bundle `{name}`",
        "",
        recipe["description"] + ".",
        "",
        f"Trained on this machine (2 CPU cores, torch CPU) with seed {SEED}; the training data "
        f"is `{recipe['data']}`, measurements use `{recipe['heldout']}`.",
        "",
        "## Training",
        "",
        "| model | steps | wall time (s) |",
        "|---|---|---|",
        *(f"| {k} | {v['steps']} | {v['seconds']:.0f} |" for k, v in training.items()),
        "",
        "## Boundaries (accuracy %, InterFaceGAN recipe: top/bottom 2%, 70/30 split)",
        "",
        "| direction | validation | all samples |",
        "|---|---|---|",
    ]
    for path in sorted((bundle / "boundaries").glob("*.npz")):
        direction = load_direction(path)
        accuracy = direction.meta.get("accuracy", {})
        conditions = direction.meta.get("conditions", [])
        if conditions:
            cosine = direction.meta.get("cosine_to_primal", float("nan"))
            lines.append(
                f"| {path.stem} (projected off {', '.join(conditions)}; cos to primal "
                f"{cosine:.3f}) | - | - |"
            )
        else:
            lines.append(
                f"| {path.stem} | {100 * accuracy['validation']:.1f} | "
                f"{100 * accuracy['all']:.1f} |"
            )
    lines += ["", "## Measurements", ""]
    lines += [f"- {key}: {summary}" for key, summary in summarise(reports).items()]
    lines += [
        "",
        "## Commands (in order; training commands with their training wall time)",
        "",
        "```",
        *(
            f"{line}    # {'-' if seconds is None else f'{seconds:.0f} s'}"
            for line, seconds in steps
        ),
        "```",
        "",
        "Rebuild with `python scripts/make_bundle.py " + name + " --runs runs` (it runs exactly "
        "these commands and rewrites this card).",
        "",
    ]
    return "\n".join(lines)


def summarise(reports: dict) -> dict[str, str]:
    """One readable line per report."""
    out = {}
    if "quality" in reports:
        q = reports["quality"]
        gen, base = q["generated_vs_real"], q["real_vs_real"]
        line = (
            f"domain Fréchet distance {gen['frechet']:.3f} (real vs real {base['frechet']:.3f}), "
            f"KID {gen['kid']:.4f} (real vs real {base['kid']:.4f}), {q['n']} images per set"
        )
        if "coverage" in q:
            c = q["coverage"]
            line += (
                f"; {c['attribute']} classes covered {c['classes_covered']}, balance "
                f"{c['balance']:.3f}, largest class {100 * c['largest_class_share']:.1f}%"
            )
        out["sample quality"] = line
    if "inversion" in reports:
        r = reports["inversion"]
        parts = [f"z recovery R² {r['z_recovery']['r2']:.3f}"]
        for route in ("encoder", "refined"):
            if route in r:
                e = r[route]
                part = f"{route}: MSE {e['mse']:.4f} (ratio to shuffled pairs {e['ratio']:.3f})"
                if "label_preservation" in e:
                    part += f", label preservation {e['label_preservation']:.3f}"
                parts.append(part)
        if "probe" in r:
            rand = r.get("probe_random_encoder", {})
            parts.append(
                f"probes of E(x): 1-NN {r['probe']['nn1']:.3f} (random encoder "
                f"{rand.get('nn1', float('nan')):.3f}), linear {r['probe']['linear']:.3f} "
                f"(random {rand.get('linear', float('nan')):.3f})"
            )
        out["inversion (held-out images)"] = "; ".join(parts)
    if "disentanglement" in reports:
        for name, m in reports["disentanglement"]["results"].items():
            out[f"disentanglement of {name}"] = (
                f"beta-VAE {m['beta_vae']['eval_accuracy']:.3f}, FactorVAE "
                f"{m['factor_vae']['eval_accuracy']:.3f}, MIG {m['mig']['mig']:.3f}, SAP "
                f"{m['sap']['sap']:.3f}, DCI D/C/I {m['dci']['disentanglement']:.3f}/"
                f"{m['dci']['completeness']:.3f}/{m['dci']['informativeness_test']:.3f}, "
                f"modularity {m['modularity_explicitness']['modularity']:.3f}"
            )
    return out


if __name__ == "__main__":
    main()
