"""Scorers: models mapping images [N, C, H, W] in [-1, 1] to scores [N, k], with
``attribute_names`` (k strings).

A scorer spec is ``analytic:digits`` (see `latentkit.attributes.analytic`) or any model spec of
`latentkit.io.models.load_network`: a pretrained bundle's name, a run folder or latentkit file
holding a ``scorer`` (trained by ``latentkit train scorer``), a TorchScript file whose names come
from its ``attribute_names`` attribute or from `attributes`, or a ``py:`` factory.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from latentkit.attributes.analytic import DigitAttributes
from latentkit.errors import LatentkitError
from latentkit.io.models import load_network

log = logging.getLogger("latentkit")

ANALYTIC_PREFIX = "analytic:"
ANALYTIC = {"analytic:digits": DigitAttributes}


def load_scorer(
    spec: str | Path, attributes: list[str] | None = None, device: str | torch.device = "cpu"
) -> nn.Module:
    """Load a scorer (see the module docstring) in eval mode with its ``attribute_names``;
    `attributes` names (or renames) its outputs."""
    text = str(spec)
    if text.startswith(ANALYTIC_PREFIX):
        if text not in ANALYTIC:
            raise LatentkitError(f"unknown analytic scorer {text!r} (known: {', '.join(ANALYTIC)})")
        scorer = ANALYTIC[text]()
    else:
        scorer = load_network(text, "scorer", device, attribute_names=attributes)
    if attributes:
        scorer.attribute_names = list(attributes)
    if not list(getattr(scorer, "attribute_names", []) or []):
        raise LatentkitError(
            f"{text}: the scorer does not name its attributes; name them", ("attributes",)
        )
    scorer.attribute_names = list(scorer.attribute_names)
    scorer.source = text
    return scorer.to(device).eval()


class ScorerSet(nn.Module):
    """Several scorers as one: their scores side by side, their attribute names concatenated."""

    def __init__(self, scorers: list[nn.Module]):
        super().__init__()
        self.scorers = nn.ModuleList(scorers)
        self.attribute_names = [n for s in scorers for n in s.attribute_names]
        repeated = sorted({n for n in self.attribute_names if self.attribute_names.count(n) > 1})
        if repeated:
            raise LatentkitError(f"two scorers name the same attributes: {', '.join(repeated)}")
        self.source = " + ".join(getattr(s, "source", "scorer") for s in scorers)

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        parts = []
        for scorer in self.scorers:
            scores = scorer(images)
            check_scores_shape(scores, scorer, len(images))
            parts.append(scores.float())
        return torch.cat(parts, dim=1)


def load_scorers(
    specs: list[str] | tuple[str, ...],
    attributes: list[str] | None = None,
    device: str | torch.device = "cpu",
    images: tuple[int, int, int] | None = None,
) -> nn.Module:
    """One scorer, or several (each spec as in `load_scorer`) scoring side by side. `attributes`
    names a single scorer's outputs; with `images`, the (C, H, W) of the images they will
    score, each is paired with them (see `paired`)."""
    if attributes and len(specs) > 1:
        raise LatentkitError("attribute names fit the outputs of a single scorer", ("attributes",))
    scorers = [load_scorer(spec, attributes, device) for spec in specs]
    if images is not None:
        scorers = [paired(s, images, device) for s in scorers]
    return scorers[0] if len(scorers) == 1 else ScorerSet(scorers).eval()


def convert_images(images: torch.Tensor, shape: tuple[int, int, int]) -> torch.Tensor:
    """Images [N, C, H, W] in [-1, 1] at another (C, H, W): area resampling for the size;
    grey repeated to RGB, RGB to grey by luminance (ITU-R 601 weights)."""
    channels, height, width = shape
    if images.shape[1] != channels:
        if channels == 3:
            images = images.expand(-1, 3, -1, -1)
        else:
            weights = torch.tensor([0.299, 0.587, 0.114], device=images.device)
            images = (images * weights[None, :, None, None]).sum(1, keepdim=True)
    if tuple(images.shape[2:]) != (height, width):
        images = F.interpolate(images, size=(height, width), mode="area")
    return images


class Paired(nn.Module):
    """A scorer (or predictor) fed images converted to the (C, H, W) it reads."""

    def __init__(self, scorer: nn.Module, shape: tuple[int, int, int]):
        super().__init__()
        self.scorer, self.shape = scorer, tuple(shape)
        self.attribute_names = list(scorer.attribute_names)
        for name in ("heads", "config", "source"):
            if hasattr(scorer, name):
                setattr(self, name, getattr(scorer, name))

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        return self.scorer(convert_images(images, self.shape))

    def features(self, images: torch.Tensor) -> torch.Tensor:
        return self.scorer.features(convert_images(images, self.shape))


def input_shape(scorer: nn.Module) -> tuple[int, int, int] | None:
    """The (C, H, W) a latentkit predictor reads, from its config; None when it does not say."""
    config = getattr(scorer, "config", None)
    if isinstance(config, dict) and "resolution" in config and "channels" in config:
        return int(config["channels"]), int(config["resolution"]), int(config["resolution"])
    return None


@torch.no_grad()
def paired(
    scorer: nn.Module, images: tuple[int, int, int], device: str | torch.device = "cpu"
) -> nn.Module:
    """`scorer` ready for images of shape `images` (C, H, W): itself when it reads them; wrapped
    to convert them, with a one-line notice, when it declares another size or channel count (1
    and 3 convert into each other); refused in one line naming both shapes when it fails on
    them."""
    source = getattr(scorer, "source", "the scorer")
    wanted = input_shape(scorer)
    if wanted is not None and wanted != tuple(images):
        if {wanted[0], images[0]} - {1, 3}:
            raise LatentkitError(
                f"{source}: reads images of shape {wanted}, the generator makes {tuple(images)}"
            )
        log.info("%s: reads %s images; the generator's %s are converted", source, wanted, images)
        return Paired(scorer, wanted)
    try:
        scores = scorer(torch.zeros(2, *images, device=device))
    except Exception as exc:  # a foreign scorer can fail in any way; say so in one line
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise LatentkitError(
            f"{source}: cannot score the generator's images of shape {tuple(images)} ({first})"
        ) from None
    check_scores_shape(scores, scorer, 2)
    return scorer


def check_scores_shape(scores: torch.Tensor, scorer: nn.Module, n: int) -> None:
    """Refuse scorer output that is not [n, len(attribute_names)]."""
    k = len(scorer.attribute_names)
    if not isinstance(scores, torch.Tensor) or tuple(scores.shape) != (n, k):
        shape = tuple(scores.shape) if isinstance(scores, torch.Tensor) else type(scores).__name__
        raise LatentkitError(
            f"{getattr(scorer, 'source', 'the scorer')}: returned scores {shape}, expected "
            f"[{n}, {k}] for its attributes {', '.join(scorer.attribute_names)}",
            ("attributes",),
        )


@torch.no_grad()
def score_images(
    scorer: nn.Module,
    images: torch.Tensor,
    batch_size: int = 256,
    device: str | torch.device = "cpu",
) -> np.ndarray:
    """Scores [N, k] (float32, numpy) of images [N, C, H, W], scored in batches on `device`."""
    parts = []
    for chunk in images.split(batch_size):
        scores = scorer(chunk.to(device))
        check_scores_shape(scores, scorer, len(chunk))
        parts.append(scores.float().cpu().numpy())
    return np.concatenate(parts)


def class_groups(attribute_names: list[str]) -> dict[str, list[int]]:
    """The class heads among a scorer's attributes: names ``CLASS=VALUE`` sharing a ``CLASS``
    (two or more), as score columns whose argmax is the predicted class."""
    groups: dict[str, list[int]] = {}
    for i, name in enumerate(attribute_names):
        head, equals, _ = name.partition("=")
        if equals:
            groups.setdefault(head, []).append(i)
    return {head: columns for head, columns in groups.items() if len(columns) > 1}


def class_head(predictor: nn.Module) -> tuple[str, list[int]] | None:
    """(name, score columns) of a latentkit predictor's class head, or None without one."""
    head = next((h for h in getattr(predictor, "heads", []) if h["kind"] == "class"), None)
    if head is None:
        return None
    return head["name"], class_groups(list(predictor.attribute_names)).get(head["name"], [])


def predicted_classes(
    predictor: nn.Module, images: torch.Tensor, device: str | torch.device = "cpu"
) -> np.ndarray:
    """The class index [N] that a predictor's class head gives each image."""
    head = class_head(predictor)
    if head is None:
        source = getattr(predictor, "source", "the scorer")
        raise LatentkitError(f"{source}: a predictor with a class head is needed")
    return score_images(predictor, images, device=device)[:, head[1]].argmax(1)


def load_predictor(
    spec: str | Path,
    device: str | torch.device = "cpu",
    images: tuple[int, int, int] | None = None,
) -> nn.Module:
    """A latentkit attribute predictor, whose last hidden layer (``features``) serves as a
    feature space for quality, path length and label measures; with `images` (C, H, W), paired
    with them (see `paired`)."""
    net = load_scorers([spec], None, device, images)
    if not hasattr(net, "features"):
        raise LatentkitError(
            f"{spec}: feature measures need a predictor trained by latentkit (train scorer)"
        )
    return net
