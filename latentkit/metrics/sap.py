"""The separated attribute predictability score (Kumar et al. 2018)."""

from __future__ import annotations

import numpy as np
from sklearn.svm import LinearSVC

from latentkit.metrics.factors import check_codes_factors


def sap(codes_train, factors_train, codes_test, factors_test) -> dict[str, float]:
    """Kumar et al.'s separated attribute predictability for discrete factors: per (code, factor)
    a one-feature ``LinearSVC(C=0.01, class_weight="balanced")``; per factor the gap between the
    two best test accuracies; averaged."""
    codes_train, factors_train = check_codes_factors(codes_train, factors_train)
    codes_test, factors_test = check_codes_factors(codes_test, factors_test)
    scores = np.zeros((codes_train.shape[1], factors_train.shape[1]))
    for i in range(codes_train.shape[1]):
        for k in range(factors_train.shape[1]):
            model = LinearSVC(C=0.01, class_weight="balanced")
            model.fit(codes_train[:, [i]], factors_train[:, k])
            scores[i, k] = np.mean(model.predict(codes_test[:, [i]]) == factors_test[:, k])
    ranked = np.sort(scores, axis=0)
    return {"sap": float(np.mean(ranked[-1] - ranked[-2])) if len(ranked) > 1 else 0.0}
