import numpy as np
from PIL import Image

from latentkit.viz.modes import plot_mode_histogram, plot_points


def test_points_plot_centres_in_red_and_the_histogram_is_a_png(tmp_path):
    centres = np.array([[1.0, 0.0], [-1.0, 0.0]])
    path = plot_points(tmp_path / "p.png", np.zeros((10, 2)), centres, "two modes")
    pixels = np.asarray(Image.open(path).convert("RGB")).astype(int)
    red = (pixels[..., 0] > 200) & (pixels[..., 1] < 80) & (pixels[..., 2] < 80)
    assert red.sum() > 20  # the crosses at the centres
    histogram = plot_mode_histogram(tmp_path / "h.png", np.array([5, 0, 3]), "counts")
    assert Image.open(histogram).size[0] > 100
    assert not list(tmp_path.glob(".*"))  # written through a temporary file
