import numpy as np
import pytest

from latentkit.metrics.modularity import modularity_explicitness
from tests.metrics.factor_codes import aligned, factors, mixed


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
