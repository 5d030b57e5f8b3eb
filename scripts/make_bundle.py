"""Make a pretrained bundle (``pretrained/NAME``) with latentkit's library, and its model card.

Every step is a library call, run in order and recorded in the card as the equivalent
``latentkit`` command line with its wall time: train the generator, the encoder and the scorer
(resumed when their run folder already holds a checkpoint, so an interrupted build continues);
sample a bank (of the recipe's ``space``, z unless it says w) and score it; fit a boundary per
attribute; project the most correlated pairs; measure sample quality and inversion (and, for
sprites, the encoder's disentanglement). The bundle keeps the weights, the boundaries, the
reports and ``MODEL_CARD.md``; its manifest names the space.

Usage: python scripts/make_bundle.py mnist|sprites [--runs runs] [--dest pretrained]
"""

from __future__ import annotations

import argparse
import itertools
import json
import shutil
import time
from collections.abc import Callable
from pathlib import Path

from latentkit.attributes.scorer import load_predictor, load_scorers
from latentkit.data import load_dataset
from latentkit.directions.projection import CONDITIONED, project_direction
from latentkit.directions.svm import fit_boundaries
from latentkit.io.bank import load_bank, save_bank
from latentkit.io.direction import load_direction, save_boundaries, save_direction
from latentkit.io.models import image_shape, load_encoder, load_generator
from latentkit.latent.codes import dataset_rows
from latentkit.latent.sample import sample_bank
from latentkit.reports import (
    dataset_sources,
    disentanglement_report,
    edits_report,
    inversion_report,
    quality_report,
)
from latentkit.train.trainers import train_or_resume

SEED = 0
PAIRS = 2  # conditioned boundaries for the most correlated pairs

RECIPES = {
    "mnist": {
        "description": "DCGAN-32 on the MNIST subset (mnist@train), with a latent-regression "
        "encoder, a digit classifier and boundaries for each digit, thickness, slant and width",
        "data": "mnist@train",
        "heldout": "mnist@heldout",
        "gan_run": "mnist-gan",
        "quality_n": 500,  # mnist@heldout holds 1,000: two real sets of 500 for the baseline
        "bank_size": 20000,
        "gan": {"data": "mnist@train", "steps": 5000, "batch_size": 64},
        "encoder": {"steps": 3000},
        "scorer": {"data": "mnist@train", "steps": 1500},
        "scorers": ("SCORER", "analytic:digits"),
        "fit": [*(f"digit={d}" for d in range(10)), "thickness", "slant", "width"],
        "pair_pool": ("thickness", "slant", "width"),
        "identity": "thickness",  # an edit measured plain and keeping the class (1,000 codes, ±2)
    },
    "sprites": {
        "description": "InfoGAN-32 on the procedural sprites (all 737,280): a 3-way categorical "
        "code bound to the shape by a projection discriminator (with a class head on the real "
        "shapes), 4 continuous codes, R1; with a latent-regression encoder, a factor predictor "
        "and boundaries for each shape, scale, orientation, x and y",
        "data": "sprites",
        "heldout": "sprites",
        "gan_run": "sprites-infogan32",
        "quality_n": 2000,
        # InterFaceGAN keeps 2 % at each end: 2,000 codes a side for the small sprites' x and y
        "bank_size": 100000,
        "gan": {
            "data": "sprites",
            "resolution": 32,
            "width": 32,
            "family": "infogan",
            "info_categorical": 3,
            "info_continuous": 4,
            "info_projection": True,
            "d_class_loss": 1.0,
            "d_norm": "none",
            "r1_gamma": 1.0,
            "precision": "bf16",
            "steps": 32000,
            "batch_size": 64,
        },
        "encoder": {"steps": 3000},
        "scorer": {"data": "sprites", "resolution": 32, "norm": "layer", "steps": 20000},
        "scorers": ("SCORER",),
        "fit": None,
        "pair_pool": ("scale", "x", "y", "orientation_sin", "orientation_cos"),
    },
}


