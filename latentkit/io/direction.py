"""Direction files: a unit normal [d], an intercept and metadata.

latentkit writes ``.npz`` (``normal``, ``intercept``, ``meta`` as JSON). InterFaceGAN's boundary
``.npy`` (shape [1, d], unit norm, no intercept) is read and written too: a path ending in
``.npy`` is taken to be one.
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from latentkit.errors import LatentkitError
from latentkit.io.atomic import atomic_path, check_writable, write_text
from latentkit.io.bank import load_npy
from latentkit.io.bundles import resolve_direction
from latentkit.priors import latent_names


@dataclass
class Direction:
    """A direction in latent space: ``normal`` (unit, [d]), ``intercept`` and metadata
    (attribute, method, conditions, accuracies, counts, ...)."""

    normal: np.ndarray
    intercept: float = 0.0
    meta: dict[str, Any] = field(default_factory=dict)
    source: str = ""  # the file or spec it was read from, for messages (not saved)

    def __post_init__(self):
        self.normal = np.asarray(self.normal, np.float64).ravel()
        norm = np.linalg.norm(self.normal)
        if not np.isfinite(norm) or norm == 0:
            raise LatentkitError("a direction must have a finite, non-zero normal")
        self.normal = self.normal / norm

    @property
    def latent_dim(self) -> int:
        return int(self.normal.shape[0])

    def require_size(self, latent_dim: int, source: str) -> Direction:
        """Refuse a direction whose size differs from a generator's latent size."""
        if self.latent_dim != latent_dim:
            raise LatentkitError(
                f"{source}: direction of size {self.latent_dim}, the generator's latent size is "
                f"{latent_dim}"
            )
        return self

    @property
    def name(self) -> str:
        return str(self.meta.get("name") or self.meta.get("attribute") or "direction")


def save_direction(path: str | Path, direction: Direction, overwrite: bool = True) -> Path:
    """Write a direction atomically: InterFaceGAN's [1, d] ``.npy`` when the path ends in
    ``.npy`` (the intercept and metadata are dropped), else latentkit's ``.npz``."""
    path = Path(path)
    with atomic_path(path, overwrite) as tmp, tmp.open("wb") as f:
        if path.suffix == ".npy":
            np.save(f, direction.normal.reshape(1, -1))
        else:
            np.savez(
                f,
                normal=direction.normal,
                intercept=np.float64(direction.intercept),
                meta=np.array(json.dumps(direction.meta)),
            )
    return path


def save_boundaries(
    folder: str | Path,
    directions: dict[str, Direction],
    interfacegan: bool = False,
    overwrite: bool = False,
) -> list[Path]:
    """Write ``<name>.npz`` per direction and ``summary.json`` (every direction's metadata) into
    `folder` (created), and with `interfacegan` also InterFaceGAN's ``<name>_boundary.npy``.
    Every target is checked before anything is written."""
    folder = Path(folder)
    paths = {name: folder / f"{name}.npz" for name in directions}
    if folder.is_dir():
        for path in [*paths.values(), folder / "summary.json"]:
            check_writable(path, overwrite)
    else:
        check_writable(folder, overwrite=True)
    folder.mkdir(exist_ok=True)
    for name, direction in directions.items():
        save_direction(paths[name], direction, overwrite)
        if interfacegan:
            save_direction(folder / f"{name}_boundary.npy", direction, overwrite=True)
    summary = {name: d.meta for name, d in directions.items()}
    write_text(folder / "summary.json", json.dumps(summary, indent=2) + "\n")
    return list(paths.values())


def load_direction(path: str | Path) -> Direction:
    """Read a latentkit ``.npz`` direction, an InterFaceGAN boundary ``.npy``, or a pretrained
    bundle's direction named ``BUNDLE:NAME``."""
    path = Path(resolve_direction(path))
    if path.suffix == ".npy":
        normal = load_npy(path, "boundary")
        if normal.ndim not in (1, 2) or (normal.ndim == 2 and normal.shape[0] != 1):
            raise LatentkitError(f"{path}: an InterFaceGAN boundary is [1, d], not {normal.shape}")
        try:
            return Direction(
                normal, 0.0, {"name": path.stem, "imported_from": str(path)}, str(path)
            )
        except LatentkitError as exc:
            raise LatentkitError(f"{path}: {exc}") from None
    if not path.is_file():
        raise LatentkitError(f"{path}: no such direction file")
    try:
        with np.load(path, allow_pickle=False) as archive:
            if "normal" not in archive.files:
                raise LatentkitError(f"{path}: not a direction file (no normal)")
            normal = archive["normal"]
            intercept = float(archive["intercept"]) if "intercept" in archive.files else 0.0
            meta = json.loads(str(archive["meta"])) if "meta" in archive.files else {}
    except (OSError, ValueError, zipfile.BadZipFile, EOFError) as exc:
        raise LatentkitError(f"{path}: not a readable direction file ({exc})") from None
    try:
        return Direction(normal, intercept, meta, str(path))
    except LatentkitError as exc:
        raise LatentkitError(f"{path}: {exc}") from None


AXIS_PREFIX = "dim:"


def generator_direction(spec: str | Path, generator) -> Direction:
    """A direction for `generator`: a file or bundle direction (as `load_direction`), checked
    against its latent size, or ``dim:NAME``, the unit vector of one named coordinate of the
    code (``z3``; InfoGAN's ``c0``, ``cat2``)."""
    text = str(spec)
    if text.startswith(AXIS_PREFIX):
        names = latent_names(generator.prior, generator.latent_dim)
        name = text[len(AXIS_PREFIX) :]
        if name not in names:
            shown = ", ".join(names if len(names) <= 12 else [*names[:4], "…", *names[-6:]])
            raise LatentkitError(f"{text}: the code has no coordinate {name!r} ({shown})")
        normal = np.zeros(generator.latent_dim)
        normal[names.index(name)] = 1.0
        return Direction(normal, 0.0, {"name": name, "method": "axis"})
    return check_space(load_direction(spec), generator, text)


def check_space(direction: Direction, generator, source: str) -> Direction:
    """Refuse a direction of another space or size than the generator's codes. A W direction
    (``space`` w, or unknown and of the size of w) fits W+ codes, walked layer by layer; a
    direction with ``layers`` needs W+ codes."""
    space = getattr(generator, "space", "z")
    saved = direction.meta.get("space")
    if space == "wp" and direction.latent_dim == generator.w_dim and saved in (None, "w"):
        return direction
    if saved is not None and saved != space:
        raise LatentkitError(
            f"{source}: a direction of the {saved} space; the generator's codes are {space}",
            ("space",),
        )
    if direction.meta.get("layers") and space != "wp":
        raise LatentkitError(
            f"{source}: acts on layers {direction.meta['layers']}, which only W+ codes (wp) have",
            ("space",),
        )
    return direction.require_size(generator.latent_dim, source)
