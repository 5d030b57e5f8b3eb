from pathlib import Path

import numpy as np
import pytest

from latentkit.directions.projection import project
from latentkit.errors import LatentkitError
from latentkit.io.direction import load_direction

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "interfacegan"


def test_projection_is_orthogonal_to_any_number_of_conditions():
    rng = np.random.default_rng(0)
    primal, conditions = rng.normal(size=32), list(rng.normal(size=(5, 32)))
    result = project(primal, conditions)
    assert np.abs(result.residual_dots).max() < 1e-10
    assert np.linalg.norm(result.direction) == pytest.approx(1.0)
    # the projection is the closest unit vector to the primal in the orthogonal complement
    assert result.cosine_to_primal == pytest.approx(
        result.direction @ primal / np.linalg.norm(primal)
    )


def test_one_condition_closed_form():
    p, c = np.array([1.0, 1.0, 0.0]), np.array([1.0, 0.0, 0.0])
    assert np.allclose(project(p, [c]).direction, [0, 1, 0])
    assert project(p, [c]).cosine_to_primal == pytest.approx(np.sqrt(0.5))


def test_nearly_collinear_conditions_warn_and_spanned_primal_fails():
    c1 = np.array([1.0, 0.0, 0.0, 0.0])
    c2 = np.array([1.0, 0.1, 0.0, 0.0])
    assert project(np.array([0, 0, 1.0, 0]), [c1, c2]).warnings
    with pytest.raises(LatentkitError, match="span"):
        project(c1 + c2, [c1, c2])


@pytest.mark.parametrize(
    ("primal", "conditions"),
    [
        ("age", ["gender"]),
        ("age", ["eyeglasses"]),
        ("age", ["gender", "eyeglasses"]),
        ("gender", ["age", "eyeglasses"]),
    ],
)
def test_reproduces_interfacegans_conditional_boundaries(primal, conditions):
    load = lambda name: load_direction(FIXTURES / f"pggan_celebahq_{name}_boundary.npy").normal  # noqa: E731
    expected = load(f"{primal}_c_{'_'.join(conditions)}")
    result = project(load(primal), [load(c) for c in conditions])
    assert result.direction @ expected == pytest.approx(1.0, abs=1e-6)
