import numpy as np

from latentkit.metrics.dci import dci
from latentkit.metrics.disentanglement import ArraySource, evaluate_all
from latentkit.metrics.factors import sample_points
from latentkit.metrics.mig import mig
from tests.metrics.factor_codes import aligned, factors, rotated


def test_evaluate_all_runs_each_metric_on_one_seeded_draw():
    f = factors(4000)
    source = ArraySource(aligned(f), f)
    results = evaluate_all(source, seed=3, num_train=250, num_test=120)
    assert set(results) == {
        "beta_vae",
        "factor_vae",
        "mig",
        "sap",
        "dci",
        "modularity_explicitness",
    }
    rng = np.random.default_rng(3)  # the draw evaluate_all makes first
    train, test = sample_points(source, 250, rng), sample_points(source, 120, rng)
    assert results["mig"]["mig"] == mig(*train)["mig"]
    assert results["dci"]["disentanglement"] == dci(*train, *test, seed=3)["disentanglement"]
    assert results["dci"]["disentanglement"] > 0.9 and results["beta_vae"]["eval_accuracy"] > 0.9
    worse = evaluate_all(ArraySource(rotated(aligned(f)), f), seed=3, num_train=250, num_test=120)
    assert worse["mig"]["mig"] < results["mig"]["mig"] - 0.3
