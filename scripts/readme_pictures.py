"""Regenerate the README's pictures: run ``latentkit demo`` and copy its figures to docs/demo/.

Usage: python scripts/readme_pictures.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PICTURES = [
    "mnist_samples.png",
    "sprites_samples.png",
    "edits/mnist_thickness.png",
    "edits/mnist_thickness_digit_kept.png",
    "edits/mnist_digit7.png",
    "edits/sprites_x.png",
    "edits/sprites_shapesquare.png",
    "edits/sprites_scale.png",
    "conditioned_edit.png",
    "report/edits/side_effects.png",
    "report/edits/side_effects_conditioned.png",
    "slerp.png",
    "analogy.png",
    "arithmetic.png",
    "real_inverted.png",
    "real_edit.png",
]


def main() -> None:
    target = ROOT / "docs" / "demo"
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        out = Path(work) / "demo"
        command = [sys.executable, "-m", "latentkit_cli", "demo", "--out", str(out)]
        subprocess.run([*command, "--device", "cpu"], check=True)
        for name in PICTURES:
            shutil.copy(out / name, target / name.replace("/", "_").replace("report_edits_", ""))
    print(f"pictures: {target}")


if __name__ == "__main__":
    main()
