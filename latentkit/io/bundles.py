"""Pretrained bundles: models latentkit trained itself, shipped in ``pretrained/`` and installed
as the package ``latentkit_pretrained`` (from an editable install or a wheel alike).

A bundle is a folder with ``bundle.json``::

    {"name": "mnist", "description": "...", "models": {"generator": "generator.safetensors",
     "encoder": "encoder.safetensors", "scorer": "scorer.safetensors"},
     "directions": {"thickness": "boundaries/thickness.npz", ...}, "space": "w"}

``space`` (optional, default z) is the latent space its bank, boundaries and encoder live in, and
so the space its generator is loaded in when none is asked for.

A bundle is named where a file is expected: ``mnist`` for its generator, encoder or scorer, and
``mnist:thickness`` for one of its directions. A path that exists always wins over a name.
"""

from __future__ import annotations

import fnmatch
import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from latentkit.errors import LatentkitError

PACKAGE = "latentkit_pretrained"
MANIFEST = "bundle.json"


@dataclass(frozen=True)
class Bundle:
    """One pretrained bundle: its folder and manifest."""

    name: str
    folder: Path
    description: str
    models: dict[str, str]
    directions: dict[str, str]
    space: str = "z"

    def model(self, role: str) -> Path:
        """The file of the model in `role` (generator, encoder, scorer)."""
        if role not in self.models:
            have = ", ".join(sorted(self.models)) or "none"
            raise LatentkitError(f"bundle {self.name!r} has no {role} (it has: {have})")
        return self.folder / self.models[role]

    def direction(self, name: str) -> Path:
        """The file of the named direction."""
        if name not in self.directions:
            raise LatentkitError(
                f"bundle {self.name!r} has no direction {name!r} "
                f"(it has: {', '.join(sorted(self.directions))})"
            )
        return self.folder / self.directions[name]


def bundles_root() -> Path | None:
    """The installed ``pretrained/`` folder, or None when latentkit was installed without it."""
    try:
        root = resources.files(PACKAGE)
    except ModuleNotFoundError:
        return None
    return Path(str(root))


def list_bundles() -> dict[str, Bundle]:
    """Every installed bundle by name."""
    root = bundles_root()
    if root is None or not root.is_dir():
        return {}
    found = {}
    for manifest in sorted(root.glob(f"*/{MANIFEST}")):
        data = json.loads(manifest.read_text())
        found[data["name"]] = Bundle(
            name=data["name"],
            folder=manifest.parent,
            description=data.get("description", ""),
            models=dict(data.get("models", {})),
            directions=dict(data.get("directions", {})),
            space=data.get("space", "z"),
        )
    return found


def get_bundle(name: str) -> Bundle:
    """The bundle called `name`, or a one-line error listing the known ones."""
    found = list_bundles()
    if name not in found:
        raise LatentkitError(
            f"{name}: no such file, nor a pretrained bundle (bundles: {', '.join(found) or 'none'})"
        )
    return found[name]


def _is_name(spec: str) -> bool:
    return bool(spec) and "/" not in spec and "\\" not in spec and not Path(spec).exists()


def _is_bundle_name(text: str) -> bool:
    """Whether a model spec reads as a bundle's name (no path, no ``:``, no extension)."""
    return _is_name(text) and ":" not in text and "." not in text


def resolve_model(spec: str | Path, role: str) -> str | Path:
    """`spec` itself, or the file of `role` in the bundle it names."""
    text = str(spec)
    if _is_bundle_name(text):
        return get_bundle(text).model(role)
    return spec


def default_space(spec: str | Path) -> str:
    """The latent space a generator `spec` is loaded in when none is asked for: the space of the
    bundle it names, else z."""
    text = str(spec)
    found = list_bundles() if _is_bundle_name(text) else {}
    return found[text].space if text in found else "z"


def expand_directions(spec: str | Path) -> list[str | Path]:
    """The direction specs a pattern names: ``BUNDLE:digit=*`` -> every matching direction of
    the bundle; a path with ``*`` -> the matching files (sorted); anything else, itself."""
    text = str(spec)
    if "*" not in text:
        return [spec]
    bundle, colon, name = text.partition(":")
    if colon and "/" not in bundle and bundle in list_bundles():
        found = [f"{bundle}:{n}" for n in sorted(get_bundle(bundle).directions)
                 if fnmatch.fnmatchcase(n, name)]  # fmt: skip
    else:
        path = Path(text)
        found = sorted(path.parent.glob(path.name))
    if not found:
        raise LatentkitError(f"{text}: the pattern matches no direction")
    return found


def resolve_direction(spec: str | Path) -> str | Path:
    """`spec` itself, or the file of ``BUNDLE:DIRECTION``."""
    text = str(spec)
    bundle, colon, name = text.partition(":")
    if _is_name(text) and colon and bundle in list_bundles():
        return get_bundle(bundle).direction(name)
    return spec
