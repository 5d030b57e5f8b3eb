"""Vector arithmetic on latent codes: concept vectors as means of exemplar codes, as DCGAN
(Radford et al. 2016, three exemplars per concept) and White (2016, attribute vectors: the mean
over every code that has the attribute) make them, and expressions such as A − B + C over them.

A mean of many Gaussian codes lies far inside the shell where the prior's mass is (radius ≈ √d),
where the generator has never been; for a Gaussian prior the concept means, the result and its
jittered copies are put back on that shell (`on_shell`) before they are drawn.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from latentkit.errors import LatentkitError
from latentkit.latent.codes import CodeRequest, codes_from_seeds, load_codes, parse_indices
from latentkit.latent.interpolate import default_method

MIN_EXEMPLARS = 3
_TOKEN = re.compile(r"\s*([+-])?\s*([A-Za-z_][A-Za-z0-9_]*)")


def concept_vector(codes: np.ndarray, name: str = "concept") -> np.ndarray:
    """The mean of a concept's exemplar codes [n, d] (n >= 3: single codes are unstable)."""
    codes = np.asarray(codes, np.float64)
    if codes.ndim != 2 or len(codes) < MIN_EXEMPLARS:
        raise LatentkitError(
            f"concept {name!r} needs at least {MIN_EXEMPLARS} exemplar codes, got "
            f"{0 if codes.ndim != 2 else len(codes)}"
        )
    return codes.mean(axis=0)


def on_shell(codes: np.ndarray, prior: str) -> np.ndarray:
    """Codes [n, d] rescaled to norm √d when `prior` is Gaussian (``normal``, ``sphere``), the
    radius around which its codes concentrate; other priors' codes are returned unchanged."""
    codes = np.asarray(codes, np.float64)
    if default_method(prior) != "slerp":
        return codes
    norms = np.linalg.norm(codes, axis=-1, keepdims=True)
    return codes / np.maximum(norms, 1e-12) * np.sqrt(codes.shape[-1])


def parse_expression(expression: str) -> list[tuple[int, str]]:
    """``"A - B + C"`` -> [(+1, "A"), (-1, "B"), (+1, "C")]."""
    terms, position = [], 0
    while position < len(expression.rstrip()):
        match = _TOKEN.match(expression, position)
        if not match or (terms and match.group(1) is None):
            raise LatentkitError(
                f"cannot read the expression {expression!r} at position {position}"
            )
        terms.append((-1 if match.group(1) == "-" else 1, match.group(2)))
        position = match.end()
    if not terms:
        raise LatentkitError("the expression is empty")
    return terms


def evaluate(expression: str, concepts: dict[str, np.ndarray]) -> np.ndarray:
    """The code of an expression over named concept vectors."""
    total = None
    for sign, name in parse_expression(expression):
        if name not in concepts:
            raise LatentkitError(
                f"the expression names {name!r}, which is not among the concepts "
                f"({', '.join(sorted(concepts))})"
            )
        total = sign * concepts[name] if total is None else total + sign * concepts[name]
    return total


def jittered(
    code: np.ndarray, rng: np.random.Generator, count: int = 9, scale: float = 0.25
) -> np.ndarray:
    """DCGAN's grid of a result: the code itself first, then count - 1 copies with uniform
    noise in ±scale added: [count, d]."""
    noise = rng.uniform(-scale, scale, (count - 1, code.shape[0]))
    return np.concatenate([code[None], code[None] + noise])


_CONDITION = re.compile(r"^\s*(.+?)\s*(>=|<=|==|>|<)\s*([-+]?[\d.]+(?:[eE][-+]?\d+)?)\s*$")
_OPERATORS = {
    ">": np.greater,
    "<": np.less,
    ">=": np.greater_equal,
    "<=": np.less_equal,
    "==": np.equal,
}


def select(bank, query: str) -> np.ndarray:
    """Indices of a bank's codes whose scores satisfy a query such as
    ``"thickness > 3.5 & slant < 0"`` (conditions joined by ``&``)."""
    keep = np.ones(len(bank.z), bool)
    for part in query.split("&"):
        match = _CONDITION.match(part)
        if not match:
            raise LatentkitError(
                f"cannot read the condition {part.strip()!r} (like: thickness > 3.5)"
            )
        name, operator, value = match.groups()
        keep &= _OPERATORS[operator](bank.score(name), float(value))
    return np.flatnonzero(keep)


