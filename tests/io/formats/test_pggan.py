"""InterFaceGAN's PGGAN files: the .pth through torch's restricted loader and the same keys as
safetensors, sizes read from the weights, InterFaceGAN's own outputs reproduced."""

from pathlib import Path

import numpy as np
import pytest
import torch

from latentkit.errors import LatentkitError
from latentkit.io.formats import load_foreign_generator
from latentkit.io.formats.pggan import pggan_from_state

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "interfacegan_pggan"


@pytest.mark.parametrize("name", ["tiny_pggan.pth", "tiny_pggan.safetensors"])
def test_reads_interfacegan_files_and_reproduces_its_images(name):
    g = load_foreign_generator(FIXTURES / name)
    io = np.load(FIXTURES / "tiny_pggan_io.npz")
    assert g.channels == [32, 64, 48, 32, 16] and g.latent_dim == 32 and g.prior == "sphere"
    with torch.no_grad():
        for codes, images in (("z", "img"), ("z_raw", "img_from_raw"), ("z_edit", "img_edit")):
            made = g(torch.from_numpy(io[codes])).numpy()
            assert np.abs(made - io[images]).max() < 1e-4, images


def test_a_state_dict_that_does_not_fit_is_refused(tmp_path):
    state = torch.load(FIXTURES / "tiny_pggan.pth", weights_only=True)
    del state["output3.wscale.bias"]
    with pytest.raises(LatentkitError, match=r"missing: output3\.wscale\.bias"):
        pggan_from_state(state, "x.pth")
    torch.save({"weights": torch.zeros(3)}, tmp_path / "other.pth")
    with pytest.raises(LatentkitError, match="without a generator latentkit reads"):
        load_foreign_generator(tmp_path / "other.pth")
