import numpy as np
import pytest

from latentkit.errors import LatentkitError
from latentkit.metrics.factors import ArraySource, check_codes_factors


def test_array_interventions_keep_the_fixed_factor():
    rng = np.random.default_rng(0)
    f = np.stack([rng.integers(0, 3, 500), rng.integers(0, 4, 500)], 1)
    codes = f + 0.01 * rng.normal(size=f.shape)
    source = ArraySource(codes, f)
    first, second = source.sample_pairs(1, 64, rng)
    assert np.array_equal(np.round(first[:, 1]), np.round(second[:, 1]))
    fixed = source.sample_fixed(0, 64, rng)
    assert len(np.unique(np.round(fixed[:, 0]))) == 1


@pytest.mark.parametrize(
    ("codes", "f", "message"),
    [
        (np.zeros((5, 2)), np.zeros((4, 1), int), "5 rows but factors 4"),
        (np.zeros((4, 2)), np.array([[1], [1], [1], [1]]), "single value"),
        (np.full((4, 2), np.nan), np.array([[0], [1], [0], [1]]), "NaN"),
    ],
)
def test_codes_and_factors_are_checked(codes, f, message):
    with pytest.raises(LatentkitError, match=message):
        check_codes_factors(codes, f)
