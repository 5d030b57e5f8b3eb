import numpy as np
import pytest

from latentkit.errors import LatentkitError
from latentkit.io.bank import LatentBank
from latentkit.io.direction import Direction
from latentkit.reports import latent_report
from tests import analytic
from tests.reports.test_edits import generator


def test_true_directions_classify_their_attribute_and_random_ones_do_not(tmp_path):
    z = analytic.codes(4000, seed=1)
    bank = LatentBank(z, analytic.scores(z), analytic.NAMES, {}, "bank.npz")
    u = analytic.true_directions()
    random = np.random.default_rng(0).normal(size=analytic.DIM)
    directions = [
        Direction(u["x"], 0.0, {"attribute": "x", "name": "x"}),
        Direction(random, 0.0, {"attribute": "size", "name": "random"}),
    ]
    data = latent_report(generator(), bank, tmp_path / "r", directions=directions)
    assert data["directions"]["x"]["auc"] > 0.99
    assert abs(data["directions"]["random"]["auc"] - 0.5) < 0.2
    # Each attribute is a monotone function of one projection: all linearly separable.
    assert data["separability"] == pytest.approx(1.0, abs=0.05)
    missing = Direction(u["x"], 0.0, {"attribute": "age"})
    with pytest.raises(LatentkitError, match=r"'age' is not in bank\.npz"):
        latent_report(generator(), bank, tmp_path / "s", directions=[missing])
    assert not (tmp_path / "s").exists()
