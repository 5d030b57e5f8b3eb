"""Image grids as PNG, optionally with row and column labels."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch
from PIL import Image, ImageDraw, ImageFont

from latentkit.data.base import to_uint8
from latentkit.io.atomic import atomic_path


def grid_array(images: torch.Tensor, columns: int, padding: int = 2, scale: int = 1) -> np.ndarray:
    """Tile images [N, C, H, W] in [-1, 1] into uint8 [rows·(H+p)+p, columns·(W+p)+p, 3]."""
    pixels = to_uint8(images).cpu()
    if pixels.shape[1] == 1:
        pixels = pixels.expand(-1, 3, -1, -1)
    if scale > 1:
        pixels = pixels.repeat_interleave(scale, 2).repeat_interleave(scale, 3)
    n, _, h, w = pixels.shape
    rows = max(1, -(-n // columns))
    canvas = np.full(
        (rows * (h + padding) + padding, columns * (w + padding) + padding, 3), 255, np.uint8
    )
    for i in range(n):
        r, c = divmod(i, columns)
        y, x = padding + r * (h + padding), padding + c * (w + padding)
        canvas[y : y + h, x : x + w] = pixels[i].permute(1, 2, 0).numpy()
    return canvas


def save_grid(
    path: str | Path,
    images: torch.Tensor,
    columns: int,
    row_labels: Sequence[str] | None = None,
    column_labels: Sequence[str] | None = None,
    title: str | None = None,
    overwrite: bool = True,
) -> Path:
    """Write images [N, C, H, W] in [-1, 1] as a PNG grid (row-major), with optional labels.

    Cells are upscaled (nearest) to at least 64 px so that small images stay readable.
    """
    scale = max(1, -(-64 // images.shape[-1]))
    padding = 2
    tiles = grid_array(images, columns, padding, scale)
    font = ImageFont.load_default()
    left = 8 + max((int(font.getlength(t)) for t in row_labels or []), default=-8)
    top = (14 if column_labels else 0) + (16 if title else 0)
    title_width = int(font.getlength(title)) + 2 * padding if title else 0
    canvas = Image.new(
        "RGB", (max(tiles.shape[1] + left, title_width), tiles.shape[0] + top), "white"
    )
    canvas.paste(Image.fromarray(tiles), (left, top))
    draw = ImageDraw.Draw(canvas)
    cell = images.shape[-1] * scale + padding
    if title:
        draw.text((padding, 2), title, fill="black", font=font)
    for c, label in enumerate(column_labels or []):
        draw.text((left + padding + c * cell, top - 13), label, fill="black", font=font)
    for r, label in enumerate(row_labels or []):
        draw.text((4, top + padding + r * cell + cell // 2 - 6), label, fill="black", font=font)
    with atomic_path(path, overwrite) as tmp:
        canvas.save(tmp, format="PNG")
    return Path(path)
