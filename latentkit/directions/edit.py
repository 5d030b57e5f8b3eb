"""Walking codes along a direction.

Two distance conventions:

* ``absolute`` (InterFaceGAN's ``linear_interpolate``): step t puts the code at signed distance
  t from the hyperplane ``z · n + b = 0``, whatever its start: z + (t - (z · n + b)) n.
* ``relative``: step t moves each code by t along n from its own position: z + t n.

A W direction walks W+ codes layer by layer: each chosen layer's w takes the step (InterFaceGAN's
W+ edit adds the same shift to every layer; GANSpace and SeFa choose a layer range).

An InfoGAN generator's categorical code is put back on its one-hot corners after the step
(`latentkit.priors.onto_support`): a shape direction then switches the category where the walk
crosses into another corner's region, instead of feeding the generator mixtures it never saw.
"""

from __future__ import annotations

import numpy as np

from latentkit.errors import LatentkitError
from latentkit.io.direction import Direction
from latentkit.nets.spaces import check_layers
from latentkit.priors import onto_support

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


def walk(
    codes: np.ndarray,
    direction: Direction,
    distances: np.ndarray,
    mode: str = "absolute",
    generator=None,
    layers: list[int] | None = None,
    in_sigmas: bool = False,
    on_support: bool = True,
) -> np.ndarray:
    """Codes [N, d] of the `generator`'s space walked along `direction` to each of `distances`
    [S]: [N, S, d]. On W+ codes a W direction moves the layers `layers` (else the direction's
    own ``layers``, else every layer), each as `edit_codes` moves a code. With `in_sigmas` the
    distances count standard deviations of the codes along the direction (GANSpace's σ, kept as
    ``std`` by principal directions). With `on_support`, an InfoGAN generator's categorical code
    is snapped to its nearest one-hot corner at every step."""
    if in_sigmas:
        if "std" not in direction.meta:
            raise LatentkitError(
                f"{direction.source or direction.name}: no standard deviation recorded (only "
                "principal directions keep one)",
                ("in_sigmas",),
            )
        distances = np.asarray(distances, np.float64) * float(direction.meta["std"])
    if getattr(generator, "space", "z") == "wp" and direction.latent_dim == generator.w_dim:
        chosen = (
            check_layers(layers, generator.num_ws)
            or direction.meta.get("layers")
            or list(range(generator.num_ws))
        )
        n, steps = len(codes), len(distances)
        ws = np.asarray(codes, np.float64).reshape(n, generator.num_ws, generator.w_dim)
        moved = edit_codes(
            ws[:, chosen].reshape(-1, generator.w_dim),
            direction.normal,
            distances,
            mode,
            direction.intercept,
        ).reshape(n, len(chosen), steps, generator.w_dim)
        out = np.repeat(ws[:, None], steps, axis=1)
        out[:, :, chosen] = moved.transpose(0, 2, 1, 3)
        return out.reshape(n, steps, -1)
    if layers:
        raise LatentkitError(
            "a layer range applies to W+ codes (space wp) walked along a W direction", ("layers",)
        )
    walked = edit_codes(codes, direction.normal, distances, mode, direction.intercept)
    if not on_support or generator is None:
        return walked
    return onto_support(generator.prior, walked)


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
