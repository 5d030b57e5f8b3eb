"""Report files: ``report.json`` (every number) and ``report.md``, written into the temporary
folder that `latentkit.io.atomic.report_folder` moves into place when the report is complete."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from latentkit.io.atomic import write_text


def _plain(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def markdown_table(matrix: np.ndarray, rows: list[str], columns: list[str], digits: int = 3) -> str:
    """A Markdown table of a matrix with labelled rows and columns."""
    lines = ["| | " + " | ".join(columns) + " |", "|---" * (len(columns) + 1) + "|"]
    lines += [
        f"| {r} | " + " | ".join(f"{v:.{digits}f}" for v in row) + " |"
        for r, row in zip(rows, matrix, strict=True)
    ]
    return "\n".join(lines)


def write_report(folder: str | Path, data: dict[str, Any], markdown: str) -> dict[str, Path]:
    """Write ``report.json`` (every number) and ``report.md`` into `folder`."""
    folder = Path(folder)
    paths = {"json": folder / "report.json", "markdown": folder / "report.md"}
    write_text(paths["json"], json.dumps(_plain(data), indent=2) + "\n")
    write_text(paths["markdown"], markdown.rstrip() + "\n")
    return paths
