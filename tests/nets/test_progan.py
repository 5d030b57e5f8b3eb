import numpy as np
import torch
from safetensors.torch import load_file

from latentkit.nets.progan import ProGANGenerator, pixel_norm
from latentkit.priors import sample_codes
from tests.io.formats.test_pggan import FIXTURES


def test_lod_skips_the_last_blocks_as_interfacegan_does():
    g = ProGANGenerator([32, 64, 48, 32, 16]).eval()
    g.load_state_dict(load_file(FIXTURES / "tiny_pggan.safetensors"))
    io = np.load(FIXTURES / "tiny_pggan_io.npz")
    with torch.no_grad():
        g.lod.fill_(1.0)
        images = g(torch.from_numpy(io["z"])).numpy()
    assert np.abs(images - io["img_lod1"]).max() < 1e-4
    assert np.array_equal(images[..., ::2, ::2], images[..., 1::2, 1::2])  # 2×2 blocks


def test_pixel_norm_and_the_sphere_prior():
    x = torch.randn(4, 8, 3, 3) * 5
    assert torch.allclose(pixel_norm(x).square().mean(dim=1), torch.ones(4, 3, 3), atol=1e-5)
    z = sample_codes("sphere", 100, 32, seed=0)
    assert np.allclose(np.linalg.norm(z, axis=1), np.sqrt(32), atol=1e-4)
