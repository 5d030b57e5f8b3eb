import math

import numpy as np
import pytest

from latentkit.data import load_dataset
from latentkit.metrics.modes import assign_modes, mode_spread, mode_statistics, stacked_modes


def test_true_samples_cover_every_mode_with_the_chi_square_share_within_3_sigma():
    ring = load_dataset("ring8")
    points = ring.images(np.arange(20_000)).flatten(1).numpy()
    stats = mode_statistics(assign_modes(points, ring.centres, ring.std), 8)
    # ‖x − μ‖/σ of a 2-D Gaussian is chi with 2 degrees of freedom: P(< 3) = 1 − e^{−4.5}
    assert stats["high_quality"] == pytest.approx(1 - math.exp(-4.5), abs=0.003)
    assert stats["modes"] == 8 and stats["reverse_kl"] < 0.001


def test_a_collapse_onto_two_modes_has_reverse_kl_log_4_and_far_points_count_for_nothing():
    centres = load_dataset("grid25").centres
    points = np.concatenate([np.repeat(centres[[3, 17]], 50, axis=0), [[10.0, 10.0], [1, 1]]])
    assignment = assign_modes(points, centres, 0.05)
    assert list(assignment[-2:]) == [-1, -1]
    stats = mode_statistics(assignment, 25)
    assert (stats["modes"], stats["high_quality"]) == (2, pytest.approx(100 / 102))
    assert stats["reverse_kl"] == pytest.approx(math.log(25 / 2))
    assert stats["counts"][[3, 17]].tolist() == [50, 50]


def test_without_a_high_quality_sample_the_reverse_kl_is_undefined_not_perfect():
    centres = load_dataset("ring8").centres
    stats = mode_statistics(assign_modes(np.zeros((100, 2)), centres, 0.01), 8)
    assert (stats["modes"], stats["high_quality"], stats["reverse_kl"]) == (0, 0.0, None)
    one = mode_statistics(assign_modes(centres[:1], centres, 0.01), 8)
    assert one["reverse_kl"] == pytest.approx(math.log(8))


def test_a_stacked_mode_reads_the_three_digits_as_a_number():
    assert stacked_modes(np.array([[0, 0, 7], [9, 1, 0]])).tolist() == [7, 910]


def test_the_spread_within_modes_is_the_truncated_gaussians_for_true_samples_and_0_for_points():
    grid = load_dataset("grid25")
    points = grid.images(np.arange(50_000)).flatten(1).numpy()
    assignment = assign_modes(points, grid.centres, grid.std)
    # E[r² | r < 3σ] of a 2-D Gaussian is 2σ²(1 − 5.5 e^−4.5)/(1 − e^−4.5); per coordinate half
    truncated = math.sqrt((1 - 5.5 * math.exp(-4.5)) / (1 - math.exp(-4.5)))
    assert mode_spread(points, grid.centres, assignment, grid.std) == pytest.approx(
        truncated, abs=0.01
    )
    dots = np.repeat(grid.centres, 4, axis=0) + 0.005  # each mode drawn as one point, 0.1 σ off
    dot_assignment = assign_modes(dots, grid.centres, grid.std)
    assert mode_statistics(dot_assignment, 25)["high_quality"] == 1.0
    assert mode_spread(dots, grid.centres, dot_assignment, grid.std) == pytest.approx(0.1)
    assert mode_spread(np.full((3, 2), 9.0), grid.centres, np.full(3, -1), grid.std) is None
