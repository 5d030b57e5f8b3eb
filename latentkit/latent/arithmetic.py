"""Vector arithmetic on latent codes (DCGAN, Radford et al. 2016)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from latentkit.errors import LatentkitError
from latentkit.latent.codes import CodeRequest, codes_from_seeds, load_codes, parse_indices

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
    exemplars: int = 3,
    encoder: str | None = None,
    device="cpu",
) -> np.ndarray:
    """Exemplar codes of one concept: ``seeds:1,2,3``, ``images:a.png,b.png,c.png`` (inverted
    with `encoder`) or a query on `bank` (its first `exemplars` matches)."""
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
