import numpy as np

from latentkit.metrics.factor_vae import factor_vae
from tests.metrics.factor_codes import aligned, factors


def test_factor_vae_votes_for_aligned_codes_and_not_for_unrelated_ones():
    f = factors(5000)
    scores = factor_vae(aligned(f), f, num_train=300, num_eval=200, num_variance_estimate=1000)
    assert scores["eval_accuracy"] > 0.95 and scores["num_active_dims"] == 4
    shuffled = np.random.default_rng(0).normal(size=f.shape)  # codes unrelated to the factors
    assert factor_vae(shuffled, f, num_train=300, num_eval=200)["eval_accuracy"] < 0.6


def test_pruned_dimensions_get_no_votes_and_are_not_counted():
    f = factors(3000)
    codes = np.concatenate([np.zeros((3000, 2)), aligned(f)], axis=1)  # two dead dimensions first
    scores = factor_vae(
        codes,
        f,
        num_train=300,
        num_eval=200,
        num_variance_estimate=1000,
    )
    assert scores["num_active_dims"] == 4 and scores["eval_accuracy"] > 0.95
