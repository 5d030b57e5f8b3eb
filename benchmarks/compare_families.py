"""Which training method gives the most disentangled latent space? DCGAN, InfoGAN and BiGAN on the
sprites, trained on the same budget on this machine and measured the same way.

For each family the representation measured against the true factors is what it offers for
reading codes off images: DCGAN's z through a latent-regression encoder trained afterwards (its
extra steps are listed), InfoGAN's codes c through its Q network, BiGAN's z through its encoder.
Each row gives the ground-truth metrics of that representation (disentanglement_lib's defaults,
fast DCI), the linear separability of the sprite factors in the generator's latent space (a bank
scored by a sprites predictor), and the domain Fréchet distance against the real-versus-real
baseline. The true factors and a random projection of the pixels are the two reference rows.

All runs are made with latentkit's own commands in ``--work`` and resumed when present.

Usage: python benchmarks/compare_families.py [--work runs/families] [--steps 3000]
       [--encoder-steps 2000] [--num-train 10000] [--num-test 5000] [--n 10000]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from latentkit.train.run import RunFolder

DATA = ["--data", "sprites", "--resolution", "32"]
SCORER = ["--norm", "layer"]  # the sprites bundle's predictor settings
METRICS = [
    ("beta_vae", "eval_accuracy"),
    ("factor_vae", "eval_accuracy"),
    ("mig", "mig"),
    ("sap", "sap"),
    ("dci", "disentanglement"),
    ("dci", "completeness"),
    ("modularity_explicitness", "modularity"),
]


def latentkit(*args) -> None:
    """Run one latentkit command line."""
    command = [sys.executable, "-m", "latentkit_cli", "--quiet", *map(str, args)]
    subprocess.run(command, check=True)


def trained(kind: str, out: Path, *args) -> float:
    """Train (or resume) a run; returns its training wall seconds from its log."""
    latentkit("train", kind, *args, "--seed", "0", "--device", "cpu", "--no-progress",
              "--checkpoint-every", "250", "--out", out, "--resume")  # fmt: skip
    return float(RunFolder(out).last_training_record()["elapsed_s"])


def report(folder: Path, *command: str) -> dict:
    """Run a measure command into `folder` (unless its report exists) and read the report."""
    if not (folder / "report.json").exists():
        latentkit("measure", *command, "--seed", "0", "--device", "cpu", "--out", folder)
    return json.loads((folder / "report.json").read_text())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=Path("runs/families"))
    parser.add_argument("--steps", type=int, default=3000, help="Training steps of each family.")
    parser.add_argument("--encoder-steps", type=int, default=2000)
    parser.add_argument("--scorer-steps", type=int, default=1500)
    parser.add_argument("--num-train", type=int, default=10000, help="Metric training points.")
    parser.add_argument("--num-test", type=int, default=5000, help="Metric test points.")
    parser.add_argument("--n", type=int, default=10000, help="Bank size (separability).")
    args = parser.parse_args()
    work, steps = args.work, ("--steps", str(args.steps))
    work.mkdir(parents=True, exist_ok=True)

    scorer_seconds = trained(
        "scorer", work / "scorer", *DATA, *SCORER, "--steps", str(args.scorer_steps)
    )
    scorer = work / "scorer" / "scorer.safetensors"
    budget, seconds, runs = {}, {}, {}
    seconds["DCGAN"] = trained("gan", work / "dcgan", *DATA, *steps)
    g_file = work / "dcgan" / "generator.safetensors"
    extra = trained(
        "encoder", work / "dcgan-encoder", "--generator", g_file, "--steps", args.encoder_steps
    )
    budget["DCGAN"] = f"{args.steps} + encoder {args.encoder_steps}"
    seconds["DCGAN"] += extra
    runs["DCGAN"] = (work / "dcgan", work / "dcgan-encoder" / "encoder.safetensors")
    seconds["InfoGAN"] = trained("gan", work / "infogan", *DATA, *steps, "--family", "infogan",
                                 "--info-categorical", "3", "--info-continuous", "4")  # fmt: skip
    budget["InfoGAN"] = str(args.steps)
    runs["InfoGAN"] = (work / "infogan", work / "infogan" / "encoder.safetensors")
    seconds["BiGAN"] = trained("bigan", work / "bigan", *DATA, *steps)
    budget["BiGAN"] = str(args.steps)
    runs["BiGAN"] = (work / "bigan", work / "bigan" / "encoder.safetensors")

    rows = {}
    sizes = ("--num-train", str(args.num_train), "--num-test", str(args.num_test))
    for name, (run, encoder) in runs.items():
        generator = run / "generator.safetensors"
        dis = report(work / f"{name}-disentanglement", "disentanglement", *DATA, *sizes,
                     "--encoder", str(encoder))  # fmt: skip
        bank = work / f"{name}-bank.npz"
        if not bank.exists():
            latentkit("sample", "--generator", generator, "--scorer", scorer, "--n", args.n,
                      "--seed", "0", "--no-progress", "--out", bank)  # fmt: skip
        latent = report(work / f"{name}-latent", "latent", "--generator", str(generator),
                        "--bank", str(bank))  # fmt: skip
        quality = report(work / f"{name}-quality", "quality", "--generator", str(generator),
                         "--scorer", str(scorer), *DATA[:2], "--n", "2000")  # fmt: skip
        rows[name] = {
            "metrics": next(iter(dis["results"].values())),
            "separability": latent["separability"],
            "frechet": quality["generated_vs_real"]["frechet"],
            "baseline_frechet": quality["real_vs_real"]["frechet"],
        }
    refs = report(work / "reference-disentanglement", "disentanglement", *DATA, *sizes,
                  "--encoder", "factors", "--encoder", "pixels:10")  # fmt: skip
    for name, metrics in refs["results"].items():
        rows[f"({name})"] = {"metrics": metrics}
    print_table(rows, budget, seconds, scorer_seconds)
    plot(rows, work / "compare_families.png")


def print_table(rows: dict, budget: dict, seconds: dict, scorer_seconds: float) -> None:
    names = [
        f"{m}.{k}".replace("_explicitness", "").replace("eval_accuracy", "acc") for m, k in METRICS
    ]
    print("Sprites (32 px), same training budget per family; trained on this machine (2 cores)")
    head = f"{'family':<14} {'steps':>18} {'train s':>8} " + " ".join(
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
            f"{name:<14} {budget.get(name, '-'):>18} {seconds.get(name, float('nan')):>8.0f} "
            f"{values}{extra}"
        )
    print(
        f"(the sprites predictor behind separability and Fréchet: {scorer_seconds:.0f} s training)"
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
