"""Walking codes along a direction.

Two distance conventions:

* ``absolute`` (InterFaceGAN's ``linear_interpolate``): step t puts the code at signed distance
  t from the hyperplane ``z · n + b = 0``, whatever its start: z + (t - (z · n + b)) n.
* ``relative``: step t moves each code by t along n from its own position: z + t n.
"""

from __future__ import annotations

import numpy as np

from latentkit.errors import LatentkitError

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
