"""The mutual information gap (Chen et al. 2018)."""

from __future__ import annotations

import numpy as np

from latentkit.errors import LatentkitError
from latentkit.metrics.factors import (
    check_codes_factors,
    discretize,
    entropies,
    mutual_information,
)


def mig(codes: np.ndarray, factors: np.ndarray, num_bins: int = 20) -> dict[str, float]:
    """Chen et al.'s mutual information gap: per factor, the gap between the two code
    dimensions most informative of it, over the factor's entropy; averaged over factors."""
    codes, factors = check_codes_factors(codes, factors)
    if codes.shape[1] < 2:
        raise LatentkitError("MIG needs at least two code dimensions")
    mi = np.sort(mutual_information(discretize(codes, num_bins), factors), axis=0)
    return {"mig": float(np.mean((mi[-1] - mi[-2]) / entropies(factors)))}
