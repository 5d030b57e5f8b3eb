"""Any folder of images, with an optional attributes file: the layout researchers keep.

Without an attributes file, the images (png, jpg, jpeg, bmp, gif, webp, tif, tiff) directly inside
the folder are the dataset. With one, its rows are: a CSV with a header whose first column is the
file name, or CelebA's ``list_attr_celeba.txt`` (count line, names line, then ``file v1 v2 …``).
It is named explicitly, or found as ``attributes.csv`` or ``list_attr_celeba.txt`` in the folder or
in its ``Anno/`` subfolder (CelebA as shipped; a found file that links outside the folder is
refused). File names may include subfolders inside the dataset folder (``img/00000.png``); a bare
name is also looked for in CelebA's ``img_align_celeba/`` and ``img_celeba/``. Absolute paths and
``..`` are refused.

Columns: numbers are attributes as they are; a column of words (``square``, ``heart``) is the
class attribute (one per dataset), its classes in sorted order; a column whose header ends in
``:deg`` or ``:rad`` is an angle (read in degrees or radians, kept in radians; a scorer predicts
its sine and cosine). Images are centre-cropped to a square, resized and converted to one
channel (every image grey) or three; rows naming absent files, and images cropped, resized or
converted, are reported in one notice each, and are errors with `strict`.
"""

from __future__ import annotations

import csv
import logging
import math
from pathlib import Path, PurePosixPath

import numpy as np
import torch
from PIL import Image, UnidentifiedImageError

from latentkit.data.base import TensorImageSet
from latentkit.errors import LatentkitError

log = logging.getLogger("latentkit")

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp", ".tif", ".tiff"}
ATTRIBUTE_FILES = ("attributes.csv", "list_attr_celeba.txt", "Anno/list_attr_celeba.txt")
CELEBA_IMAGE_FOLDERS = ("img_align_celeba", "img_celeba")
GRAY_MODES = {"1", "L", "LA", "I", "I;16", "F"}
ANGLE_UNITS = {":deg": math.pi / 180, ":rad": 1.0}
SHOWN = 3  # names shown in a notice


