import numpy as np
import pytest

from latentkit.io.direction import Direction, load_direction, save_direction
from tests import analytic
from tests.cli.analytic_models import save_models


def test_compare_walks_each_direction_on_its_own_rows(run_cli, tmp_path):
    generator, _ = save_models(tmp_path)
    truth = analytic.true_directions()
    for name in ("x", "y"):
        save_direction(tmp_path / f"{name}.npz", Direction(truth[name], 0.5, {"name": name}))
    run_cli(
        "edit", "--generator", generator, "--direction", tmp_path / "x.npz", "--direction",
        tmp_path / "y.npz", "--compare", "--seeds", "0,1", "--steps", "5", "--out",
        tmp_path / "e.png", "--codes-out", tmp_path / "e.npy",
    )  # fmt: skip
    walked = np.load(tmp_path / "e.npy")
    assert walked.shape == (4, 5, analytic.DIM)  # code 0: x, y; code 1: x, y
    for row, name in enumerate(["x", "y", "x", "y"]):
        direction = load_direction(tmp_path / f"{name}.npz")
        distance = walked[row] @ direction.normal + direction.intercept
        assert np.allclose(distance, np.linspace(-3, 3, 5), atol=1e-5)


def test_walk_one_code_coordinate(run_cli, tmp_path):
    run_cli("edit", "--generator", "py:tests.factories:tiny_generator", "--direction", "dim:z3",
            "--mode", "relative", "--seeds", "0", "--steps", "3", "--out", tmp_path / "e.png",
            "--codes-out", tmp_path / "e.npy")  # fmt: skip
    walked = np.load(tmp_path / "e.npy")[0]
    moved = np.abs(walked - walked[1]).max(axis=0)
    assert moved[3] == pytest.approx(3.0) and np.delete(moved, 3).max() == 0
