import numpy as np
import torch
from PIL import Image

from latentkit.viz.grid import grid_array, save_grid


def test_grid_places_images_row_major():
    images = torch.stack([torch.full((1, 2, 2), v) for v in (-1.0, 1.0, -1.0)])
    grid = grid_array(images, columns=2, padding=1)
    assert grid.shape == (7, 7, 3)
    assert (
        (grid[1:3, 1:3] == 0).all()
        and (grid[1:3, 4:6] == 255).all()
        and (grid[4:6, 1:3] == 0).all()
    )


def test_save_grid_with_labels(tmp_path):
    images = torch.rand(6, 3, 8, 8) * 2 - 1
    path = save_grid(
        tmp_path / "g.png",
        images,
        3,
        row_labels=["a", "b"],
        column_labels=["1", "2", "3"],
        title="t",
    )
    picture = np.asarray(Image.open(path))
    assert picture.shape[0] > 2 * 64 and picture.shape[1] > 3 * 64
