import numpy as np
import pytest

from latentkit.directions.edit import edit_codes
from latentkit.errors import LatentkitError


def test_absolute_puts_codes_at_the_asked_distance_from_the_hyperplane():
    rng = np.random.default_rng(0)
    z, n = rng.normal(size=(4, 8)), np.eye(8)[2]
    out = edit_codes(z, n, np.linspace(-3, 3, 7), "absolute", intercept=0.5)
    assert out.shape == (4, 7, 8)
    assert np.allclose(out @ n + 0.5, np.linspace(-3, 3, 7)[None])
    assert np.allclose(np.delete(out, 2, axis=2), np.delete(z, 2, axis=1)[:, None])


def test_relative_offsets_each_code_from_itself():
    z, n = np.ones((2, 3)), np.array([0.0, 1.0, 0.0])
    out = edit_codes(z, n, [0.0, 2.0], "relative")
    assert np.allclose(out[:, 0], z) and np.allclose(out[:, 1, 1], 3.0)


def test_mismatch_and_mode():
    with pytest.raises(LatentkitError, match="do not match"):
        edit_codes(np.zeros((2, 3)), np.ones(4) / 2, [0.0])
    with pytest.raises(LatentkitError, match="unknown edit mode"):
        edit_codes(np.zeros((2, 3)), np.ones(3), [0.0], "sideways")
