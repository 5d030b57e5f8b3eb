"""Z, W and W+ views of a style-based generator, checked against the official outputs."""

from pathlib import Path

import numpy as np
import pytest
import torch

from latentkit.errors import LatentkitError
from latentkit.io.models import load_generator
from latentkit.nets.spaces import LatentSpace, check_layers, codes_meta
from latentkit.priors import draw_codes

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "stylegan2_ada"
UNCOND = FIXTURES / "tiny_uncond.safetensors"


@pytest.fixture(scope="module")
def io():
    return np.load(FIXTURES / "tiny_uncond_io.npz")


def images(view, codes) -> np.ndarray:
    with torch.no_grad():
        return view(torch.from_numpy(np.asarray(codes, np.float32))).numpy()


def test_every_space_renders_the_official_truncated_images(io):
    """ψ = 0.7 on every layer: z codes, untruncated w codes and truncated W+ codes all make
    the official img_psi07."""
    codes = {"z": io["z"], "w": io["w"][:, 0], "wp": io["ws_psi07"].reshape(6, -1)}
    for space, given in codes.items():
        view = load_generator(UNCOND, space=space, truncation=0.7)
        assert view.latent_dim == given.shape[1]
        assert np.abs(images(view, given) - io["img_psi07"]).max() < 1e-4, space
    plain = load_generator(UNCOND)  # no truncation: the official img
    assert np.abs(images(plain, io["z"]) - io["img"]).max() < 1e-4


def test_a_seed_makes_the_same_image_in_every_space():
    made = []
    for space in ("z", "w", "wp"):
        view = load_generator(UNCOND, space=space, truncation=0.5, truncation_layers=[0, 1, 2])
        made.append(images(view, draw_codes(view, 3, seed=7)))
    assert np.abs(made[0] - made[1]).max() < 1e-5 and np.abs(made[0] - made[2]).max() < 1e-5


def test_truncation_layers_only_move_those_layers():
    base = load_generator(UNCOND, space="wp")
    view = LatentSpace(base.generator, "wp", truncation=0.0, truncation_layers=[1, 3])
    ws = torch.from_numpy(draw_codes(base, 4, 0)).reshape(4, 8, -1)
    moved = view.truncate(ws)
    w_avg = base.generator.mapping.w_avg
    assert torch.allclose(moved[:, [1, 3]], w_avg.expand(4, 2, -1))
    assert torch.equal(moved[:, [0, 2, 4, 5, 6, 7]], ws[:, [0, 2, 4, 5, 6, 7]])


def test_banks_record_space_shape_and_truncation():
    view = load_generator(UNCOND, space="wp", truncation=0.7, truncation_layers=[0, 1])
    meta = codes_meta(view)
    assert meta["space"] == "wp" and meta["code_shape"] == [8, 32]
    assert meta["truncation"] == 0.7 and meta["truncation_layers"] == [0, 1]


def test_spaces_and_layers_are_checked():
    with pytest.raises(LatentkitError, match="only the z space"):
        load_generator("py:tests.factories:tiny_generator", space="w")
    with pytest.raises(LatentkitError, match="must not be negative"):
        load_generator(UNCOND, space="w", truncation=-0.5)
    with pytest.raises(LatentkitError, match=r"layer 8 is outside 0\.\.7"):
        load_generator(UNCOND, truncation=0.7, truncation_layers=[7, 8])
    with pytest.raises(LatentkitError, match="empty"):
        check_layers([], 8)
    conditional = load_generator(FIXTURES / "tiny_cond.safetensors", space="w", label="1")
    assert conditional.label == 1
