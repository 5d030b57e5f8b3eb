import numpy as np
from PIL import Image

from latentkit.latent.codes import codes_from_seeds
from tests.factories import NORMAL8

G = "py:tests.factories:tiny_generator"


def test_chain_rows_and_codes(run_cli, tmp_path):
    run_cli(
        "interpolate",
        "--generator",
        G,
        "--seeds",
        "1,2,3",
        "--steps",
        "5",
        "--out",
        tmp_path / "i.png",
        "--codes-out",
        tmp_path / "c.npy",
    )
    codes = np.load(tmp_path / "c.npy")
    ends = codes_from_seeds(NORMAL8, [1, 2, 3])
    assert codes.shape == (10, 8)  # two segments of five
    assert np.allclose(codes[[0, 4, 5, 9]], ends[[0, 1, 1, 2]], atol=1e-6)
    assert Image.open(tmp_path / "i.png").size[1] > 2 * 64


def test_analogy_needs_three_codes(run_cli, tmp_path):
    run_cli(
        "interpolate",
        "--generator",
        G,
        "--seeds",
        "1,2,3",
        "--analogy",
        "--steps",
        "3",
        "--method",
        "lerp",
        "--out",
        tmp_path / "a.png",
        "--codes-out",
        tmp_path / "a.npy",
    )
    a, b, c = codes_from_seeds(NORMAL8, [1, 2, 3])
    assert np.allclose(np.load(tmp_path / "a.npy")[-1], b + c - a, atol=1e-5)
    result = run_cli(
        "interpolate",
        "--generator",
        G,
        "--seeds",
        "1,2",
        "--analogy",
        "--out",
        tmp_path / "b.png",
        code=2,
    )
    assert "exactly three codes" in result.output
