"""Every package in the tree is listed in pyproject.toml, so a built wheel holds it."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_package_is_listed():
    listed = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    found = {
        ".".join(p.parent.relative_to(ROOT).parts)
        for p in (ROOT / "latentkit").rglob("__init__.py")
    }
    assert found | {"latentkit_cli", "latentkit_pretrained"} == listed
