"""Conditional directions: remove from a primal direction its component along conditions.

InterFaceGAN's ``project_boundary`` handles one or two conditions in closed form; here any number
are handled by least squares: the projected direction is the residual of the primal after its
best approximation by a combination of the conditions, scaled to unit length. For one or two
conditions it equals InterFaceGAN's result.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from latentkit.errors import LatentkitError
from latentkit.io.direction import Direction

COLLINEAR_COSINE = 0.95

CONDITIONED = "_c_"  # InterFaceGAN's naming: age_c_gender is age projected off gender


@dataclass
class Projection:
    """A projected direction with its diagnostics."""

    direction: np.ndarray  # unit [d], orthogonal to every condition
    cosine_to_primal: float  # cos(primal, projected)
    residual_dots: list[float]  # projected · condition_i, ~0
    condition_cosines: np.ndarray  # pairwise cosines of the conditions [m, m]
    warnings: list[str] = field(default_factory=list)


def unit(vector: np.ndarray) -> np.ndarray:
    """`vector` scaled to unit length (flattened)."""
    vector = np.asarray(vector, np.float64).ravel()
    norm = np.linalg.norm(vector)
    if norm == 0 or not np.isfinite(norm):
        raise LatentkitError("a direction has zero or non-finite length")
    return vector / norm


def project(primal: np.ndarray, conditions: list[np.ndarray]) -> Projection:
    """Project `primal` [d] against condition directions [d] each; see the module docstring."""
    p = unit(primal)
    if not conditions:
        return Projection(p, 1.0, [], np.zeros((0, 0)))
    c = np.stack([unit(v) for v in conditions], axis=1)
    if c.shape[0] != p.shape[0]:
        raise LatentkitError(
            f"conditions have size {c.shape[0]}, the primal direction {p.shape[0]}"
        )
    coefficients, *_ = np.linalg.lstsq(c, p, rcond=None)
    residual = p - c @ coefficients
    if np.linalg.norm(residual) < 1e-6:
        raise LatentkitError("the primal direction lies in the span of the conditions")
    direction = residual / np.linalg.norm(residual)
    cosines = c.T @ c
    warnings = [
        f"conditions {i} and {j} are nearly collinear (cosine {cosines[i, j]:.3f}): the "
        "projection is ill-conditioned"
        for i in range(len(conditions))
        for j in range(i + 1, len(conditions))
        if abs(cosines[i, j]) > COLLINEAR_COSINE
    ]
    return Projection(direction, float(direction @ p), (direction @ c).tolist(), cosines, warnings)


def condition_names(conditions: list[Direction]) -> list[str]:
    """The conditions' names for a direction's name, a class's one-vs-rest boundaries
    (``digit=0`` … ``digit=9``) shortened to ``digit=*``."""
    names = [o.name for o in conditions]
    heads = [n.partition("=")[0] for n in names if "=" in n]
    out: list[str] = []
    for name in names:
        head = name.partition("=")[0]
        short = f"{head}=*" if "=" in name and heads.count(head) > 1 else name
        if short not in out:
            out.append(short)
    return out


def project_direction(
    primal: Direction, conditions: list[Direction]
) -> tuple[Direction, Projection]:
    """`primal` conditioned on every direction of `conditions` (see `project`), as a Direction
    with its metadata (conditions, cosine to the primal, residual dots) and an intercept that
    keeps absolute edits centred where the primal's were: the new hyperplane passes through the
    primal's point nearest the origin, -b n, so b' = b (n · n')."""
    for other in conditions:
        spaces = {d.meta.get("space") for d in (primal, other)} - {None}
        if len(spaces) > 1:
            raise LatentkitError(
                f"{other.source or other.name}: a direction of the {other.meta['space']} space, "
                f"the primal's is {primal.meta['space']}"
            )
        if other.latent_dim != primal.latent_dim:
            raise LatentkitError(
                f"{other.source or other.name}: latent size {other.latent_dim}, the primal's is "
                f"{primal.latent_dim}"
            )
    result = project(primal.normal, [o.normal for o in conditions])
    meta = {
        **primal.meta,
        "method": f"{primal.meta.get('method', 'direction')}+projection",
        "conditions": [o.name for o in conditions],
        "primal": primal.source or primal.name,
        "cosine_to_primal": result.cosine_to_primal,
        "residual_dots": result.residual_dots,
        "name": f"{primal.name}{CONDITIONED}{'_'.join(condition_names(conditions))}",
    }
    return Direction(result.direction, primal.intercept * result.cosine_to_primal, meta), result
