"""Edits that keep the class: walk a direction while a classifier keeps reading each code's
starting class.

InterFaceGAN conditions an edit by projecting its normal off fixed class boundaries; in a GAN's
z the class regions are not half-spaces, and a walk of two units along the conditioned
thickness direction of the MNIST bundle still changes the digit of one code in six. The keeping
walk projects the direction, at every small step, off the gradient of log p(start class | G(z))
and moves a unit step along what is left: to first order the classifier's belief in the starting
class stays where it was, while everything else the direction does is kept. Distances are arc
lengths in the code space, as a linear relative walk's are.
"""

from __future__ import annotations

import math

import numpy as np
import torch
from torch import nn

from latentkit.errors import LatentkitError

STEPS_PER_UNIT = 10


def class_columns(classifier: nn.Module) -> list[int]:
    """The score columns of a classifier's class head (``NAME=VALUE`` outputs)."""
    from latentkit.attributes.scorer import class_groups

    groups = class_groups(list(getattr(classifier, "attribute_names", [])))
    if len(groups) != 1:
        source = getattr(classifier, "source", "the classifier")
        raise LatentkitError(
            f"{source}: keeping the class needs a scorer with one class head, it has {len(groups)}"
        )
    return next(iter(groups.values()))


def _log_probability(classifier, columns, images, classes) -> torch.Tensor:
    """log p(class | image) of each image for its own class, from the class head's scores
    (probabilities, renormalised over the head)."""
    p = classifier(images)[:, columns]
    p = p / p.sum(dim=1, keepdim=True)
    return torch.log(p.gather(1, classes[:, None])[:, 0] + 1e-12)


def keeping_walk(
    codes: np.ndarray,
    normal: np.ndarray,
    distances: np.ndarray,
    generator: nn.Module,
    classifier: nn.Module,
    steps_per_unit: int = STEPS_PER_UNIT,
    batch_size: int = 256,
    device: str | torch.device = "cpu",
) -> np.ndarray:
    """Codes [N, d] walked along `normal` to each of `distances` [S] (relative, arc length)
    while `classifier` keeps reading each code's starting class: [N, S, d]. Each unit of
    distance takes `steps_per_unit` steps."""
    distances = np.asarray(distances, np.float64)
    columns = class_columns(classifier)
    n = torch.as_tensor(
        np.asarray(normal, np.float64) / np.linalg.norm(normal), dtype=torch.float32
    )
    n = n.to(device)
    out = np.empty((len(codes), len(distances), np.shape(codes)[1]))
    for first in range(0, len(codes), batch_size):
        z0 = torch.as_tensor(np.asarray(codes[first : first + batch_size]), dtype=torch.float32)
        z0 = z0.to(device)
        with torch.no_grad():
            classes = classifier(generator(z0))[:, columns].argmax(dim=1)
        for sign in (1.0, -1.0):
            chosen = [i for i, t in enumerate(distances) if (t > 0 if sign > 0 else t < 0)]
            chosen.sort(key=lambda i: abs(distances[i]))
            z, travelled = z0.clone(), 0.0
            for i in chosen:
                span = abs(distances[i]) - travelled
                count = max(1, math.ceil(span * steps_per_unit - 1e-9))
                for _ in range(count):
                    z = _step(z, sign * n, span / count, generator, classifier, columns, classes)
                travelled = abs(distances[i])
                out[first : first + len(z0), i] = z.detach().cpu().numpy()
        for i in np.flatnonzero(distances == 0):
            out[first : first + len(z0), i] = z0.cpu().numpy()
    return out


def _step(z, n, length, generator, classifier, columns, classes) -> torch.Tensor:
    """One step of `length` along n projected off ∇ log p(start class) of each code."""
    z = z.detach().requires_grad_(True)
    keep = _log_probability(classifier, columns, generator(z), classes)
    (grad,) = torch.autograd.grad(keep.sum(), z)  # codes are independent (eval-mode nets)
    g = grad / grad.norm(dim=1, keepdim=True).clamp_min(1e-12)
    v = n[None] - (g @ n)[:, None] * g
    v = v / v.norm(dim=1, keepdim=True).clamp_min(1e-12)
    return (z + length * v).detach()
