"""Report folders: ``report.json`` (every number), ``report.md`` and PNG figures, written into a
temporary folder beside the target and moved into place only when everything is written, so a
failing report leaves nothing behind and a reader never sees half a report."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from latentkit.errors import LatentkitError
from latentkit.io.atomic import check_writable, current_umask, write_text


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


def check_report_folder(out: str | Path, overwrite: bool = False) -> Path:
    """Refuse, before any work, a report folder that cannot be written: its parent missing or
    read-only, a file in its place, or a folder with files in it without `overwrite`."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise LatentkitError(f"{out}: a file, not a report folder")
    if out.is_dir() and any(out.iterdir()) and not overwrite:
        raise LatentkitError(
            f"{out}: a folder with files in it; overwriting replaces it", ("overwrite",)
        )
    return check_writable(out, overwrite=True)


@contextlib.contextmanager
def report_folder(out: str | Path, overwrite: bool = False) -> Iterator[Path]:
    """Yield a temporary folder to write a report into; on success it replaces `out` (an empty
    or missing one, or any with `overwrite`), on failure it is removed."""
    out = check_report_folder(out, overwrite)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
    os.chmod(staging, 0o777 & ~current_umask())
    try:
        yield staging
        if out.is_dir():
            retired = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".old", dir=out.parent))
            os.replace(out, retired / out.name)
            os.replace(staging, out)
            shutil.rmtree(retired)
        else:
            os.replace(staging, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def write_report(folder: str | Path, data: dict[str, Any], markdown: str) -> dict[str, Path]:
    """Write ``report.json`` (every number) and ``report.md`` into `folder`."""
    folder = Path(folder)
    paths = {"json": folder / "report.json", "markdown": folder / "report.md"}
    write_text(paths["json"], json.dumps(_plain(data), indent=2) + "\n")
    write_text(paths["markdown"], markdown.rstrip() + "\n")
    return paths
