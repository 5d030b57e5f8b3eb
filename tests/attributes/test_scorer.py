import pytest
import torch

from latentkit.attributes.scorer import check_scores_shape, load_scorer
from latentkit.errors import LatentkitError
from tests.cli.analytic_models import PixelScorer


class Unnamed(torch.nn.Module):
    def forward(self, images):
        return images[:, 0, 0, :2]


def test_torchscript_scorer_names(tmp_path):
    torch.jit.script(PixelScorer()).save(str(tmp_path / "s.pt"))
    assert load_scorer(tmp_path / "s.pt").attribute_names == ["x", "y", "size"]
    torch.jit.script(Unnamed()).save(str(tmp_path / "u.pt"))
    with pytest.raises(LatentkitError, match="pass --attributes"):
        load_scorer(tmp_path / "u.pt")
    scorer = load_scorer(tmp_path / "u.pt", ["a", "b"])
    assert scorer.attribute_names == ["a", "b"]
    with pytest.raises(LatentkitError, match=r"expected \[3, 3\]"):
        check_scores_shape(torch.zeros(3, 2), load_scorer(tmp_path / "s.pt"), 3)


def test_analytic_and_unknown():
    assert load_scorer("analytic:digits").attribute_names[0] == "thickness"
    with pytest.raises(LatentkitError, match="unknown analytic scorer"):
        load_scorer("analytic:faces")
    with pytest.raises(LatentkitError, match="no such scorer file"):
        load_scorer("missing.pt")
