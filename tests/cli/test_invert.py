import numpy as np
from PIL import Image

from latentkit.io.models import save_model
from latentkit.nets.dcgan import DCGANEncoder

G = "py:tests.factories:tiny_generator"


def test_invert_files_and_dataset_rows(run_cli, tmp_path):
    save_model(tmp_path / "e.safetensors", DCGANEncoder(latent_dim=8, width=4), "encoder")
    Image.new("RGB", (28, 28), (200, 10, 10)).save(tmp_path / "red.png")  # converted and resized
    Image.new("L", (32, 32), 90).save(tmp_path / "gray.png")
    result = run_cli(
        "invert",
        "--generator",
        G,
        "--encoder",
        tmp_path / "e.safetensors",
        "--image",
        tmp_path / "red.png",
        "--image",
        tmp_path / "gray.png",
        "--steps",
        "3",
        "--out",
        tmp_path / "inv.png",
        "--codes-out",
        tmp_path / "codes.npy",
    )
    assert "red.png: RGB 28x28 converted to 1 channel(s) at 32x32" in result.output
    assert np.load(tmp_path / "codes.npy").shape == (2, 8)
    run_cli(
        "invert",
        "--generator",
        G,
        "--encoder",
        tmp_path / "e.safetensors",
        "--data",
        "digits",
        "--indices",
        "0-2",
        "--out",
        tmp_path / "digits.png",
    )
    assert Image.open(tmp_path / "digits.png").size[0] > 2 * 64


def test_invert_refuses_a_mismatched_encoder_and_bad_images(run_cli, tmp_path):
    save_model(tmp_path / "e9.safetensors", DCGANEncoder(latent_dim=9, width=4), "encoder")
    result = run_cli(
        "invert",
        "--generator",
        G,
        "--encoder",
        tmp_path / "e9.safetensors",
        "--data",
        "digits",
        "--out",
        tmp_path / "x.png",
        code=2,
    )
    assert "codes of size 9, the generator's latent size is 8" in result.output
    save_model(tmp_path / "e.safetensors", DCGANEncoder(latent_dim=8, width=4), "encoder")
    (tmp_path / "bad.png").write_bytes(b"not a png")
    result = run_cli(
        "invert",
        "--generator",
        G,
        "--encoder",
        tmp_path / "e.safetensors",
        "--image",
        tmp_path / "bad.png",
        "--out",
        tmp_path / "x.png",
        code=2,
    )
    assert "bad.png: cannot decode image" in result.output and not (tmp_path / "x.png").exists()
