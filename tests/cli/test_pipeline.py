"""The InterFaceGAN workflow end to end from the command line, on TorchScript models with known
attribute directions."""

import json

import numpy as np
import pytest
import torch

from latentkit.attributes.scorer import load_scorers
from latentkit.io.bank import load_bank
from latentkit.io.direction import load_direction
from latentkit.io.models import load_generator, save_model
from latentkit.latent.sample import sample_bank
from latentkit.nets.predictor import AttributePredictor
from tests import analytic
from tests.cli.analytic_models import sample_args, save_models


@pytest.fixture
def models(tmp_path):
    return save_models(tmp_path)


def test_sample_fit_project_edit(run_cli, tmp_path, models):
    generator, scorer = models
    bank = tmp_path / "bank.npz"
    run_cli(*sample_args(generator, scorer, bank, 20000, "--seed", "3"))
    data = load_bank(bank)
    assert data.z.shape == (20000, analytic.DIM) and data.attribute_names == analytic.NAMES
    out = run_cli("boundary", "fit", "--bank", bank, "--out", tmp_path / "b").output
    assert "x " in out and "validation" not in out
    truth = analytic.true_directions()
    for name in analytic.NAMES:
        direction = load_direction(tmp_path / "b" / f"{name}.npz")
        assert direction.normal @ truth[name] >= 0.95
        assert direction.meta["accuracy"]["validation"] >= 0.95
    run_cli(
        "boundary",
        "project",
        "--primal",
        tmp_path / "b/x.npz",
        "--condition",
        tmp_path / "b/y.npz",
        "--out",
        tmp_path / "x_c_y.npz",
    )
    conditioned = load_direction(tmp_path / "x_c_y.npz")
    assert abs(conditioned.normal @ load_direction(tmp_path / "b/y.npz").normal) < 1e-9
    run_cli(
        "edit",
        "--generator",
        generator,
        "--direction",
        tmp_path / "x_c_y.npz",
        "--seeds",
        "0-3",
        "--out",
        tmp_path / "edit.png",
        "--codes-out",
        tmp_path / "edited.npy",
    )
    edited = np.load(tmp_path / "edited.npy")
    assert edited.shape == (4, 7, analytic.DIM)
    assert np.allclose(
        edited @ conditioned.normal + conditioned.intercept, np.linspace(-3, 3, 7), atol=1e-5
    )
    assert (tmp_path / "edit.png").stat().st_size > 0


def test_same_seed_same_bank_and_boundary(run_cli, tmp_path, models):
    generator, scorer = models
    for name in ("a", "b"):
        run_cli(*sample_args(generator, scorer, tmp_path / f"{name}.npz", 3000, "--seed", "9"))
        run_cli(
            "boundary",
            "fit",
            "--bank",
            tmp_path / f"{name}.npz",
            "--out",
            tmp_path / name,
            "--seed",
            "4",
        )
    a, b = load_bank(tmp_path / "a.npz"), load_bank(tmp_path / "b.npz")
    assert np.array_equal(a.z, b.z) and np.array_equal(a.scores, b.scores)
    assert np.array_equal(
        load_direction(tmp_path / "a/x.npz").normal, load_direction(tmp_path / "b/x.npz").normal
    )


def test_interfacegan_export_and_scores_file(run_cli, tmp_path, models):
    generator, scorer = models
    run_cli(
        *sample_args(
            generator, scorer, tmp_path / "bank.npz", 3000, "--interfacegan", tmp_path / "ifg"
        )
    )
    assert np.load(tmp_path / "ifg/z.npy").shape == (3000, analytic.DIM)
    run_cli(
        "boundary",
        "fit",
        "--bank",
        tmp_path / "bank.npz",
        "--scores",
        tmp_path / "ifg/y.npy",
        "--attribute",
        "y",
        "--out",
        tmp_path / "b",
        "--interfacegan",
    )
    assert np.load(tmp_path / "b/y_boundary.npy").shape == (1, analytic.DIM)


def test_bad_inputs(run_cli, tmp_path, models):
    generator, scorer = models
    run_cli(*sample_args(generator, scorer, tmp_path / "bank.npz", 500))
    np.save(tmp_path / "wide.npy", np.ones((1, analytic.DIM + 1)))
    np.save(tmp_path / "nan.npy", np.full(500, np.nan))
    np.save(tmp_path / "flat.npy", np.full(500, 0.5))
    np.savez(
        tmp_path / "empty.npz",
        z=np.zeros((0, 4)),
        scores=np.zeros((0, 0)),
        attribute_names=np.array([], str),
    )
    cases = [
        (
            [
                "edit",
                "--generator",
                generator,
                "--direction",
                tmp_path / "wide.npy",
                "--out",
                tmp_path / "e.png",
            ],
            "direction of size 17",
        ),
        (
            [
                "boundary",
                "fit",
                "--bank",
                tmp_path / "bank.npz",
                "--attribute",
                "smile",
                "--out",
                tmp_path / "b",
            ],
            "no attribute 'smile'",
        ),
        (
            [
                "boundary",
                "fit",
                "--bank",
                tmp_path / "bank.npz",
                "--scores",
                tmp_path / "nan.npy",
                "--attribute",
                "s",
                "--out",
                tmp_path / "b",
            ],
            "NaN",
        ),
        (
            [
                "boundary",
                "fit",
                "--bank",
                tmp_path / "bank.npz",
                "--scores",
                tmp_path / "flat.npy",
                "--attribute",
                "s",
                "--out",
                tmp_path / "b",
            ],
            "all scores are equal",
        ),
        (["boundary", "fit", "--bank", tmp_path / "empty.npz", "--out", tmp_path / "b"], "empty"),
    ]
    for args, message in cases:
        result = run_cli(*args, code=2)
        assert message in result.output and result.output.count("\n") == 1, result.output
    assert not (tmp_path / "e.png").exists()


