"""Where codes come from: seeds, a codes file or bank (with row indices), or real images
inverted through an encoder. `CodeRequest` names a source; `load_codes` resolves it for every
command that takes codes (edit, interpolate, arithmetic, invert, measure)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from torch import nn

from latentkit.data import load_dataset
from latentkit.data.folder import GRAY_MODES, image_header, load_image
from latentkit.errors import LatentkitError
from latentkit.io.bank import load_bank, load_npy
from latentkit.io.models import image_shape, load_encoder
from latentkit.latent.invert import check_pair, invert
from latentkit.priors import draw_codes

log = logging.getLogger("latentkit")


def parse_indices(text: str, argument: str = "indices") -> list[int]:
    """``"0-3,7"`` -> [0, 1, 2, 3, 7]; `argument` names the list in errors."""
    out: list[int] = []
    try:
        for part in text.split(","):
            first, _, last = part.strip().partition("-")
            out += list(range(int(first), int(last) + 1)) if last else [int(first)]
    except ValueError:
        raise LatentkitError(f"{argument}: cannot read {text!r} as a list like 0-3,7") from None
    if not out:
        raise LatentkitError(f"{argument}: {text!r} is an empty list (write 0-3, not 3-0)")
    return out


def codes_from_seeds(generator: nn.Module, seeds: list[int]) -> np.ndarray:
    """One code per seed [len(seeds), d] in the generator's space: the first code that seed
    draws."""
    return np.concatenate([draw_codes(generator, 1, seed) for seed in seeds])


def codes_from_file(path: str | Path, generator: nn.Module) -> np.ndarray:
    """Codes [N, d] for a generator from a ``.npy`` (flat [N, d], or W+ codes [N, num_ws,
    w_dim] as InterFaceGAN saves them) or a bank ``.npz`` of the generator's space."""
    path = Path(path)
    space = getattr(generator, "space", "z")
    if path.suffix == ".npz":
        bank = load_bank(path)
        codes, saved = bank.z, bank.meta.get("space", "z")
        if saved != space:
            raise LatentkitError(
                f"{path}: codes of the {saved} space; the generator is read in {space}",
                ("space",),
            )
    else:
        codes = load_npy(path, "codes")
        shape = tuple(getattr(generator, "code_shape", ()))
        if codes.ndim == 3 and codes.shape[1:] == shape:
            codes = codes.reshape(len(codes), -1)
    dim = generator.latent_dim
    if codes.ndim != 2 or codes.shape[1] != dim:
        raise LatentkitError(
            f"{path}: codes of shape {codes.shape} do not fit the generator's {space} codes of "
            f"size {dim}"
        )
    if not np.isfinite(codes).all():
        raise LatentkitError(f"{path}: codes contain NaN or infinite values")
    return codes.astype(np.float32)


def load_real_images(
    shape: tuple[int, int, int],
    files: tuple[Path, ...] = (),
    data: str | None = None,
    indices: str | None = None,
) -> tuple[torch.Tensor, list[str]]:
    """Images [N, C, H, W] in [-1, 1] at a generator's `shape` (C, H, W), from image files
    (converted, with a notice) or from rows of a dataset, and their row labels."""
    channels, size = shape[0], shape[1]
    if files:
        pixels = []
        for path in files:
            pixels.append(load_image(Path(path), size, channels))  # checks and decodes
            mode, (width, height) = image_header(Path(path))
            if (width, height) != (size, size) or (mode in GRAY_MODES) != (channels == 1):
                log.info(
                    "%s: %s %dx%d converted to %d channel(s) at %dx%d",
                    path,
                    mode,
                    width,
                    height,
                    channels,
                    size,
                    size,
                )
        images = torch.from_numpy(np.stack(pixels)).float() / 127.5 - 1
        return images, [Path(p).name for p in files]
    if data is None:
        raise LatentkitError("real images come from image files or from a dataset's rows")
    dataset = load_dataset(data, size)
    if dataset.channels != channels:
        raise LatentkitError(
            f"{data}: {dataset.channels}-channel images, the generator makes {channels}"
        )
    rows = parse_indices(indices or "0-7")
    if max(rows) >= len(dataset):
        raise LatentkitError(f"{data}: has {len(dataset)} images, the indices ask for {max(rows)}")
    return dataset.images(np.array(rows)), [f"#{i}" for i in rows]


def dataset_rows(dataset, indices: str | None, count: int, seed: int = 0) -> np.ndarray:
    """Rows of a dataset: the list `indices` (``"0-99"``), or a sorted seeded sample of `count`
    (all rows when it has fewer)."""
    if indices:
        rows = np.array(parse_indices(indices))
        if rows.max() >= len(dataset):
            raise LatentkitError(
                f"{dataset.name}: has {len(dataset)} images, the indices ask for {rows.max()}"
            )
        return rows
    chosen = np.random.default_rng(seed).choice(len(dataset), min(count, len(dataset)), False)
    return np.sort(chosen)


@dataclass(frozen=True)
class CodeRequest:
    """Where a command's codes come from: `seeds` (``"0-7"``), a `codes_file` (``.npy`` or bank)
    with `indices`, or real `images` inverted through `encoder` with `invert_steps` of
    refinement."""

    seeds: str | None = None
    codes_file: Path | None = None
    indices: str | None = None
    images: tuple[Path, ...] = ()
    encoder: str | None = None
    invert_steps: int = 100


def load_codes(
    generator: nn.Module,
    request: CodeRequest,
    device: str | torch.device = "cpu",
    default_seeds: str = "0-7",
) -> tuple[np.ndarray, list[str]]:
    """Codes [N, d] and their row labels for a request (seeds `default_seeds` when it names no
    source)."""
    given = [request.seeds is not None, request.codes_file is not None, bool(request.images)]
    if sum(given) > 1:
        raise LatentkitError("codes come from one source: seeds, a codes file or images")
    if request.images:
        if request.encoder is None:
            raise LatentkitError("inverting images needs an encoder", ("encoder",))
        encoder = load_encoder(request.encoder, device)
        check_pair(generator, encoder, request.encoder)
        images, labels = load_real_images(image_shape(generator, device), request.images)
        codes = invert(generator, encoder, images.to(device), request.invert_steps)
        return codes.cpu().numpy().astype(np.float32), labels
    if request.codes_file is not None:
        codes = codes_from_file(request.codes_file, generator)
        rows = (
            parse_indices(request.indices) if request.indices else list(range(min(8, len(codes))))
        )
        if max(rows) >= len(codes) or min(rows) < 0:
            raise LatentkitError(
                f"{request.codes_file}: has {len(codes)} codes, the indices ask for row {max(rows)}"
            )
        return codes[rows], [f"#{i}" for i in rows]
    seeds = parse_indices(request.seeds or default_seeds, "seeds")
    codes = codes_from_seeds(generator, seeds)
    return codes, [f"seed {s}" for s in seeds]
