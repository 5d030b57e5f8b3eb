"""Loading and saving models: latentkit checkpoints, TorchScript files and Python factories.

A generator is named by a spec:

* a path to a latentkit file (``generator.safetensors`` or a training ``checkpoint.safetensors``);
* a path to a TorchScript file; its latent size comes from its ``latent_dim`` attribute or
  ``latent_dim=``;
* the name of a pretrained bundle (``mnist``; see `latentkit.io.bundles`);
* ``py:package.module:function``, a Python factory returning an ``nn.Module`` (trusted code: it is
  imported and run, so it is only used when asked for with this prefix).

Pickles are never loaded: a ``torch.save`` file is refused before anything is read from it.
"""

from __future__ import annotations

import importlib
import warnings
from pathlib import Path

import torch
from torch import nn

from latentkit.errors import LatentkitError
from latentkit.io.bundles import resolve_model
from latentkit.io.checkpoint import (
    load_state,
    load_weights,
    model_entry,
    read_metadata,
    save_state,
    sniff,
)
from latentkit.nets import build

FACTORY_PREFIX = "py:"


def save_model(
    path: str | Path, net: nn.Module, role: str, source: dict | None = None, overwrite: bool = True
) -> Path:
    """Save a latentkit network as a model file holding one model under `role` (for example
    ``"generator"``), with optional provenance."""
    state = {"models": {role: model_entry(net)}, "source": source or {}}
    return save_state(path, state, kind="model", overwrite=overwrite)


def load_model(path: str | Path, role: str) -> nn.Module:
    """Rebuild the model stored under `role` in a latentkit file, in eval mode on the CPU."""
    path = Path(path)
    models = read_metadata(path)["tree"].get("models", {})
    if role not in models:
        have = ", ".join(sorted(models)) or "none"
        raise LatentkitError(f"{path}: holds no {role} (it holds: {have})")
    entry = load_state(path, ("models", role))
    net = build(entry["config"])
    load_weights(net, entry["state"], str(path))
    return net.eval()


class FixedClass(nn.Module):
    """A class-conditional generator seen as an unconditional one: every code gets `label`."""

    def __init__(self, generator: nn.Module, label: int):
        super().__init__()
        self.generator = generator
        self.label = label
        self.latent_dim = generator.latent_dim
        self.prior = generator.prior
        self.class_name = generator.class_labels[label]

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        labels = torch.full((z.shape[0],), self.label, dtype=torch.long, device=z.device)
        return self.generator(z, labels)


def with_class(net: nn.Module, label: str | None, spec: str) -> nn.Module:
    """`net` itself, or for a class-conditional generator `net` fixed to the class `label` (a
    class name or its index)."""
    labels = list(getattr(net, "class_labels", []) or [])
    if not labels:
        if label is not None:
            raise LatentkitError(f"{spec}: --class given, but the generator is not conditional")
        return net
    if label is None:
        raise LatentkitError(
            f"{spec}: a class-conditional generator; pass --class (one of {', '.join(labels)})"
        )
    if label in labels:
        return FixedClass(net, labels.index(label))
    raise LatentkitError(f"{spec}: no class {label!r} (classes: {', '.join(labels)})")


class ScriptedModel(nn.Module):
    """A TorchScript module with the attributes latentkit needs beside it."""

    def __init__(self, module: torch.jit.ScriptModule, **attributes):
        super().__init__()
        self.module = module
        for name, value in attributes.items():
            setattr(self, name, value)

    def forward(self, *args):
        return self.module(*args)


