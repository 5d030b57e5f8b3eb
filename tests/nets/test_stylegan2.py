from pathlib import Path

import numpy as np
import pytest
import torch

from latentkit.io.formats.stylegan2 import load_official
from latentkit.nets import build

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "stylegan2_ada"


@pytest.mark.parametrize("name", ["tiny_uncond", "tiny_cond"])
def test_reproduces_the_official_generator(name):
    g = load_official(FIXTURES / f"{name}.safetensors")
    io = np.load(FIXTURES / f"{name}_io.npz")
    z, c = torch.from_numpy(io["z"]), torch.from_numpy(io["c"])
    c = c if c.shape[1] else None
    assert g.num_ws == 8
    with torch.no_grad():
        assert np.abs(g.mapping(z, c).numpy() - io["w"]).max() < 1e-5
        assert np.abs(g.mapping(z, c, truncation_psi=0.7).numpy() - io["ws_psi07"]).max() < 1e-5
        cases = [("img", "w", "const"), ("img_psi07", "ws_psi07", "const"),
                 ("img_mix", "ws_mix", "const"), ("img_noise_none", "w", "none")]  # fmt: skip
        for key, ws, mode in cases:
            image = g.synthesis(torch.from_numpy(io[ws]), mode).numpy()
            assert np.abs(image - io[key]).max() < 1e-4, key
        # latentkit's contract: forward(z[, class indices]) is mapping then synthesis
        labels = None if c is None else c.argmax(1)
        assert torch.allclose(g(z, labels), torch.from_numpy(io["img"]), atol=1e-4)


def test_the_config_rebuilds_the_architecture_and_style_mixing_uses_the_ws_rows():
    config = {"arch": "stylegan2.generator", "latent_dim": 16, "w_dim": 16, "resolution": 16,
              "channels": 1, "mapping_layers": 2, "channel_base": 256,
              "channel_max": 32}  # fmt: skip
    g = build(config)
    assert g.num_ws == 6 and g(torch.randn(2, 16)).shape == (2, 1, 16, 16)
    assert build(g.config).state_dict().keys() == g.state_dict().keys()
    ws = g.mapping(torch.randn(2, 16))
    mixed = torch.cat([ws[:1, :2], ws[1:, 2:]], dim=1)
    with torch.no_grad():
        assert not torch.allclose(g.synthesis(mixed), g.synthesis(ws[:1]))
        assert not torch.allclose(g.synthesis(mixed), g.synthesis(ws[1:]))