def _parse_number(text: str, where: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise LatentkitError(f"{where}: {text!r} is not a number") from None


def read_attributes(path: Path) -> tuple[list[str], dict[str, list[str]], dict[str, str]]:
    """Read an attributes file: (column names, {file name: raw values}, {file name: where})."""
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
    table: dict[str, list[str]] = {}
    lines_of: dict[str, str] = {}
    for i, row in enumerate(body):
        where = f"{path}:{first_line + i}"
        if len(row) != len(names) + 1:
            raise LatentkitError(f"{where}: expected {len(names) + 1} fields, found {len(row)}")
        entry = PurePosixPath(row[0].replace("\\", "/"))
        if entry.is_absolute() or ".." in entry.parts:
            raise LatentkitError(f"{where}: {row[0]!r} is outside the image folder")
        table[str(entry)], lines_of[str(entry)] = row[1:], where
    return names, table, lines_of


def typed_columns(
    names: list[str], rows: list[list[str]], wheres: list[str]
) -> tuple[list[str], np.ndarray, str | None, list[str], tuple[str, ...]]:
    """Columns of raw values typed: (names, values [N, k], the class column or None, its class
    names, the angle columns). Words make the class column; ``:deg`` and ``:rad`` angles."""
    values = np.zeros((len(rows), len(names)), np.float32)
    out_names, class_column, classes, angles = [], None, [], []
    for j, name in enumerate(names):
        raw = [row[j] for row in rows]
        unit = next((u for u in ANGLE_UNITS if name.endswith(u)), None)
        if unit is not None:
            name = name[: -len(unit)]
            values[:, j] = [
                _parse_number(v, w) * ANGLE_UNITS[unit] for v, w in zip(raw, wheres, strict=True)
            ]
            angles.append(name)
        elif all(_is_number(v) for v in raw):
            values[:, j] = [float(v) for v in raw]
        else:
            if class_column is not None:
                raise LatentkitError(
                    f"{wheres[0].rsplit(':', 1)[0]}: columns {class_column!r} and {name!r} both "
                    "hold words; one class column is supported"
                )
            class_column, classes = name, sorted(set(raw))
            values[:, j] = [classes.index(v) for v in raw]
        out_names.append(name)
    return out_names, values, class_column, classes, tuple(angles)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


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


def image_header(path: Path) -> tuple[str, tuple[int, int]]:
    """An image's mode and size, read from its header (an undecodable file is an error)."""
    try:
        with Image.open(path) as image:
            return image.mode, image.size
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise LatentkitError(f"{path}: cannot decode image ({exc})") from None


def _find_attributes(folder: Path) -> Path | None:
    found = [folder / n for n in ATTRIBUTE_FILES if (folder / n).is_file()]
    if not found:
        return None
    path = found[0]
    if folder.resolve() not in path.resolve().parents:
        raise LatentkitError(
            f"{path}: links to {path.resolve()}, outside the folder; name the attributes file "
            "explicitly to use it"
        )
    return path


def _locate(folder: Path, name: str) -> Path | None:
    """The image a row names: inside the folder, or for a bare name in CelebA's subfolders."""
    candidates = [folder / name]
    if len(PurePosixPath(name).parts) == 1:
        candidates += [folder / sub / name for sub in CELEBA_IMAGE_FOLDERS]
    return next((c for c in candidates if c.is_file()), None)


def _report(what: str, names: list[str], strict: bool, folder: Path) -> None:
    """One notice (or, with `strict`, one error) for a kind of data problem."""
    if not names:
        return
    shown = ", ".join(names[:SHOWN]) + (", …" if len(names) > SHOWN else "")
    message = f"{folder}: {len(names)} {what} ({shown})"
    if strict:
        raise LatentkitError(f"{message}; without strict they are " + (
            "left out" if "absent" in what else "converted"), ("strict",))  # fmt: skip
    log.info("%s", message)


def load_folder(
    folder: str | Path,
    resolution: int = 64,
    channels: int | None = None,
    attributes_file: str | Path | None = None,
    strict: bool = False,
) -> TensorImageSet:
    """Images of a folder (and their attributes; see the module docstring), as uint8 in memory.
    `channels` None: 1 when every image is grey, else 3. `strict` turns the data notices
    (absent files, images cropped, resized or converted) into errors."""
    folder = Path(folder)
    if not folder.is_dir():
        raise LatentkitError(f"{folder}: no such folder")
    if attributes_file is None:
        attributes_file = _find_attributes(folder)
    names: list[str] = []
    values = np.zeros((0, 0), np.float32)
    class_column, classes, angles = None, [], ()
    if attributes_file is not None:
        columns, table, lines_of = read_attributes(Path(attributes_file))
        found = {name: _locate(folder, name) for name in table}
        _report("rows name absent files, left out", [n for n, p in found.items() if p is None],
                strict, folder)  # fmt: skip
        kept = [n for n, p in found.items() if p is not None]
        images = [found[n] for n in kept]
        names, values, class_column, classes, angles = typed_columns(
            columns, [table[n] for n in kept], [lines_of[n] for n in kept]
        )
    else:
        files = sorted(p for p in folder.iterdir() if p.is_file())
        images = [p for p in files if p.suffix.lower() in IMAGE_SUFFIXES]
        if len(files) > len(images):
            log.info("%s: skipped %d files that are not images", folder, len(files) - len(images))
        values = np.zeros((len(images), 0), np.float32)
    if not images:
        raise LatentkitError(f"{folder}: no images found")
    headers = {p: image_header(p) for p in images}
    if channels is None:
        channels = 1 if all(mode in GRAY_MODES for mode, _ in headers.values()) else 3
    relative = {p: str(p.relative_to(folder)) for p in images}
    _report("images not square, centre-cropped", [relative[p] for p, (_, (w, h)) in
            headers.items() if w != h], strict, folder)  # fmt: skip
    _report(f"images not {resolution}×{resolution}, resized", [relative[p] for p, (_, size) in
            headers.items() if max(size) != resolution], strict, folder)  # fmt: skip
    wanted = ("L",) if channels == 1 else ("RGB",)
    _report(f"images converted to {'grey' if channels == 1 else 'RGB'}", [relative[p] for p, (m, _)
            in headers.items() if m not in wanted], strict, folder)  # fmt: skip
    pixels = np.stack([load_image(p, resolution, channels) for p in images])
    dataset = TensorImageSet(
        f"folder:{folder}", torch.from_numpy(pixels), values, names, class_column, classes
    )
    dataset.angle_attributes = angles
    dataset.files = [relative[p] for p in images]
    return dataset
