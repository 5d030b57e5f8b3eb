import numpy as np
import torch
from PIL import Image

from latentkit.io.models import load_generator
from latentkit.latent.sample import generate
from latentkit.priors import sample_codes
from latentkit.viz.grid import grid_array
from tests.io.test_models import Wrapped


def test_models_list_and_show(toy_bundle, run_cli):
    out = run_cli("models", "list").output
    assert "toy: a test bundle" in out and "directions: thick" in out
    assert "made in a test" in run_cli("models", "show", "toy").output
    assert "no such file, nor a pretrained bundle" in run_cli("models", "show", "x", code=2).output


def test_generate_and_edit_with_a_bundle_name(toy_bundle, run_cli, tmp_path):
    run_cli("generate", "--generator", "toy", "--n", "2", "--out", tmp_path / "g.png")
    g = load_generator(toy_bundle / "generator.safetensors")
    expected = grid_array(generate(g, sample_codes("normal", 2, 8, seed=0)), 8, scale=2)
    assert np.array_equal(np.asarray(Image.open(tmp_path / "g.png").convert("RGB")), expected)
    run_cli("edit", "--generator", "toy", "--direction", "toy:thick", "--seeds", "0",
            "--out", tmp_path / "e.png", "--codes-out", tmp_path / "e.npy")  # fmt: skip
    # The bundle's direction is the third axis with intercept 0.5: absolute edits put the code
    # at signed distance t from the hyperplane z2 + 0.5 = 0, the other coordinates unchanged.
    walked = np.load(tmp_path / "e.npy")[0]
    start = sample_codes("normal", 1, 8, seed=0)[0]
    assert np.allclose(walked[:, 2] + 0.5, np.linspace(-3, 3, 7), atol=1e-6)
    assert np.allclose(np.delete(walked, 2, axis=1), np.delete(start, 2), atol=1e-6)


def test_models_show_describes_any_model_spec(run_cli, tmp_path, tiny_scorer):
    shown = run_cli("models", "show", tiny_scorer).output
    assert "scorer: predictor.cnn (" in shown and "attributes: digit=0, digit=1" in shown
    assert "made by: scorer at step 2" in shown and "held-out digit_accuracy:" in shown
    folder = run_cli("models", "show", tiny_scorer.parent).output  # the run folder
    assert "checkpoint" in folder and "scorer: predictor.cnn" in folder
    factory = run_cli("models", "show", "py:tests.factories:tiny_generator").output
    assert "dcgan.generator (" in factory and "latent_dim=8" in factory
    generator = tmp_path / "g.pt"
    torch.jit.script(Wrapped(load_generator("py:tests.factories:tiny_generator"))).save(
        str(generator)
    )
    assert "a TorchScript module" in run_cli("models", "show", generator).output
