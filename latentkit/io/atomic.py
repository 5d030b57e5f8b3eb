"""Atomic output: write a file to a temporary name in the same folder, then rename it; write a
report folder into a temporary folder, then move it into place. A failure leaves nothing new."""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from latentkit.errors import LatentkitError


def check_writable(path: str | Path, overwrite: bool = True) -> Path:
    """Check that `path` can be written: its folder exists and is writable, and it is new or
    `overwrite` is set. Returns the path."""
    path = Path(path)
    folder = path.parent
    if not folder.is_dir():
        what = "is a file, not a folder" if folder.exists() else "does not exist"
        raise LatentkitError(f"{path}: folder {folder} {what}")
    if not os.access(folder, os.W_OK):
        raise LatentkitError(f"{path}: folder {folder} is not writable")
    if path.exists() and not overwrite:
        raise LatentkitError(f"{path}: already exists; overwriting replaces it", ("overwrite",))
    return path


def current_umask() -> int:
    """The process's umask (read by setting it and putting it back)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_path(path: str | Path, overwrite: bool = True) -> Iterator[Path]:
    """Yield a temporary path beside `path`; on success rename it over `path`, else delete it.

    A reader never sees a half-written file: it sees the old file or the new one.
    """
    path = check_writable(path, overwrite)
    for stale in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        stale.unlink(missing_ok=True)  # left by a killed write of this same file
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.fchmod(fd, 0o666 & ~current_umask())  # as open() would create it, not mkstemp's 0600
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.replace(tmp_path, path)
    finally:
        tmp_path.unlink(missing_ok=True)


def write_bytes(path: str | Path, data: bytes, overwrite: bool = True) -> Path:
    """Write `data` to `path` atomically."""
    with atomic_path(path, overwrite) as tmp:
        tmp.write_bytes(data)
    return Path(path)


def write_text(path: str | Path, text: str, overwrite: bool = True) -> Path:
    """Write `text` (UTF-8) to `path` atomically."""
    return write_bytes(path, text.encode("utf-8"), overwrite)


def remove_stale_temporaries(folder: str | Path) -> list[Path]:
    """Delete the temporary files `atomic_path` left in `folder` or below it when its process
    was killed mid-write (``.<name>.<random>.tmp``); returns what was removed."""
    stale = sorted(Path(folder).rglob(".*.tmp"))
    for path in stale:
        path.unlink(missing_ok=True)
    return stale


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
