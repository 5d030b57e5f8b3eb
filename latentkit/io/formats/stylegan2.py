"""stylegan2-ada-pytorch generators saved as safetensors: ``G.state_dict()`` under the official
key names, with the constructor arguments as JSON in the file's metadata (``format``
``stylegan2-ada-pytorch/Generator``, ``config``). They build latentkit's `StyleGAN2Generator`,
whose module names are the official ones, so the weights load as they are (strictly)."""

from __future__ import annotations

import json
from pathlib import Path

from safetensors import safe_open
from safetensors.torch import load_file
from torch import nn

from latentkit.errors import LatentkitError
from latentkit.io.formats.state import load_strictly
from latentkit.nets.stylegan2 import StyleGAN2Generator

FORMAT = "stylegan2-ada-pytorch/Generator"


def generator_from_kwargs(kwargs: dict, source: str = "") -> StyleGAN2Generator:
    """latentkit's StyleGAN2 generator for the official constructor arguments. The clamp of
    ``conv_clamp`` applies; ``num_fp16_res`` does not (latentkit computes in float32, which the
    official code also does off CUDA). Other architectures are refused in one line."""
    mapping, synthesis = kwargs.get("mapping_kwargs") or {}, kwargs.get("synthesis_kwargs") or {}
    unsupported = {
        "synthesis architecture": (synthesis.get("architecture", "skip"), "skip"),
        "mapping lr_multiplier": (mapping.get("lr_multiplier", 0.01), 0.01),
        "mapping embed_features": (mapping.get("embed_features"), None),
        "mapping layer_features": (mapping.get("layer_features"), None),
    }
    for name, (value, supported) in unsupported.items():
        if value != supported:
            raise LatentkitError(
                f"{source}: {name} {value!r} (latentkit's StyleGAN2 implements {supported!r})"
            )
    try:
        clamp = synthesis.get("conv_clamp")
        return StyleGAN2Generator(
            latent_dim=int(kwargs["z_dim"]),
            w_dim=int(kwargs["w_dim"]),
            resolution=int(kwargs["img_resolution"]),
            channels=int(kwargs["img_channels"]),
            mapping_layers=int(mapping.get("num_layers", 8)),
            channel_base=int(synthesis.get("channel_base", 32768)),
            channel_max=int(synthesis.get("channel_max", 512)),
            class_labels=[str(i) for i in range(int(kwargs.get("c_dim", 0)))] or None,
            conv_clamp=None if clamp is None else float(clamp),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise LatentkitError(
            f"{source}: the generator's configuration lacks or misstates {exc}"
        ) from None


def load_official(path: str | Path) -> nn.Module:
    """The generator of an official-key safetensors file, in eval mode on the CPU."""
    path = Path(path)
    with safe_open(str(path), framework="pt") as f:
        metadata = f.metadata() or {}
    try:
        kwargs = json.loads(metadata["config"])
    except (KeyError, json.JSONDecodeError):
        raise LatentkitError(f"{path}: no readable constructor config in its metadata") from None
    net = generator_from_kwargs(kwargs, str(path))
    load_strictly(net, load_file(str(path)), path)
    return net.eval()