def load_torchscript(path: str | Path) -> torch.jit.ScriptModule:
    """Load a TorchScript archive on the CPU, refusing anything that is not one."""
    path = Path(path)
    kind = sniff(path)
    if kind != "torchscript":
        raise LatentkitError(f"{path}: not a TorchScript file (looks like {kind})")
    try:
        with warnings.catch_warnings():  # torch 2.9+ deprecates TorchScript; users still ship it
            warnings.simplefilter("ignore", DeprecationWarning)
            return torch.jit.load(str(path), map_location="cpu").eval()
    except (RuntimeError, ValueError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise LatentkitError(f"{path}: corrupt TorchScript file ({first})") from None


def _factory(spec: str) -> nn.Module:
    target = spec[len(FACTORY_PREFIX) :]
    module_name, _, function_name = target.partition(":")
    if not module_name or not function_name:
        raise LatentkitError(f"{spec}: a factory is named py:package.module:function")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise LatentkitError(f"{spec}: cannot import {module_name} ({exc})") from None
    function = getattr(module, function_name, None)
    if not callable(function):
        raise LatentkitError(f"{spec}: {module_name} has no function {function_name}")
    net = function()
    if not isinstance(net, nn.Module):
        raise LatentkitError(
            f"{spec}: the factory returned a {type(net).__name__}, not an nn.Module"
        )
    return net


def load_generator(
    spec: str | Path,
    latent_dim: int | None = None,
    device: str | torch.device = "cpu",
    prior: str | None = None,
    label: str | None = None,
) -> nn.Module:
    """Load a generator from a spec (see the module docstring), check it against the contract
    (``latent_dim``; ``forward(z [N, d])`` -> images [N, C, H, W]) and return it in eval mode.
    A class-conditional generator is fixed to the class `label` (required for one)."""
    spec_text = str(spec)
    if spec_text.startswith(FACTORY_PREFIX):
        net = _factory(spec_text)
    else:
        path = Path(resolve_model(spec_text, "generator"))
        if not path.exists():
            raise LatentkitError(f"{path}: no such generator file")
        if path.is_dir():
            candidate = path / "generator.safetensors"
            if not candidate.is_file():
                raise LatentkitError(f"{path}: a folder without generator.safetensors")
            path = candidate
        if sniff(path) == "torchscript":
            net = ScriptedModel(load_torchscript(path))
            scripted_dim = getattr(net.module, "latent_dim", None)
            if latent_dim is None and scripted_dim is not None:
                latent_dim = int(scripted_dim)
            net.prior = getattr(net.module, "prior", "normal")
        else:
            net = load_model(path, "generator")
    if latent_dim is not None:
        declared = getattr(net, "latent_dim", None)
        if (
            declared is not None
            and int(declared) != latent_dim
            and not isinstance(net, ScriptedModel)
        ):
            raise LatentkitError(
                f"{spec_text}: the generator's latent size is {declared}, not {latent_dim}"
            )
        net.latent_dim = latent_dim
    if getattr(net, "latent_dim", None) is None:
        raise LatentkitError(
            f"{spec_text}: the generator does not say its latent size; pass --latent-dim"
        )
    if prior is not None:
        net.prior = prior
    elif not hasattr(net, "prior"):
        net.prior = "normal"
    net = with_class(net.to(device).eval(), label, spec_text)
    _check_generator(net, spec_text, device)
    return net


@torch.no_grad()
def _check_generator(net: nn.Module, spec: str, device) -> None:
    try:
        images = net(torch.zeros(2, int(net.latent_dim), device=device))
    except Exception as exc:  # a foreign model can fail in any way; say so in one line
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise LatentkitError(
            f"{spec}: the generator failed on codes of size {net.latent_dim} ({first})"
        ) from None
    if not isinstance(images, torch.Tensor) or images.ndim != 4 or images.shape[0] != 2:
        shape = tuple(images.shape) if isinstance(images, torch.Tensor) else type(images).__name__
        raise LatentkitError(f"{spec}: the generator returned {shape}, not images [N, C, H, W]")


def load_encoder(spec: str | Path, device: str | torch.device = "cpu") -> nn.Module:
    """An encoder (images -> codes) from a latentkit file holding an ``encoder``, or from a
    TorchScript file (whose ``latent_dim`` attribute is used when present), in eval mode."""
    path = Path(resolve_model(spec, "encoder"))
    if not path.is_file():
        raise LatentkitError(f"{path}: no such encoder file")
    if sniff(path) == "torchscript":
        module = load_torchscript(path)
        net = ScriptedModel(module, latent_dim=getattr(module, "latent_dim", None))
    else:
        net = load_model(path, "encoder")
    return net.to(device).eval()
