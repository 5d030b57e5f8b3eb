import pytest
import torch

from latentkit.attributes.scorer import check_scores_shape, load_scorer, load_scorers
from latentkit.errors import LatentkitError
from tests.cli.analytic_models import PixelScorer


class Unnamed(torch.nn.Module):
    def forward(self, images):
        return images[:, 0, 0, :2]


def test_torchscript_scorer_names(tmp_path):
    torch.jit.script(PixelScorer()).save(str(tmp_path / "s.pt"))
    assert load_scorer(tmp_path / "s.pt").attribute_names == ["x", "y", "size"]
    torch.jit.script(Unnamed()).save(str(tmp_path / "u.pt"))
    with pytest.raises(LatentkitError, match="does not name its attributes"):
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


def test_several_scorers_score_side_by_side(tmp_path):
    torch.jit.script(PixelScorer()).save(str(tmp_path / "s.pt"))
    both = load_scorers([tmp_path / "s.pt", "analytic:digits"])
    alone = [load_scorer(tmp_path / "s.pt"), load_scorer("analytic:digits")]
    assert both.attribute_names == alone[0].attribute_names + alone[1].attribute_names
    images = torch.rand(5, 1, 32, 32) * 2 - 1
    assert torch.equal(both(images), torch.cat([s(images) for s in alone], dim=1))
    with pytest.raises(LatentkitError, match="the same attributes: size, x, y"):
        load_scorers([tmp_path / "s.pt", tmp_path / "s.pt"])
    with pytest.raises(LatentkitError, match="a single scorer"):
        load_scorers([tmp_path / "s.pt", "analytic:digits"], ["a"])
