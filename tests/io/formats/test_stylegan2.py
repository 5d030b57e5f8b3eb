import json
from pathlib import Path

import numpy as np
import pytest
import torch
from safetensors.torch import load_file, save_file

from latentkit.errors import LatentkitError
from latentkit.io.formats.stylegan2 import FORMAT, load_official
from latentkit.io.models import load_generator, load_network

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "stylegan2_ada"


def test_official_key_files_load_wherever_a_generator_is_taken():
    path = FIXTURES / "tiny_uncond.safetensors"
    g = load_network(path, "generator")
    io = np.load(FIXTURES / "tiny_uncond_io.npz")
    assert torch.allclose(g(torch.from_numpy(io["z"])), torch.from_numpy(io["img"]), atol=1e-4)
    # Its random weights make images far outside [-1, 1]; the convention of latentkit's own
    # architecture is known, so the probe's range guess does not refuse it.
    loaded = load_generator(path)
    with torch.no_grad():
        images = loaded(torch.from_numpy(io["z"]))
    assert images.min() < -3 and torch.allclose(images, torch.from_numpy(io["img"]), atol=1e-4)


def test_a_file_whose_weights_do_not_fit_is_refused_in_one_line(tmp_path):
    state = load_file(FIXTURES / "tiny_uncond.safetensors")
    config = {"z_dim": 32, "c_dim": 0, "w_dim": 32, "img_resolution": 32, "img_channels": 3,
              "mapping_kwargs": {"num_layers": 2},
              "synthesis_kwargs": {"channel_base": 512, "channel_max": 64}}  # fmt: skip
    del state["mapping.fc1.bias"]
    state["synthesis.b4.const"] = torch.zeros(2, 4, 4)
    save_file(state, tmp_path / "g.safetensors", {"format": FORMAT, "config": json.dumps(config)})
    with pytest.raises(LatentkitError, match=r"missing: mapping.fc1.bias; mis-shaped: "
                       r"synthesis.b4.const"):  # fmt: skip
        load_official(tmp_path / "g.safetensors")
    save_file(state, tmp_path / "h.safetensors", {"format": FORMAT, "config": "{}"})
    with pytest.raises(LatentkitError, match="configuration lacks or misstates 'z_dim'"):
        load_official(tmp_path / "h.safetensors")
