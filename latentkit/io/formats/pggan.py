"""InterFaceGAN's PGGAN generators (``pggan_celebahq.pth``): a ``PGGANGeneratorModel`` state dict
saved with ``torch.save`` (read with ``torch.load(..., weights_only=True)``, torch's restricted
unpickler, never a full unpickle) or as safetensors. The sizes are read from the weights: the
latent size from ``layer0``, each resolution's width from its convolutions, the image channels
from ``output0``."""

from __future__ import annotations

import pickle
from pathlib import Path

import torch
from torch import nn

from latentkit.errors import LatentkitError
from latentkit.io.formats.state import load_strictly
from latentkit.nets.progan import ProGANGenerator

KEYS = ("lod", "layer0.conv.weight", "layer1.conv.weight", "output0.conv.weight")


def is_pggan_state(state: dict) -> bool:
    """Whether a state dict has InterFaceGAN's PGGAN key names."""
    return all(key in state for key in KEYS)


def pggan_from_state(state: dict[str, torch.Tensor], source: str | Path) -> nn.Module:
    """latentkit's ProGAN generator holding an InterFaceGAN PGGAN state dict, in eval mode."""
    if any(key.endswith("conv.weight") and state[key].ndim != 4 for key in state):
        raise LatentkitError(f"{source}: a PGGAN state dict with malformed convolution weights")
    channels = [int(state["layer0.conv.weight"].shape[1])]
    k = 1
    while f"layer{2 * k - 1}.conv.weight" in state:
        channels.append(int(state[f"layer{2 * k - 1}.conv.weight"].shape[0]))
        k += 1
    net = ProGANGenerator(channels, int(state["output0.conv.weight"].shape[0]))
    load_strictly(net, state, source)
    return net.eval()


def read_torch_state(path: str | Path) -> dict:
    """A ``torch.save`` file's content through torch's restricted loader (``weights_only``)."""
    try:
        return torch.load(str(path), weights_only=True, map_location="cpu")
    except (pickle.UnpicklingError, RuntimeError, EOFError, ValueError, OSError):
        raise LatentkitError(
            f"{path}: a torch.save file holding more than tensors (torch's restricted loader "
            "refused it); latentkit reads state dicts of tensors only"
        ) from None
