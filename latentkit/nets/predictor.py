"""Attribute predictors: a convolutional body with one output head per attribute.

Head kinds and their scores (what ``forward`` returns, one column each, named in
``attribute_names``):

* ``class``: softmax probabilities, one column per label, named ``attribute=label``;
* ``binary``: the probability of the attribute (sigmoid), named ``attribute``;
* ``value``: a regression in the attribute's own units (targets are standardised in training,
  with the mean and scale stored in the model), named ``attribute``;
* ``angle``: sine and cosine of an angle, named ``attribute_sin`` and ``attribute_cos``.
"""

from __future__ import annotations

import torch
from torch import nn

from latentkit.nets import register
from latentkit.nets.dcgan import _down_body
from latentkit.nets.layers import dcgan_init

HEAD_KINDS = ("class", "binary", "value", "angle")


def head_width(head: dict) -> int:
    """Raw outputs of a head: labels for a class head, 2 for an angle, else 1."""
    return len(head["labels"]) if head["kind"] == "class" else 2 if head["kind"] == "angle" else 1


def head_names(head: dict) -> list[str]:
    """The score names a head produces."""
    name = head["name"]
    if head["kind"] == "class":
        return [f"{name}={label}" for label in head["labels"]]
    if head["kind"] == "angle":
        return [f"{name}_sin", f"{name}_cos"]
    return [name]


@register("predictor.cnn")
class AttributePredictor(nn.Module):
    """Images [N, C, R, R] in [-1, 1] -> scores [N, k] (see the module docstring).

    `heads` is a list of ``{"name", "kind", "labels"?, "mean"?, "scale"?}``. `norm` is the body's
    normalisation: ``batch`` (trained scorers ship with their statistics recomputed for the final
    weights) or ``layer`` (no statistics at all)."""

    def __init__(
        self,
        heads: list,
        resolution: int = 32,
        channels: int = 1,
        width: int = 32,
        norm: str = "batch",
    ):
        super().__init__()
        for head in heads:
            if head["kind"] not in HEAD_KINDS:
                raise ValueError(f"head kind must be one of {HEAD_KINDS}, not {head['kind']!r}")
        self.heads = [dict(h) for h in heads]
        self.attribute_names = [n for h in self.heads for n in head_names(h)]
        self.body, c = _down_body(resolution, channels, width, norm)
        self.out = nn.Linear(c * 16, sum(head_width(h) for h in self.heads))
        dcgan_init(self)

    def split(self, raw: torch.Tensor) -> list[torch.Tensor]:
        """Outputs [N, total] (raw or scores: the widths are the same) -> one tensor per head."""
        return list(raw.split([head_width(h) for h in self.heads], dim=1))

    def features(self, images: torch.Tensor) -> torch.Tensor:
        """The last hidden layer, average-pooled over space (as Inception's pool3) [N, C]: the
        domain feature space of the quality measures."""
        return self.body(images).mean(dim=(2, 3))

    def forward(self, images: torch.Tensor, raw: bool = False) -> torch.Tensor:
        """Scores [N, k]; with ``raw=True`` the heads' raw outputs (logits, standardised values,
        unnormalised sine and cosine), concatenated, for training."""
        out = self.out(self.body(images).flatten(1))
        if raw:
            return out
        scores = []
        for head, part in zip(self.heads, self.split(out), strict=True):
            kind = head["kind"]
            if kind == "class":
                scores.append(part.softmax(dim=1))
            elif kind == "binary":
                scores.append(part.sigmoid())
            elif kind == "value":
                scores.append(part * head.get("scale", 1.0) + head.get("mean", 0.0))
            else:
                scores.append(nn.functional.normalize(part, dim=1))
        return torch.cat(scores, dim=1)
