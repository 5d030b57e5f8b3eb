from latentkit.metrics.dci import dci
from tests.metrics.factor_codes import aligned, factors, rotated


def test_dci_modes_agree_and_rank_alike():
    f_train, f_test = factors(700, 0), factors(350, 1)
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
