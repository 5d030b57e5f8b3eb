import numpy as np
import pytest

from latentkit.data import POINT_SETS, load_dataset
from latentkit.errors import LatentkitError
from latentkit.train.config import POINT_DATA


def test_ring8_is_eight_gaussians_on_the_unit_circle_with_std_001():
    ring = load_dataset("ring8")
    assert np.allclose(np.linalg.norm(ring.centres, axis=1), 1.0) and len(ring.centres) == 8
    index = np.arange(len(ring))
    points = ring.images(index).flatten(1).numpy()
    modes = ring.labels(index)
    offsets = points - ring.centres[modes]
    assert offsets.std(axis=0) == pytest.approx([0.01, 0.01], rel=0.02)
    assert np.bincount(modes) / len(modes) == pytest.approx(np.full(8, 1 / 8), abs=0.005)
    assert ring.attributes(index[:5])[:, :2] == pytest.approx(points[:5])


def test_grid25_is_the_5x5_grid_with_std_005_and_has_no_resolution():
    grid = load_dataset("grid25@train")
    assert sorted({tuple(c) for c in grid.parent.centres}) == [
        (x, y) for x in (-4, -2, 0, 2, 4) for y in (-4, -2, 0, 2, 4)
    ]
    assert grid.parent.std == 0.05 and grid.images(np.arange(3)).shape == (3, 2, 1, 1)
    with pytest.raises(LatentkitError, match="no resolution"):
        load_dataset("grid25", 32)
    assert POINT_DATA == POINT_SETS  # the torch-free copy the training config reads
