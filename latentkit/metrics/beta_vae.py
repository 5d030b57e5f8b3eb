"""The beta-VAE metric (Higgins et al. 2017)."""

from __future__ import annotations

import numpy as np

from latentkit.metrics.factors import ArraySource, FactorSource, reference_logistic


def beta_vae_on(
    source: FactorSource,
    rng: np.random.Generator,
    batch_size: int = 64,
    num_train: int = 10000,
    num_eval: int = 5000,
) -> dict[str, float]:
    """Higgins et al.: a linear classifier predicts the fixed factor from the mean absolute
    difference of code pairs that share it (``LogisticRegression()``, no scaling)."""

    def points(n):
        labels = rng.integers(0, source.num_factors, n)
        features = [
            np.abs(np.subtract(*source.sample_pairs(k, batch_size, rng))).mean(0) for k in labels
        ]
        return np.array(features), labels

    x_train, y_train = points(num_train)
    x_eval, y_eval = points(num_eval)
    model = reference_logistic(x_train, y_train)
    return {
        "train_accuracy": float(model.score(x_train, y_train)),
        "eval_accuracy": float(model.score(x_eval, y_eval)),
    }


def beta_vae(
    codes: np.ndarray,
    factors: np.ndarray,
    seed: int = 0,
    batch_size: int = 64,
    num_train: int = 10000,
    num_eval: int = 5000,
) -> dict[str, float]:
    """beta-VAE score of precomputed codes [N, D] with factor classes [N, K]: interventions draw
    rows that share the fixed factor's value."""
    source = ArraySource(codes, factors)
    return beta_vae_on(source, np.random.default_rng(seed), batch_size, num_train, num_eval)
