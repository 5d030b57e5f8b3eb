"""Which training method gives the most disentangled latent space? DCGAN, InfoGAN and BiGAN on the
sprites, trained on the same budget on this machine and measured the same way.

Every family trains at width 32 under bfloat16 autocast; the GAN families with the sprites
bundle's settings (``scripts/make_bundle.py``: R1 γ 1, no normalisation in D besides), BiGAN with
its own (it has neither option). Beside unsupervised InfoGAN (3 categorical, 4 continuous codes)
stands the bundle's own recipe, InfoGAN with the categorical code bound to the shape by a
projection discriminator.

For each family the representation measured against the true factors is what it offers for
reading codes off images: DCGAN's z through a latent-regression encoder trained afterwards (its
extra steps are listed), InfoGAN's codes c through its Q network, BiGAN's z through its encoder.
Each row gives the ground-truth metrics of that representation (disentanglement_lib's defaults,
the reference DCI unless --dci-mode fast), the linear separability of the sprite factors in the
generator's latent space (a bank scored by the sprites bundle's predictor, or --scorer), and the
domain Fréchet distance against the real-versus-real baseline. The true factors and a random
projection of the pixels are the two reference rows.

All runs are made with latentkit's library (as its commands do) in ``--work`` and resumed when
present.

Usage: python benchmarks/compare_families.py [--work runs/families] [--steps 32000]
       [--encoder-steps 2000] [--scorer sprites] [--num-train 10000] [--num-test 5000]
       [--n 10000] [--dci-mode gbt]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from latentkit.attributes.scorer import load_predictor, load_scorer
from latentkit.data import load_dataset
from latentkit.io.bank import load_bank, save_bank
from latentkit.io.models import load_generator
from latentkit.latent.sample import sample_bank
from latentkit.reports import dataset_sources, disentanglement_report, latent_report, quality_report
from latentkit.train.trainers import train_or_resume

DATA = {"data": "sprites", "resolution": 32, "width": 32}
GAN_SETTINGS = {"precision": "bf16", "r1_gamma": 1.0, "d_norm": "none"}  # the sprites bundle's
INFOGAN = {"family": "infogan", "info_categorical": 3, "info_continuous": 4}
METRICS = [
    ("beta_vae", "eval_accuracy"),
    ("factor_vae", "eval_accuracy"),
    ("mig", "mig"),
    ("sap", "sap"),
    ("dci", "disentanglement"),
    ("dci", "completeness"),
    ("modularity_explicitness", "modularity"),
]


def done(folder: Path) -> bool:
    """Whether a report was made in `folder` by an earlier run of this script."""
    return (folder / "report.json").exists()


def read(folder: Path) -> dict:
    return json.loads((folder / "report.json").read_text())


def trained(kind: str, out: Path, **config) -> float:
    """Train (or resume) a run with seed 0; its training wall seconds."""
    return float(train_or_resume(kind, out, seed=0, **config)["elapsed_s"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=Path("runs/families"))
    parser.add_argument("--steps", type=int, default=32000, help="Training steps of each family.")
    parser.add_argument("--encoder-steps", type=int, default=2000)
    parser.add_argument(
        "--scorer", default="sprites", help="Sprites predictor [default: the shipped bundle's]."
    )
    parser.add_argument("--num-train", type=int, default=10000, help="Metric training points.")
    parser.add_argument("--num-test", type=int, default=5000, help="Metric test points.")
    parser.add_argument("--n", type=int, default=10000, help="Bank size (separability).")
    parser.add_argument("--dci-mode", default="gbt", help="gbt (the reference) or fast.")
    args = parser.parse_args()
    work, steps = args.work, args.steps
    work.mkdir(parents=True, exist_ok=True)
    sprites = load_dataset("sprites", 32)
    sizes = {"num_train": args.num_train, "num_test": args.num_test, "dci_mode": args.dci_mode}

    scorer = args.scorer
    budget, seconds, runs = {}, {}, {}
    seconds["DCGAN"] = trained("gan", work / "dcgan", **DATA, **GAN_SETTINGS, steps=steps)
    g_file = work / "dcgan" / "generator.safetensors"
    extra = trained(
        "encoder", work / "dcgan-encoder", generator=str(g_file), steps=args.encoder_steps
    )
    budget["DCGAN"] = f"{steps} + encoder {args.encoder_steps}"
    seconds["DCGAN"] += extra
    runs["DCGAN"] = (work / "dcgan", work / "dcgan-encoder" / "encoder.safetensors")
    bound = {"info_projection": True, "d_class_loss": 1.0}  # the code bound to the shape
    for name, folder, options in (
        ("InfoGAN", "infogan", {}),
        ("InfoGAN, shape bound", "infogan-bound", bound),
    ):
        seconds[name] = trained(
            "gan", work / folder, **DATA, **GAN_SETTINGS, **INFOGAN, **options, steps=steps
        )
        budget[name] = str(steps)
        runs[name] = (work / folder, work / folder / "encoder.safetensors")
    seconds["BiGAN"] = trained("bigan", work / "bigan", **DATA, precision="bf16", steps=steps)
    budget["BiGAN"] = str(steps)
    runs["BiGAN"] = (work / "bigan", work / "bigan" / "encoder.safetensors")

    rows = {
        name: measure(run, encoder, scorer, sprites, sizes, args.n)
        for name, (run, encoder) in runs.items()
    }
    references = work / "reference-disentanglement"
    if not done(references):
        sources = dataset_sources(sprites, ["factors", "pixels:10"], seed=0)
        disentanglement_report(sources, references, **sizes)
    for name, metrics in read(references)["results"].items():
        rows[f"({name})"] = {"metrics": metrics}
    print_table(rows, budget, seconds, scorer)
    plot(rows, work / "compare_families.png")


def measure(run: Path, encoder: Path, scorer: str, sprites, sizes: dict, n: int) -> dict:
    """One family's row: the ground-truth metrics of its encoder's codes, the separability of
    the sprite factors in a bank of `n` codes, and its Fréchet distance; each report is kept
    beside the run (``RUN-disentanglement`` …) and reused when present."""
    work = run.parent
    generator = load_generator(run, device="cpu")
    folders = {m: work / f"{run.name}-{m}" for m in ("disentanglement", "latent", "quality")}
    if not done(folders["disentanglement"]):
        sources = dataset_sources(sprites, [str(encoder)], seed=0)
        disentanglement_report(sources, folders["disentanglement"], **sizes)
    bank_file = work / f"{run.name}-bank.npz"
    if not bank_file.exists():
        bank = sample_bank(generator, load_scorer(scorer), n, seed=0, progress=False)
        save_bank(bank_file, bank)
    if not done(folders["latent"]):
        latent_report(generator, load_bank(bank_file), folders["latent"])
    if not done(folders["quality"]):
        quality_report(generator, load_predictor(scorer), sprites, folders["quality"], 2000)
    quality = read(folders["quality"])
    return {
        "metrics": next(iter(read(folders["disentanglement"])["results"].values())),
        "separability": read(folders["latent"])["separability"],
        "frechet": quality["generated_vs_real"]["frechet"],
        "baseline_frechet": quality["real_vs_real"]["frechet"],
    }


def print_table(rows: dict, budget: dict, seconds: dict, scorer: str) -> None:
    names = [
        f"{m}.{k}".replace("_explicitness", "").replace("eval_accuracy", "acc") for m, k in METRICS
    ]
    print("Sprites (32 px), same training budget per family; trained on this machine (2 cores)")
    head = f"{'family':<22} {'steps':>18} {'train s':>8} " + " ".join(
        f"{n[:14]:>14}" for n in names
    )
    print(head + f" {'separability':>13} {'Fréchet':>8} {'(real)':>7}")
    for name, row in rows.items():
        values = " ".join(f"{row['metrics'][m][k]:>14.3f}" for m, k in METRICS)
        extra = (
            f" {row['separability']:>13.2f} {row['frechet']:>8.3f} {row['baseline_frechet']:>7.3f}"
            if "frechet" in row
            else ""
        )
        print(
            f"{name:<22} {budget.get(name, '-'):>18} {seconds.get(name, float('nan')):>8.0f} "
            f"{values}{extra}"
        )
    print(
        f"(separability and Fréchet in the sprites predictor {scorer!r}; Fréchet of 2,000 images)"
    )


def plot(rows: dict, path: Path) -> None:
    fig, ax = plt.subplots(figsize=(9, 4))
    width = 0.8 / len(rows)
    for i, (name, row) in enumerate(rows.items()):
        values = [row["metrics"][m][k] for m, k in METRICS]
        ax.bar([j + i * width for j in range(len(METRICS))], values, width, label=name)
    ax.set_xticks([j + 0.4 - width / 2 for j in range(len(METRICS))])
    ax.set_xticklabels([f"{m}\n{k}" for m, k in METRICS], fontsize=7)
    ax.set_ylim(0, 1)
    ax.set_ylabel("score (1 = disentangled)")
    ax.set_title("Sprites: each family's representation against the true factors", fontsize=10)
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    print(f"plot: {path}")


if __name__ == "__main__":
    main()
