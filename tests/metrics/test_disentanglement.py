import numpy as np
import pytest

from latentkit.data.sprites import Sprites
from latentkit.errors import LatentkitError
from latentkit.metrics.disentanglement import (
    ArraySource,
    DatasetSource,
    beta_vae,
    dci,
    factor_vae,
    mig,
    modularity_explicitness,
    sap,
)

SIZES = (3, 6, 8, 8)


def factors(n, seed=0, sizes=SIZES):
    rng = np.random.default_rng(seed)
    return np.stack([rng.integers(0, s, n) for s in sizes], axis=1)


def aligned(f, seed=1, noise=0.02):
    """Codes equal to the factors (scaled to [0, 1]) plus small noise."""
    scaled = f / (np.array(f.max(0)) + 1e-9)
    return scaled + noise * np.random.default_rng(seed).normal(size=f.shape)


def rotated(codes, seed=2):
    q, _ = np.linalg.qr(np.random.default_rng(seed).normal(size=(codes.shape[1],) * 2))
    return codes @ q


def mixed(codes):
    """The last two codes replaced by their sum and difference: each of the two is then equally
    informative of both of the last two factors."""
    a, b = codes[:, -2], codes[:, -1]
    return np.concatenate([codes[:, :-2], np.stack([a + b, a - b], 1)], axis=1)


def test_mig_reaches_the_20_bin_ceiling_for_dsprites_factors_and_drops_when_rotated():
    f = factors(10000, sizes=(3, 6, 40, 32, 32))
    good = mig(aligned(f, noise=1e-4), f)["mig"]
    # 20 equal-width bins keep all of a 3- or 6-valued factor, log 20 of a 40-valued one, and
    # for 32 values 12 bins of two values and 8 of one: (0.75 log 16 + 0.25 log 32) / log 32.
    kept_32 = (0.75 * np.log(16) + 0.25 * np.log(32)) / np.log(32)
    ceiling = np.mean([1, 1, np.log(20) / np.log(40), kept_32, kept_32])
    assert ceiling == pytest.approx(0.9, abs=0.01)
    assert good == pytest.approx(ceiling, abs=0.02)  # less the plug-in bias of the runner-up
    assert mig(rotated(aligned(f)), f)["mig"] < 0.3


def test_dci_modes_agree_and_rank_alike():
    f_train, f_test = factors(2000, 0), factors(1000, 1)
    good = {
        m: dci(aligned(f_train), f_train, aligned(f_test, 3), f_test, mode=m)
        for m in ("gbt", "fast")
    }
    bad = {
        m: dci(rotated(aligned(f_train)), f_train, rotated(aligned(f_test, 3)), f_test, mode=m)
        for m in ("gbt", "fast")
    }
    for m in ("gbt", "fast"):
        assert good[m]["disentanglement"] > 0.9 and good[m]["completeness"] > 0.9
        assert good[m]["informativeness_test"] > 0.9
        assert bad[m]["disentanglement"] < good[m]["disentanglement"] - 0.3
    assert abs(good["gbt"]["disentanglement"] - good["fast"]["disentanglement"]) < 0.05
    assert abs(bad["gbt"]["disentanglement"] - bad["fast"]["disentanglement"]) < 0.1


def test_sap_gap_for_binary_factors():
    f_train, f_test = factors(2000, 0, (2, 2, 2)), factors(1000, 1, (2, 2, 2))
    score = sap(aligned(f_train), f_train, aligned(f_test, 3), f_test)["sap"]
    assert score == pytest.approx(0.5, abs=0.03)  # best code ~100%, the others at chance (50%)
    # Mixed: the sum and the difference each predict the last two factors at 75%: gaps of 0,
    # and the first factor keeps its 0.5: SAP = 0.5 / 3.
    mixed_score = sap(mixed(aligned(f_train)), f_train, mixed(aligned(f_test, 3)), f_test)["sap"]
    assert mixed_score == pytest.approx(0.5 / 3, abs=0.03)


def test_modularity_and_explicitness():
    f_train, f_test = factors(3000, 0), factors(1000, 1)
    good = modularity_explicitness(aligned(f_train), f_train, aligned(f_test, 3), f_test)
    assert good["modularity"] > 0.97 and good["explicitness_test"] > 0.95
    # Two codes informative of two factors each: modularity (1 + 1 + 2/3 + 2/3) / 4.
    half = modularity_explicitness(
        mixed(aligned(f_train)), f_train, mixed(aligned(f_test, 3)), f_test
    )
    assert half["modularity"] == pytest.approx(5 / 6, abs=0.03)


def test_explicitness_survives_a_class_missing_from_the_test_split():
    f_train, f_test = factors(1000, 0), factors(300, 1)
    keep = f_test[:, 3] != 7
    scores = modularity_explicitness(
        aligned(f_train), f_train, aligned(f_test[keep], 3), f_test[keep]
    )
    assert np.isfinite(scores["explicitness_test"])


def test_intervention_metrics_on_arrays_and_on_the_sprites():
    f = factors(5000)
    rng = np.random.default_rng(0)
    source = ArraySource(aligned(f), f)
    assert beta_vae(source, rng, num_train=300, num_eval=200)["eval_accuracy"] > 0.95
    scores = factor_vae(source, rng, num_train=300, num_eval=200, num_variance_estimate=1000)
    assert scores["eval_accuracy"] > 0.95 and scores["num_active_dims"] == 4
    shuffled = ArraySource(rng.normal(size=f.shape), f)  # codes unrelated to the factors
    assert factor_vae(shuffled, rng, num_train=300, num_eval=200)["eval_accuracy"] < 0.6
    # On the sprites: centre of mass and ink area reveal x, y and scale but not shape or
    # orientation, so beta-VAE accuracy lands between chance (0.2) and 1.
    score = beta_vae(
        DatasetSource(Sprites(32), moments), rng, batch_size=32, num_train=300, num_eval=200
    )["eval_accuracy"]
    assert 0.5 < score < 0.95


def moments(images):
    """Centre of mass (column, row) and ink area of each image [N, 1, H, W]."""
    ink = (images[:, 0].numpy() + 1) / 2
    rows, cols = np.indices(ink.shape[1:])
    area = ink.sum(axis=(1, 2))
    return np.stack([(ink * cols).sum((1, 2)) / area, (ink * rows).sum((1, 2)) / area, area], 1)


def test_pruned_dimensions_get_no_votes_and_are_not_counted():
    f = factors(3000)
    codes = np.concatenate([np.zeros((3000, 2)), aligned(f)], axis=1)  # two dead dimensions first
    scores = factor_vae(
        ArraySource(codes, f),
        np.random.default_rng(0),
        num_train=300,
        num_eval=200,
        num_variance_estimate=1000,
    )
    assert scores["num_active_dims"] == 4 and scores["eval_accuracy"] > 0.95


@pytest.mark.parametrize(
    ("codes", "f", "message"),
    [
        (np.zeros((5, 2)), np.zeros((4, 1), int), "5 rows but factors 4"),
        (np.zeros((4, 2)), np.array([[1], [1], [1], [1]]), "single value"),
        (np.full((4, 2), np.nan), np.array([[0], [1], [0], [1]]), "NaN"),
    ],
)
def test_bad_inputs(codes, f, message):
    with pytest.raises(LatentkitError, match=message):
        mig(codes, f)