def concept_codes(
    spec: str,
    generator,
    bank=None,
    exemplars: int | None = None,
    encoder: str | None = None,
    device="cpu",
) -> np.ndarray:
    """Exemplar codes of one concept: ``seeds:1,2,3``, ``images:a.png,b.png,c.png`` (inverted
    with `encoder`) or a query on `bank`: every match (None), or its first `exemplars`."""
    if spec.startswith("seeds:"):
        seeds = parse_indices(spec[len("seeds:") :], "seeds")
        return codes_from_seeds(generator, seeds)
    if spec.startswith("images:"):
        files = tuple(Path(p) for p in spec[len("images:") :].split(",") if p)
        codes, _ = load_codes(generator, CodeRequest(images=files, encoder=encoder), device)
        return codes
    if bank is None:
        raise LatentkitError(f"the concept query {spec!r} needs a bank", ("bank",))
    chosen = select(bank, spec)[:exemplars]
    if len(chosen) < MIN_EXEMPLARS:
        raise LatentkitError(
            f"the query {spec!r} matches {len(chosen)} codes of the bank; a concept "
            f"needs at least {MIN_EXEMPLARS}"
        )
    return bank.z[chosen]


CENTRE_FIRST = [1, 2, 3, 4, 0, 5, 6, 7, 8]  # jittered() puts the exact result first


@dataclass(frozen=True)
class ArithmeticGrid:
    """The codes of an arithmetic figure: one row per concept (its first exemplars, then its
    mean), then three rows of the result's 3×3 grid (the exact result in the centre). `codes` is
    [rows · width, d] with NaN in empty cells; `labels` names the rows; `concepts` names the
    concept rows, in order."""

    codes: np.ndarray
    labels: list[str]
    width: int
    result: np.ndarray
    concepts: list[str]

    def result_rows(self) -> slice:
        """The cells of the result's 3×3 grid, as rows of `codes`."""
        return slice(len(self.codes) - 3 * self.width, len(self.codes))


def arithmetic_grid(
    exemplars: dict[str, np.ndarray],
    expression: str,
    prior: str,
    jitter: float = 0.25,
    seed: int = 0,
    shown: int = 3,
) -> ArithmeticGrid:
    """Evaluate `expression` over the means of each concept's exemplar codes [n, d]; the means,
    the result and its jittered copies (uniform ±`jitter`, seeded) go back to the prior's shell.
    A concept's row shows its first `shown` exemplars and its mean."""
    means = {name: concept_vector(codes, name) for name, codes in exemplars.items()}
    result = on_shell(evaluate(expression, means)[None], prior)[0]
    d = len(result)
    width = max(3, *(min(shown, len(c)) + 1 for c in exemplars.values()))
    rows, labels = [], []
    for name, codes in exemplars.items():
        row = np.concatenate([codes[:shown], on_shell(means[name][None], prior)])
        rows.append(np.concatenate([row, np.full((width - len(row), d), np.nan)]))
        labels.append(name if len(codes) <= shown else f"{name} (mean of {len(codes)})")
    cells = on_shell(jittered(result, np.random.default_rng(seed), 9, jitter), prior)
    grid = cells[CENTRE_FIRST].reshape(3, 3, d)
    for r in range(3):
        rows.append(np.concatenate([grid[r], np.full((width - 3, d), np.nan)]))
        labels.append(expression if r == 0 else "")
    return ArithmeticGrid(np.concatenate(rows), labels, width, result, list(exemplars))


def result_summary(scores: np.ndarray, names: list[str], grid: ArithmeticGrid) -> dict:
    """What a scorer reads in an arithmetic figure, from `scores` [cells, k] of every non-empty
    cell in grid order: for each class head the classes of the 9 result cells (counts), and for
    every other attribute the mean over the result cells beside the score of each concept's
    mean (the last filled cell of its row)."""
    from latentkit.attributes.scorer import class_groups

    known = ~np.isnan(grid.codes).any(axis=1)
    position = np.cumsum(known) - 1  # row of `scores` for each cell of the grid
    result = position[grid.result_rows()][known[grid.result_rows()]]
    heads = class_groups(names)
    summary: dict = {"classes": {}, "attributes": {}}
    for head, columns in heads.items():
        picked = np.array(names)[columns][scores[result][:, columns].argmax(1)]
        values, counts = np.unique([n.partition("=")[2] for n in picked], return_counts=True)
        summary["classes"][head] = dict(zip(values.tolist(), counts.tolist(), strict=True))
    in_heads = {c for columns in heads.values() for c in columns}
    # each concept's mean: the last filled cell of its row
    means = [
        position[r * grid.width + np.flatnonzero(known[r * grid.width : (r + 1) * grid.width])[-1]]
        for r in range(len(grid.concepts))
    ]
    for k, name in enumerate(names):
        if k not in in_heads:
            concepts = {c: float(scores[m, k]) for c, m in zip(grid.concepts, means, strict=True)}
            summary["attributes"][name] = {"result": float(scores[result, k].mean()), **concepts}
    return summary
