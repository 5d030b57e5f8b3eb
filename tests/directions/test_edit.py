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


def test_a_w_direction_moves_only_the_chosen_w_plus_layers():
    from latentkit.directions.edit import walk
    from latentkit.io.direction import Direction
    from latentkit.io.models import load_generator
    from latentkit.priors import draw_codes
    from tests.nets.test_spaces import UNCOND

    g = load_generator(UNCOND, space="wp")
    codes = draw_codes(g, 3, seed=1)
    n = np.random.default_rng(2).normal(size=32)
    direction = Direction(n, 0.25, {"space": "w"})
    distances = np.array([-2.0, 0.0, 2.0])
    for mode in ("relative", "absolute"):
        out = walk(codes, direction, distances, mode, g, [0, 1, 2]).reshape(3, 3, 8, 32)
        ws = codes.reshape(3, 8, 32)
        assert np.allclose(out[:, :, 3:], ws[:, None, 3:])
        if mode == "relative":  # every chosen layer shifted by t·n, InterFaceGAN's W+ edit
            assert np.allclose(out[:, :, :3] - ws[:, None, :3], distances[None, :, None, None]
                               * direction.normal)  # fmt: skip
        else:  # every chosen layer at signed distance t from the hyperplane
            assert np.allclose(out[:, :, :3] @ direction.normal + 0.25, distances[None, :, None])
    # the direction's own layers are the default; on W codes a layer range is refused
    layered = Direction(n, 0.0, {"space": "w", "layers": [5]})
    out = walk(codes, layered, distances, "relative", g).reshape(3, 3, 8, 32)
    assert np.allclose(np.delete(out, 5, axis=2), np.delete(codes.reshape(3, 8, 32), 5, 1)[:, None])
    with pytest.raises(LatentkitError, match="layer range"):
        w_codes = load_generator(UNCOND, space="w")
        walk(codes[:, :32], direction, distances, "relative", w_codes, [0])


def test_sigma_units_scale_by_the_recorded_deviation():
    from latentkit.directions.edit import walk
    from latentkit.io.direction import Direction

    z = np.zeros((1, 4))
    out = walk(z, Direction(np.eye(4)[0], 0, {"std": 3.0}), np.array([2.0]), "relative",
               in_sigmas=True)  # fmt: skip
    assert np.allclose(out[0, 0], [6, 0, 0, 0])
    with pytest.raises(LatentkitError, match="no standard deviation"):
        walk(z, Direction(np.eye(4)[0]), np.array([2.0]), "relative", in_sigmas=True)


def test_an_infogan_category_walk_switches_corners_where_the_hyperplane_is_crossed():
    """A 'square versus the rest' normal on an infogan:3:1 prior (2 noise, 3 one-hot, 1 code):
    the category stays one-hot and turns square past the crossing; the noise and the
    continuous code take the plain step; off support the block is left between corners."""
    from types import SimpleNamespace

    from latentkit.directions.edit import walk
    from latentkit.io.direction import Direction

    generator = SimpleNamespace(prior="infogan:3:1")
    ellipse = np.array([[0.3, -0.2, 0.0, 1.0, 0.0, 0.5]])
    normal = np.array([0.1, 0.0, 0.7, -0.7, 0.0, 0.1])
    direction = Direction(normal / np.linalg.norm(normal))
    distances = np.array([-1.0, 0.3, 0.8, 2.0])
    out = walk(ellipse, direction, distances, "relative", generator)[0]
    free = walk(ellipse, direction, distances, "relative", generator, on_support=False)[0]
    assert np.allclose(out[:, 2:5], [[0, 1, 0], [0, 1, 0], [1, 0, 0], [1, 0, 0]])
    assert np.allclose(out[:, [0, 1, 5]], free[:, [0, 1, 5]])
    assert np.allclose(free, ellipse + distances[:, None] * direction.normal)
    plain = walk(ellipse, direction, distances, "relative", SimpleNamespace(prior="normal"))
    assert np.allclose(plain[0], free)
