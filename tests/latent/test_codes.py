from types import SimpleNamespace

import numpy as np
import pytest

from latentkit.errors import LatentkitError
from latentkit.io.bank import LatentBank, save_bank
from latentkit.latent.codes import codes_from_file, codes_from_seeds, parse_indices
from latentkit.priors import sample_codes


def test_parse_indices():
    assert parse_indices("0-3,7") == [0, 1, 2, 3, 7]
    with pytest.raises(LatentkitError, match="cannot read"):
        parse_indices("a-b")


def test_seed_codes_are_each_seeds_first_draw():
    codes = codes_from_seeds(SimpleNamespace(prior="normal", latent_dim=4), [5, 9])
    assert np.array_equal(codes[1], sample_codes("normal", 1, 4, 9)[0])


def test_codes_file_checks_size_and_space(tmp_path):
    np.save(tmp_path / "c.npy", np.ones((3, 4)))
    four = SimpleNamespace(prior="normal", latent_dim=4)
    assert codes_from_file(tmp_path / "c.npy", four).shape == (3, 4)
    with pytest.raises(LatentkitError, match="do not fit the generator's z codes of size 5"):
        codes_from_file(tmp_path / "c.npy", SimpleNamespace(prior="normal", latent_dim=5))
    save_bank(tmp_path / "w.npz", LatentBank(np.ones((3, 4)), np.zeros((3, 0)), [], {"space": "w"}))
    with pytest.raises(LatentkitError, match="codes of the w space; the generator is read in z"):
        codes_from_file(tmp_path / "w.npz", four)


def test_w_plus_codes_load_as_interfacegan_saves_them(tmp_path):
    from latentkit.io.models import load_generator
    from tests.nets.test_spaces import UNCOND

    g = load_generator(UNCOND, space="wp")
    np.save(tmp_path / "wp.npy", np.ones((2, 8, 32), np.float32))
    assert codes_from_file(tmp_path / "wp.npy", g).shape == (2, 256)
