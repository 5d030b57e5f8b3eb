"""Where the codes of a command come from: seeds, a codes file or bank, or real images
(inverted with an encoder). Commands take these options as one `CodeRequest`."""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from pathlib import Path

import click
import numpy as np
import torch
from PIL import Image

from latentkit.data import load_dataset
from latentkit.data.folder import load_image
from latentkit.errors import LatentkitError
from latentkit.io.models import load_encoder
from latentkit.latent.codes import codes_from_file, codes_from_seeds, parse_indices
from latentkit.latent.invert import check_pair, invert

log = logging.getLogger("latentkit")


@dataclass(frozen=True)
class CodeRequest:
    """The code-source options of a command."""

    seeds: str | None = None
    codes_file: Path | None = None
    indices: str | None = None
    truncation: float | None = None
    images: tuple[Path, ...] = ()
    encoder: str | None = None
    invert_steps: int = 100


def code_source_options(f):
    """Adds --seeds, --codes/--indices, --truncation and --image/--encoder/--invert-steps, passed
    to the command as ``codes=CodeRequest(...)``."""

    @functools.wraps(f)
    def command(*args, seeds, codes_file, indices, truncation, images, encoder, invert_steps, **kw):
        request = CodeRequest(seeds, codes_file, indices, truncation, images, encoder, invert_steps)
        return f(*args, codes=request, **kw)

    options = [
        click.option("--seeds", default=None, help="Seeds of the codes, e.g. 0-7 [default: 0-7]."),
        click.option(
            "--codes",
            "codes_file",
            type=click.Path(path_type=Path),
            default=None,
            help="Codes: a .npy [N, d] or a bank .npz.",
        ),
        click.option(
            "--indices", default=None, help="Rows of --codes to use [default: the first 8]."
        ),
        click.option("--truncation", type=float, default=None, help="Truncation for seeded codes."),
        click.option(
            "--image",
            "images",
            type=click.Path(path_type=Path),
            multiple=True,
            help="Real image to invert (needs --encoder); repeat.",
        ),
        click.option(
            "--encoder", default=None, help="Encoder for --image: a latentkit file or TorchScript."
        ),
        click.option(
            "--invert-steps",
            type=click.IntRange(min=0),
            default=100,
            help="Refinement steps when inverting --image.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def load_real_images(files, data, indices, shape) -> tuple[torch.Tensor, list[str]]:
    """Images in [-1, 1] at the generator's `shape` (C, H, W) from files or a dataset."""
    channels, size = shape[0], shape[1]
    if files:
        pixels = []
        for path in files:
            pixels.append(load_image(Path(path), size, channels))  # checks and decodes
            with Image.open(path) as image:
                if image.size != (size, size) or (image.mode in ("L", "1")) != (channels == 1):
                    log.info(
                        "%s: %s %dx%d converted to %d channel(s) at %dx%d",
                        path,
                        image.mode,
                        *image.size,
                        channels,
                        size,
                        size,
                    )
        images = torch.from_numpy(np.stack(pixels)).float() / 127.5 - 1
        return images, [Path(p).name for p in files]
    if data is None:
        raise LatentkitError("give --image files or --data with --indices")
    dataset = load_dataset(data, size)
    if dataset.channels != channels:
        raise LatentkitError(
            f"{data}: {dataset.channels}-channel images, the generator makes {channels}"
        )
    rows = parse_indices(indices or "0-7")
    if max(rows) >= len(dataset):
        raise LatentkitError(f"{data}: has {len(dataset)} images, --indices asks for {max(rows)}")
    return dataset.images(np.array(rows)), [f"#{i}" for i in rows]


def load_codes(
    net, request: CodeRequest, device, default_seeds: str = "0-7"
) -> tuple[np.ndarray, list[str]]:
    """Codes [N, d] and their row labels for a request."""
    given = [request.seeds is not None, request.codes_file is not None, bool(request.images)]
    if sum(given) > 1:
        raise LatentkitError("give one of --seeds, --codes and --image")
    if request.images:
        if request.encoder is None:
            raise LatentkitError("--image needs --encoder to invert the images")
        encoder = load_encoder(request.encoder, device)
        check_pair(net, encoder, request.encoder)
        with torch.no_grad():
            shape = net(torch.zeros(1, net.latent_dim, device=device)).shape[1:]
        images, labels = load_real_images(request.images, None, None, tuple(shape))
        codes = invert(net, encoder, images.to(device), request.invert_steps)
        return codes.cpu().numpy().astype(np.float32), labels
    if request.codes_file is not None:
        codes = codes_from_file(request.codes_file, net.latent_dim)
        rows = (
            parse_indices(request.indices) if request.indices else list(range(min(8, len(codes))))
        )
        if max(rows) >= len(codes) or min(rows) < 0:
            raise LatentkitError(
                f"{request.codes_file}: has {len(codes)} codes, --indices asks for row {max(rows)}"
            )
        return codes[rows], [f"#{i}" for i in rows]
    seeds = parse_indices(request.seeds or default_seeds)
    return codes_from_seeds(net.prior, net.latent_dim, seeds, request.truncation), [
        f"seed {s}" for s in seeds
    ]
