from pathlib import Path

import numpy as np
import pytest

from latentkit.errors import LatentkitError
from latentkit.io.models import load_generator
from latentkit.latent.mixing import mix_styles

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "stylegan2_ada"


def test_mixing_reproduces_the_official_style_mix():
    """Row i of the official ws_mix keeps code i's first two ws and takes the rest from code
    i+1: the diagonal of the grid of destinations × sources."""
    io = np.load(FIXTURES / "tiny_uncond_io.npz")
    g = load_generator(FIXTURES / "tiny_uncond.safetensors")
    sources = io["z"][[1, 2, 3, 4, 5, 0]]
    grid = mix_styles(g, io["z"], sources, list(range(2, 8))).numpy()
    diagonal = grid[[i * 6 + i for i in range(6)]]
    assert np.abs(diagonal - io["img_mix"]).max() < 1e-4
    # all layers from the source: the source's own image
    whole = mix_styles(g, io["z"][:1], io["z"][1:2], list(range(8))).numpy()
    assert np.abs(whole[0] - io["img"][1]).max() < 1e-4


def test_mixing_needs_a_mapping_network():
    g = load_generator("py:tests.factories:tiny_generator")
    with pytest.raises(LatentkitError, match="mapping network"):
        mix_styles(g, np.zeros((1, g.latent_dim)), np.zeros((1, g.latent_dim)), [0])
