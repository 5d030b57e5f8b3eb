"""A procedural dSprites-style dataset with exact ground-truth factors.

Geometry (all in canvas units, the image being the square [0, 1]², x to the right, y downward):

* factors and their values, as dSprites: ``shape`` {square, ellipse, heart}; ``scale``: 6 values
  linspace(0.5, 1); ``orientation``: 40 values linspace(0, 2π) (so, as in dSprites, the first and
  last angles coincide, and symmetric shapes repeat); ``x`` and ``y``: 32 values linspace(0, 1).
* the sprite's centre is at (0.2 + 0.6·x, 0.2 + 0.6·y): x moves it right, y moves it down.
* shapes are drawn in a local frame of unit ``0.15·scale``: square, half-side 0.8; ellipse,
  semi-axes 1 (along the orientation) and 0.5; heart, the curve (u²+v²−1)³ = u²v³ rescaled so
  its bounding box is centred with half-extent 1, point up at orientation 0. No shape reaches
  beyond 1.14 local units, so every sprite stays inside the canvas.
* ``orientation`` θ rotates the local frame by θ counter-clockwise as seen on screen.
* 64 px images are binary (a pixel is on when its centre is inside the shape), as dSprites;
  32 px images average 2×2 blocks of the 64 px rendering, so they are anti-aliased.

It offers disentanglement_lib's ground-truth interface: ``factors_num_values``,
``sample_factors(n, rng)`` and ``sample_observations_from_factors(factors, rng)``.
"""

from __future__ import annotations

import numpy as np
import torch

from latentkit.data.base import ImageSet

SHAPES = ("square", "ellipse", "heart")
FACTOR_NAMES = ("shape", "scale", "orientation", "x", "y")
FACTOR_VALUES = (
    np.arange(3, dtype=np.float64),
    np.linspace(0.5, 1.0, 6),
    np.linspace(0.0, 2 * np.pi, 40),
    np.linspace(0.0, 1.0, 32),
    np.linspace(0.0, 1.0, 32),
)
UNIT = 0.15
MARGIN = 0.2
_HEART_HALF = 1.139  # half-extent of the implicit heart's bounding box
_HEART_SHIFT = 0.118  # centre of its vertical extent [-1, 1.236]
_RENDER = 64
_CHUNK = 512
_REACH = 1.14 * UNIT  # no shape's pixel lies farther than this from its centre (scale ≤ 1)
_WINDOW = int(np.ceil(2 * _REACH * _RENDER)) + 2  # pixels a sprite's window spans


