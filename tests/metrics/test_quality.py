import numpy as np
import pytest

from latentkit.errors import LatentkitError
from latentkit.metrics.quality import (
    class_coverage,
    frechet_distance,
    kernel_distance,
    unit_scale,
)


def test_frechet_distance_of_shifted_gaussians():
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=(20000, 4)), rng.normal(size=(20000, 4)) + np.array([1, 2, 0, 0])
    assert frechet_distance(a, b) == pytest.approx(5.0, abs=0.15)  # ‖μ‖² with equal covariances
    assert frechet_distance(a, rng.normal(size=(20000, 4))) < 0.01
    scaled = rng.normal(size=(20000, 4)) * 2  # tr(I + 4I - 2·2I) = 4
    assert frechet_distance(a, scaled) == pytest.approx(4.0, abs=0.2)


def test_kid_is_unbiased_near_zero_and_grows_with_a_shift():
    rng = np.random.default_rng(1)
    a, b = rng.normal(size=(2000, 8)), rng.normal(size=(2000, 8))
    same = kernel_distance(a, b, subsets=20, subset_size=500)
    assert abs(same["kid"]) < 3 * same["kid_std"] + 1e-3
    assert kernel_distance(a, b + 1, subsets=20, subset_size=500)["kid"] > 0.05
    small = kernel_distance(a[:300], b[:300], subsets=20, subset_size=500)  # subsets = all
    assert small["kid_std"] is None
    x, y = a[:300], b[:300]
    kxx, kyy, kxy = (((u @ v.T) / 8 + 1) ** 3 for u, v in ((x, x), (y, y), (x, y)))
    off_diagonal = kxx.sum() - np.trace(kxx) + kyy.sum() - np.trace(kyy)
    assert small["kid"] == pytest.approx(off_diagonal / (300 * 299) - 2 * kxy.mean())
    with pytest.raises(LatentkitError):
        frechet_distance(a, b[:, :3])


def test_class_coverage():
    balanced = class_coverage(np.arange(1000) % 10, 10)
    assert balanced == {
        "classes_covered": 10,
        "balance": pytest.approx(1.0),
        "largest_class_share": 0.1,
        "shares": [0.1] * 10,
        "largest_departure_from_uniform": pytest.approx(0.0),
    }
    collapsed = class_coverage(np.r_[np.zeros(990, int), np.arange(10)], 10)
    assert collapsed["classes_covered"] == 10 and collapsed["balance"] < 0.2
    assert collapsed["largest_departure_from_uniform"] == pytest.approx(8.91)  # 0.991 × 10 − 1
    uneven = class_coverage(np.r_[np.zeros(40, int), np.ones(30, int), np.full(30, 2)], 3)
    assert uneven["shares"] == [0.4, 0.3, 0.3]
    assert uneven["largest_departure_from_uniform"] == pytest.approx(0.2)  # 0.4 is 1.2 × 1/3
    assert class_coverage(np.zeros(50, int), 10)["classes_covered"] == 1


def test_unit_scale_gives_the_reference_unit_variance_and_wakes_kid_up():
    rng = np.random.default_rng(0)
    small = 0.01 * rng.normal(size=(1000, 8))
    shifted = 0.01 * (rng.normal(size=(1000, 8)) + 0.5)
    a, b = unit_scale(small, shifted)
    factor2 = small.var(axis=0).mean()
    assert a.var(axis=0).mean() == pytest.approx(1.0)
    assert frechet_distance(a, b) == pytest.approx(frechet_distance(small, shifted) / factor2)
    raw, scaled = kernel_distance(small, shifted)["kid"], kernel_distance(a, b)["kid"]
    assert scaled > 100 * abs(raw) and scaled > 0.05  # the flat kernel hardly saw the shift
    with pytest.raises(LatentkitError, match="do not vary"):
        unit_scale(np.ones((5, 3)))
