"""``latentkit invert``: codes for real images, with a grid of original | reconstruction."""

from __future__ import annotations

import logging
from pathlib import Path

import click
import numpy as np
import torch
from PIL import Image

from latentkit.data import load_dataset
from latentkit.data.folder import load_image
from latentkit.errors import LatentkitError
from latentkit.io.atomic import atomic_path
from latentkit.io.models import load_encoder
from latentkit.latent.codes import parse_indices
from latentkit.latent.invert import check_pair, invert
from latentkit.viz.grid import save_grid
from latentkit_cli.options import common_options, generator_options, overwrite_option, prepare

log = logging.getLogger("latentkit")


def load_real_images(files, data, indices, shape) -> tuple[torch.Tensor, list[str]]:
    """Images in [-1, 1] at the generator's `shape` (C, H, W) from files or a dataset."""
    channels, size = shape[0], shape[1]
    if files:
        pixels = []
        for path in files:
            try:
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
            except (OSError, ValueError) as exc:
                raise LatentkitError(f"{path}: cannot decode image ({exc})") from None
            pixels.append(load_image(Path(path), size, channels))
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


@click.command("invert")
@generator_options
@click.option("--encoder", required=True, help="Encoder: a latentkit file or TorchScript.")
@click.option(
    "--image", "files", type=click.Path(path_type=Path), multiple=True, help="Image file; repeat."
)
@click.option("--data", default=None, help="Or a dataset, with --indices.")
@click.option("--indices", default=None, help="Dataset rows, e.g. 0-7 [default: 0-7].")
@click.option(
    "--steps", type=click.IntRange(min=0), default=0, help="Refinement steps (0: encoder only)."
)
@click.option("--lr", type=float, default=0.05, help="Adam learning rate of the refinement.")
@click.option(
    "--domain-weight", type=float, default=0.1, help="Weight of ‖z − E(G(z))‖² in the refinement."
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    required=True,
    help="PNG grid: original | reconstruction.",
)
@click.option(
    "--codes-out", type=click.Path(path_type=Path), default=None, help="Also save the codes (.npy)."
)
@overwrite_option
@common_options
def invert_command(
    generator,
    latent_dim,
    prior,
    encoder,
    files,
    data,
    indices,
    steps,
    lr,
    domain_weight,
    out,
    codes_out,
    overwrite,
    seed,
    device,
) -> None:
    """Find codes for real images: the encoder's guess, refined by --steps of optimisation."""
    net, device = prepare(generator, latent_dim, prior, device, (out, codes_out), overwrite)
    encoder_net = load_encoder(encoder, device)
    check_pair(net, encoder_net, str(encoder))
    with torch.no_grad():
        shape = net(torch.zeros(1, net.latent_dim, device=device)).shape[1:]
    images, labels = load_real_images(files, data, indices, tuple(shape))
    torch.manual_seed(seed)
    codes = invert(net, encoder_net, images.to(device), steps, lr, domain_weight)
    with torch.no_grad():
        reconstructions = net(codes).cpu()
    error = (reconstructions - images).pow(2).mean().item()
    pairs = torch.stack([images, reconstructions], dim=1).flatten(0, 1)
    save_grid(
        out,
        pairs,
        2,
        row_labels=labels,
        column_labels=["original", "reconstruction"],
        title=f"{'encoder' if steps == 0 else f'encoder + {steps} steps'}: MSE {error:.4f}",
        overwrite=overwrite,
    )
    if codes_out is not None:
        with atomic_path(codes_out, overwrite) as tmp, tmp.open("wb") as f:
            np.save(f, codes.cpu().numpy().astype(np.float32))
    click.echo(f"grid: {out} (reconstruction MSE {error:.4f})")