def test_a_scorer_of_another_size_scores_through_a_conversion(run_cli, tmp_path):
    """The first thing a CPU user meets: a scorer trained at 64 px, a generator at 32 px."""
    torch.manual_seed(0)
    heads = [{"name": "digit", "kind": "class", "labels": [str(d) for d in range(10)]}]
    big = AttributePredictor(heads, resolution=64, channels=3, width=4).eval()
    save_model(tmp_path / "s64.safetensors", big, "scorer")
    g = "py:tests.factories:tiny_generator"  # 32 px, one channel
    result = run_cli("sample", "--generator", g, "--scorer", tmp_path / "s64.safetensors",
                     "--n", "20", "--no-progress", "--out", tmp_path / "bank.npz")  # fmt: skip
    assert "reads (3, 64, 64) images; the generator's (1, 32, 32) are converted" in result.output
    generator = load_generator(g)
    scorer = load_scorers([str(tmp_path / "s64.safetensors")], images=(1, 32, 32))
    expected = sample_bank(generator, scorer, 20, seed=0, progress=False)
    assert np.allclose(load_bank(tmp_path / "bank.npz").scores, expected.scores, atol=1e-6)


def shapes_folder(root):
    """60 coloured squares and discs in img/ (16 px), a CSV with a word column (shape) and an
    angle column (hue in degrees), one grey image, and one row naming an absent file."""
    from PIL import Image, ImageDraw

    (root / "img").mkdir(parents=True)
    rng = np.random.default_rng(0)
    rows = ["file,shape,hue:deg,size"]
    for i in range(60):
        shape, hue, size = ("square", "disc")[i % 2], int(rng.integers(0, 360)), 4 + i % 5
        image = Image.new("HSV", (16, 16), (0, 0, 0))
        box = (8 - size, 8 - size, 8 + size, 8 + size)
        draw = ImageDraw.Draw(image)
        (draw.rectangle if shape == "square" else draw.ellipse)(
            box, fill=(hue * 255 // 360, 255, 255)
        )
        (image.convert("L") if i == 7 else image.convert("RGB")).save(root / "img" / f"{i:03d}.png")
        rows.append(f"img/{i:03d}.png,{shape},{hue},{size}")
    rows.append("img/lost.png,disc,0,4")
    (root / "attributes.csv").write_text("\n".join(rows) + "\n")


def test_the_whole_path_on_a_folder_of_ones_own(run_cli, tmp_path):
    shapes_folder(tmp_path / "shapes")
    data = ["--data", f"folder:{tmp_path / 'shapes'}", "--resolution", "32"]
    quick = ["--device", "cpu", "--no-progress", "--width", "4"]
    trained = run_cli("train", "scorer", *data, *quick, "--steps", "30", "--batch-size", "16",
                      "--out", tmp_path / "scorer")  # fmt: skip
    notices = [
        "1 rows name absent files, left out (img/lost.png)",
        "1 images converted to RGB (img/007.png)",
        "60 images not 32×32, resized",
    ]
    for notice in notices:
        assert notice in trained.output
    scorer = load_scorers([str(tmp_path / "scorer")])
    assert scorer.attribute_names[:2] == ["shape=disc", "shape=square"]  # a class head
    assert {"hue_sin", "hue_cos"} <= set(scorer.attribute_names)  # an angle head
    run_cli("train", "gan", *data, *quick, "--latent-dim", "8", "--steps", "10", "--batch-size",
            "8", "--out", tmp_path / "gan")  # fmt: skip
    run_cli("sample", "--generator", tmp_path / "gan", "--scorer", tmp_path / "scorer", "--n",
            "1000", "--no-progress", "--out", tmp_path / "bank.npz")  # fmt: skip
    run_cli("boundary", "fit", "--bank", tmp_path / "bank.npz", "--attribute",
            "shape=square,hue_cos", "--out", tmp_path / "b")  # fmt: skip
    square = load_direction(tmp_path / "b" / "shape=square.npz")
    assert square.meta["accuracy"]["validation"] >= 0.9  # the class boundary separates them
    run_cli("edit", "--generator", tmp_path / "gan", "--direction", tmp_path / "b/shape=square.npz",
            "--seeds", "0-2", "--out", tmp_path / "edit.png")  # fmt: skip
    run_cli("measure", "edits", "--generator", tmp_path / "gan", "--scorer", tmp_path / "scorer",
            "--direction", tmp_path / "b/shape=square.npz", "--direction",
            tmp_path / "b/hue_cos.npz", "--n", "64", "--out", tmp_path / "report")  # fmt: skip
    report = json.loads((tmp_path / "report/report.json").read_text())
    column = report["attributes"].index("shape=square")
    assert report["side_effects"]["slopes"][0][column] > 0  # walking it raises its class score
