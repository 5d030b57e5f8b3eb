"""What the ground-truth metrics share: codes with their integer factor classes, drawn from arrays
(`ArraySource`) or from a ground-truth dataset through a representation (`DatasetSource`), and
the estimators of disentanglement_lib (discretisation, plug-in mutual information, its
``LogisticRegression()``)."""

from __future__ import annotations

import warnings
from collections.abc import Callable

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import mutual_info_score

from latentkit.errors import LatentkitError


def check_codes_factors(codes: np.ndarray, factors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Codes [N, D] float and factors [N, K] int, with the same N, finite, each factor varying."""
    codes = np.asarray(codes, np.float64)
    factors = np.asarray(factors)
    if codes.ndim != 2 or factors.ndim != 2:
        raise LatentkitError(
            f"codes must be [N, D] and factors [N, K], got {codes.shape} and {factors.shape}"
        )
    if len(codes) != len(factors):
        raise LatentkitError(f"codes have {len(codes)} rows but factors {len(factors)}")
    if not np.isfinite(codes).all():
        raise LatentkitError("codes contain NaN or infinite values")
    if not np.issubdtype(factors.dtype, np.integer):
        if not np.array_equal(factors, np.round(factors)):
            raise LatentkitError("factors must be integer classes")
        factors = factors.astype(np.int64)
    for k in range(factors.shape[1]):
        if len(np.unique(factors[:, k])) < 2:
            raise LatentkitError(f"factor {k} takes a single value: no metric can use it")
    return codes, factors


class FactorSource:
    """Draws (codes, factors) pairs, and batches in which one factor is held fixed."""

    num_factors: int

    def sample(self, n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        raise NotImplementedError

    def sample_fixed(self, factor: int, n: int, rng: np.random.Generator) -> np.ndarray:
        """Codes [n, D] of a batch whose `factor` has one (random) value."""
        raise NotImplementedError

    def sample_pairs(
        self, factor: int, n: int, rng: np.random.Generator
    ) -> tuple[np.ndarray, np.ndarray]:
        """Two code batches [n, D] whose i-th rows share the value of `factor` (beta-VAE)."""
        raise NotImplementedError


class ArraySource(FactorSource):
    """Precomputed codes and factors; interventions resample rows sharing a factor value."""

    def __init__(self, codes: np.ndarray, factors: np.ndarray):
        self.codes, self.factors = check_codes_factors(codes, factors)
        self.num_factors = self.factors.shape[1]
        self._groups = []
        for k in range(self.num_factors):
            values, inverse = np.unique(self.factors[:, k], return_inverse=True)
            order = np.argsort(inverse, kind="stable")
            bounds = np.r_[0, np.cumsum(np.bincount(inverse, minlength=len(values)))]
            self._groups.append((inverse, order, bounds))

    def sample(self, n, rng):
        rows = rng.integers(0, len(self.codes), n)
        return self.codes[rows], self.factors[rows]

    def _rows_with(self, factor: int, value_index: np.ndarray, rng) -> np.ndarray:
        _, order, bounds = self._groups[factor]
        low, high = bounds[value_index], bounds[value_index + 1]
        return order[low + (rng.random(len(value_index)) * (high - low)).astype(np.int64)]

    def sample_fixed(self, factor, n, rng):
        inverse = self._groups[factor][0]
        value = inverse[rng.integers(0, len(self.codes))]
        return self.codes[self._rows_with(factor, np.full(n, value), rng)]

    def sample_pairs(self, factor, n, rng):
        first = rng.integers(0, len(self.codes), n)
        inverse = self._groups[factor][0]
        return self.codes[first], self.codes[self._rows_with(factor, inverse[first], rng)]


class DatasetSource(FactorSource):
    """A ground-truth dataset (``sample_factors``, ``sample_observations_from_factors``) and a
    representation function from observations to codes [n, D]; with ``represent=None`` the
    codes are the factor classes themselves (the upper baseline)."""

    def __init__(self, dataset, represent: Callable[[object], np.ndarray] | None):
        self.dataset, self.represent = dataset, represent
        self.num_factors = dataset.num_factors

    def _codes(self, factors, rng) -> np.ndarray:
        if self.represent is None:
            return factors.astype(np.float64)
        codes = np.asarray(
            self.represent(self.dataset.sample_observations_from_factors(factors, rng))
        )
        if not np.isfinite(codes).all():
            raise LatentkitError("the representation returned NaN or infinite codes")
        return codes.astype(np.float64)

    def sample(self, n, rng):
        factors = self.dataset.sample_factors(n, rng)
        return self._codes(factors, rng), factors

    def sample_fixed(self, factor, n, rng):
        factors = self.dataset.sample_factors(n, rng)
        factors[:, factor] = factors[0, factor]
        return self._codes(factors, rng)

    def sample_pairs(self, factor, n, rng):
        first, second = self.dataset.sample_factors(n, rng), self.dataset.sample_factors(n, rng)
        second[:, factor] = first[:, factor]
        return self._codes(first, rng), self._codes(second, rng)


def sample_points(source: FactorSource, n: int, rng: np.random.Generator, batch: int = 1000):
    """n (codes, factors) pairs drawn in batches."""
    parts = [source.sample(min(batch, n - i), rng) for i in range(0, n, batch)]
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])


def reference_logistic(x: np.ndarray, y: np.ndarray) -> LogisticRegression:
    """disentanglement_lib's ``LogisticRegression()`` fitted as it is, 100 iterations at most;
    sklearn's warning when it stops at that limit (it often does) is not repeated per fit."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return LogisticRegression().fit(x, y)


def discretize(codes: np.ndarray, num_bins: int = 20) -> np.ndarray:
    """Each code dimension into `num_bins` equal-width bins over its own range (as
    disentanglement_lib's histogram discretiser)."""
    out = np.zeros(codes.shape, np.int64)
    for i in range(codes.shape[1]):
        edges = np.histogram(codes[:, i], num_bins)[1][:-1]
        out[:, i] = np.digitize(codes[:, i], edges)
    return out


def mutual_information(discrete_codes: np.ndarray, factors: np.ndarray) -> np.ndarray:
    """Plug-in mutual information [D, K] in nats between discrete codes and factors."""
    return np.array(
        [
            [
                mutual_info_score(factors[:, k], discrete_codes[:, i])
                for k in range(factors.shape[1])
            ]
            for i in range(discrete_codes.shape[1])
        ]
    )


def entropies(factors: np.ndarray) -> np.ndarray:
    """Entropy [K] in nats of each factor."""
    return np.array(
        [mutual_info_score(factors[:, k], factors[:, k]) for k in range(factors.shape[1])]
    )
