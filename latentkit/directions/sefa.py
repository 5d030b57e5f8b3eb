"""SeFa (Shen & Zhou, 2021): closed-form factorisation of the latent space.

The first layer that reads z is an affine map y = A z + b. The directions that change y the most
are the unit vectors maximising ‖A n‖², the eigenvectors of AᵀA with the largest eigenvalues.
For a DCGAN's first transposed convolution (weight [d, C, 4, 4] on a 1×1 input) A is that weight
reshaped to [C·16, d]ᵀ; for a linear layer it is the weight [out, d].

In a style-based generator the layers that read w are the style affines (modulation weights): A
stacks those of the chosen W+ layers, each output's row unit-normalised as SeFa's code does, and
the directions live in W and act on those layers. SeFa's code returns the eigenvectors unsorted;
here they are sorted by eigenvalue.
"""

from __future__ import annotations

import numpy as np
from torch import nn

from latentkit.errors import LatentkitError
from latentkit.nets.spaces import check_layers, has_mapping


def first_layer_weight(generator: nn.Module) -> np.ndarray:
    """A [features, d]: the weight of the first Linear or ConvTranspose2d that reads z (its
    first d inputs: a class-conditional generator appends the one-hot class after z)."""
    d = int(generator.latent_dim)
    for module in generator.modules():
        if isinstance(module, nn.Linear) and module.in_features >= d:
            return module.weight.detach().cpu().double()[:, :d].numpy()
        if isinstance(module, nn.ConvTranspose2d) and module.in_channels >= d:
            weight = module.weight.detach().cpu().double()[:d]  # [d, C, k, k]
            return weight.reshape(d, -1).T.numpy()
    raise LatentkitError(
        f"SeFa needs a generator whose first layer is a Linear or ConvTranspose2d reading the "
        f"{d}-dimensional code (TorchScript generators expose no layers)"
    )


def sefa_directions(weight: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The top `k` eigenvectors of AᵀA [k, d] (unit rows, sign fixed so that the largest
    coordinate is positive) and their eigenvalues, largest first."""
    weight = np.asarray(weight, np.float64)
    if k < 1 or k > weight.shape[1]:
        raise LatentkitError(f"k must lie in 1..{weight.shape[1]}, not {k}")
    values, vectors = np.linalg.eigh(weight.T @ weight)
    order = np.argsort(values)[::-1][:k]
    return fix_signs(vectors[:, order].T), values[order]


def fix_signs(rows: np.ndarray) -> np.ndarray:
    """Each row flipped so that its largest-magnitude coordinate is positive (a convention:
    eigenvectors and principal components are defined up to sign)."""
    largest = rows[np.arange(len(rows)), np.abs(rows).argmax(axis=1)]
    return rows * np.where(largest < 0, -1.0, 1.0)[:, None]


def modulation_weight(generator: nn.Module, layers: list[int] | None = None) -> np.ndarray:
    """A [Σ channels, w_dim]: the style affines' weights of a style-based generator that read
    the W+ layers `layers` (None: every layer), each row unit-normalised."""
    base = getattr(generator, "generator", generator)
    chosen = check_layers(layers, int(base.num_ws)) or list(range(base.num_ws))
    rows = [
        (affine.weight * affine.weight_gain).detach().cpu().double().numpy()
        for index, affine in base.synthesis.affines()
        if index in chosen
    ]
    weight = np.concatenate(rows)
    return weight / np.linalg.norm(weight, axis=1, keepdims=True)


def sefa(
    generator: nn.Module, k: int = 10, layers: list[int] | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """SeFa directions [k, d] of a generator, with their eigenvalues: in W from the modulation
    weights of `layers` for a style-based generator, else in z from the first layer."""
    if has_mapping(getattr(generator, "generator", generator)):
        return sefa_directions(modulation_weight(generator, layers), k)
    if layers is not None:
        raise LatentkitError("layers apply to a style-based generator's W+ layers", ("layers",))
    return sefa_directions(first_layer_weight(generator), k)
