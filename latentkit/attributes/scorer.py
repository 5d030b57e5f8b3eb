"""Loading scorers: models mapping images [N, C, H, W] in [-1, 1] to scores [N, k], with
``attribute_names`` (k strings).

A scorer spec is ``analytic:digits`` (see `latentkit.attributes.analytic`), a pretrained bundle's
name, a latentkit file holding a ``scorer`` (trained by ``latentkit train scorer``), or a
TorchScript file whose names come from its ``attribute_names`` attribute or from `attributes`.
"""

from __future__ import annotations

from pathlib import Path

import torch
from torch import nn

from latentkit.attributes.analytic import DigitAttributes
from latentkit.errors import LatentkitError
from latentkit.io.bundles import resolve_model
from latentkit.io.checkpoint import sniff
from latentkit.io.models import ScriptedModel, load_model, load_torchscript

ANALYTIC = {"analytic:digits": DigitAttributes}


def load_scorer(
    spec: str | Path, attributes: list[str] | None = None, device: str | torch.device = "cpu"
) -> nn.Module:
    """Load a scorer (see the module docstring) in eval mode with its ``attribute_names``."""
    text = str(spec)
    if text.startswith("analytic:"):
        if text not in ANALYTIC:
            raise LatentkitError(f"unknown analytic scorer {text!r} (known: {', '.join(ANALYTIC)})")
        scorer = ANALYTIC[text]()
    else:
        path = Path(resolve_model(text, "scorer"))
        if not path.is_file():
            raise LatentkitError(f"{path}: no such scorer file")
        if sniff(path) == "torchscript":
            module = load_torchscript(path)
            names = attributes or list(getattr(module, "attribute_names", []) or [])
            if not names:
                raise LatentkitError(
                    f"{path}: the scorer does not name its attributes; pass --attributes"
                )
            scorer = ScriptedModel(module, attribute_names=list(names))
        else:
            scorer = load_model(path, "scorer")
    if attributes and list(attributes) != list(scorer.attribute_names):
        scorer.attribute_names = list(attributes)
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
) -> nn.Module:
    """One scorer, or several (each spec as in `load_scorer`) scoring side by side. `attributes`
    names a single scorer's outputs."""
    if len(specs) == 1:
        return load_scorer(specs[0], attributes, device)
    if attributes:
        raise LatentkitError("--attributes names the outputs of a single --scorer")
    return ScorerSet([load_scorer(spec, None, device) for spec in specs]).eval()


def check_scores_shape(scores: torch.Tensor, scorer: nn.Module, n: int) -> None:
    """Refuse scorer output that is not [n, len(attribute_names)]."""
    k = len(scorer.attribute_names)
    if not isinstance(scores, torch.Tensor) or tuple(scores.shape) != (n, k):
        shape = tuple(scores.shape) if isinstance(scores, torch.Tensor) else type(scores).__name__
        raise LatentkitError(
            f"{getattr(scorer, 'source', 'the scorer')}: returned scores {shape}, expected "
            f"[{n}, {k}] for its attributes {', '.join(scorer.attribute_names)} (--attributes)"
        )
