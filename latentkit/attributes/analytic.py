"""Attributes of digit images computed from the pixels, with no training.

On the ink map m = (x + 1) / 2 of a grayscale image (colour images are averaged):

* ``thickness``: stroke width in pixels, 2·area / perimeter, the perimeter measured as the total
  variation of m (a stroke of length L and width w has area L·w and perimeter ≈ 2L);
* ``slant``: the shear of the ink, -cov(col, row) / var(row); positive when the top leans right;
* ``width`` and ``height``: how many columns (rows) hold ink (a pixel above 0.5), in pixels.
"""

from __future__ import annotations

import torch
from torch import nn


class DigitAttributes(nn.Module):
    """Scorer: images [N, C, H, W] in [-1, 1] -> [N, 4] (thickness, slant, width, height)."""

    def __init__(self):
        super().__init__()
        self.attribute_names = ["thickness", "slant", "width", "height"]

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        ink = ((images.float().mean(dim=1) + 1) / 2).clamp(0, 1)  # [N, H, W]
        area = ink.sum(dim=(1, 2)).clamp_min(1e-6)
        dx = torch.nn.functional.pad(ink[:, :, 1:] - ink[:, :, :-1], (0, 1))
        dy = torch.nn.functional.pad(ink[:, 1:, :] - ink[:, :-1, :], (0, 0, 0, 1))
        perimeter = (dx.square() + dy.square()).sqrt().sum(dim=(1, 2)).clamp_min(1e-6)
        rows = torch.arange(ink.shape[1], dtype=ink.dtype, device=ink.device)[None, :, None]
        cols = torch.arange(ink.shape[2], dtype=ink.dtype, device=ink.device)[None, None, :]
        mean_row = (ink * rows).sum(dim=(1, 2)) / area
        mean_col = (ink * cols).sum(dim=(1, 2)) / area
        drow = rows - mean_row[:, None, None]
        dcol = cols - mean_col[:, None, None]
        var_row = (ink * drow.square()).sum(dim=(1, 2)) / area
        cov = (ink * drow * dcol).sum(dim=(1, 2)) / area
        slant = -cov / var_row.clamp_min(1e-6)
        width = (ink.amax(dim=1) > 0.5).sum(dim=1).float()
        height = (ink.amax(dim=2) > 0.5).sum(dim=1).float()
        return torch.stack([2 * area / perimeter, slant, width, height], dim=1)
