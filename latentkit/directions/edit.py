"""Walking codes along a direction.

Two distance conventions:

* ``absolute`` (InterFaceGAN's ``linear_interpolate``): step t puts the code at signed distance
  t from the hyperplane ``z · n + b = 0``, whatever its start: z + (t - (z · n + b)) n.
* ``relative``: step t moves each code by t along n from its own position: z + t n.
"""

from __future__ import annotations

import numpy as np

from latentkit.errors import LatentkitError
from latentkit.io.direction import Direction

MODES = ("absolute", "relative")


def edit_codes(
    codes: np.ndarray,
    normal: np.ndarray,
    distances: np.ndarray,
    mode: str = "absolute",
    intercept: float = 0.0,
) -> np.ndarray:
    """Codes [N, d] walked along the unit `normal` [d] to each of `distances` [S]: [N, S, d]."""
    if mode not in MODES:
        raise LatentkitError(f"unknown edit mode {mode!r} (known: {', '.join(MODES)})")
    codes = np.asarray(codes, np.float64)
    normal = np.asarray(normal, np.float64)
    if codes.ndim != 2 or codes.shape[1] != normal.shape[0]:
        raise LatentkitError(
            f"codes {codes.shape} do not match a direction of size {normal.shape[0]}"
        )
    distances = np.asarray(distances, np.float64)
    offsets = np.broadcast_to(distances, (len(codes), len(distances))).copy()
    if mode == "absolute":
        offsets -= (codes @ normal + intercept)[:, None]
    return codes[:, None, :] + offsets[:, :, None] * normal[None, None, :]


def combine(directions: list[Direction]) -> Direction:
    """One direction walking along several at once: the unit sum of their normals. A single
    direction is returned as it is; a sum has no hyperplane of its own, so its intercept is 0."""
    if not directions:
        raise LatentkitError("no direction given")
    if len(directions) == 1:
        return directions[0]
    sizes = {d.latent_dim for d in directions}
    if len(sizes) > 1:
        raise LatentkitError(f"directions of different latent sizes: {sorted(sizes)}")
    names = [d.name for d in directions]
    return Direction(
        sum(d.normal for d in directions),
        0.0,
        {"name": "+".join(names), "method": "sum", "parts": names},
    )
