"""What an edit does: boundary cosines and the side-effect matrix.

The side-effect matrix holds, for each direction and each attribute, the slope of the attribute's
score per unit of distance walked along the direction (``relative`` edits from a set of codes,
least squares over the steps, averaged over codes). A clean direction moves its own attribute
and leaves the others flat. Slopes are also given standardised: divided by the attribute's
standard deviation over the starting codes, so attributes of different scales compare.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch
from torch import nn

from latentkit.attributes.scorer import check_scores_shape, class_groups
from latentkit.directions.edit import walk
from latentkit.io.direction import Direction


def cosine_matrix(normals: list[np.ndarray]) -> np.ndarray:
    """Pairwise cosines [D, D] of unit directions."""
    stacked = np.stack([n / np.linalg.norm(n) for n in normals])
    return stacked @ stacked.T


@torch.no_grad()
def score_codes(
    generator: nn.Module,
    scorer: nn.Module,
    codes: np.ndarray,
    batch_size: int = 256,
    device: str | torch.device = "cpu",
) -> np.ndarray:
    """Scores [N, k] of the images of codes [N, d]."""
    out = []
    for start in range(0, len(codes), batch_size):
        batch = torch.from_numpy(np.asarray(codes[start : start + batch_size], np.float32)).to(
            device
        )
        scores = scorer(generator(batch))
        check_scores_shape(scores, scorer, len(batch))
        out.append(scores.float().cpu().numpy())
    return np.concatenate(out)


def side_effects(
    generator: nn.Module,
    scorer: nn.Module,
    directions: list[Direction],
    codes: np.ndarray,
    distances: np.ndarray,
    batch_size: int = 256,
    device: str | torch.device = "cpu",
    layers: list[int] | None = None,
    walker: Callable[[np.ndarray, Direction, np.ndarray], np.ndarray] | None = None,
) -> dict[str, np.ndarray]:
    """What walking each direction does to the scorer's attributes, from `codes` (relative
    walks to `distances`; on W+ codes a W direction moves `layers`, see `walk`; `walker`
    (codes, direction, distances) -> [N, S, d] walks otherwise, e.g. keeping the class):

    * ``slopes`` [D, k] and ``standardised`` (÷ each attribute's std over the codes);
    * ``drift`` [D, S, k]: the mean absolute change of each attribute from its start value at
      each step, in standard deviations (a preservation curve: 0 keeps the attribute);
    * ``flip_rates`` {class head: [D, S]}: the fraction of codes whose predicted class differs
      from the start's at each step (identity kept: 0)."""
    distances = np.asarray(distances, np.float64)
    centred = distances - distances.mean()
    base = score_codes(generator, scorer, codes, batch_size, device)
    spread = base.std(axis=0)
    spread[spread == 0] = 1.0
    groups = class_groups(list(scorer.attribute_names))
    slopes, drift, flips = [], [], {head: [] for head in groups}
    for direction in directions:
        if walker is None:
            walked = walk(codes, direction, distances, "relative", generator, layers)
        else:
            walked = walker(codes, direction, distances)
        walked = walked.reshape(-1, codes.shape[1])
        scores = score_codes(generator, scorer, walked, batch_size, device)
        scores = scores.reshape(len(codes), len(distances), -1)
        slopes.append(np.einsum("s,nsk->k", centred, scores) / (len(codes) * centred @ centred))
        drift.append((np.abs(scores - base[:, None]) / spread).mean(axis=0))
        for head, columns in groups.items():
            start = base[:, columns].argmax(axis=1)
            flips[head].append((scores[:, :, columns].argmax(axis=2) != start[:, None]).mean(0))
    raw = np.stack(slopes)
    return {
        "slopes": raw,
        "standardised": raw / spread,
        "drift": np.stack(drift),
        "flip_rates": {head: np.stack(rates) for head, rates in flips.items()},
    }


def match_directions(
    normals: list[np.ndarray],
    slopes: np.ndarray,
    attributes: list[str],
    references: dict[str, np.ndarray],
) -> list[dict]:
    """For each direction, the attribute it moves most (largest |standardised slope| in the
    side-effect matrix `slopes` [directions, attributes]) and its cosine with that attribute's
    reference normal (an SVM boundary), signed so that positive means the direction raises the
    attribute the way the reference does. None when there is no reference for that attribute."""
    matches = []
    for normal, row in zip(normals, np.asarray(slopes), strict=True):
        best = int(np.argmax(np.abs(row)))
        name = attributes[best]
        reference = references.get(name)
        cosine = None
        if reference is not None:
            cosine = float(np.sign(row[best]) * normal @ reference / np.linalg.norm(reference))
        matches.append({"attribute": name, "slope": float(row[best]), "cosine_to_boundary": cosine})
    return matches
