import pytest
import torch

from latentkit.attributes.scorer import (
    check_scores_shape,
    convert_images,
    load_scorer,
    load_scorers,
    paired,
)
from latentkit.errors import LatentkitError
from latentkit.nets.predictor import AttributePredictor
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


def test_images_convert_in_size_and_channels():
    grey = torch.arange(16.0).reshape(1, 1, 4, 4) / 16 - 0.5
    rgb = convert_images(grey, (3, 2, 2))
    assert torch.equal(rgb[:, 0], rgb[:, 2])
    # area resampling: each output pixel is the mean of its 2×2 block
    assert torch.allclose(rgb[0, 0], grey[0, 0].reshape(2, 2, 2, 2).mean((1, 3)))
    colours = torch.tensor([1.0, -1.0, 0.0])[None, :, None, None].expand(1, 3, 2, 2)
    assert torch.allclose(convert_images(colours, (1, 2, 2)), torch.full((1, 1, 2, 2), -0.288))


def test_a_predictor_reads_another_size_through_a_conversion(latentkit_log):
    torch.manual_seed(0)
    heads = [{"name": "digit", "kind": "class", "labels": [str(d) for d in range(10)]}]
    predictor = AttributePredictor(heads, resolution=32, channels=1, width=4).eval()
    predictor.source = "p.safetensors"
    for_64 = paired(predictor, (1, 64, 64))
    assert "reads (1, 32, 32) images; the generator's (1, 64, 64) are converted" in (
        latentkit_log.text
    )
    big = torch.rand(3, 1, 64, 64) * 2 - 1
    small = torch.nn.functional.avg_pool2d(big, 2)
    assert torch.allclose(for_64(big), predictor(small), atol=1e-6)
    assert torch.allclose(for_64.features(big), predictor.features(small), atol=1e-6)
    assert for_64.heads == predictor.heads and for_64.attribute_names == predictor.attribute_names
    assert paired(predictor, (1, 32, 32)) is predictor
    with pytest.raises(LatentkitError, match=r"reads images of shape \(1, 32, 32\), the generator "
                       r"makes \(2, 32, 32\)"):  # fmt: skip
        paired(predictor, (2, 32, 32))


class Flat(torch.nn.Module):
    """A scorer of 8×8 grey images only (a linear map of the 64 pixels)."""

    def __init__(self):
        super().__init__()
        self.linear, self.attribute_names, self.source = torch.nn.Linear(64, 2), ["a", "b"], "u.pt"

    def forward(self, images):
        return self.linear(images.flatten(1))


def test_a_scorer_that_cannot_read_the_images_is_refused_in_one_line():
    scorer = Flat()
    assert paired(scorer, (1, 8, 8)) is scorer
    with pytest.raises(LatentkitError, match=r"u.pt: cannot score the generator's images of shape "
                       r"\(1, 1, 1\)"):  # fmt: skip
        paired(scorer, (1, 1, 1))
