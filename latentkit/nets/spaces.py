"""Latent spaces of a style-based generator: Z (the prior's codes), W (the mapping network's
output, one w for every layer) and W+ (``wp``: one w per layer, [num_ws, w_dim]).

`LatentSpace` shows a generator with a mapping network from one space: its codes are flat
vectors of that space (W+ flattened layer-major), ``forward(codes)`` makes images and ``draw``
makes seeded codes. Truncation ψ pulls ws toward ``w_avg`` on the chosen layers as InterFaceGAN
and the official code do: codes of Z and W are stored untruncated and truncated when rendered; a
W+ code holds the truncated ws, which it renders as they are. The same seed makes the same image
in every space.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from latentkit.errors import LatentkitError
from latentkit.priors import sample_codes

SPACES = ("z", "w", "wp")
MAPPING_BATCH = 4096  # codes mapped at once when drawing or converting


def has_mapping(net: nn.Module) -> bool:
    """Whether a generator has a mapping network and a synthesis network (StyleGAN-like)."""
    return all(hasattr(net, name) for name in ("mapping", "synthesis", "num_ws", "w_dim"))


def check_layers(layers: list[int] | None, num_ws: int, what: str = "layers") -> list[int] | None:
    """Layer indices checked against 0..num_ws-1 (None: all layers)."""
    if layers is None:
        return None
    if not layers:
        raise LatentkitError(f"{what}: an empty list of layers", (what,))
    outside = [i for i in layers if not 0 <= i < num_ws]
    if outside:
        raise LatentkitError(
            f"{what}: layer {outside[0]} is outside 0..{num_ws - 1} (the generator has "
            f"{num_ws} ws)",
            (what,),
        )
    return sorted(set(layers))


def codes_meta(generator: nn.Module) -> dict:
    """What banks and directions record of a loaded generator's codes: their space and shape,
    the prior, and the truncation (ψ and its layers in a style-based generator, else the
    threshold of z)."""
    space = getattr(generator, "space", "z")
    meta = {
        "space": space,
        "code_shape": list(getattr(generator, "code_shape", (int(generator.latent_dim),))),
        "prior": generator.prior,
        "truncation": getattr(generator, "truncation", None),
    }
    if isinstance(generator, LatentSpace):
        meta["truncation"] = None if generator.psi == 1 else generator.psi
        meta["truncation_layers"] = generator.truncation_layers
        meta["w_dim"] = generator.w_dim
    return meta


class LatentSpace(nn.Module):
    """A style-based generator seen from `space` (see the module docstring), fixed to the class
    `label` (an index) if conditional, with truncation ψ `truncation` on `truncation_layers`
    (None: every layer)."""

    def __init__(
        self,
        generator: nn.Module,
        space: str = "z",
        truncation: float | None = None,
        truncation_layers: list[int] | None = None,
        label: int | None = None,
    ):
        super().__init__()
        if space not in SPACES:
            raise LatentkitError(
                f"unknown space {space!r} (known: {', '.join(SPACES)})", ("space",)
            )
        if truncation is not None and truncation < 0:
            raise LatentkitError(
                f"truncation ψ must not be negative, not {truncation}", ("truncation",)
            )
        self.generator = generator
        self.space = space
        self.num_ws, self.w_dim = int(generator.num_ws), int(generator.w_dim)
        self.z_dim = int(generator.latent_dim)
        self.psi = 1.0 if truncation is None else float(truncation)
        self.truncation_layers = check_layers(truncation_layers, self.num_ws, "truncation_layers")
        self.label = label
        self.code_shape = {"z": (self.z_dim,), "w": (self.w_dim,), "wp": (self.num_ws, self.w_dim)}[
            space
        ]
        self.latent_dim = int(np.prod(self.code_shape))
        self.prior = "normal" if space == "z" else space
        self.class_labels: list[str] = []
        self.noise_mode = getattr(generator, "noise_mode", "const")

    def _classes(self, n: int, device) -> torch.Tensor | None:
        if self.label is None:
            return None
        labels = torch.full((n,), self.label, dtype=torch.long, device=device)
        return self.generator.one_hot(labels)

    def mapped(self, z: torch.Tensor) -> torch.Tensor:
        """Untruncated ws [N, num_ws, w_dim] of z."""
        return self.generator.mapping(z, self._classes(len(z), z.device))

    def truncate(self, ws: torch.Tensor) -> torch.Tensor:
        """ws pulled toward ``w_avg`` by ψ on the truncation layers."""
        if self.psi == 1:
            return ws
        layers = self.truncation_layers or list(range(self.num_ws))
        out = ws.clone()
        out[:, layers] = self.generator.mapping.w_avg.lerp(ws[:, layers], self.psi)
        return out

    def ws(self, codes: torch.Tensor) -> torch.Tensor:
        """The ws [N, num_ws, w_dim] that codes of this space render with."""
        codes = codes.float()
        if self.space == "z":
            return self.truncate(self.mapped(codes))
        if self.space == "w":
            return self.truncate(codes.unsqueeze(1).repeat(1, self.num_ws, 1))
        return codes.reshape(len(codes), self.num_ws, self.w_dim)

    def synthesize(self, ws: torch.Tensor) -> torch.Tensor:
        """Images of ws [N, num_ws, w_dim], in the generator's noise mode."""
        return self.generator.synthesis(ws, self.noise_mode)

    def forward(self, codes: torch.Tensor) -> torch.Tensor:
        return self.synthesize(self.ws(codes))

    def in_space(self, space: str) -> LatentSpace:
        """The same generator, class and truncation seen from another space."""
        view = LatentSpace(self.generator, space, self.psi, self.truncation_layers, self.label)
        view.source = getattr(self, "source", "")
        return view

    @torch.no_grad()
    def convert(self, codes: np.ndarray, space: str) -> np.ndarray:
        """Codes [N, latent_dim] of this space carried into `space`: z to w (mapped) or to wp
        (mapped, truncated), w to wp (one w per layer, truncated); a space to itself."""
        if space == self.space:
            return np.asarray(codes, np.float32)
        if SPACES.index(space) < SPACES.index(self.space):
            raise LatentkitError(
                f"codes of the {self.space} space cannot be carried back to {space}"
            )
        device = self.generator.mapping.w_avg.device
        size = self.w_dim if space == "w" else self.num_ws * self.w_dim
        out = np.empty((len(codes), size), np.float32)
        for start in range(0, len(codes), MAPPING_BATCH):  # working memory flat for any N
            batch = torch.from_numpy(np.asarray(codes[start : start + MAPPING_BATCH], np.float32))
            batch = batch.to(device)
            if self.space == "z":
                ws = self.mapped(batch)
                carried = ws[:, 0] if space == "w" else self.truncate(ws).flatten(1)
            else:
                carried = self.ws(batch).flatten(1)
            out[start : start + len(batch)] = carried.cpu().numpy()
        return out

    @torch.no_grad()
    def draw(self, n: int, seed: int) -> np.ndarray:
        """n seeded codes [n, latent_dim] of this space: z from the normal prior, carried into
        it."""
        z = sample_codes("normal", n, self.z_dim, seed)
        return z if self.space == "z" else self.in_space("z").convert(z, self.space)
