import numpy as np
import pytest

from latentkit.errors import LatentkitError
from latentkit.latent.arithmetic import (
    arithmetic_grid,
    concept_vector,
    evaluate,
    jittered,
    on_shell,
    parse_expression,
    result_summary,
)


def test_expression_equals_mean_differences():
    rng = np.random.default_rng(0)
    exemplars = {name: rng.normal(size=(4, 6)) for name in ("smiling_woman", "woman", "man")}
    concepts = {n: concept_vector(c, n) for n, c in exemplars.items()}
    result = evaluate("smiling_woman - woman + man", concepts)
    expected = (
        exemplars["smiling_woman"].mean(0) - exemplars["woman"].mean(0) + exemplars["man"].mean(0)
    )
    assert np.allclose(result, expected)


def test_parse_and_errors():
    assert parse_expression("-A+B - C") == [(-1, "A"), (1, "B"), (-1, "C")]
    with pytest.raises(LatentkitError, match="cannot read"):
        parse_expression("A B")
    with pytest.raises(LatentkitError, match="at least 3"):
        concept_vector(np.zeros((2, 4)))
    with pytest.raises(LatentkitError, match="not among the concepts"):
        evaluate("A - Z", {"A": np.zeros(2)})


def test_dcgan_jitter_grid():
    code = np.arange(5.0)
    grid = jittered(code, np.random.default_rng(0))
    assert grid.shape == (9, 5) and np.array_equal(grid[0], code)
    assert np.abs(grid[1:] - code).max() <= 0.25


def test_gaussian_codes_go_back_to_the_shell_and_uniform_ones_stay():
    codes = np.array([[3.0, 4.0, 0.0, 0.0], [0.1, 0.0, 0.0, 0.0]])
    assert np.allclose(np.linalg.norm(on_shell(codes, "normal"), axis=1), 2.0)
    assert np.allclose(on_shell(codes, "normal")[0], [1.2, 1.6, 0, 0])
    assert np.array_equal(on_shell(codes, "uniform"), codes)


def test_a_scorer_reads_the_result_cells_and_each_concepts_mean():
    exemplars = {"a": np.eye(4)[:3] * 2, "b": np.eye(4)[1:4] * 2}
    grid = arithmetic_grid(exemplars, "a - b", "uniform", jitter=0.0)
    assert grid.width == 4 and grid.labels == ["a", "b", "a - b", "", ""]
    assert np.allclose(grid.result, [2 / 3, 0, 0, -2 / 3])
    known = ~np.isnan(grid.codes).any(axis=1)
    # a "scorer": class x=left when the first coordinate beats the last, and their difference
    codes = grid.codes[known]
    left = codes[:, 0] > codes[:, 3]
    scores = np.stack([left, ~left, codes[:, 0] - codes[:, 3]], axis=1).astype(float)
    summary = result_summary(scores, ["x=left", "x=right", "gap"], grid)
    assert summary["classes"] == {"x": {"left": 9}}
    gap = summary["attributes"]["gap"]
    assert gap["result"] == pytest.approx(4 / 3)
    assert (gap["a"], gap["b"]) == (pytest.approx(2 / 3), pytest.approx(-2 / 3))
