"""DCI: disentanglement, completeness and informativeness (Eastwood & Williams 2018)."""

from __future__ import annotations

import numpy as np
from sklearn.ensemble import GradientBoostingClassifier

from latentkit.errors import LatentkitError
from latentkit.metrics.factors import check_codes_factors

DCI_MODES = ("gbt", "fast")


def _dci_classifier(mode: str, seed: int):
    if mode == "gbt":
        # The reference's GradientBoostingClassifier(); the seed only breaks ties between
        # equally good splits, which it otherwise breaks differently on every run.
        return GradientBoostingClassifier(random_state=seed)
    if mode == "fast":
        from lightgbm import LGBMClassifier

        # The reference's shape (100 trees, learning rate 0.1, trees of 8 leaves ~ depth 3) on
        # LightGBM's histograms, with total split gain as the importance. One thread: these small
        # many-class fits run faster on one, and LightGBM's spinning OpenMP threads make them
        # 20 times slower when the cores are busy.
        return LGBMClassifier(
            n_estimators=100,
            learning_rate=0.1,
            num_leaves=8,
            importance_type="gain",
            random_state=seed,
            n_jobs=1,
            verbose=-1,
        )
    raise LatentkitError(f"unknown DCI mode {mode!r} (known: {', '.join(DCI_MODES)})")


def dci(
    codes_train, factors_train, codes_test, factors_test, mode: str = "gbt", seed: int = 0
) -> dict[str, float]:
    """Eastwood & Williams: importance of each code dimension for predicting each factor by
    gradient-boosted trees; disentanglement (each dimension predicts one factor), completeness
    (each factor is predicted by one dimension) and informativeness (accuracy).

    ``gbt`` is disentanglement_lib's ``GradientBoostingClassifier()`` (impurity importances);
    ``fast`` is LightGBM's histogram gradient boosting of the same shape, with split-gain
    importances."""
    codes_train, factors_train = check_codes_factors(codes_train, factors_train)
    codes_test, factors_test = check_codes_factors(codes_test, factors_test)
    num_factors = factors_train.shape[1]
    importance = np.zeros((codes_train.shape[1], num_factors))
    train_acc, test_acc = [], []
    for k in range(num_factors):
        model = _dci_classifier(mode, seed).fit(codes_train, factors_train[:, k])
        importance[:, k] = np.abs(model.feature_importances_)
        train_acc.append(np.mean(model.predict(codes_train) == factors_train[:, k]))
        test_acc.append(np.mean(model.predict(codes_test) == factors_test[:, k]))
    return {
        "disentanglement": _disentanglement(importance),
        "completeness": _disentanglement(importance.T),
        "informativeness_train": float(np.mean(train_acc)),
        "informativeness_test": float(np.mean(test_acc)),
    }


def _disentanglement(importance: np.ndarray) -> float:
    """1 - entropy (base = number of columns) of each row's importance distribution, weighted by
    the row's share of the total importance."""
    total = importance.sum()
    if total == 0:
        return 0.0
    rows = importance / np.maximum(importance.sum(axis=1, keepdims=True), 1e-11)
    with np.errstate(divide="ignore", invalid="ignore"):
        logs = np.where(rows > 0, np.log(rows) / np.log(importance.shape[1]), 0.0)
    per_row = 1.0 + (rows * logs).sum(axis=1)
    return float((per_row * importance.sum(axis=1) / total).sum())
