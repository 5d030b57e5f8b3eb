import pytest
import torch

from latentkit.nets import build
from latentkit.nets.predictor import AttributePredictor

HEADS = [
    {"name": "shape", "kind": "class", "labels": ["a", "b", "c"]},
    {"name": "smile", "kind": "binary", "threshold": 0.0},
    {"name": "scale", "kind": "value", "mean": 5.0, "scale": 2.0},
    {"name": "turn", "kind": "angle"},
]


def test_scores_and_names():
    model = AttributePredictor(HEADS, resolution=32, width=4).eval()
    assert model.attribute_names == [
        "shape=a",
        "shape=b",
        "shape=c",
        "smile",
        "scale",
        "turn_sin",
        "turn_cos",
    ]
    scores = model(torch.randn(5, 1, 32, 32))
    assert scores.shape == (5, 7)
    assert torch.allclose(scores[:, :3].sum(1), torch.ones(5))
    assert ((scores[:, 3] > 0) & (scores[:, 3] < 1)).all()
    raw = model(torch.randn(5, 1, 32, 32), raw=True)
    assert [p.shape[1] for p in model.split(raw)] == [3, 1, 1, 2]
    assert torch.allclose(scores[:, 5:].norm(dim=1), torch.ones(5))


def test_value_heads_undo_the_standardisation():
    model = AttributePredictor(HEADS, resolution=32, width=4).eval()
    x = torch.randn(2, 1, 32, 32)
    assert torch.allclose(model(x)[:, 4], model.split(model(x, raw=True))[2][:, 0] * 2 + 5)


def test_rebuilds_from_config_and_refuses_unknown_kinds():
    model = AttributePredictor(HEADS, width=4)
    assert build(model.config).attribute_names == model.attribute_names
    with pytest.raises(ValueError, match="head kind"):
        AttributePredictor([{"name": "x", "kind": "ordinal"}])
