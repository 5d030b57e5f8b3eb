import json

import numpy as np
import pytest

from latentkit.errors import LatentkitError
from latentkit.io.direction import Direction
from latentkit.reports import edits_report
from tests import analytic
from tests.cli.analytic_models import PixelScorer, ProjectionGenerator


def generator():
    net = ProjectionGenerator()
    net.prior = "normal"
    return net


def directions(*names):
    u = analytic.true_directions()
    return [Direction(u[n], 0.0, {"name": n, "attribute": n}) for n in names]


def test_conditioning_removes_the_side_effect_of_a_correlated_direction(tmp_path):
    data = edits_report(generator(), PixelScorer(), directions("x", "y"), tmp_path / "r", count=500)
    plain = data["side_effects"]["slopes"]
    conditioned = data["conditioned"]["side_effects"]["slopes"]
    x, y = 0, 1
    assert data["cosines"][0, 1] == pytest.approx(analytic.COSINE)
    assert plain[0, y] > 0.3 * plain[0, x]  # walking x drags y along (cosine 0.6)
    assert abs(conditioned[0, y]) < 0.1 * abs(plain[0, y])
    assert conditioned[0, x] >= 0.8 * plain[0, x]
    assert data["conditioned"]["cosine_to_primal"][0] == pytest.approx(0.8)  # sqrt(1 - 0.6²)
    written = json.loads((tmp_path / "r/report.json").read_text())
    assert np.allclose(written["side_effects"]["slopes"], plain)
    assert {p.name for p in (tmp_path / "r").iterdir()} == {
        "report.json",
        "report.md",
        "cosines.png",
        "side_effects.png",
        "side_effects_conditioned.png",
    }


def test_the_same_seed_gives_the_same_report_and_a_failure_writes_nothing(tmp_path):
    first = edits_report(
        generator(), PixelScorer(), directions("x", "size"), tmp_path / "a", seed=3
    )
    again = edits_report(
        generator(), PixelScorer(), directions("x", "size"), tmp_path / "b", seed=3
    )
    assert (tmp_path / "a/report.json").read_bytes() == (tmp_path / "b/report.json").read_bytes()
    assert np.array_equal(first["side_effects"]["slopes"], again["side_effects"]["slopes"])
    # A direction in the span of the others cannot be conditioned on them: no report at all.
    x, y = directions("x", "y")
    both = Direction(x.normal + y.normal, 0.0, {"name": "x+y"})
    with pytest.raises(LatentkitError, match="span of the conditions"):
        edits_report(generator(), PixelScorer(), [x, y, both], tmp_path / "c")
    assert not (tmp_path / "c").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "b"]


def test_a_class_kept_walk_flips_no_class_and_keeps_the_rest_of_the_edit(tmp_path):
    from tests.directions.test_keep import Flat, SignClassifier

    normal = np.array([1.0, 1.0, 0.0]) / np.sqrt(2)
    data = edits_report(Flat(), SignClassifier(), [Direction(normal, 0.0, {"name": "d"})],
                        tmp_path / "r", count=200, distance=2.0,
                        keep_class=SignClassifier())  # fmt: skip
    plain = data["side_effects"]["flip_rates"]["side"][0]
    kept = data["class_kept"]["side_effects"]["flip_rates"]["side"][0]
    assert plain[0] > 0.3 and plain[-1] > 0.3 and np.all(kept == 0)
    x1 = data["attributes"].index("x1")
    assert data["side_effects"]["slopes"][0, x1] == pytest.approx(1 / np.sqrt(2), abs=1e-4)
    assert data["class_kept"]["side_effects"]["slopes"][0, x1] == pytest.approx(1.0, abs=1e-4)
    assert (tmp_path / "r/side_effects_class_kept.png").exists()
    assert "keeping the class it starts in" in (tmp_path / "r/report.md").read_text()
