"""Boundary fitting at scale: InterFaceGAN's recipe with SVC beside latentkit's default solver,
and the time and peak memory of ``latentkit sample``.

The bank: N codes z ~ N(0, I_d) with a known unit direction u; the score of a code is
z·u + noise·ε (ε ~ N(0, 1)), a stand-in for an attribute predictor that is mostly, not wholly,
explained by one direction.

* InterFaceGAN: ``train_boundary`` step by step as in its utils/manipulator.py (sort, top and
  bottom 2%, 70/30 split, ``SVC(kernel="linear")``, ``predict`` on the validation and remaining
  sets). Its two shuffles are drawn as latentkit draws them, so both methods train on the same
  codes and the cosine between their normals measures the solvers, not two random splits.
* latentkit: ``BoundaryFinder().fit`` (the same recipe; liblinear's primal squared-hinge SVM;
  it also scores every code).

Usage: python benchmarks/boundary_fit.py [--n 500000] [--dim 128] [--noise 0.5] [--sample-n 100000]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from sklearn.svm import SVC

from latentkit.directions.svm import BoundaryFinder


def interfacegan_recipe(
    z: np.ndarray, scores: np.ndarray, seed: int
) -> tuple[np.ndarray, float, float]:
    """InterFaceGAN's train_boundary (defaults), returning (normal, val accuracy, remaining acc)."""
    rng = np.random.default_rng(seed)
    order = np.argsort(-scores, kind="stable")
    z, scores = z[order], scores[order]
    n = len(z)
    chosen = min(int(n * 0.02), n // 2)
    train = int(chosen * 0.7)
    val = chosen - train
    pos, neg = rng.permutation(chosen), rng.permutation(chosen)
    x_train = np.concatenate([z[:chosen][pos[:train]], z[-chosen:][neg[:train]]])
    y_train = np.r_[np.ones(train, int), np.zeros(train, int)]
    x_val = np.concatenate([z[:chosen][pos[train:]], z[-chosen:][neg[train:]]])
    y_val = np.r_[np.ones(val, int), np.zeros(val, int)]
    remaining = z[chosen:-chosen]
    midpoint = (scores[0] + scores[-1]) / 2
    y_remaining = (scores[chosen:-chosen] >= midpoint).astype(int)
    classifier = SVC(kernel="linear").fit(x_train, y_train)
    val_accuracy = float(np.mean(classifier.predict(x_val) == y_val))
    remaining_accuracy = float(np.mean(classifier.predict(remaining) == y_remaining))
    normal = classifier.coef_.reshape(-1).astype(np.float32)
    return normal / np.linalg.norm(normal), val_accuracy, remaining_accuracy


def boundary_table(n: int, dim: int, noise: float, seed: int) -> None:
    rng = np.random.default_rng(seed)
    u = rng.normal(size=dim)
    u /= np.linalg.norm(u)
    z = rng.normal(size=(n, dim)).astype(np.float32)
    scores = z @ u + noise * rng.normal(size=n)
    start = time.perf_counter()
    normal_ref, val_ref, rem_ref = interfacegan_recipe(z, scores, seed)
    t_ref = time.perf_counter() - start
    start = time.perf_counter()
    finder = BoundaryFinder(seed=seed).fit(z, scores)
    t_lk = time.perf_counter() - start
    print(
        f"Boundary fit: N={n:,}, d={dim}, score = z·u + {noise}·noise, top/bottom 2%, 70/30 split"
    )
    print(f"{'method':<26} {'seconds':>9} {'val acc %':>10} {'remain acc %':>13} {'cos(u)':>8}")
    print(
        f"{'InterFaceGAN (SVC)':<26} {t_ref:>9.2f} {100 * val_ref:>10.2f} {100 * rem_ref:>13.2f} "
        f"{normal_ref @ u:>8.4f}"
    )
    print(
        f"{'latentkit (liblinear)':<26} {t_lk:>9.2f} {100 * finder.validation_accuracy_:>10.2f} "
        f"{100 * finder.remaining_accuracy_:>13.2f} {finder.normal_ @ u:>8.4f}"
    )
    print(
        f"speed-up: {t_ref / t_lk:.1f}x; cos(InterFaceGAN normal, latentkit normal) = "
        f"{float(normal_ref @ finder.normal_):.5f}; validation accuracy difference "
        f"{100 * (finder.validation_accuracy_ - val_ref):+.2f} points"
    )


def sample_table(counts: list[int]) -> None:
    """Time and peak memory of `latentkit sample` (a DCGAN-32 generator, the analytic digit
    scorer), each in its own process."""
    from latentkit.io.models import save_model
    from latentkit.nets.dcgan import DCGANGenerator

    print("latentkit sample: DCGAN-32 (width 64, z 100), scorer analytic:digits, batch 256, CPU")
    print(f"{'codes':>9} {'seconds':>9} {'codes/s':>9} {'peak RSS MB':>12} {'bank MB':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        generator = save_model(Path(tmp) / "g.safetensors", DCGANGenerator().eval(), "generator")
        for count in counts:
            out = Path(tmp) / f"bank{count}.npz"
            args = [
                sys.executable,
                "-m",
                "latentkit_cli",
                "sample",
                "--generator",
                str(generator),
                "--scorer",
                "analytic:digits",
                "--n",
                str(count),
                "--out",
                str(out),
                "--no-progress",
                "--device",
                "cpu",
            ]
            start = time.perf_counter()
            process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            _, status, usage = os.wait4(process.pid, 0)  # this child's own peak memory
            seconds = time.perf_counter() - start
            if status != 0:
                raise SystemExit(f"latentkit sample failed for {count} codes")
            print(
                f"{count:>9,} {seconds:>9.1f} {count / seconds:>9.0f} "
                f"{usage.ru_maxrss / 1024:>12.0f} {out.stat().st_size / 2**20:>8.1f}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=500_000)
    parser.add_argument("--dim", type=int, default=128)
    parser.add_argument("--noise", type=float, nargs="+", default=[0.5, 1.0, 2.0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--sample-n", type=int, nargs="+", default=[10_000, 100_000])
    args = parser.parse_args()
    for noise in args.noise:
        boundary_table(args.n, args.dim, noise, args.seed)
        print()
    sample_table(args.sample_n)


if __name__ == "__main__":
    main()
