import numpy as np
import pytest
from sklearn.svm import SVC

from latentkit.directions.svm import BoundaryFinder, fit_boundaries
from latentkit.errors import LatentkitError
from tests import analytic


@pytest.mark.parametrize("solver", ["liblinear", "svc", "logistic"])
@pytest.mark.parametrize("attribute", analytic.NAMES)
def test_recovers_the_true_direction(solver, attribute):
    z = analytic.codes(20000)
    column = analytic.NAMES.index(attribute)
    finder = BoundaryFinder(solver=solver).fit(z, analytic.scores(z)[:, column])
    assert finder.normal_ @ analytic.true_directions()[attribute] >= 0.95
    assert np.linalg.norm(finder.normal_) == pytest.approx(1.0)
    assert finder.validation_accuracy_ >= 0.95
    if attribute != "size":  # the midpoint rule mislabels heavy-tailed scores (a cube) by design
        assert finder.all_accuracy_ >= 0.8
    assert finder.counts_.train == 2 * int(400 * 0.7) and finder.counts_.validation == 2 * 120
    assert finder.counts_.remaining == 20000 - 800


def interfacegan_recipe(z, scores, seed):
    """InterFaceGAN's train_boundary, step by step, with latentkit's seeded shuffles."""
    order = np.argsort(-scores, kind="stable")
    z, scores = z[order], scores[order]
    chosen = min(int(len(z) * 0.02), len(z) // 2)
    train = int(chosen * 0.7)
    rng = np.random.default_rng(seed)
    pos, neg = rng.permutation(chosen), rng.permutation(chosen)
    x = np.concatenate([z[:chosen][pos[:train]], z[-chosen:][neg[:train]]])
    y = np.r_[np.ones(train), np.zeros(train)]
    clf = SVC(kernel="linear").fit(x, y)
    normal = clf.coef_.ravel()
    x_val = np.concatenate([z[:chosen][pos[train:]], z[-chosen:][neg[train:]]])
    y_val = np.r_[np.ones(chosen - train), np.zeros(chosen - train)]
    return normal / np.linalg.norm(normal), np.mean(clf.predict(x_val) == y_val)


def test_svc_solver_matches_interfacegan_and_liblinear_agrees():
    z = analytic.codes(10000, seed=5)
    s = analytic.scores(z)[:, 1]
    normal, accuracy = interfacegan_recipe(z, s, seed=3)
    svc = BoundaryFinder(solver="svc", seed=3).fit(z, s)
    assert svc.normal_ @ normal == pytest.approx(1.0, abs=1e-9)
    assert svc.validation_accuracy_ == pytest.approx(accuracy)
    fast = BoundaryFinder(seed=3).fit(z, s)
    assert fast.normal_ @ normal >= 0.99


def test_scores_shapes_seed_and_intercept():
    z = analytic.codes(5000)
    s = analytic.scores(z)[:, 0]
    a = BoundaryFinder(seed=1).fit(z, s)
    b = BoundaryFinder(seed=1).fit(z, s[:, None])
    c = BoundaryFinder(seed=2).fit(z, s)
    assert np.array_equal(a.normal_, b.normal_) and not np.array_equal(a.normal_, c.normal_)
    shifted = BoundaryFinder(seed=1).fit(z + 2 * analytic.true_directions()["x"], s)
    assert shifted.intercept_ == pytest.approx(a.intercept_ - 2, abs=0.3)


def test_invalid_value_filters_codes():
    z = analytic.codes(3000)
    s = analytic.scores(z)[:, 0].copy()
    s[:1000] = -1.0  # marked invalid: would otherwise be the negatives
    finder = BoundaryFinder(invalid_value=-1.0).fit(z, s)
    assert finder.counts_.train + finder.counts_.validation == 2 * int(2000 * 0.02)


@pytest.mark.parametrize(
    ("scores", "message"),
    [
        (np.full(500, 0.3), "all scores are equal"),
        (np.r_[np.nan, np.ones(499)], "NaN"),
        (np.ones(499), "expected 500 scores"),
        (np.r_[np.zeros(495), np.ones(5)], "same scores"),
    ],
)
def test_bad_scores(scores, message):
    with pytest.raises(LatentkitError, match=message):
        BoundaryFinder().fit(analytic.codes(500), scores)


def test_bad_codes_and_solver():
    with pytest.raises(LatentkitError, match="codes"):
        BoundaryFinder().fit(np.zeros((0, 4)), np.zeros(0))
    with pytest.raises(LatentkitError, match="unknown solver"):
        BoundaryFinder(solver="sgd").fit(analytic.codes(500), np.arange(500.0))


def test_a_bank_too_small_for_its_dimension_is_warned_about(latentkit_log):
    rng = np.random.default_rng(0)
    z = rng.normal(size=(200, 100))
    fit_boundaries(z, {"x": z[:, 0]}, source="small.npz")
    assert "small.npz: attribute 'x': the boundary is fitted on 2 codes a side in 100" in (
        latentkit_log.text
    )
    latentkit_log.clear()
    fit_boundaries(rng.normal(size=(20000, 8)), {"x": rng.normal(size=20000)})
    assert "codes a side" not in latentkit_log.text
