"""Every package in the tree is listed in pyproject.toml, so a built wheel holds it; every
module imports; every third-party package imported is a declared dependency."""

import ast
import importlib
import importlib.metadata
import re
import sys
import tomllib
from pathlib import Path

import pytest

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


MODULES = sorted(
    {
        ".".join(p.with_suffix("").relative_to(ROOT).parts).removesuffix(".__init__")
        for p in (ROOT / "latentkit").rglob("*.py")
    }
    | {f"latentkit_cli.{p.stem}" for p in (ROOT / "cli").glob("*.py") if p.stem != "__main__"}
)


@pytest.mark.parametrize("module", MODULES)
def test_every_module_imports(module):
    importlib.import_module(module.replace("latentkit_cli.__init__", "latentkit_cli"))


def test_every_imported_package_is_declared():
    declared = {
        re.split(r"[<>=\[ ]", requirement)[0].lower().replace("_", "-")
        for requirement in tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
            "dependencies"
        ]
    }
    distributions = importlib.metadata.packages_distributions()
    imported = set()
    for path in [*(ROOT / "latentkit").rglob("*.py"), *(ROOT / "cli").glob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                imported.add(node.module.split(".")[0])
    third_party = imported - set(sys.stdlib_module_names) - {"latentkit", "latentkit_cli"}
    needed = {d.lower() for name in third_party for d in distributions.get(name, [name])}
    assert needed <= declared, f"imported but not declared: {sorted(needed - declared)}"
