import numpy as np
from PIL import Image

from latentkit.viz.modes import plot_mode_histogram, plot_points, plot_points_panels


def test_points_plot_centres_in_red_and_the_histogram_is_a_png(tmp_path):
    centres = np.array([[1.0, 0.0], [-1.0, 0.0]])
    path = plot_points(tmp_path / "p.png", np.zeros((10, 2)), centres, "two modes")
    pixels = np.asarray(Image.open(path).convert("RGB")).astype(int)
    red = (pixels[..., 0] > 200) & (pixels[..., 1] < 80) & (pixels[..., 2] < 80)
    assert red.sum() > 20  # the crosses at the centres
    histogram = plot_mode_histogram(tmp_path / "h.png", np.array([5, 0, 3]), "counts")
    assert Image.open(histogram).size[0] > 100
    assert not list(tmp_path.glob(".*"))  # written through a temporary file


def test_panels_put_a_row_per_set_and_a_column_per_panel(tmp_path):
    ring = np.array([[1.0, 0.0], [-1.0, 0.0]])
    grid = np.array([[2.0, 2.0], [-2.0, -2.0], [2.0, -2.0]])
    rows = [(ring, [(np.zeros((5, 2)), "a"), (np.ones((5, 2)), "b")]), (grid, [(ring, "c")])]
    path = plot_points_panels(tmp_path / "panels.png", rows)
    width, height = Image.open(path).size
    assert width == 440 and height == 460  # 2 columns of 2.2 in, 2 rows of 2.3 in, at 100 dpi
    pixels = np.asarray(Image.open(path).convert("L"))
    assert pixels[240:, 230:].min() == 255  # the second row has one panel: the other is blank
    assert pixels[240:, :220].min() < 128  # where its one panel is drawn
