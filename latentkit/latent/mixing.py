"""Style mixing (Karras et al. 2019, Fig. 3): a destination's ws with a layer range taken from a
source, in a generator seen from any of its spaces (`latentkit.nets.spaces.LatentSpace`)."""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from latentkit.errors import LatentkitError
from latentkit.nets.spaces import check_layers


@torch.no_grad()
def mix_styles(
    generator: nn.Module,
    destinations: np.ndarray,
    sources: np.ndarray,
    layers: list[int],
    device: str | torch.device = "cpu",
) -> torch.Tensor:
    """Images [D·S, C, H, W] (destination-major, on the CPU): each destination code's ws with
    the `layers` taken from each source code's ws. Codes are of the generator's space."""
    if not hasattr(generator, "ws"):
        raise LatentkitError(
            f"{getattr(generator, 'source', 'the generator')}: style mixing needs a generator "
            "with a mapping network"
        )
    layers = check_layers(layers, generator.num_ws)
    dest, source = (
        generator.ws(torch.from_numpy(np.asarray(codes, np.float32)).to(device))
        for codes in (destinations, sources)
    )
    mixed = dest[:, None].repeat(1, len(source), 1, 1)  # [D, S, num_ws, w_dim]
    mixed[:, :, layers] = source[None, :, layers]
    return torch.cat([generator.synthesize(row).float().cpu() for row in mixed])
