"""Attribute boundaries as linear classifiers of latent codes: InterFaceGAN's recipe.

The recipe (``utils/manipulator.py:train_boundary`` of InterFaceGAN, with its defaults): sort the
codes by score; the top and bottom ``chosen_num_or_ratio`` (a ratio in (0, 1], else a count,
capped at N // 2) are positives and negatives; each side is shuffled and split ``split_ratio``
train / rest validation; a linear SVM is fitted; its normal, scaled to unit length, is the
boundary. The remaining (middle) codes are labelled by InterFaceGAN's midpoint rule — positive
when the score is at least (max + min) / 2 — and classified as a further check. The rule rests
on the two most extreme scores, so for heavy-tailed scores it mislabels many codes and the
remaining and all-sample accuracies understate the boundary; the validation accuracy does not.

Solvers: ``svc`` is InterFaceGAN's own ``SVC(kernel="linear")`` (libsvm, hinge loss, C = 1);
``liblinear`` (the default) fits the L2-regularised squared-hinge SVM (C = 1) in the primal with
liblinear's trust-region Newton method, on centred codes so that its regularised bias does not
pull the intercept. Its normal agrees with SVC's to a cosine of 0.976–0.999 in our benchmark
(benchmarks/boundary_fit.py; lower where the attribute is less explained by one direction) and
lies at least as close to the true direction, in a time that does not grow with the overlap of
the two classes, where libsvm's (and liblinear's own dual hinge solver's) grows steeply.
``logistic`` is logistic regression.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.svm import SVC, LinearSVC

from latentkit.errors import LatentkitError
from latentkit.io.direction import Direction

log = logging.getLogger("latentkit")

SOLVERS = ("liblinear", "svc", "logistic")


def _classifier(solver: str, seed: int):
    if solver == "svc":
        return SVC(kernel="linear")
    if solver == "liblinear":
        return LinearSVC(C=1.0, loss="squared_hinge", dual=False, tol=1e-4, random_state=seed)
    if solver == "logistic":
        return LogisticRegression(C=1.0, max_iter=2000)
    raise LatentkitError(f"unknown solver {solver!r} (known: {', '.join(SOLVERS)})")


def check_scores(scores: np.ndarray, n: int, source: str = "scores") -> np.ndarray:
    """Scores of shape (N,) or (N, 1) as a float64 vector, refusing NaN and wrong lengths."""
    scores = np.asarray(scores, np.float64)
    if scores.ndim == 2 and scores.shape[1] == 1:
        scores = scores[:, 0]
    if scores.ndim != 1 or len(scores) != n:
        raise LatentkitError(
            f"{source}: expected {n} scores of shape (N,) or (N, 1), got {scores.shape}"
        )
    if not np.isfinite(scores).all():
        raise LatentkitError(
            f"{source}: {int((~np.isfinite(scores)).sum())} scores are NaN or infinite"
        )
    return scores


def check_codes(codes: np.ndarray, source: str = "codes") -> np.ndarray:
    """Codes [N, d] as a float array (not copied when already float), refusing empty,
    non-2-D and non-finite arrays."""
    codes = np.asarray(codes)
    if codes.ndim != 2 or codes.shape[0] == 0 or codes.shape[1] == 0:
        raise LatentkitError(f"{source}: expected codes [N, d] with N, d > 0, got {codes.shape}")
    if not np.issubdtype(codes.dtype, np.floating):
        codes = codes.astype(np.float64)
    if not np.isfinite(codes).all():
        raise LatentkitError(f"{source}: codes contain NaN or infinite values")
    return codes


@dataclass
class SplitCounts:
    """How many codes each part of the recipe used."""

    train: int
    validation: int
    remaining: int


class BoundaryFinder:
    """A linear attribute boundary in latent space, scikit-learn style: parameters are
    constructor arguments, `fit` returns self, learned values end in ``_``.

    After `fit`: ``normal_`` (unit, [d]), ``intercept_`` (so that ``z @ normal_ + intercept_`` is
    the signed distance to the hyperplane), ``train_accuracy_``, ``validation_accuracy_``,
    ``remaining_accuracy_`` (InterFaceGAN's midpoint rule), ``all_accuracy_`` (every code, the
    chosen ones included, labelled by the same rule) and ``counts_``.
    """

    def __init__(
        self,
        chosen_num_or_ratio: float = 0.02,
        split_ratio: float = 0.7,
        invalid_value: float | None = None,
        solver: str = "liblinear",
        seed: int = 0,
    ):
        self.chosen_num_or_ratio = chosen_num_or_ratio
        self.split_ratio = split_ratio
        self.invalid_value = invalid_value
        self.solver = solver
        self.seed = seed

    def _select(self, scores: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
        """Indices of the top and bottom `chosen` codes, each ordered as a stable descending sort
        of all scores would order them, the kept (valid) indices, and the train count."""
        if self.chosen_num_or_ratio <= 0:
            raise LatentkitError(
                f"chosen_num_or_ratio must be positive, not {self.chosen_num_or_ratio}"
            )
        if not 0 < self.split_ratio <= 1:
            raise LatentkitError(f"split_ratio must lie in (0, 1], not {self.split_ratio}")
        kept = np.arange(len(scores))
        if self.invalid_value is not None:
            kept = kept[scores != self.invalid_value]
        n = len(kept)
        ratio = self.chosen_num_or_ratio
        chosen = min(int(n * ratio) if ratio <= 1 else int(ratio), n // 2)
        train = int(chosen * self.split_ratio)
        if train < 1:
            raise LatentkitError(f"too few codes: {n} give {chosen} positives and negatives")
        values = scores[kept]
        if values.max() == values.min():
            raise LatentkitError("all scores are equal: there are no positives and negatives")
        # Only the extremes need sorting: partition, then sort each end (descending, stable).
        order = np.argpartition(-values, (chosen - 1, n - chosen))
        top = order[:chosen][np.argsort(-values[order[:chosen]], kind="stable")]
        bottom = order[n - chosen :][np.argsort(-values[order[n - chosen :]], kind="stable")]
        if values[top[-1]] <= values[bottom[0]]:
            raise LatentkitError(
                "the top and bottom codes have the same scores: the attribute "
                "does not separate them (too few distinct values?)"
            )
        return kept[top], kept[bottom], kept, train

    def fit(self, codes: np.ndarray, scores: np.ndarray) -> BoundaryFinder:
        """Fit the boundary to codes [N, d] and their scores (N,) or (N, 1)."""
        codes = check_codes(codes)
        scores = check_scores(scores, len(codes))
        top, bottom, kept, train = self._select(scores)
        chosen = len(top)
        rng = np.random.default_rng(self.seed)
        positive, negative = rng.permutation(chosen), rng.permutation(chosen)
        x_train = np.concatenate([codes[top[positive[:train]]], codes[bottom[negative[:train]]]])
        x_val = np.concatenate([codes[top[positive[train:]]], codes[bottom[negative[train:]]]])
        y_train = np.r_[np.ones(train), np.zeros(train)]
        y_val = np.r_[np.ones(chosen - train), np.zeros(chosen - train)]
        centre = x_train.mean(axis=0, dtype=np.float64) if self.solver == "liblinear" else 0.0
        model = _classifier(self.solver, self.seed).fit(
            x_train.astype(np.float64) - centre, y_train
        )
        coef = np.asarray(model.coef_, np.float64).ravel()
        norm = np.linalg.norm(coef)
        if norm == 0:
            raise LatentkitError("the classifier found no direction (zero normal)")
        self.normal_ = coef / norm
        self.intercept_ = (
            float(model.intercept_[0] - coef @ np.broadcast_to(centre, coef.shape)) / norm
        )
        # InterFaceGAN's midpoint rule labels every kept code; the middle ones are "remaining".
        values = scores[kept]
        labels = values >= (values.max() + values.min()) / 2
        predicted = self.decision_function(codes[kept] if len(kept) < len(codes) else codes) >= 0
        middle = np.ones(len(codes), bool)
        middle[top] = middle[bottom] = False
        middle = middle[kept]
        self.train_accuracy_ = self._accuracy(x_train, y_train)
        self.validation_accuracy_ = self._accuracy(x_val, y_val)
        self.remaining_accuracy_ = (
            float(np.mean(predicted[middle] == labels[middle])) if middle.any() else None
        )
        self.all_accuracy_ = float(np.mean(predicted == labels))
        self.counts_ = SplitCounts(2 * train, 2 * (chosen - train), int(middle.sum()))
        return self

    def decision_function(self, codes: np.ndarray) -> np.ndarray:
        """Signed distances of codes [N, d] to the hyperplane (in the codes' precision)."""
        codes = np.asarray(codes)
        dtype = codes.dtype if np.issubdtype(codes.dtype, np.floating) else np.float64
        return codes @ self.normal_.astype(dtype) + self.intercept_

    def _accuracy(self, codes: np.ndarray, labels: np.ndarray) -> float | None:
        if len(codes) == 0:
            return None
        return float(np.mean((self.decision_function(codes) >= 0) == (labels == 1)))


def fit_boundaries(
    z: np.ndarray,
    columns: dict[str, np.ndarray],
    chosen_num_or_ratio: float = 0.02,
    split_ratio: float = 0.7,
    invalid_value: float | None = None,
    solver: str = "liblinear",
    seed: int = 0,
    source: str = "bank",
    space: str = "z",
) -> dict[str, Direction]:
    """One boundary per attribute (`columns`: name -> scores [N] of the codes `z`, which are of
    the latent `space`), each a Direction whose metadata holds its space, method, split,
    accuracies and counts. Every boundary is fitted before any is returned, so a failure leaves
    nothing half done."""
    directions = {}
    for name, values in columns.items():
        finder = BoundaryFinder(chosen_num_or_ratio, split_ratio, invalid_value, solver, seed)
        try:
            finder.fit(z, values)
        except LatentkitError as exc:
            raise LatentkitError(f"{source}: attribute {name!r}: {exc}") from None
        per_side = finder.counts_.train // 2
        if per_side < z.shape[1]:
            log.warning(
                "%s: attribute %r: the boundary is fitted on %d codes a side in %d dimensions; "
                "sample a larger bank for a reliable boundary",
                source,
                name,
                per_side,
                z.shape[1],
            )
        meta = {
            "attribute": name,
            "space": space,
            "method": f"svm/{solver}",
            "conditions": [],
            "seed": seed,
            "chosen_num_or_ratio": chosen_num_or_ratio,
            "split_ratio": split_ratio,
            "bank": source,
            "accuracy": {
                "train": finder.train_accuracy_,
                "validation": finder.validation_accuracy_,
                "remaining": finder.remaining_accuracy_,
                "all": finder.all_accuracy_,
            },
            "counts": vars(finder.counts_),
        }
        directions[name] = Direction(finder.normal_, finder.intercept_, meta)
    return directions
