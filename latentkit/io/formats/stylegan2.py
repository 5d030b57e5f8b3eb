"""stylegan2-ada-pytorch generators saved as safetensors: ``G.state_dict()`` under the official
key names, with the constructor arguments as JSON in the file's metadata (``format``
``stylegan2-ada-pytorch/Generator``, ``config``). They build latentkit's `StyleGAN2Generator`,
whose module names are the official ones, so the weights load as they are (strictly)."""

from __future__ import annotations

import json
from pathlib import Path

from safetensors import SafetensorError, safe_open
from safetensors.torch import load_file
from torch import nn

from latentkit.errors import LatentkitError
from latentkit.nets.stylegan2 import StyleGAN2Generator

FORMAT = "stylegan2-ada-pytorch/Generator"


def is_official(path: str | Path) -> bool:
    """Whether a safetensors file holds an official StyleGAN2-ADA generator's state dict."""
    try:
        with safe_open(str(path), framework="pt") as f:
            return (f.metadata() or {}).get("format") == FORMAT
    except (SafetensorError, OSError):
        return False


def generator_from_kwargs(kwargs: dict, source: str = "") -> StyleGAN2Generator:
    """latentkit's StyleGAN2 generator for the official constructor arguments."""
    try:
        mapping, synthesis = kwargs.get("mapping_kwargs", {}), kwargs.get("synthesis_kwargs", {})
        return StyleGAN2Generator(
            latent_dim=int(kwargs["z_dim"]),
            w_dim=int(kwargs["w_dim"]),
            resolution=int(kwargs["img_resolution"]),
            channels=int(kwargs["img_channels"]),
            mapping_layers=int(mapping.get("num_layers", 8)),
            channel_base=int(synthesis.get("channel_base", 32768)),
            channel_max=int(synthesis.get("channel_max", 512)),
            class_labels=[str(i) for i in range(int(kwargs.get("c_dim", 0)))] or None,
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
    state = load_file(str(path))
    expected = net.state_dict()
    missing = sorted(set(expected) - set(state))
    extra = sorted(set(state) - set(expected))
    wrong = sorted(k for k in expected if k in state and state[k].shape != expected[k].shape)
    if missing or extra or wrong:
        parts = [f"{name}: {', '.join(keys[:3])}{' …' if len(keys) > 3 else ''}"
                 for name, keys in (("missing", missing), ("unexpected", extra),
                                    ("mis-shaped", wrong)) if keys]  # fmt: skip
        raise LatentkitError(f"{path}: the weights do not fit the config ({'; '.join(parts)})")
    net.load_state_dict(state)
    return net.eval()
