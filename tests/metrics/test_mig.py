import numpy as np
import pytest

from latentkit.metrics.mig import mig
from tests.metrics.factor_codes import aligned, factors, rotated


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
