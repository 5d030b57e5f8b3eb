"""Sample quality without Inception: distances in the feature space of a domain network.

No Inception weights can be downloaded here, so the features come from a classifier latentkit
trained on the domain (an attribute predictor's last hidden layer). The numbers are therefore
comparable between models measured with the same feature network only; report them beside the
real-versus-real baseline (two disjoint real samples), the floor of each measure.
"""

from __future__ import annotations

import numpy as np
from scipy import linalg

from latentkit.errors import LatentkitError


def frechet_distance(a: np.ndarray, b: np.ndarray) -> float:
    """Fréchet distance between Gaussians fitted to features a [N, F] and b [M, F]:
    ‖μa − μb‖² + tr(Σa + Σb − 2 (Σa Σb)^½)."""
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    if a.shape[1] != b.shape[1] or len(a) < 2 or len(b) < 2:
        raise LatentkitError(f"feature sets of shapes {a.shape} and {b.shape} cannot be compared")
    mu_a, mu_b = a.mean(0), b.mean(0)
    cov_a, cov_b = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    root = linalg.sqrtm(cov_a @ cov_b)
    if not np.isfinite(root).all():  # a singular product: regularise as the FID reference does
        offset = np.eye(len(cov_a)) * 1e-6
        root = linalg.sqrtm((cov_a + offset) @ (cov_b + offset))
    return float(((mu_a - mu_b) ** 2).sum() + np.trace(cov_a + cov_b - 2 * root.real))


def unit_scale(reference: np.ndarray, *others: np.ndarray) -> list[np.ndarray]:
    """Feature sets divided by one factor that gives the reference set an average per-dimension
    variance of 1. KID's kernel (x·y / F + 1)³ assumes features of about unit scale (Inception's
    are); a domain classifier's pooled features can be far smaller, which would flatten the
    kernel to 1 and KID to 0. One global factor keeps every distance comparable."""
    reference = np.asarray(reference, np.float64)
    factor = float(np.sqrt(reference.var(axis=0).mean()))
    if not np.isfinite(factor) or factor == 0:
        raise LatentkitError("the reference features do not vary: no scale to set")
    return [reference / factor, *(np.asarray(o, np.float64) / factor for o in others)]


def kernel_distance(
    a: np.ndarray, b: np.ndarray, subsets: int = 100, subset_size: int = 1000, seed: int = 0
) -> dict[str, float]:
    """KID (Bińkowski et al. 2018): the unbiased MMD² with the polynomial kernel
    (x·y / F + 1)³, averaged over random subsets; returns its mean and standard deviation. When
    both sets are no larger than a subset, every subset would be the whole of both: KID is then
    computed once, on all of them, and its standard deviation is None (not measured)."""
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    m = min(subset_size, len(a), len(b))
    if m < 2:
        raise LatentkitError("KID needs at least two samples in each set")
    rng = np.random.default_rng(seed)
    dim = a.shape[1]
    whole = m == len(a) == len(b)
    values = []
    for _ in range(1 if whole else subsets):
        x, y = a[rng.choice(len(a), m, replace=False)], b[rng.choice(len(b), m, replace=False)]
        kxx, kyy, kxy = (
            ((x @ x.T) / dim + 1) ** 3,
            ((y @ y.T) / dim + 1) ** 3,
            ((x @ y.T) / dim + 1) ** 3,
        )
        values.append(
            (kxx.sum() - np.trace(kxx) + kyy.sum() - np.trace(kyy)) / (m * (m - 1)) - 2 * kxy.mean()
        )
    return {"kid": float(np.mean(values)), "kid_std": None if whole else float(np.std(values))}


def class_coverage(labels: np.ndarray, num_classes: int) -> dict[str, float]:
    """Mode coverage by a domain classifier's labels: how many classes appear, how evenly (the
    entropy of their frequencies over log(num_classes): 1 when balanced), each class's share,
    and the largest relative departure of a share from the uniform 1/num_classes."""
    counts = np.bincount(np.asarray(labels, np.int64), minlength=num_classes)[:num_classes]
    p = counts / max(counts.sum(), 1)
    nonzero = p[p > 0]
    balance = (
        float(-(nonzero * np.log(nonzero)).sum() / np.log(num_classes)) if num_classes > 1 else 1.0
    )
    return {
        "classes_covered": int((counts > 0).sum()),
        "balance": balance,
        "largest_class_share": float(p.max()),
        "shares": [float(x) for x in p],
        "largest_departure_from_uniform": float(np.abs(p * num_classes - 1).max()),
    }
