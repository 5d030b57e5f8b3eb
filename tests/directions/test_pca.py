import numpy as np
import pytest

from latentkit.directions.pca import ganspace, layer_activations, pca_directions
from latentkit.errors import LatentkitError
from tests.factories import LinearToy, planted


def test_pca_of_codes_finds_the_stretched_axis():
    u = planted()
    rng = np.random.default_rng(0)
    codes = rng.normal(size=(4000, 16)) + 4 * rng.normal(size=(4000, 1)) * u
    directions, variances = pca_directions(codes, 2)
    assert abs(directions[0] @ u) >= 0.95 and variances[0] > 5 * variances[1]


def test_ganspace_recovers_the_planted_direction():
    u = planted()
    directions, variances = ganspace(LinearToy(u), "first", k=3, n=5000)
    assert directions.shape == (3, 16) and variances[0] > 5 * variances[1]
    assert abs(directions[0] @ u) >= 0.95


def test_unknown_layer_and_bad_input():
    with pytest.raises(LatentkitError, match="no layer 'fc9'"):
        layer_activations(LinearToy(planted()), "fc9", np.zeros((2, 16), np.float32))
    with pytest.raises(LatentkitError, match="NaN"):
        pca_directions(np.full((5, 3), np.nan), 1)
