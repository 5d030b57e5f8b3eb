import itertools

import numpy as np
import pytest

from latentkit.data.sprites import FACTOR_VALUES, MARGIN, UNIT, Sprites, _inside, render


def centre_of_mass(image):
    pixels = (image[0].numpy() + 1) / 2
    rows, cols = np.indices(pixels.shape)
    return (rows * pixels).sum() / pixels.sum(), (cols * pixels).sum() / pixels.sum()


def test_factor_grid_matches_dsprites():
    s = Sprites()
    assert s.factors_num_values == (3, 6, 40, 32, 32)
    assert len(s) == 737_280
    assert FACTOR_VALUES[1][0] == 0.5 and FACTOR_VALUES[1][-1] == 1.0
    assert FACTOR_VALUES[2][-1] == pytest.approx(2 * np.pi)


@pytest.mark.parametrize("resolution", [32, 64])
def test_images_shape_range_and_binarity(resolution):
    s = Sprites(resolution)
    images = s.images(np.arange(0, len(s), 9973))
    assert images.shape == (74, 1, resolution, resolution)
    assert images.min() == -1 and images.max() == 1
    if resolution == 64:  # binary, as dSprites
        assert set(np.unique(images.numpy())) == {-1.0, 1.0}


def test_rendering_is_deterministic_and_32px_averages_64px():
    factors = Sprites().sample_factors(20, np.random.default_rng(3))
    a, b = render(factors, 64), render(factors, 64)
    assert np.array_equal(a, b)
    small = render(factors, 32).astype(float)
    pooled = a.reshape(20, 32, 2, 32, 2).mean(axis=(2, 4))
    assert np.abs(small - pooled).max() <= 0.5


def test_the_windowed_rendering_draws_every_pixel_the_whole_canvas_would():
    # The largest sprites, at the four extreme positions and at every orientation, and a random
    # sample: each pixel of the 64 px canvas tested against the shape, as a reference.
    grid = np.array(
        [[k, 5, t, x, y] for k in range(3) for t in range(40) for x in (0, 31) for y in (0, 31)]
    )
    factors = np.concatenate([grid, Sprites().sample_factors(300, np.random.default_rng(1))])
    centres = (np.arange(64) + 0.5) / 64
    scale = FACTOR_VALUES[1][factors[:, 1]][:, None, None] * UNIT
    theta = FACTOR_VALUES[2][factors[:, 2]][:, None, None]
    dx = (
        centres[None, None, :]
        - (MARGIN + (1 - 2 * MARGIN) * FACTOR_VALUES[3][factors[:, 3]])[:, None, None]
    )
    dy = (
        centres[None, :, None]
        - (MARGIN + (1 - 2 * MARGIN) * FACTOR_VALUES[4][factors[:, 4]])[:, None, None]
    )
    u = (np.cos(theta) * dx - np.sin(theta) * dy) / scale
    v = (np.sin(theta) * dx + np.cos(theta) * dy) / scale
    reference = _inside(factors[:, 0], u, v).astype(np.uint8) * 255
    assert np.array_equal(render(factors, 64), reference)


def test_factors_move_the_sprite_as_named():
    s = Sprites()
    base = np.array([[1, 3, 0, 16, 16]])
    right = base.copy()
    right[0, 3] = 28
    down = base.copy()
    down[0, 4] = 28
    row0, col0 = centre_of_mass(s.sample_observations_from_factors(base)[0])
    row_r, col_r = centre_of_mass(s.sample_observations_from_factors(right)[0])
    row_d, col_d = centre_of_mass(s.sample_observations_from_factors(down)[0])
    step = 0.6 * 64 * 12 / 31  # 12 position steps of the centre, in pixels
    assert col_r - col0 == pytest.approx(step, abs=1.0) and abs(row_r - row0) < 0.5
    assert row_d - row0 == pytest.approx(step, abs=1.0) and abs(col_d - col0) < 0.5


def test_scale_grows_area_and_orientation_turns_the_ellipse():
    s = Sprites()
    areas = [
        (s.sample_observations_from_factors(np.array([[0, k, 0, 16, 16]])) > 0).sum().item()
        for k in range(6)
    ]
    assert all(a < b for a, b in itertools.pairwise(areas))
    assert areas[-1] / areas[0] == pytest.approx(4.0, rel=0.15)  # area goes with scale²
    flat = s.sample_observations_from_factors(np.array([[1, 5, 0, 16, 16]]))[0, 0] > 0
    turned = s.sample_observations_from_factors(np.array([[1, 5, 10, 16, 16]]))[0, 0] > 0
    # orientation 10 of 40 is a quarter turn: a wide ellipse becomes a tall one
    assert flat.any(dim=0).sum() > 1.5 * flat.any(dim=1).sum()
    assert turned.any(dim=1).sum() > 1.5 * turned.any(dim=0).sum()


def test_index_factor_round_trip_and_attributes():
    s = Sprites()
    rng = np.random.default_rng(0)
    factors = s.sample_factors(500, rng)
    assert factors.shape == (500, 5)
    assert (factors.min(0) >= 0).all() and (factors < np.array(s.factors_num_values)).all()
    index = s.factors_to_index(factors)
    assert np.array_equal(s.index_to_factors(index), factors)
    values = s.attributes(index)
    assert np.allclose(values[:, 3], factors[:, 3] / 31, atol=1e-6)
    assert np.array_equal(s.labels(index), factors[:, 0])


def test_only_32_and_64_px():
    with pytest.raises(ValueError):
        Sprites(48)
