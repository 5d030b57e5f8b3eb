from pathlib import Path

import numpy as np
import pytest

from latentkit.directions.projection import project, project_direction
from latentkit.errors import LatentkitError
from latentkit.io.direction import Direction, load_direction

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "interfacegan"


def test_projection_is_orthogonal_to_any_number_of_conditions():
    rng = np.random.default_rng(0)
    primal, conditions = rng.normal(size=32), list(rng.normal(size=(5, 32)))
    result = project(primal, conditions)
    assert np.abs(result.residual_dots).max() < 1e-10
    # P p / ‖P p‖, P = I − C (CᵀC)⁻¹ Cᵀ the projector onto the complement of the conditions
    c = np.stack(conditions, axis=1)
    complement = np.eye(32) - c @ np.linalg.inv(c.T @ c) @ c.T
    expected = complement @ primal / np.linalg.norm(complement @ primal)
    assert np.allclose(result.direction, expected, atol=1e-10)
    assert result.cosine_to_primal == pytest.approx(expected @ primal / np.linalg.norm(primal))
    assert result.cosine_to_primal < 0.99  # the conditions did take something away


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


def test_a_projected_direction_keeps_its_hyperplane_point_and_says_what_it_was_conditioned_on():
    primal = Direction(np.array([1.0, 1.0, 0.0]), 2.0, {"name": "thick"}, "thick.npz")
    condition = Direction(np.array([1.0, 0.0, 0.0]), 0.0, {"name": "width"})
    projected, _ = project_direction(primal, [condition])
    assert np.allclose(projected.normal, [0, 1, 0])
    # The new hyperplane passes through the primal's point nearest the origin, -b n.
    point = -primal.intercept * primal.normal
    assert projected.normal @ point + projected.intercept == pytest.approx(0.0)
    assert projected.meta["conditions"] == ["width"] and projected.meta["primal"] == "thick.npz"
    assert projected.name == "thick_c_width"
    assert projected.meta["cosine_to_primal"] == pytest.approx(np.sqrt(0.5))
    wrong = Direction(np.ones(4), 0.0, {"name": "w4"}, "w4.npz")
    with pytest.raises(LatentkitError, match=r"w4\.npz: latent size 4"):
        project_direction(primal, [wrong])


def test_a_class_s_boundaries_are_named_as_one():
    from latentkit.directions.projection import condition_names

    classes = [Direction(np.eye(4)[i], 0, {"name": f"digit={i}"}) for i in range(3)]
    assert condition_names([*classes, Direction(np.eye(4)[3], 0, {"name": "width"})]) == [
        "digit=*",
        "width",
    ]
