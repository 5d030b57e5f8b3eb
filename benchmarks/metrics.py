"""Wall time of every ground-truth metric at disentanglement_lib's default sizes (10,000 train /
5,000 test points), with DCI's reference estimator (``gbt``: sklearn's
GradientBoostingClassifier, latentkit's default) and the fast mode (LightGBM) side by side on the
same points, and their difference.

The codes are sprites-sized: five factors with 3, 6, 40, 32 and 32 values, and ten code
dimensions: ``ideal``, the factors scaled to [0, 1] and five noise dimensions; ``aligned``, the
same with noise of 0.05 on the factors; ``rotated``, a random rotation of the aligned codes.

Usage: python benchmarks/metrics.py [--skip-gbt]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from latentkit.metrics.dci import dci
from latentkit.metrics.disentanglement import ArraySource, evaluate_all
from latentkit.metrics.factors import sample_points

SIZES = (3, 6, 40, 32, 32)


def representations(seed: int = 0) -> dict[str, ArraySource]:
    rng = np.random.default_rng(seed)
    n = 50_000
    factors = np.stack([rng.integers(0, s, n) for s in SIZES], axis=1)
    aligned = np.concatenate(
        [
            factors / (np.array(SIZES) - 1) + 0.05 * rng.normal(size=factors.shape),
            rng.normal(size=(n, 5)),
        ],
        axis=1,
    )
    rotation, _ = np.linalg.qr(rng.normal(size=(10, 10)))
    ideal = np.concatenate([factors / (np.array(SIZES) - 1), rng.normal(size=(n, 5))], axis=1)
    return {
        "ideal": ArraySource(ideal, factors),
        "aligned": ArraySource(aligned, factors),
        "rotated": ArraySource(aligned @ rotation, factors),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-gbt", action="store_true", help="Leave out the slow reference DCI.")
    args = parser.parse_args()
    sources = representations()
    print("Ground-truth metrics at the default sizes (10,000 / 5,000), 2 cores")
    print(f"{'metric':<26} {'representation':<14} {'seconds':>8}  values")
    for name, source in sources.items():
        total = 0.0
        for metric, values in evaluate_all(source, seed=0, dci_mode="fast").items():
            seconds = values.pop("seconds")
            total += seconds
            label = "dci (fast)" if metric == "dci" else metric
            shown = ", ".join(f"{k}={v:.3f}" for k, v in values.items())
            print(f"{label:<26} {name:<14} {seconds:>8.2f}  {shown}")
            if metric == "dci":
                fast = values
        print(f"{'whole suite (fast DCI)':<26} {name:<14} {total:>8.2f}")
        if not args.skip_gbt:
            rng = np.random.default_rng(0)  # the same points evaluate_all drew
            train, test = sample_points(source, 10_000, rng), sample_points(source, 5_000, rng)
            start = time.perf_counter()
            values = dci(*train, *test, mode="gbt")
            seconds = time.perf_counter() - start
            shown = ", ".join(f"{k}={v:.3f}" for k, v in values.items())
            print(f"{'dci (gbt, reference)':<26} {name:<14} {seconds:>8.2f}  {shown}")
            gaps = ", ".join(f"{k}={fast[k] - v:+.3f}" for k, v in values.items())
            print(f"{'dci fast - gbt':<26} {name:<14} {'':>8}  {gaps}")


if __name__ == "__main__":
    main()
