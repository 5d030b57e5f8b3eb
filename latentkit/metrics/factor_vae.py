"""The FactorVAE metric (Kim & Mnih 2018), with the study's pruning threshold 0.05 and votes
recorded under the true dimension (see `latentkit.metrics.disentanglement`)."""

from __future__ import annotations

import numpy as np

from latentkit.metrics.factors import ArraySource, FactorSource, sample_points


def factor_vae_on(
    source: FactorSource,
    rng: np.random.Generator,
    batch_size: int = 64,
    num_train: int = 10000,
    num_eval: int = 5000,
    num_variance_estimate: int = 10000,
    prune_threshold: float = 0.05,
) -> dict[str, float]:
    """Kim & Mnih: in batches with one factor fixed, the code dimension of least normalised
    variance votes for that factor; a majority-vote classifier maps dimensions to factors."""
    codes, _ = sample_points(source, num_variance_estimate, rng)
    global_variances = codes.var(axis=0, ddof=1)
    active = np.flatnonzero(np.sqrt(global_variances) >= prune_threshold)
    if len(active) == 0:
        return {"train_accuracy": 0.0, "eval_accuracy": 0.0, "num_active_dims": 0}

    def votes(n):
        table = np.zeros((source.num_factors, codes.shape[1]), np.int64)
        for k in rng.integers(0, source.num_factors, n):
            local = source.sample_fixed(int(k), batch_size, rng).var(axis=0, ddof=1)
            table[k, active[np.argmin(local[active] / global_variances[active])]] += 1
        return table

    train_votes = votes(num_train)
    classifier = np.argmax(train_votes, axis=0)
    columns = np.arange(codes.shape[1])
    eval_votes = votes(num_eval)
    return {
        "train_accuracy": float(train_votes[classifier, columns].sum() / train_votes.sum()),
        "eval_accuracy": float(eval_votes[classifier, columns].sum() / eval_votes.sum()),
        "num_active_dims": len(active),
    }


def factor_vae(
    codes: np.ndarray,
    factors: np.ndarray,
    seed: int = 0,
    batch_size: int = 64,
    num_train: int = 10000,
    num_eval: int = 5000,
    num_variance_estimate: int = 10000,
    prune_threshold: float = 0.05,
) -> dict[str, float]:
    """FactorVAE score of precomputed codes [N, D] with factor classes [N, K]: interventions draw
    rows that share the fixed factor's value."""
    return factor_vae_on(
        ArraySource(codes, factors),
        np.random.default_rng(seed),
        batch_size,
        num_train,
        num_eval,
        num_variance_estimate,
        prune_threshold,
    )
