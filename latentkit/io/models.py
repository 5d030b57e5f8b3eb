"""Loading and saving models: one resolver, `load_network(spec, role)`, for every role
(``generator``, ``encoder``, ``scorer``).

A spec is, in this order of precedence:

* ``py:package.module:function``, a Python factory returning an ``nn.Module`` (trusted code: it is
  imported and run, so it is only used when asked for with this prefix; the module is found on
  ``sys.path`` with the working directory first, as ``python -m`` does);
* an existing path: a latentkit file (``generator.safetensors``, ``scorer.safetensors``, a
  training ``checkpoint.safetensors``), a run folder holding ``<role>.safetensors``, or a
  TorchScript file;
* the name of a pretrained bundle (``mnist``; see `latentkit.io.bundles`).

Code in a model file never runs: generators of other tools are read by `latentkit.io.formats`
(network pickles through an allowlist, ``.pth`` state dicts through torch's restricted loader);
any other pickle or ``torch.save`` file is refused before anything is read from it.
"""

from __future__ import annotations

import importlib
import os
import sys
import warnings
from pathlib import Path

import torch
from torch import nn

from latentkit.errors import LatentkitError
from latentkit.io.atomic import check_writable
from latentkit.io.bundles import default_space, resolve_model
from latentkit.io.checkpoint import (
    load_state,
    load_weights,
    model_entry,
    read_metadata,
    save_state,
    sniff,
)
from latentkit.io.formats import load_foreign_generator
from latentkit.nets import build
from latentkit.nets.spaces import LatentSpace, has_mapping
from latentkit.priors import draw_codes

FACTORY_PREFIX = "py:"
ROLES = ("generator", "encoder", "scorer")
# The pixel ranges a generator may declare; latentkit's own convention is the first.
OUTPUT_RANGES = {"-1,1": (-1.0, 1.0), "0,1": (0.0, 1.0), "0,255": (0.0, 255.0)}
# Share of the range's width an image may overshoot it by: StyleGAN2's raw images, unclamped,
# reach past [-1, 1] by a fraction of it; another convention ([0, 255]) overshoots by far more.
RANGE_TOLERANCE = 0.25


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


def convert_generator(spec: str | Path, out: str | Path, overwrite: bool = False) -> nn.Module:
    """Write the generator a spec names (a network pickle, a PGGAN ``.pth``, official-key
    safetensors, a latentkit file) as a latentkit model file, its architecture and the source
    in the metadata, so that a foreign file is read once. Returns the generator."""
    check_writable(out, overwrite)
    net = load_network(spec, "generator")
    arch = (getattr(net, "config", None) or {}).get("arch")
    if arch is None:
        raise LatentkitError(
            f"{spec}: not a latentkit architecture (TorchScript and py: factories are loaded as "
            "they are; there is nothing to convert)"
        )
    save_model(out, net, "generator", {"converted_from": str(spec), "architecture": arch},
               overwrite)  # fmt: skip
    return net


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


def class_index(net: nn.Module, label: str | None, spec: str) -> int | None:
    """The index of the class `label` (a class name or its index) of a class-conditional
    generator (required for one), or None for an unconditional one (which must get none)."""
    labels = list(getattr(net, "class_labels", []) or [])
    if not labels:
        if label is not None:
            raise LatentkitError(
                f"{spec}: a class was given, but the generator is not conditional", ("label",)
            )
        return None
    if label is None:
        raise LatentkitError(
            f"{spec}: a class-conditional generator; name a class (one of {', '.join(labels)})",
            ("label",),
        )
    if label in labels:
        return labels.index(label)
    raise LatentkitError(f"{spec}: no class {label!r} (classes: {', '.join(labels)})")


def with_class(net: nn.Module, label: str | None, spec: str) -> nn.Module:
    """`net` itself, or for a class-conditional generator `net` fixed to the class `label`."""
    index = class_index(net, label, spec)
    return net if index is None else FixedClass(net, index)


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
    if "" not in sys.path and os.getcwd() not in sys.path:
        sys.path.insert(0, "")  # the working directory, as `python -m` puts it
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


