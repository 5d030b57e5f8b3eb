import pytest

from latentkit.metrics.sap import sap
from tests.metrics.factor_codes import aligned, factors, mixed


def test_sap_gap_for_binary_factors():
    f_train, f_test = factors(2000, 0, (2, 2, 2)), factors(1000, 1, (2, 2, 2))
    score = sap(aligned(f_train), f_train, aligned(f_test, 3), f_test)["sap"]
    assert score == pytest.approx(0.5, abs=0.03)  # best code ~100%, the others at chance (50%)
    # Mixed: the sum and the difference each predict the last two factors at 75%: gaps of 0,
    # and the first factor keeps its 0.5: SAP = 0.5 / 3.
    mixed_score = sap(mixed(aligned(f_train)), f_train, mixed(aligned(f_test, 3)), f_test)["sap"]
    assert mixed_score == pytest.approx(0.5 / 3, abs=0.03)
