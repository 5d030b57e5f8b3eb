"""Principal directions: PCA of codes, and GANSpace (Härkönen et al., 2020).

GANSpace for a generator with an isotropic z: sample codes, record an early layer's activations
y, take their principal components, and regress each code's principal coordinates back onto z.
The direction of component k is the least-squares map from its coordinate to z (the column of U
in z ≈ U x, x the principal coordinates), normalised.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from latentkit.directions.sefa import fix_signs
from latentkit.errors import LatentkitError
from latentkit.priors import draw_codes


def principal_components(data: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The top `k` principal axes of rows of `data` [k, D] and their explained variances."""
    data = np.asarray(data, np.float64)
    if data.ndim != 2 or len(data) < 2:
        raise LatentkitError(f"PCA needs a matrix of at least two rows, not {data.shape}")
    if not np.isfinite(data).all():
        raise LatentkitError("PCA input holds NaN or infinite values")
    if k < 1 or k > min(data.shape):
        raise LatentkitError(f"k must lie in 1..{min(data.shape)}, not {k}")
    centred = data - data.mean(axis=0)
    _, singular, axes = np.linalg.svd(centred, full_matrices=False)
    return fix_signs(axes[:k]), singular[:k] ** 2 / (len(data) - 1)


def pca_directions(codes: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Principal directions [k, d] of codes themselves (for example an encoder's codes of real
    images, or a bank's codes selected by a query), with their variances."""
    return principal_components(codes, k)


@torch.no_grad()
def layer_activations(
    generator: nn.Module, layer: str, codes: np.ndarray, batch_size: int = 256, device="cpu"
) -> np.ndarray:
    """Flattened outputs [N, F] of the named submodule for `codes`."""
    modules = dict(generator.named_modules())
    if layer not in modules:
        known = ", ".join(n for n in modules if n)
        raise LatentkitError(f"the generator has no layer {layer!r} (layers: {known})")
    captured: list[torch.Tensor] = []
    hook = modules[layer].register_forward_hook(lambda m, i, o: captured.append(o.flatten(1)))
    try:
        for start in range(0, len(codes), batch_size):
            generator(torch.from_numpy(codes[start : start + batch_size]).float().to(device))
    finally:
        hook.remove()
    return torch.cat(captured).double().cpu().numpy()


def ganspace(
    generator: nn.Module,
    layer: str,
    k: int = 10,
    n: int = 20000,
    seed: int = 0,
    device="cpu",
) -> tuple[np.ndarray, np.ndarray]:
    """GANSpace directions [k, d] in z from PCA of `layer`'s activations on `n` seeded codes,
    with the variances of the components in feature space."""
    codes = draw_codes(generator, n, seed)
    features = layer_activations(generator, layer, codes, device=device)
    axes, variances = principal_components(features, k)
    coordinates = (features - features.mean(axis=0)) @ axes.T  # [n, k]
    centred = codes - codes.mean(axis=0)
    mapping, *_ = np.linalg.lstsq(coordinates, centred, rcond=None)  # z ≈ x U^T: [k, d]
    directions = mapping / np.linalg.norm(mapping, axis=1, keepdims=True)
    return fix_signs(directions), variances
