import numpy as np
from PIL import Image

from latentkit.io.direction import Direction, save_direction
from latentkit.io.models import save_model
from latentkit.nets.dcgan import DCGANEncoder

G = "py:tests.factories:tiny_generator"


def test_edit_and_interpolate_real_images(run_cli, tmp_path):
    save_model(tmp_path / "e.safetensors", DCGANEncoder(latent_dim=8, width=4), "encoder")
    save_direction(tmp_path / "d.npz", Direction(np.eye(8)[0], 0.0, {"name": "axis0"}))
    for i in range(2):
        Image.new("L", (32, 32), 60 * i).save(tmp_path / f"{i}.png")
    images = [
        "--image",
        tmp_path / "0.png",
        "--image",
        tmp_path / "1.png",
        "--encoder",
        tmp_path / "e.safetensors",
        "--invert-steps",
        "2",
    ]
    run_cli(
        "edit",
        "--generator",
        G,
        "--direction",
        tmp_path / "d.npz",
        *images,
        "--out",
        tmp_path / "edit.png",
        "--codes-out",
        tmp_path / "edited.npy",
    )
    edited = np.load(tmp_path / "edited.npy")
    assert edited.shape == (2, 7, 8)
    # relative by default for real images; the grid leads with image and reconstruction
    assert Image.open(tmp_path / "edit.png").size[0] > 9 * 64
    assert np.allclose(edited[:, -1, 0] - edited[:, 0, 0], 6.0, atol=1e-5)  # relative −3 → +3
    run_cli("interpolate", "--generator", G, *images, "--steps", "3", "--out", tmp_path / "i.png",
            "--codes-out", tmp_path / "path.npy")  # fmt: skip
    path = np.load(tmp_path / "path.npy")  # slerp from the first image's code to the second's
    inverted = edited[:, 3]  # the relative walk's distance 0 is the inverted code itself
    assert np.allclose(path[0], inverted[0], atol=1e-5)
    assert np.allclose(path[-1], inverted[1], atol=1e-5)


def test_code_source_conflicts(run_cli, tmp_path):
    Image.new("L", (32, 32)).save(tmp_path / "0.png")
    save_direction(tmp_path / "d.npz", Direction(np.eye(8)[0]))
    result = run_cli(
        "edit",
        "--generator",
        G,
        "--direction",
        tmp_path / "d.npz",
        "--image",
        tmp_path / "0.png",
        "--out",
        tmp_path / "x.png",
        code=2,
    )
    assert "inverting images needs an encoder (--encoder)" in result.output
    np.save(tmp_path / "c.npy", np.zeros((2, 8)))
    result = run_cli(
        "edit",
        "--generator",
        G,
        "--direction",
        tmp_path / "d.npz",
        "--seeds",
        "1",
        "--codes",
        tmp_path / "c.npy",
        "--out",
        tmp_path / "x.png",
        code=2,
    )
    assert "codes come from one source: seeds, a codes file or images" in result.output
