from pathlib import Path

import numpy as np
import pytest

from latentkit.io.direction import Direction, load_direction, save_direction
from tests import analytic
from tests.cli.analytic_models import save_models

ROOT = Path(__file__).resolve().parents[2]


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


def test_keep_class_thickens_the_bundles_5_and_9_without_changing_the_digit(run_cli, tmp_path):
    from latentkit.attributes.scorer import load_scorer, score_images
    from latentkit.io.models import load_generator
    from latentkit.latent.sample import generate

    thickness = ROOT / "pretrained/mnist/boundaries/thickness.npz"
    run_cli("edit", "--generator", "mnist", "--direction", thickness, "--keep-class", "mnist",
            "--seeds", "2,5", "--start", "-2", "--end", "2", "--steps", "3",
            "--out", tmp_path / "kept.png", "--codes-out", tmp_path / "kept.npy")  # fmt: skip
    walked = np.load(tmp_path / "kept.npy")  # [2 codes, 3 steps, d]
    images = generate(load_generator("mnist"), walked.reshape(-1, walked.shape[-1]))
    digits = score_images(load_scorer("mnist"), images)[:, :10].argmax(1).reshape(2, 3)
    assert digits.tolist() == [[5, 5, 5], [9, 9, 9]]  # a plain walk ends at 6 and 0 (issue #16)
    chords = np.linalg.norm(walked[:, [0, 2]] - walked[:, 1:2], axis=2)
    assert np.all(chords <= 2 + 1e-4) and np.all(chords > 1.5)  # arc length 2 each way


def test_a_sprite_shape_walk_keeps_the_code_one_hot_and_the_sprite_in_place(run_cli, tmp_path):
    """The sprites bundle's shape=square walk. Its boundary (top against bottom 2 % of the square
    score) separates squares from ellipses, the least square shape: on support every code is an
    ellipse at -3 and none is at +3, the predictor reads the change, and the sprite stays where
    it was; off support (the raw walk) the sprites wander (issue #16's blobs)."""
    from latentkit.attributes.scorer import load_scorer, score_images
    from latentkit.data.sprites import SHAPES
    from latentkit.io.models import load_generator
    from latentkit.latent.sample import generate
    from latentkit.priors import latent_names

    generator, scorer = load_generator("sprites"), load_scorer("sprites")
    shapes = [scorer.attribute_names.index(f"shape={s}") for s in SHAPES]
    read_ellipse, x, y = (scorer.attribute_names.index(a) for a in ("shape=ellipse", "x", "y"))
    first = latent_names(generator.prior, generator.latent_dim).index("cat0")
    ellipse = SHAPES.index("ellipse")  # the category bound to ellipses (the data's class order)
    drift, read = {}, {}
    for flag in ("", "--off-support"):
        codes = tmp_path / f"walk{flag}.npy"
        run_cli("edit", "--generator", "sprites", "--direction", "sprites:shape=square",
                "--seeds", "0-47", "--steps", "3", "--out", tmp_path / f"walk{flag}.png",
                "--codes-out", codes, *([flag] if flag else []))  # fmt: skip
        walked = np.load(codes)  # [48, 3, d]: distances -3, 0, +3
        scores = score_images(scorer, generate(generator, walked.reshape(-1, walked.shape[-1])))
        scores = scores.reshape(48, 3, -1)
        read[flag] = (np.array(shapes)[scores[:, :, shapes].argmax(2)] == read_ellipse).mean(0)
        drift[flag] = np.abs(scores[:, [0, 2]][..., [x, y]] - scores[:, 1:2][..., [x, y]]).mean()
        if not flag:
            block = walked[:, :, first : first + len(SHAPES)]
            assert set(np.unique(block)) == {0.0, 1.0} and np.all(block.sum(2) == 1)
            assert np.all(block[:, 0, ellipse] == 1) and np.all(block[:, 2, ellipse] == 0)
    assert read[""][0] - read[""][2] > 0.6, read
    assert drift[""] < 0.05 and drift["--off-support"] > 0.1, drift