def model_file(spec: str | Path, role: str) -> Path:
    """The file a spec names for `role`: the path itself, ``<role>.safetensors`` in a run folder,
    or the bundle's model."""
    path = Path(resolve_model(spec, role))
    if path.is_dir():
        candidate = path / f"{role}.safetensors"
        if not candidate.is_file():
            raise LatentkitError(f"{path}: a folder without {role}.safetensors")
        return candidate
    if not path.is_file():
        raise LatentkitError(f"{path}: no such {role} file")
    return path


def load_network(
    spec: str | Path,
    role: str,
    device: str | torch.device = "cpu",
    **attributes,
) -> nn.Module:
    """The network a spec names for `role` (see the module docstring), in eval mode on `device`,
    with ``source`` set to the spec. Keyword `attributes` (``latent_dim``, ``attribute_names``)
    fill what a TorchScript module's own attributes do not say."""
    if role not in ROLES:
        raise LatentkitError(f"unknown role {role!r} (roles: {', '.join(ROLES)})")
    text = str(spec)
    if text.startswith(FACTORY_PREFIX):
        net = _factory(text)
    else:
        path = model_file(text, role)
        if sniff(path) == "torchscript":
            module = load_torchscript(path)
            found = {name: getattr(module, name, None) for name in attributes}
            net = ScriptedModel(
                module, **{k: found[k] if v is None else v for k, v in attributes.items()}
            )
        else:
            foreign = load_foreign_generator(path) if role == "generator" else None
            net = foreign if foreign is not None else load_model(path, role)
    net.source = text
    return net.to(device).eval()


class Standardised(nn.Module):
    """A generator whose images are brought to latentkit's convention, [N, C, H, W] in [-1, 1]:
    from channels-last [N, H, W, C] and from a declared pixel range [low, high]."""

    def __init__(self, generator: nn.Module, output_range: str, channels_last: bool):
        super().__init__()
        self.generator = generator
        self.low, self.high = OUTPUT_RANGES[output_range]
        self.channels_last = channels_last
        self.latent_dim, self.prior = generator.latent_dim, generator.prior
        self.class_labels = list(getattr(generator, "class_labels", []) or [])

    def forward(self, z: torch.Tensor, *labels) -> torch.Tensor:
        images = self.generator(z, *labels)
        if self.channels_last:
            images = images.permute(0, 3, 1, 2)
        if (self.low, self.high) == OUTPUT_RANGES["-1,1"]:
            return images
        return (images - self.low) / (self.high - self.low) * 2 - 1


