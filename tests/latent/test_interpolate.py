import numpy as np
import pytest

from latentkit.latent.interpolate import analogy_grid, chain, lerp, slerp


def test_slerp_keeps_the_prior_norm_where_lerp_shrinks_it():
    rng = np.random.default_rng(0)
    d = 128
    a, b = rng.normal(size=d), rng.normal(size=d)
    t = np.linspace(0, 1, 11)
    typical = np.sqrt(d)
    s_norms = np.linalg.norm(slerp(a, b, t), axis=1)
    l_norms = np.linalg.norm(lerp(a, b, t), axis=1)
    assert np.abs(s_norms / typical - 1).max() < 0.15
    assert l_norms[5] / typical < 0.8  # midpoint of two near-orthogonal codes: ~1/√2
    assert np.allclose(slerp(a, b, t)[[0, -1]], [a, b])


def test_chain_passes_through_every_point():
    points = np.random.default_rng(1).normal(size=(3, 5))
    path = chain(points, 4)
    assert path.shape == (7, 5) and np.allclose(path[[0, 3, 6]], points)


def test_analogy_grid_corners():
    a, b, c = np.eye(3)
    grid = analogy_grid(a, b, c, 4)
    assert grid.shape == (4, 4, 3)
    assert (
        np.allclose(grid[0, 0], a) and np.allclose(grid[0, -1], b) and np.allclose(grid[-1, 0], c)
    )
    assert np.allclose(grid[-1, -1], b + c - a)


@pytest.mark.parametrize("args", [(np.zeros((1, 2)), 3), (np.zeros((2, 2)), 1)])
def test_chain_needs_two_points_and_steps(args):
    from latentkit.errors import LatentkitError

    with pytest.raises(LatentkitError):
        chain(*args)
