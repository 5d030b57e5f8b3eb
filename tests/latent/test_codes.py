import numpy as np
import pytest

from latentkit.errors import LatentkitError
from latentkit.latent.codes import codes_from_file, codes_from_seeds, parse_indices
from latentkit.priors import sample_codes


def test_parse_indices():
    assert parse_indices("0-3,7") == [0, 1, 2, 3, 7]
    with pytest.raises(LatentkitError, match="cannot read"):
        parse_indices("a-b")


def test_seed_codes_are_each_seeds_first_draw():
    codes = codes_from_seeds("normal", 4, [5, 9])
    assert np.array_equal(codes[1], sample_codes("normal", 1, 4, 9)[0])


def test_codes_file_checks_size(tmp_path):
    np.save(tmp_path / "c.npy", np.ones((3, 4)))
    assert codes_from_file(tmp_path / "c.npy", 4).shape == (3, 4)
    with pytest.raises(LatentkitError, match="do not fit latent size 5"):
        codes_from_file(tmp_path / "c.npy", 5)
