import numpy as np
import pytest
import torch

from latentkit.errors import LatentkitError
from latentkit.priors import latent_names, sample_codes, sample_prior
from latentkit.seeds import torch_generator


def test_priors_draw_from_their_support():
    a = sample_prior("normal", 5, 3, torch_generator(7))
    assert torch.equal(a, sample_prior("normal", 5, 3, torch_generator(7)))
    u = sample_prior("uniform", 1000, 3, torch_generator(7))
    assert u.min() >= -1 and u.max() <= 1
    with pytest.raises(LatentkitError, match="unknown prior"):
        sample_prior("laplace", 1, 1, torch_generator(0))


def test_infogan_prior_is_noise_then_one_hot_then_uniform():
    z = sample_prior("infogan:3:2", 500, 8, torch_generator(1))
    one_hot = z[:, 3:6]
    assert torch.equal(one_hot.sum(1), torch.ones(500))
    assert set(one_hot.argmax(1).tolist()) == {0, 1, 2}
    assert z[:, 6:].abs().max() <= 1
    assert latent_names("infogan:3:2", 8) == ["z0", "z1", "z2", "cat0", "cat1", "cat2", "c0", "c1"]


def test_truncation_bounds_codes_and_seed_fixes_them():
    z = sample_codes("normal", 2000, 8, seed=1, truncation=1.0)
    assert np.abs(z).max() <= 1.0 and z.dtype == np.float32
    assert np.array_equal(z, sample_codes("normal", 2000, 8, seed=1, truncation=1.0))
    with pytest.raises(LatentkitError, match="truncation"):
        sample_codes("uniform", 2, 2, 0, truncation=1.0)
    with pytest.raises(LatentkitError, match="positive"):
        sample_codes("normal", 0, 2, 0)


def test_onto_support_snaps_only_the_categorical_block_to_its_largest_entry():
    from latentkit.priors import onto_support

    codes = np.array([[5.0, 0.2, 0.5, 0.3, -3.0], [-1.0, 0.9, -2.0, 0.95, 2.0]])
    snapped = onto_support("infogan:3:1", codes)
    assert np.array_equal(snapped[:, 1:4], [[0, 1, 0], [0, 0, 1]])
    assert np.array_equal(snapped[:, [0, 4]], codes[:, [0, 4]])  # noise and codes as they were
    assert onto_support("normal", codes) is codes
    assert onto_support("infogan:0:2", codes) is codes
