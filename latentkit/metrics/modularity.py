"""Modularity and explicitness (Ridgeway & Mozer 2018)."""

from __future__ import annotations

import numpy as np
from sklearn.metrics import roc_auc_score

from latentkit.metrics.factors import (
    check_codes_factors,
    discretize,
    mutual_information,
    reference_logistic,
)


def modularity_explicitness(
    codes_train, factors_train, codes_test, factors_test, num_bins: int = 20
) -> dict[str, float]:
    """Ridgeway & Mozer: modularity (each code dimension informative of one factor at most)
    and explicitness (ROC AUC of a logistic regression per factor on standardised codes)."""
    codes_train, factors_train = check_codes_factors(codes_train, factors_train)
    codes_test, factors_test = check_codes_factors(codes_test, factors_test)
    squared = mutual_information(discretize(codes_train, num_bins), factors_train) ** 2
    top = squared.max(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        deviation = (squared.sum(axis=1) - top) / (top * (squared.shape[1] - 1))
    modularity = np.where(top == 0, 0.0, 1.0 - deviation)
    mean, std = codes_train.mean(0), codes_train.std(0)
    std = np.where(std > 0, std, 1.0)
    x_train, x_test = (codes_train - mean) / std, (codes_test - mean) / std
    train_auc, test_auc = [], []
    for k in range(factors_train.shape[1]):
        model = reference_logistic(x_train, factors_train[:, k])
        train_auc.append(_mean_auc(model, x_train, factors_train[:, k]))
        test_auc.append(_mean_auc(model, x_test, factors_test[:, k]))
    return {
        "modularity": float(modularity.mean()),
        "explicitness_train": float(np.mean(train_auc)),
        "explicitness_test": float(np.mean(test_auc)),
    }


def _mean_auc(model, x: np.ndarray, y: np.ndarray) -> float:
    """One-vs-rest ROC AUC averaged over the classes present in `y` (and known to the model)."""
    probabilities = model.predict_proba(x)
    scores = []
    for column, label in enumerate(model.classes_):
        positives = y == label
        if 0 < positives.sum() < len(y):
            scores.append(roc_auc_score(positives, probabilities[:, column]))
    return float(np.mean(scores)) if scores else float("nan")