def load_generator(
    spec: str | Path,
    latent_dim: int | None = None,
    device: str | torch.device = "cpu",
    prior: str | None = None,
    label: str | None = None,
    output_range: str = "-1,1",
    channels_last: bool = False,
    space: str | None = None,
    truncation: float | None = None,
    truncation_layers: list[int] | None = None,
) -> nn.Module:
    """Load a generator (`load_network`), check it against the contract (``latent_dim``;
    ``forward(z [N, d])`` -> finite images [N, C, H, W] in [-1, 1]) and return it in eval
    mode. A generator of another convention declares it: `output_range` (``"0,1"``,
    ``"0,255"``) and `channels_last` ([N, H, W, C]). A class-conditional generator is fixed to
    the class `label` (required for one).

    A generator with a mapping network is returned as a `LatentSpace` of `space` (``z``, ``w``
    or ``wp``; None: the space of the bundle `spec` names, else z) with truncation ψ
    `truncation` on `truncation_layers`; any other has only the z space, and `truncation` is
    the threshold of BigGAN's trick for its seeded codes."""
    if output_range not in OUTPUT_RANGES:
        raise LatentkitError(
            f"unknown output range {output_range!r} (known: {', '.join(OUTPUT_RANGES)})",
            ("output_range",),
        )
    text = str(spec)
    space = space or default_space(spec)
    net = load_network(spec, "generator", device, latent_dim=latent_dim, prior=prior)
    declared = getattr(net, "latent_dim", None)
    if latent_dim is not None:
        if declared is not None and int(declared) != latent_dim:
            raise LatentkitError(
                f"{text}: the generator's latent size is {declared}, not {latent_dim}"
            )
        net.latent_dim = latent_dim
    if getattr(net, "latent_dim", None) is None:
        raise LatentkitError(f"{text}: the generator does not say its latent size", ("latent_dim",))
    net.latent_dim = int(net.latent_dim)
    if prior is not None:
        net.prior = prior
    elif getattr(net, "prior", None) is None:
        net.prior = "normal"
    known_range = "arch" in (getattr(net, "config", None) or {})
    if has_mapping(net):
        if output_range != "-1,1" or channels_last:
            raise LatentkitError(
                f"{text}: a style-based generator makes images [N, C, H, W] in [-1, 1]",
                ("output_range",),
            )
        net = LatentSpace(net, space, truncation, truncation_layers, class_index(net, label, text))
    else:
        net = _plain_generator(net, text, label, output_range, channels_last, space, truncation,
                               truncation_layers)  # fmt: skip
    net.source = text
    check_images(net, device, text, check_range=not known_range)
    return net


def _plain_generator(
    net, text, label, output_range, channels_last, space, truncation, truncation_layers
) -> nn.Module:
    """A generator without a mapping network: only the z space; its range and layout
    standardised, fixed to its class, with a truncation threshold for its seeded codes."""
    if space != "z" or truncation_layers is not None:
        what = "space" if space != "z" else "truncation_layers"
        raise LatentkitError(
            f"{text}: has no mapping network, so only the z space and no layers", (what,)
        )
    if output_range != "-1,1" or channels_last:
        net = Standardised(net, output_range, channels_last)
    net = with_class(net, label, text)
    if truncation is not None:
        if net.prior != "normal" or truncation <= 0:
            raise LatentkitError(
                f"{text}: truncation of z needs a normal prior and a positive threshold, not "
                f"{truncation}",
                ("truncation",),
            )
        net.truncation = truncation
    return net


@torch.no_grad()
def _probe(net: nn.Module, codes: torch.Tensor, source: str) -> torch.Tensor:
    """The generator's output for `codes`, refused in one line unless it is images [N, ...]."""
    try:
        images = net(codes)
    except Exception as exc:  # a foreign model can fail in any way; say so in one line
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise LatentkitError(
            f"{source}: the generator failed on codes of size {net.latent_dim} ({first})"
        ) from None
    if not isinstance(images, torch.Tensor) or images.ndim != 4 or len(images) != len(codes):
        shape = tuple(images.shape) if isinstance(images, torch.Tensor) else type(images).__name__
        raise LatentkitError(f"{source}: the generator returned {shape}, not images [N, C, H, W]")
    return images.float()


def _within(low: float, high: float, output_range: str) -> bool:
    """Whether [low, high] lies in the range, give or take RANGE_TOLERANCE of its width."""
    a, b = OUTPUT_RANGES[output_range]
    slack = RANGE_TOLERANCE * (b - a)
    return a - slack <= low and high <= b + slack


