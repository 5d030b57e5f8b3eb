"""Any folder of images, with an optional attributes file.

Images (png, jpg, jpeg, bmp, gif, webp, tif, tiff) directly inside the folder are centre-cropped
to a square and resized. Other files are skipped and counted; an image that cannot be decoded is
an error naming it. The attributes file is a CSV with a header whose first column is the file
name, or CelebA's ``list_attr_celeba.txt`` (count line, names line, then ``file v1 v2 …``). Found
as ``attributes.csv`` or ``list_attr_celeba.txt`` in the folder unless named (a found one that
links outside the folder is refused). Its file names must stay inside the folder: absolute paths
and ``..`` are refused.
"""

from __future__ import annotations

import csv
import logging
from pathlib import Path, PurePosixPath

import numpy as np
import torch
from PIL import Image, UnidentifiedImageError

from latentkit.data.base import TensorImageSet
from latentkit.errors import LatentkitError

log = logging.getLogger("latentkit")

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp", ".tif", ".tiff"}
ATTRIBUTE_FILES = ("attributes.csv", "list_attr_celeba.txt")
GRAY_MODES = {"1", "L", "LA", "I", "I;16", "F"}


def _parse_number(text: str, where: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise LatentkitError(f"{where}: {text!r} is not a number") from None


def read_attributes(path: Path) -> tuple[list[str], dict[str, np.ndarray]]:
    """Read an attributes file: (attribute names, {file name: values})."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise LatentkitError(f"{path}: cannot read attributes file ({exc})") from None
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        raise LatentkitError(f"{path}: empty attributes file")
    if path.suffix.lower() == ".csv":
        rows = list(csv.reader(lines))
        names, body = [c.strip() for c in rows[0][1:]], [[c.strip() for c in r] for r in rows[1:]]
        first_line = 2
    else:  # CelebA: a count line, a names line, then rows
        if len(lines) < 2:
            raise LatentkitError(f"{path}: expected a count line and a names line")
        names, body = lines[1].split(), [line.split() for line in lines[2:]]
        first_line = 3
    if not names:
        raise LatentkitError(f"{path}: no attribute columns")
    table: dict[str, np.ndarray] = {}
    for i, row in enumerate(body):
        where = f"{path}:{first_line + i}"
        if len(row) != len(names) + 1:
            raise LatentkitError(f"{where}: expected {len(names) + 1} fields, found {len(row)}")
        entry = PurePosixPath(row[0].replace("\\", "/"))
        if entry.is_absolute() or ".." in entry.parts or len(entry.parts) != 1:
            raise LatentkitError(f"{where}: {row[0]!r} is outside the image folder")
        table[row[0]] = np.array([_parse_number(v, where) for v in row[1:]], np.float32)
    return names, table


def load_image(path: Path, resolution: int, channels: int) -> np.ndarray:
    """One image file as uint8 [channels, resolution, resolution]: centre-cropped to a square,
    resized, converted to grayscale or RGB."""
    if not path.is_file():
        raise LatentkitError(
            f"{path}: {'a folder, not an image' if path.is_dir() else 'no such image file'}"
        )
    try:
        with Image.open(path) as image:
            image = image.convert("L" if channels == 1 else "RGB")
            w, h = image.size
            side = min(w, h)
            left, top = (w - side) // 2, (h - side) // 2
            image = image.crop((left, top, left + side, top + side))
            image = image.resize((resolution, resolution), Image.Resampling.LANCZOS)
            array = np.asarray(image, np.uint8)
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise LatentkitError(f"{path}: cannot decode image ({exc})") from None
    return array[None] if channels == 1 else array.transpose(2, 0, 1)


def _mode(path: Path) -> str:
    try:
        with Image.open(path) as image:
            return image.mode
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise LatentkitError(f"{path}: cannot decode image ({exc})") from None


def load_folder(
    folder: str | Path,
    resolution: int = 64,
    channels: int | None = None,
    attributes_file: str | Path | None = None,
) -> TensorImageSet:
    """Images of a folder (and their attributes), as uint8 in memory. `channels` None: 1 when
    every image is grayscale, else 3."""
    folder = Path(folder)
    if not folder.is_dir():
        raise LatentkitError(f"{folder}: no such folder")
    files = sorted(p for p in folder.iterdir() if p.is_file())
    images = [p for p in files if p.suffix.lower() in IMAGE_SUFFIXES]
    skipped = len(files) - len(images)
    if attributes_file is None:
        found = [folder / n for n in ATTRIBUTE_FILES if (folder / n).is_file()]
        attributes_file = found[0] if found else None
        skipped -= len(found)
        if attributes_file is not None and attributes_file.resolve().parent != folder.resolve():
            raise LatentkitError(
                f"{attributes_file}: links to {attributes_file.resolve()}, outside the folder; "
                "name the attributes file explicitly to use it"
            )
    names: list[str] = []
    values = np.zeros((len(images), 0), np.float32)
    if attributes_file is not None:
        names, table = read_attributes(Path(attributes_file))
        unlabelled = [p for p in images if p.name not in table]
        if unlabelled:
            log.info(
                "%s: %d images have no row in %s and are left out",
                folder,
                len(unlabelled),
                attributes_file,
            )
        images = [p for p in images if p.name in table]
        values = (
            np.stack([table[p.name] for p in images])
            if images
            else np.zeros((0, len(names)), np.float32)
        )
    if skipped:
        log.info("%s: skipped %d files that are not images", folder, skipped)
    if not images:
        raise LatentkitError(f"{folder}: no images found")
    if channels is None:
        channels = 1 if all(_mode(p) in GRAY_MODES for p in images) else 3
    pixels = np.stack([load_image(p, resolution, channels) for p in images])
    dataset = TensorImageSet(f"folder:{folder}", torch.from_numpy(pixels), values, names)
    dataset.files = [p.name for p in images]
    return dataset
