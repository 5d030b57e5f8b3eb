import numpy as np
import pytest
import torch
from PIL import Image

from latentkit.io.checkpoint import save_state
from latentkit.io.direction import load_direction
from latentkit.io.models import load_generator, save_model
from latentkit.latent.sample import generate
from latentkit.nets.dcgan import DCGANGenerator
from latentkit.priors import sample_codes
from latentkit.viz.grid import grid_array
from tests.io.test_models import Wrapped


def test_generate_from_every_kind_of_generator(run_cli, tmp_path):
    torch.manual_seed(0)
    g = DCGANGenerator(latent_dim=8, width=4).eval()
    save_model(tmp_path / "g.safetensors", g, "generator")
    torch.jit.script(Wrapped(g)).save(str(tmp_path / "g.pt"))
    grids = {}
    for name, spec, extra in (
        ("ckpt", tmp_path / "g.safetensors", []),
        ("script", tmp_path / "g.pt", ["--latent-dim", "8"]),
        ("factory", "py:tests.factories:tiny_generator", []),
    ):
        run_cli(
            "generate",
            "--generator",
            spec,
            *extra,
            "--n",
            "6",
            "--columns",
            "3",
            "--out",
            tmp_path / f"{name}.png",
            "--seed",
            "5",
        )
        grids[name] = np.asarray(Image.open(tmp_path / f"{name}.png").convert("RGB"))
    # The grid is exactly the seed's codes through the generator, tiled (cells upscaled to 64 px).
    expected = grid_array(generate(g, sample_codes("normal", 6, 8, seed=5)), 3, padding=2, scale=2)
    assert np.array_equal(grids["ckpt"], expected)
    assert np.array_equal(grids["factory"], expected)  # the same weights by another route
    difference = np.abs(grids["script"].astype(int) - expected.astype(int))
    assert difference.max() <= 1  # TorchScript's kernels may round one level differently


def test_generate_refuses_bad_checkpoints(run_cli, tmp_path):
    g = DCGANGenerator(latent_dim=8, width=4)
    good = save_model(tmp_path / "g.safetensors", g, "generator")
    (tmp_path / "cut.safetensors").write_bytes(good.read_bytes()[:2000])
    entry = {"config": {**g.config, "latent_dim": 9}, "state": g.state_dict()}
    save_state(tmp_path / "mismatch.safetensors", {"models": {"generator": entry}}, kind="model")
    for name, message in (("cut", "corrupt or truncated"), ("mismatch", "weights do not fit")):
        result = run_cli(
            "generate",
            "--generator",
            tmp_path / f"{name}.safetensors",
            "--out",
            tmp_path / "x.png",
            code=2,
        )
        assert message in result.output and f"{name}.safetensors" in result.output
    assert not (tmp_path / "x.png").exists()


def test_existing_output_needs_overwrite(run_cli, tmp_path):
    (tmp_path / "x.png").write_text("keep")
    result = run_cli(
        "generate",
        "--generator",
        "py:tests.factories:tiny_generator",
        "--out",
        tmp_path / "x.png",
        code=2,
    )
    assert "already exists" in result.output and (tmp_path / "x.png").read_text() == "keep"


def test_a_conditional_generator_needs_its_class(run_cli, tmp_path):
    run_cli("train", "gan", "--data", "digits", "--family", "cgan", "--width", "4", "--latent-dim",
            "8", "--steps", "2", "--batch-size", "8", "--device", "cpu", "--no-progress",
            "--out", tmp_path / "run")  # fmt: skip
    args = ("generate", "--generator", tmp_path / "run", "--n", "4", "--seed", "1")
    run_cli(*args, "--class", "3", "--out", tmp_path / "three.png")
    run_cli(*args, "--class", "7", "--out", tmp_path / "seven.png")
    assert (tmp_path / "three.png").read_bytes() != (tmp_path / "seven.png").read_bytes()
    assert (
        "name a class (one of 0, 1, 2, 3, 4, 5, 6, 7, 8, 9) (--class)"
        in run_cli(*args, "--out", tmp_path / "x.png", code=2).output
    )
    run_cli("boundary", "sefa", "--generator", tmp_path / "run", "--class", "3", "--k", "2",
            "--out", tmp_path / "sefa")  # fmt: skip
    # SeFa reads the z columns of the first layer only (the one-hot class follows z): the
    # directions are the top eigenvectors of AᵀA for those columns.
    g = load_generator(tmp_path / "run", label="3")
    weight = g.generator.main[0].weight.detach().double()[:8].reshape(8, -1).T.numpy()
    values, vectors = np.linalg.eigh(weight.T @ weight)
    for i in range(2):
        found = load_direction(tmp_path / "sefa" / f"sefa_{i}.npz")
        assert abs(found.normal @ vectors[:, -1 - i]) == pytest.approx(1.0, abs=1e-6)
        assert found.meta["value"] == pytest.approx(values[-1 - i], rel=1e-6)
