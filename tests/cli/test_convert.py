from pathlib import Path

import numpy as np
import torch

from latentkit.io.formats.pickles import generator_from_pickle
from latentkit.io.models import load_generator, load_model

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def test_a_snapshot_is_converted_once_and_loads_as_latentkit_file(run_cli, tmp_path):
    snapshot = FIXTURES / "stylegan2_ada/tiny_snapshot.pkl"
    run_cli("convert", snapshot, "--out", tmp_path / "g.safetensors")
    converted = load_model(tmp_path / "g.safetensors", "generator")
    z = torch.randn(3, 32)
    with torch.no_grad():
        assert torch.equal(converted(z), generator_from_pickle(snapshot)(z))
    shown = run_cli("models", "show", tmp_path / "g.safetensors").output
    assert "converted from" in shown and "tiny_snapshot.pkl" in shown
    run_cli("convert", snapshot, "--out", tmp_path / "g.safetensors", code=2)  # no --overwrite
    pggan = FIXTURES / "interfacegan_pggan/tiny_pggan.pth"
    run_cli("convert", pggan, "--out", tmp_path / "p.safetensors")
    a, b = load_generator(pggan), load_generator(tmp_path / "p.safetensors")
    with torch.no_grad():
        assert torch.equal(a(z), b(z))


def test_interfacegans_edit_is_reproduced_from_the_command_line(run_cli, tmp_path):
    """InterFaceGAN's linear_interpolate from its pre-processed code along a boundary .npy:
    latentkit's absolute edit gives the same codes and images."""
    io = np.load(FIXTURES / "interfacegan_pggan/tiny_pggan_io.npz")
    np.save(tmp_path / "z.npy", io["z"])
    np.save(tmp_path / "boundary.npy", io["boundary"])
    pggan = FIXTURES / "interfacegan_pggan/tiny_pggan.pth"
    run_cli("edit", "--generator", pggan, "--codes", tmp_path / "z.npy", "--indices", "0",
            "--direction", tmp_path / "boundary.npy", "--start", "-3", "--end", "3", "--steps",
            "5", "--out", tmp_path / "e.png", "--codes-out", tmp_path / "e.npy")  # fmt: skip
    codes = np.load(tmp_path / "e.npy")[0]
    assert np.abs(codes - io["z_edit"]).max() < 1e-5
    with torch.no_grad():
        images = load_generator(pggan)(torch.from_numpy(codes)).numpy()
    assert np.abs(images - io["img_edit"]).max() < 1e-4