def command_line(*words, **options) -> str:
    """The ``latentkit`` command line equivalent to a step: options named as the library's
    arguments (``batch_size`` -> ``--batch-size``; a list repeats the option; True is a flag)."""
    parts = ["latentkit", *map(str, words)]
    for name, value in options.items():
        flag = f"--{name.replace('_', '-')}"
        for item in value if isinstance(value, list | tuple) else [value]:
            if item is True:
                parts.append(flag)
            elif item is not None and item is not False:
                parts += [flag, str(item)]
    return " ".join(parts)


class Recorder:
    """Runs the steps and keeps their command lines and wall times, for the model card. With
    `keep_reports`, a report that already exists is not made again (its time is then unknown)."""

    def __init__(self, keep_reports: bool = False):
        self.steps: list[tuple[str, float | None]] = []
        self.keep_reports = keep_reports

    def __call__(self, line: str, run: Callable[[], object], report: Path | None = None) -> None:
        if self.keep_reports and report is not None and (report / "report.json").exists():
            print(f"$ {line}    # kept from an earlier run", flush=True)
            self.steps.append((line, None))
            return
        print(f"$ {line}", flush=True)
        start = time.perf_counter()
        run()
        self.steps.append((line, time.perf_counter() - start))

    def trained(self, kind: str, out: Path, **config) -> dict:
        """Train (or resume) a run; its steps and training wall time (from its log)."""
        config = {**config, "seed": SEED}
        line = command_line("train", kind, **config, out=out, checkpoint_every=250)
        print(f"$ {line}", flush=True)
        last = train_or_resume(kind, out, **config)
        self.steps.append((line, last["elapsed_s"]))
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

    training = {"generator": record.trained("gan", runs / recipe["gan_run"], **recipe["gan"])}
    generator_file = runs / recipe["gan_run"] / "generator.safetensors"
    training["encoder"] = record.trained(
        "encoder", runs / f"{name}-encoder", generator=str(generator_file), **recipe["encoder"]
    )
    training["scorer"] = record.trained("scorer", runs / f"{name}-scorer", **recipe["scorer"])
    encoder_file = runs / f"{name}-encoder" / "encoder.safetensors"
    scorer_file = runs / f"{name}-scorer" / "scorer.safetensors"
    space = recipe.get("space", "z")  # of the bank, the boundaries and the encoder
    generator = load_generator(generator_file, space=space)
    space_flag = None if space == "z" else space  # shown on the card's command lines
    scorers = [str(scorer_file) if s == "SCORER" else s for s in recipe["scorers"]]

    bank_file, boundaries_dir = work / "bank.npz", work / "boundaries"

    def sample() -> None:
        bank = sample_bank(
            generator, load_scorers(scorers), recipe["bank_size"], SEED, progress=False
        )
        save_bank(bank_file, bank)

    record(command_line("sample", generator=generator_file, space=space_flag, scorer=scorers,
                        n=recipe["bank_size"], seed=SEED, out=bank_file), sample)  # fmt: skip

    def fit() -> None:
        bank = load_bank(bank_file)
        names = recipe["fit"] or bank.attribute_names
        columns = {n: bank.score(n) for n in names}
        found = fit_boundaries(
            bank.z, columns, seed=SEED, source=str(bank_file), space=bank.meta.get("space", "z")
        )
        save_boundaries(boundaries_dir, found, overwrite=True)

    attributes = ",".join(recipe["fit"]) if recipe["fit"] else None
    record(command_line("boundary", "fit", bank=bank_file, attribute=attributes, seed=SEED,
                        out=boundaries_dir), fit)  # fmt: skip
    boundaries = {
        p.stem: p for p in sorted(boundaries_dir.glob("*.npz")) if CONDITIONED not in p.stem
    }
    for primal, condition in correlated_pairs(boundaries, recipe["pair_pool"]):
        out = boundaries_dir / f"{primal}{CONDITIONED}{condition}.npz"
        pair = [load_direction(boundaries[primal]), load_direction(boundaries[condition])]
        projected = project_direction(pair[0], pair[1:])[0]
        record(command_line("boundary", "project", primal=boundaries[primal],
                            condition=boundaries[condition], out=out),
               lambda out=out, d=projected: save_direction(out, d))  # fmt: skip

    reports = work / "reports"
    reports.mkdir(exist_ok=True)
    heldout = load_dataset(recipe["heldout"], image_shape(generator)[-1])
    common = {"seed": SEED, "overwrite": True}
    record(
        command_line("measure", "quality", generator=generator_file, space=space_flag,
                     scorer=scorer_file, data=recipe["heldout"], n=recipe["quality_n"], seed=SEED,
                     out=reports / "quality"),
        lambda: quality_report(generator, load_predictor(scorer_file), heldout,
                               reports / "quality", recipe["quality_n"], **common),
        reports / "quality",
    )  # fmt: skip

    def inversion() -> None:
        rows = dataset_rows(heldout, None, 1000, SEED)
        labels = heldout.labels(rows) if heldout.class_attribute is not None else None
        inversion_report(generator, load_encoder(encoder_file), heldout.images(rows),
                         reports / "inversion", labels, load_predictor(scorer_file), 100,
                         recipe["heldout"], **common)  # fmt: skip

    record(command_line("measure", "inversion", generator=generator_file, space=space_flag,
                        encoder=encoder_file, data=recipe["heldout"], n=1000, scorer=scorer_file,
                        refine_steps=100, seed=SEED, out=reports / "inversion"),
           inversion, reports / "inversion")  # fmt: skip
    if "identity" in recipe:
        primal = boundaries[recipe["identity"]]
        record(command_line("measure", "edits", generator=generator_file, space=space_flag,
                            scorer=scorers, direction=primal, keep_class=scorer_file, n=1000,
                            distance=2, seed=SEED, out=reports / "identity"),
               lambda: edits_report(generator, load_scorers(scorers), [load_direction(primal)],
                                    reports / "identity", count=1000, distance=2.0,
                                    keep_class=load_scorers([str(scorer_file)]), **common),
               reports / "identity")  # fmt: skip
    if name == "sprites":
        specs = [str(encoder_file), "factors", "pixels:10"]
        record(command_line("measure", "disentanglement", data="sprites", resolution=32,
                            encoder=specs, num_train=1000, num_test=500, seed=SEED,
                            out=reports / "disentanglement"),
               lambda: disentanglement_report(dataset_sources(load_dataset("sprites", 32), specs),
                                              reports / "disentanglement", num_train=1000,
                                              num_test=500, **common),
               reports / "disentanglement")  # fmt: skip

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
        "space": recipe.get("space", "z"),
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
        "Rebuild with `python scripts/make_bundle.py " + name + " --runs runs` (it makes the "
        "library calls these commands make, and rewrites this card).",
        "",
    ]
    return "\n".join(lines)


