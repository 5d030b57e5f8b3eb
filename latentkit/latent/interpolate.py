"""Interpolation between codes: lerp, slerp, chains through several codes, analogy grids."""

from __future__ import annotations

import numpy as np

from latentkit.errors import LatentkitError

METHODS = ("slerp", "lerp")


def default_method(prior: str) -> str:
    """slerp for codes of a Gaussian prior (whose mass is on a shell), lerp otherwise (uniform
    codes, and W and W+, as StyleGAN interpolates them)."""
    return "slerp" if prior in ("normal", "sphere") else "lerp"


def lerp(a: np.ndarray, b: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Linear interpolation of codes a, b [d] at fractions t [S]: [S, d]."""
    t = np.asarray(t, np.float64)[:, None]
    return (1 - t) * a[None] + t * b[None]


def slerp(a: np.ndarray, b: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Spherical interpolation (White 2016) of codes a, b [d] at fractions t [S]: [S, d].

    The angle is taken between the codes' directions and the norm interpolated linearly, so a
    path between two typical Gaussian codes stays on the shell where the prior's mass is, where
    lerp cuts through the low-norm interior."""
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    t = np.asarray(t, np.float64)[:, None]
    na, nb = np.linalg.norm(a), np.linalg.norm(b)
    if na == 0 or nb == 0:
        return lerp(a, b, t[:, 0])
    cos = np.clip(a @ b / (na * nb), -1.0, 1.0)
    omega = np.arccos(cos)
    if omega < 1e-7:
        return lerp(a, b, t[:, 0])
    s = np.sin(omega)
    ua, ub = a / na, b / nb
    direction = np.sin((1 - t) * omega) / s * ua + np.sin(t * omega) / s * ub
    return direction * ((1 - t) * na + t * nb)


def chain(points: np.ndarray, steps: int, method: str = "slerp") -> np.ndarray:
    """A path through codes points [P, d], `steps` codes per segment (ends included once):
    [(P - 1) * (steps - 1) + 1, d]."""
    if method not in METHODS:
        raise LatentkitError(f"unknown interpolation {method!r} (known: {', '.join(METHODS)})")
    if len(points) < 2 or steps < 2:
        raise LatentkitError("an interpolation needs at least 2 codes and 2 steps")
    step = slerp if method == "slerp" else lerp
    t = np.linspace(0, 1, steps)
    segments = [step(points[i], points[i + 1], t)[:-1] for i in range(len(points) - 1)]
    return np.concatenate([*segments, np.asarray(points[-1:], np.float64)])


def analogy_grid(a: np.ndarray, b: np.ndarray, c: np.ndarray, size: int) -> np.ndarray:
    """The J-diagram of White (2016): a size×size grid [size, size, d] whose corners are A (top
    left), B (top right), C (bottom left) and B + C - A (bottom right); cell (i, j) is
    A + u (B - A) + v (C - A) with u = j / (size - 1), v = i / (size - 1)."""
    if size < 2:
        raise LatentkitError("an analogy grid needs size >= 2")
    u = np.linspace(0, 1, size)
    return a + u[None, :, None] * (b - a) + u[:, None, None] * (c - a)
