"""Latent-space measures: linear separability, attribute vectors as classifiers, path length."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch
from sklearn.metrics import roc_auc_score
from sklearn.svm import LinearSVC

from latentkit.errors import LatentkitError
from latentkit.latent.interpolate import default_method, lerp, slerp
from latentkit.priors import draw_codes


def _conditional_entropy_bits(predicted: np.ndarray, target: np.ndarray) -> float:
    """H(target | predicted) in bits for two binary labellings."""
    joint = np.array([[np.mean((predicted == a) & (target == b)) for b in (0, 1)] for a in (0, 1)])
    marginal = joint.sum(axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(joint > 0, joint * np.log2(marginal / joint), 0.0)
    return float(max(0.0, terms.sum()))


def linear_separability(
    codes: np.ndarray, scores: np.ndarray, thresholds: np.ndarray | None = None, keep: float = 0.5
) -> dict[str, float]:
    """StyleGAN's linear separability of attributes in latent space (Karras et al. 2019).

    Each attribute's label is ``score > threshold`` (0.5 for probabilities; the default is each
    column's median); the `keep` most confident share of codes (largest |score - threshold|) is
    kept; a ``LinearSVC()`` fitted on them classifies them; the score is 2 to the power of the
    summed conditional entropies H(label | SVM side) in bits: 1 when every attribute is linearly
    separable, larger when not."""
    codes, scores = np.asarray(codes, np.float64), np.asarray(scores, np.float64)
    if scores.ndim == 1:
        scores = scores[:, None]
    if len(codes) != len(scores):
        raise LatentkitError(f"{len(codes)} codes but {len(scores)} scores")
    thresholds = (
        np.median(scores, axis=0) if thresholds is None else np.asarray(thresholds, np.float64)
    )
    entropies = []
    for k in range(scores.shape[1]):
        confidence = np.abs(scores[:, k] - thresholds[k])
        kept = np.argsort(-confidence, kind="stable")[: max(2, int(len(codes) * keep))]
        labels = (scores[kept, k] > thresholds[k]).astype(int)
        if labels.min() == labels.max():
            predicted = labels  # one class: perfectly "separated", as StyleGAN assumes
        else:
            predicted = LinearSVC().fit(codes[kept], labels).predict(codes[kept])
        entropies.append(_conditional_entropy_bits(predicted, labels))
    return {"separability": float(2 ** np.sum(entropies)), "conditional_entropy_bits": entropies}


def direction_auc(codes: np.ndarray, labels: np.ndarray, normal: np.ndarray) -> dict[str, float]:
    """An attribute direction used as a classifier: ROC AUC of the projection z · n for binary
    labels, and the accuracy of its best threshold."""
    projection = np.asarray(codes, np.float64) @ np.asarray(normal, np.float64)
    labels = np.asarray(labels).astype(bool)
    if labels.all() or not labels.any():
        raise LatentkitError("the labels hold a single class")
    order = np.argsort(projection)
    positives_above = labels[order][::-1].cumsum()[::-1]  # positives at or above each cut
    negatives_below = np.r_[0, (~labels[order]).cumsum()[:-1]]
    accuracy = (positives_above + negatives_below).max() / len(labels)
    return {"auc": float(roc_auc_score(labels, projection)), "accuracy": float(accuracy)}


@torch.no_grad()
def path_length(
    generator: torch.nn.Module,
    features: Callable[[torch.Tensor], torch.Tensor],
    num_samples: int = 10000,
    epsilon: float = 1e-4,
    seed: int = 0,
    batch_size: int = 256,
    device: str | torch.device = "cpu",
) -> dict[str, float]:
    """Perceptual path length (Karras et al. 2019) in the generator's space with a domain
    feature network: for paths between seeded codes at t ~ U(0, 1) (slerp in a normal Z, lerp in
    W and W+, as the paper), the squared distance of the (unit-normalised) features of G(z_t)
    and G(z_{t+ε}) over ε², averaged over the 1st–99th percentile."""
    path = slerp if default_method(generator.prior) == "slerp" else lerp
    a = draw_codes(generator, num_samples, seed)
    b = draw_codes(generator, num_samples, seed + 1)
    t = np.random.default_rng(seed).uniform(0, 1, num_samples)
    distances = []
    for start in range(0, num_samples, batch_size):
        rows = range(start, min(start + batch_size, num_samples))
        z0 = np.stack([path(a[i], b[i], np.array([t[i]]))[0] for i in rows])
        z1 = np.stack([path(a[i], b[i], np.array([t[i] + epsilon]))[0] for i in rows])
        pair = torch.from_numpy(np.concatenate([z0, z1]).astype(np.float32)).to(device)
        f = features(generator(pair)).flatten(1).double()
        f = f / f.norm(dim=1, keepdim=True).clamp_min(1e-12)
        f0, f1 = f.chunk(2)
        distances.append(((f0 - f1) ** 2).sum(dim=1).cpu().numpy() / epsilon**2)
    d = np.concatenate(distances)
    low, high = np.percentile(d, [1, 99])
    return {"path_length": float(d[(d >= low) & (d <= high)].mean())}
