"""Latent banks: seeded codes with their attribute scores, as ``.npz``.

A bank file holds ``z`` [N, d] float32, ``scores`` [N, k] float32, ``attribute_names`` [k] (str)
and ``meta`` (a JSON string: generator, seed, prior, truncation, ...). It is read with
``allow_pickle=False``. InterFaceGAN's ``.npy`` codes [N, d] and scores [N, 1] are imported and
exported too.
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from latentkit.errors import LatentkitError
from latentkit.io.atomic import atomic_path


@dataclass
class LatentBank:
    """Codes, their scores and what produced them."""

    z: np.ndarray
    scores: np.ndarray
    attribute_names: list[str]
    meta: dict[str, Any] = field(default_factory=dict)
    source: str = ""  # the file it was read from, for messages (not saved)

    def __post_init__(self):
        self.z = np.asarray(self.z, np.float32)
        self.scores = np.asarray(self.scores, np.float32).reshape(len(self.z), -1)
        self.attribute_names = list(self.attribute_names)
        if self.z.ndim != 2:
            raise LatentkitError(f"bank codes must be [N, d], not {self.z.shape}")
        if self.scores.shape[1] != len(self.attribute_names):
            raise LatentkitError(
                f"bank has {self.scores.shape[1]} score columns but "
                f"{len(self.attribute_names)} attribute names"
            )

    @property
    def latent_dim(self) -> int:
        return int(self.z.shape[1])

    def score(self, attribute: str, source: str = "") -> np.ndarray:
        """The scores [N] of one attribute (`source` names the bank in errors)."""
        if attribute not in self.attribute_names:
            raise LatentkitError(
                f"{source or self.source or 'bank'}: no attribute {attribute!r} (it has: "
                f"{', '.join(self.attribute_names) or 'none'})"
            )
        return self.scores[:, self.attribute_names.index(attribute)]


def save_bank(path: str | Path, bank: LatentBank, overwrite: bool = True) -> Path:
    """Write a bank atomically as ``.npz``."""
    with atomic_path(path, overwrite) as tmp, tmp.open("wb") as f:
        np.savez(
            f,
            z=bank.z,
            scores=bank.scores,
            attribute_names=np.array(bank.attribute_names, dtype=np.str_),
            meta=np.array(json.dumps(bank.meta)),
        )
    return Path(path)


def load_bank(path: str | Path) -> LatentBank:
    """Read and check a bank: finite codes, N > 0, scores aligned with the codes."""
    path = Path(path)
    if not path.is_file():
        what = "a folder, not a bank file" if path.is_dir() else "no such bank file"
        raise LatentkitError(f"{path}: {what}")
    try:
        with np.load(path, allow_pickle=False) as archive:
            missing = {"z", "scores", "attribute_names"} - set(archive.files)
            if missing:
                raise LatentkitError(
                    f"{path}: not a latent bank (missing {', '.join(sorted(missing))})"
                )
            z, scores = archive["z"], archive["scores"]
            names = [str(n) for n in archive["attribute_names"]]
            meta = json.loads(str(archive["meta"])) if "meta" in archive.files else {}
    except (OSError, ValueError, zipfile.BadZipFile, EOFError) as exc:
        reason = "not an .npz archive" if "pickle" in str(exc) else str(exc)
        raise LatentkitError(f"{path}: not a readable .npz bank ({reason})") from None
    if z.ndim != 2 or len(z) == 0:
        raise LatentkitError(f"{path}: the bank is empty or its codes are not [N, d] ({z.shape})")
    if len(scores) != len(z):
        raise LatentkitError(f"{path}: {len(z)} codes but {len(scores)} score rows")
    if not np.isfinite(z).all():
        raise LatentkitError(f"{path}: codes contain NaN or infinite values")
    try:
        return LatentBank(z, scores, names, meta, str(path))
    except LatentkitError as exc:
        raise LatentkitError(f"{path}: {exc}") from None


def load_npy(path: str | Path, what: str) -> np.ndarray:
    """Read a plain ``.npy`` array without pickles."""
    path = Path(path)
    if not path.is_file():
        raise LatentkitError(f"{path}: no such {what} file")
    try:
        return np.load(path, allow_pickle=False)
    except (OSError, ValueError) as exc:
        raise LatentkitError(f"{path}: not a readable .npy {what} ({exc})") from None


def import_interfacegan(
    codes_path: str | Path, scores_path: str | Path | None = None, attribute: str = "score"
) -> LatentBank:
    """A bank from InterFaceGAN's codes ``.npy`` [N, d] and, optionally, scores ``.npy``
    [N, 1] or [N]."""
    z = load_npy(codes_path, "codes")
    if z.ndim != 2:
        raise LatentkitError(f"{codes_path}: codes must be [N, d], not {z.shape}")
    if scores_path is None:
        return LatentBank(z, np.zeros((len(z), 0)), [], {"imported_from": str(codes_path)})
    scores = load_npy(scores_path, "scores")
    if scores.shape not in ((len(z),), (len(z), 1)):
        raise LatentkitError(f"{scores_path}: scores must be [{len(z)}, 1], not {scores.shape}")
    return LatentBank(z, scores.reshape(-1, 1), [attribute], {"imported_from": str(codes_path)})


def export_interfacegan(bank: LatentBank, folder: str | Path, overwrite: bool = True) -> list[Path]:
    """Write ``z.npy`` and one ``<attribute>.npy`` [N, 1] per attribute, as InterFaceGAN reads."""
    folder = Path(folder)
    arrays = {"z": bank.z} | {n: bank.scores[:, [i]] for i, n in enumerate(bank.attribute_names)}
    return [save_npy(folder / f"{name}.npy", array, overwrite) for name, array in arrays.items()]


def save_npy(path: str | Path, array: np.ndarray, overwrite: bool = True) -> Path:
    """Write one array as ``.npy`` atomically."""
    with atomic_path(path, overwrite) as tmp, tmp.open("wb") as f:
        np.save(f, array)
    return Path(path)