def check_images(
    net: nn.Module, device: str | torch.device = "cpu", source: str = "", check_range: bool = True
) -> None:
    """Refuse a generator whose images, for 8 seeded codes of its prior, are not finite images
    [N, C, H, W] in [-1, 1] (within RANGE_TOLERANCE), in one line that says what it saw. Layout
    and range are not checked for latentkit's own architectures (`check_range` False), whose
    conventions are known: an untrained StyleGAN2 overshoots [-1, 1] far, and a generator of
    2-D points makes [N, 2, 1, 1] coordinates."""
    codes = draw_codes(net, 8, seed=0)
    images = _probe(net, torch.from_numpy(codes).to(device), source)
    if not torch.isfinite(images).all():
        raise LatentkitError(f"{source}: the generator made NaN or infinite pixels")
    if check_range and images.shape[1] not in (1, 3) and images.shape[-1] in (1, 3):
        raise LatentkitError(
            f"{source}: images of shape {tuple(images.shape)} look channels-last; latentkit "
            "takes [N, C, H, W] (declare channels-last to convert)",
            ("channels_last",),
        )
    low, high = float(images.min()), float(images.max())
    if check_range and not _within(low, high, "-1,1"):
        guess = next((name for name in OUTPUT_RANGES if _within(low, high, name)), None)
        hint = f"; declare its range ({guess})" if guess else "; declare its range"
        raise LatentkitError(
            f"{source}: pixels range over [{low:.3g}, {high:.3g}], not [-1, 1]{hint}",
            ("output_range",),
        )


def image_shape(net: nn.Module, device: str | torch.device = "cpu", source: str = "") -> tuple:
    """The (C, H, W) of a generator's images, from two codes of zeros; a generator that fails
    or returns anything but images [N, C, H, W] is refused in one line."""
    source = source or getattr(net, "source", "the generator")
    return tuple(_probe(net, torch.zeros(2, int(net.latent_dim), device=device), source).shape[1:])


def load_encoder(spec: str | Path, device: str | torch.device = "cpu") -> nn.Module:
    """An encoder (images -> codes): `load_network` for the ``encoder`` role."""
    return load_network(spec, "encoder", device, latent_dim=None)


def describe(spec: str | Path) -> list[str]:
    """What a model spec holds, as lines: for a latentkit file each model's role, architecture,
    size and provenance (trainer, step, held-out figures); for TorchScript its attributes; for a
    run folder its models; for a ``py:`` factory what it builds."""
    text = str(spec)
    if text.startswith(FACTORY_PREFIX):
        return [f"{text}: a Python factory", *_describe_net("model", _factory(text))]
    path = Path(text)
    if path.is_dir():
        files = sorted(path.glob("*.safetensors"))
        if not files:
            raise LatentkitError(f"{path}: a folder without latentkit model files")
        return [line for file in files for line in describe(file)]
    if not path.is_file():
        raise LatentkitError(f"{path}: no such file, nor a pretrained bundle")
    if sniff(path) == "torchscript":
        module = load_torchscript(path)
        names = ("latent_dim", "attribute_names", "prior")
        found = {n: getattr(module, n) for n in names if hasattr(module, n)}
        return [f"{path}: a TorchScript module", *(f"  {k}: {v}" for k, v in found.items())]
    tree = read_metadata(path)["tree"]
    lines = [f"{path}: a latentkit {'checkpoint' if 'step' in tree else 'model file'}"]
    for role in sorted(tree.get("models", {})):
        lines += _describe_net(role, load_model(path, role))
    source = tree.get("source") or {}
    if "converted_from" in source:
        lines.append(f"  converted from: {source['converted_from']}")
    elif source:
        lines.append(f"  made by: {source.get('trainer', '?')} at step {source.get('step', '?')}")
        for key, value in (source.get("holdout") or {}).items():
            lines.append(f"  held-out {key}: {value:.4g}")
    return lines


def _describe_net(role: str, net: nn.Module) -> list[str]:
    config = dict(getattr(net, "config", {}) or {})
    arch = config.pop("arch", type(net).__name__)
    count = sum(p.numel() for p in net.parameters())
    shown = ", ".join(f"{k}={v}" for k, v in config.items() if k != "heads")
    lines = [f"  {role}: {arch} ({count:,} parameters){f'; {shown}' if shown else ''}"]
    if getattr(net, "attribute_names", None):
        lines.append(f"    attributes: {', '.join(net.attribute_names)}")
    return lines
