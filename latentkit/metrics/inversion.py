"""How well an encoder inverts a generator."""

from __future__ import annotations

import numpy as np
import torch

from latentkit.attributes.scorer import predicted_classes
from latentkit.latent.encode import encode_images
from latentkit.latent.invert import invert
from latentkit.latent.sample import generate
from latentkit.nets import build
from latentkit.priors import draw_codes


def jacobian_spectrum(
    generator: torch.nn.Module, n: int = 16, seed: int = 0, device: str | torch.device = "cpu"
) -> dict[str, float]:
    """How many directions of z the generator uses, which bounds what any encoder can recover:
    the singular values of dG/dz at `n` seeded codes, averaged; their effective rank
    (Σσ)² / Σσ² and how many exceed 1% of the largest."""
    generator.eval()
    z = torch.from_numpy(draw_codes(generator, n, seed)).to(device)
    try:  # forward mode: one pass per code coordinate, far fewer than the pixels
        jacobian = torch.func.vmap(torch.func.jacfwd(lambda c: generator(c[None]).flatten()))(z)
    except RuntimeError:  # a generator torch.func cannot trace (TorchScript): reverse mode.
        # Samples are independent (eval mode), so the Jacobian of the batch sum holds each one's.
        jacobian = torch.autograd.functional.jacobian(
            lambda codes: generator(codes).flatten(1).sum(0), z, vectorize=True
        ).permute(1, 0, 2)
    values = torch.linalg.svdvals(jacobian.detach()).mean(0).double().cpu()
    return {
        "effective_rank": float(values.sum() ** 2 / (values**2).sum()),
        "above_1_percent": int((values > 0.01 * values[0]).sum()),
    }


@torch.no_grad()
def z_recovery(
    generator: torch.nn.Module,
    encoder: torch.nn.Module,
    n: int = 2000,
    seed: int = 0,
    batch_size: int = 256,
    device: str | torch.device = "cpu",
) -> dict[str, float]:
    """E(G(z)) against z on seeded codes: R² (1 − residual / total variance, pooled over
    dimensions), mean squared error and mean cosine."""
    encoder.eval()
    z = draw_codes(generator, n, seed)
    images = generate(generator, z, batch_size, device)
    estimate = encode_images(encoder, images, batch_size, device).astype(np.float64)
    residual = ((estimate - z) ** 2).sum()
    total = ((z - z.mean(0)) ** 2).sum()
    cosine = (estimate * z).sum(1) / (
        np.linalg.norm(estimate, axis=1) * np.linalg.norm(z, axis=1) + 1e-12
    )
    return {
        "r2": float(1 - residual / total),
        "mse": float(((estimate - z) ** 2).mean()),
        "cosine": float(cosine.mean()),
    }


def reconstruction_error(
    images: torch.Tensor, reconstructions: torch.Tensor, seed: int = 0
) -> dict[str, float]:
    """Mean squared error of reconstructions, beside the shuffled-pair baseline (each
    reconstruction against another image), and their ratio."""
    mse = float((reconstructions - images).pow(2).mean())
    shift = np.random.default_rng(seed).integers(1, len(images)) if len(images) > 1 else 0
    shuffled = float((reconstructions - images.roll(int(shift), dims=0)).pow(2).mean())
    return {
        "mse": mse,
        "shuffled_mse": shuffled,
        "ratio": mse / shuffled if shuffled > 0 else float("nan"),
    }


def probe_accuracy(codes: np.ndarray, labels: np.ndarray, seed: int = 0) -> dict[str, float]:
    """1-NN and logistic-regression (linear probe) accuracy of codes for labels, trained on a
    seeded half and tested on the other half."""
    order = np.random.default_rng(seed).permutation(len(codes))
    train, test = order[: len(codes) // 2], order[len(codes) // 2 :]
    return probe_split(codes[train], labels[train], codes[test], labels[test])


def probe_split(
    train_codes: np.ndarray,
    train_labels: np.ndarray,
    test_codes: np.ndarray,
    test_labels: np.ndarray,
) -> dict[str, float]:
    """1-NN and linear-probe accuracy on `test_codes` of probes fitted to `train_codes` (codes
    standardised by the training set's statistics)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.neighbors import KNeighborsClassifier

    mean, std = train_codes.mean(0), train_codes.std(0) + 1e-8
    x_train, x_test = (train_codes - mean) / std, (test_codes - mean) / std
    knn = KNeighborsClassifier(1).fit(x_train, train_labels).score(x_test, test_labels)
    linear = LogisticRegression(max_iter=2000).fit(x_train, train_labels).score(x_test, test_labels)
    return {"nn1": float(knn), "linear": float(linear)}


def label_agreement(
    classifier: torch.nn.Module,
    images: torch.Tensor,
    labels: np.ndarray,
    device: str | torch.device = "cpu",
) -> float:
    """Share of images that a latentkit predictor's class head assigns to `labels`."""
    return float((predicted_classes(classifier, images, device=device) == labels).mean())


def measure_inversion(
    generator: torch.nn.Module,
    encoder: torch.nn.Module,
    images: torch.Tensor,
    labels: np.ndarray | None = None,
    classifier: torch.nn.Module | None = None,
    refine_steps: int = 0,
    seed: int = 0,
    device: str | torch.device = "cpu",
) -> tuple[dict, dict[str, torch.Tensor]]:
    """Every inversion figure for real `images`: z recovery on generated codes beside the rank of
    G's Jacobian; per route (``encoder``, and ``refined`` with `refine_steps`) the reconstruction
    error beside the shuffled-pair baseline and, with a `classifier` and `labels`, label
    preservation; with `labels`, 1-NN and linear probes of E(x) beside the same probes of the raw
    pixels and of a randomly initialised encoder of the same architecture (latentkit encoders).
    Returns (results, reconstructions per route)."""
    results: dict = {
        "z_recovery": z_recovery(generator, encoder, seed=seed, device=device),
        "generator_jacobian": jacobian_spectrum(generator, seed=seed, device=device),
    }
    reconstructions = {}
    routes = [("encoder", 0), *([("refined", refine_steps)] if refine_steps else [])]
    for name, steps in routes:
        codes = invert(generator, encoder, images.to(device), steps)
        recon = generate(generator, codes.cpu().numpy(), device=device)
        results[name] = reconstruction_error(images, recon, seed)
        if classifier is not None and labels is not None:
            results[name]["label_preservation"] = label_agreement(
                classifier, recon, labels, device=device
            )
        reconstructions[name] = recon
    if labels is not None:
        results["probe"] = probe_accuracy(
            encode_images(encoder, images, device=device), labels, seed
        )
        results["probe_pixels"] = probe_accuracy(images.flatten(1).numpy(), labels, seed)
        if hasattr(encoder, "config"):
            torch.manual_seed(seed)
            random_encoder = build(encoder.config).to(device)
            results["probe_random_encoder"] = probe_accuracy(
                encode_images(random_encoder, images, device=device), labels, seed
            )
    return results, reconstructions