def identity_line(report: dict) -> str:
    """The class-flip rates and the attribute change at the walk's ends, plain and keeping the
    class, for the report's first direction and attribute of that name."""
    name = report["directions"][0]
    column = report["attributes"].index(name) if name in report["attributes"] else None
    parts = []
    for label, effects in (("plain", report["side_effects"]),
                           ("class kept", report["class_kept"]["side_effects"])):  # fmt: skip
        head, rates = next(iter(effects["flip_rates"].items()))
        flips = f"{head} flip rate {100 * rates[0][0]:.1f}% / {100 * rates[0][-1]:.1f}%"
        change = f", {name} slope {effects['slopes'][0][column]:+.3f}" if column is not None else ""
        parts.append(f"{label}: {flips} at −{report['distances'][-1]:g} / "
                     f"+{report['distances'][-1]:g}{change}")  # fmt: skip
    return f"{name} walked from {report['codes']} codes; " + "; ".join(parts)


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
            shares = ", ".join(
                f"{name} {100 * share:.1f}%"
                for name, share in zip(c.get("classes", []), c.get("shares", []), strict=True)
            )
            line += (
                f"; {c['attribute']} classes covered {c['classes_covered']}, balance "
                f"{c['balance']:.3f}, largest class {100 * c['largest_class_share']:.1f}%"
            )
            if shares:
                line += (
                    f" (shares {shares}; largest departure from uniform "
                    f"{100 * c['largest_departure_from_uniform']:.1f}%)"
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
    if "identity" in reports:
        out["identity along an edit"] = identity_line(reports["identity"])
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