def _inside(shape: np.ndarray, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Whether local points (u right, v down) lie inside each sprite's shape; each sprite's own
    shape only is evaluated."""
    inside = np.empty(u.shape, bool)
    for kind in np.unique(shape):
        rows = shape == kind
        su, sv = u[rows], v[rows]
        if kind == 0:
            inside[rows] = np.maximum(np.abs(su), np.abs(sv)) <= 0.8
        elif kind == 1:
            inside[rows] = su**2 + (sv / 0.5) ** 2 <= 1.0
        else:
            hu = su * _HEART_HALF
            hv = -sv * _HEART_HALF + _HEART_SHIFT
            inside[rows] = (hu**2 + hv**2 - 1) ** 3 - hu**2 * hv**3 <= 0
    return inside


def render(factors: np.ndarray, resolution: int = 64) -> np.ndarray:
    """Render sprites from integer factor classes [n, 5] to uint8 [n, resolution, resolution].

    Only the window of pixels around each sprite that its shape can reach is tested (no shape
    reaches beyond `_REACH` of its centre); every pixel outside it is off."""
    factors = np.asarray(factors)
    out = np.empty((len(factors), resolution, resolution), np.uint8)
    offsets = np.arange(_WINDOW)
    for start in range(0, len(factors), _CHUNK):
        f = factors[start : start + _CHUNK]
        scale = FACTOR_VALUES[1][f[:, 1]][:, None, None] * UNIT
        theta = FACTOR_VALUES[2][f[:, 2]][:, None, None]
        cx = MARGIN + (1 - 2 * MARGIN) * FACTOR_VALUES[3][f[:, 3]]
        cy = MARGIN + (1 - 2 * MARGIN) * FACTOR_VALUES[4][f[:, 4]]
        # The window's first pixel: the last one whose centre lies left of (above) the reach.
        left = np.floor((cx - _REACH) * _RENDER - 0.5).astype(int)
        top = np.floor((cy - _REACH) * _RENDER - 0.5).astype(int)
        cols = left[:, None] + offsets  # [n, W] pixel indices
        rows = top[:, None] + offsets
        dx = ((cols + 0.5) / _RENDER - cx[:, None])[:, None, :]
        dy = ((rows + 0.5) / _RENDER - cy[:, None])[:, :, None]
        # Screen y points down, so a counter-clockwise turn on screen is -theta in (x, y).
        cos, sin = np.cos(theta), np.sin(theta)
        u = (cos * dx - sin * dy) / scale
        v = (sin * dx + cos * dy) / scale
        mask = np.zeros((len(f), _RENDER, _RENDER), np.float32)
        sprite = np.arange(len(f))[:, None, None]
        mask[sprite, rows[:, :, None], cols[:, None, :]] = _inside(f[:, 0], u, v)
        if resolution != _RENDER:
            k = _RENDER // resolution
            mask = mask.reshape(len(f), resolution, k, resolution, k).mean(axis=(2, 4))
        out[start : start + len(f)] = np.round(mask * 255).astype(np.uint8)
    return out


class Sprites(ImageSet):
    """All 737,280 sprites (3 shapes × 6 scales × 40 orientations × 32 × 32 positions), rendered
    on demand. Index i enumerates factors in mixed radix, the last factor (y) fastest."""

    factor_names = FACTOR_NAMES
    factors_num_values = tuple(len(v) for v in FACTOR_VALUES)
    num_factors = len(FACTOR_NAMES)
    class_attribute = "shape"
    angle_attributes = ("orientation",)

    def __init__(self, resolution: int = 64):
        if resolution not in (32, 64):
            raise ValueError(f"sprites render at 32 or 64 px, not {resolution}")
        self.name = "sprites"
        self.channels = 1
        self.resolution = resolution
        self.attribute_names = list(FACTOR_NAMES)

    def __len__(self) -> int:
        return int(np.prod(self.factors_num_values))

    def class_labels(self) -> list[str]:
        return list(SHAPES)

    def index_to_factors(self, index: np.ndarray) -> np.ndarray:
        """Integer factor classes [n, 5] of flat indices."""
        return np.stack(np.unravel_index(np.asarray(index), self.factors_num_values), axis=1)

    def factors_to_index(self, factors: np.ndarray) -> np.ndarray:
        """Flat indices of integer factor classes [n, 5]."""
        return np.ravel_multi_index(tuple(np.asarray(factors).T), self.factors_num_values)

    def factor_values(self, factors: np.ndarray) -> np.ndarray:
        """Real values [n, 5] (shape index, scale, radians, x, y) of integer factor classes."""
        factors = np.asarray(factors)
        return np.stack([FACTOR_VALUES[k][factors[:, k]] for k in range(5)], axis=1)

    def sample_factors(self, num: int, random_state: np.random.Generator) -> np.ndarray:
        """Uniformly random integer factor classes [num, 5]."""
        return np.stack([random_state.integers(0, n, num) for n in self.factors_num_values], 1)

    def sample_observations_from_factors(
        self, factors: np.ndarray, random_state: np.random.Generator | None = None
    ) -> torch.Tensor:
        """Images [n, 1, R, R] in [-1, 1] of the given factors (the rendering is deterministic;
        `random_state` is accepted for the ground-truth interface)."""
        pixels = torch.from_numpy(render(factors, self.resolution))[:, None]
        return pixels.float().div_(127.5).sub_(1.0)

    def images(self, index: np.ndarray) -> torch.Tensor:
        return self.sample_observations_from_factors(self.index_to_factors(index))

    def attributes(self, index: np.ndarray) -> np.ndarray:
        return self.factor_values(self.index_to_factors(index)).astype(np.float32)
