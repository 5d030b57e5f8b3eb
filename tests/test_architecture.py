"""The rules of docs/architecture.md, checked on the source: who may import whom, and a command
list that loads no heavy library."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# folder of latentkit -> the latentkit folders it must never import
FORBIDDEN = {
    "metrics": {"train", "reports", "viz"},
    "directions": {"train", "metrics", "reports"},
    "latent": {"train", "metrics", "reports", "directions"},
    "io": {"train", "metrics", "reports", "latent", "directions", "attributes"},
    "nets": {"train", "metrics", "reports", "latent", "directions", "io", "attributes"},
    "viz": {"train", "metrics", "reports", "latent", "directions"},
}


def imports(path: Path) -> set[str]:
    """Every module a source file imports, at any depth."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


LIBRARY = sorted((ROOT / "latentkit").rglob("*.py"))


@pytest.mark.parametrize("path", LIBRARY, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_library_keeps_its_layers(path):
    names = imports(path)
    assert not {n for n in names if n.split(".")[0] in ("click", "latentkit_cli")}
    folder = path.relative_to(ROOT / "latentkit").parts[0]
    above = {n.split(".")[1] for n in names if n.startswith("latentkit.") and n.count(".") >= 1}
    assert not above & FORBIDDEN.get(folder, set()), f"{folder} imports {above & FORBIDDEN[folder]}"


def test_the_command_list_imports_no_heavy_library():
    code = (
        "import sys\n"
        "from latentkit_cli.main import cli\n"
        "try:\n    cli.main(['--help'], prog_name='latentkit')\n"
        "except SystemExit:\n    pass\n"
        "heavy = {'torch', 'numpy', 'sklearn', 'lightgbm', 'matplotlib'} & set(sys.modules)\n"
        "print(sorted(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]", out.stdout
