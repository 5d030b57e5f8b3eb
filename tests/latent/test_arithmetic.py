import numpy as np
import pytest

from latentkit.errors import LatentkitError
from latentkit.latent.arithmetic import concept_vector, evaluate, jittered, parse_expression


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
