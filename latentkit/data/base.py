"""The interface every dataset offers: indexed images in [-1, 1] with named attributes."""

from __future__ import annotations

import numpy as np
import torch


def to_unit_range(pixels: torch.Tensor) -> torch.Tensor:
    """uint8 pixels (0..255) -> float32 in [-1, 1]."""
    return pixels.float().div_(127.5).sub_(1.0)


def to_uint8(images: torch.Tensor) -> torch.Tensor:
    """Float images in [-1, 1] -> uint8 pixels (0..255), rounded."""
    return ((images.detach().float().clamp(-1, 1) + 1) * 127.5).round().to(torch.uint8)


class ImageSet:
    """A finite, indexed set of images with per-image attributes.

    ``images(index)`` returns float32 [n, channels, resolution, resolution] in [-1, 1];
    ``attributes(index)`` returns float32 [n, len(attribute_names)]. ``class_attribute`` names the
    attribute that is a class label (for example ``"digit"``), if any.
    """

    name: str
    channels: int
    resolution: int
    attribute_names: list[str]
    class_attribute: str | None = None
    angle_attributes: tuple[str, ...] = ()  # attributes that are angles in radians

    def __len__(self) -> int:
        raise NotImplementedError

    def images(self, index: np.ndarray) -> torch.Tensor:
        raise NotImplementedError

    def attributes(self, index: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def class_labels(self) -> list[str]:
        """Names of the class attribute's values 0, 1, ... (by default the numbers)."""
        labels = np.unique(self.labels(np.arange(len(self))))
        return [str(v) for v in range(int(labels.max()) + 1)]

    def labels(self, index: np.ndarray) -> np.ndarray:
        """Integer class labels of the class attribute."""
        if self.class_attribute is None:
            raise ValueError(f"dataset {self.name!r} has no class attribute")
        column = self.attribute_names.index(self.class_attribute)
        return self.attributes(index)[:, column].astype(np.int64)


class TensorImageSet(ImageSet):
    """An in-memory dataset: uint8 images [N, C, R, R] and float attributes [N, k]."""

    def __init__(
        self,
        name: str,
        pixels: torch.Tensor,
        attributes: np.ndarray | None = None,
        attribute_names: list[str] | None = None,
        class_attribute: str | None = None,
        class_names: list[str] | None = None,
    ):
        if pixels.dtype != torch.uint8 or pixels.ndim != 4 or pixels.shape[2] != pixels.shape[3]:
            raise ValueError("pixels must be uint8 [N, C, R, R]")
        self.name = name
        self.pixels = pixels
        self.channels = int(pixels.shape[1])
        self.resolution = int(pixels.shape[2])
        n = len(pixels)
        self._attributes = (
            np.zeros((n, 0), np.float32)
            if attributes is None
            else np.asarray(attributes, np.float32)
        )
        self.attribute_names = list(attribute_names or [])
        if self._attributes.shape != (n, len(self.attribute_names)):
            raise ValueError("attributes must be [N, len(attribute_names)]")
        self.class_attribute = class_attribute
        self.class_names = list(class_names or [])

    def __len__(self) -> int:
        return len(self.pixels)

    def class_labels(self) -> list[str]:
        """The class names when the data named them (a folder's words), else the numbers."""
        return self.class_names or super().class_labels()

    def images(self, index: np.ndarray) -> torch.Tensor:
        return to_unit_range(self.pixels[torch.as_tensor(np.asarray(index), dtype=torch.long)])

    def attributes(self, index: np.ndarray) -> np.ndarray:
        return self._attributes[np.asarray(index)]


def resize_pixels(pixels: torch.Tensor, resolution: int) -> torch.Tensor:
    """Resize uint8 square images [N, C, r, r] to `resolution` (bilinear, antialiased)."""
    if pixels.shape[-1] == resolution:
        return pixels
    out = torch.nn.functional.interpolate(
        pixels.float(),
        size=(resolution, resolution),
        mode="bilinear",
        antialias=True,
        align_corners=False,
    )
    return out.round().clamp(0, 255).to(torch.uint8)


class SubsetImageSet(ImageSet):
    """The images of `parent` at `index`, in that order, with the parent's attributes."""

    def __init__(self, parent: ImageSet, index: np.ndarray, name: str):
        self.parent = parent
        self.index = np.asarray(index, np.int64)
        self.name = name
        self.channels = parent.channels
        self.resolution = parent.resolution
        self.attribute_names = parent.attribute_names
        self.class_attribute = parent.class_attribute
        self.angle_attributes = parent.angle_attributes

    def __len__(self) -> int:
        return len(self.index)

    def images(self, index: np.ndarray) -> torch.Tensor:
        return self.parent.images(self.index[np.asarray(index)])

    def attributes(self, index: np.ndarray) -> np.ndarray:
        return self.parent.attributes(self.index[np.asarray(index)])

    def class_labels(self) -> list[str]:
        return self.parent.class_labels()


HELDOUT_FRACTION = 0.2
SPLIT_SEED = 20260  # fixed: every command and every run sees the same split
SPLITS = ("train", "heldout")


def split_dataset(data: ImageSet, part: str) -> SubsetImageSet:
    """The ``train`` (80%) or ``heldout`` (20%) part of `data`, by a fixed seeded permutation.

    The split depends only on the dataset's size, so a generator or encoder trained on
    ``NAME@train`` is measured on images it never saw with ``NAME@heldout``.
    """
    order = np.random.default_rng(SPLIT_SEED).permutation(len(data))
    cut = round(len(data) * HELDOUT_FRACTION)
    index = np.sort(order[:cut] if part == "heldout" else order[cut:])
    return SubsetImageSet(data, index, f"{data.name}@{part}")
