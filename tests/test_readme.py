"""The README: its first lines are the two set-up commands (CI runs the second), and every other
``latentkit`` command it shows runs, in order, in one folder, with sizes cut down for the test."""

import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import numpy as np
from click.testing import CliRunner
from PIL import Image
from safetensors.torch import load_file

from latentkit.data import load_dataset, to_uint8
from latentkit_cli.main import cli

ROOT = Path(__file__).resolve().parents[1]
# Shrinks per command (the first words) so the whole README runs in about a minute: option ->
# value, replacing the README's or added.
SMALLER = {
    "train": {"--steps": "2", "--checkpoint-every": "2", "--sample-every": "2", "--width": "8"},
    "sample": {"--n": "2000"},
    "invert": {"--steps": "3"},
    "measure quality": {"--n": "100"},
    "measure inversion": {"--n": "40", "--refine-steps": "2"},
    "measure latent": {"--path-samples": "20"},
    "measure edits": {"--n": "50"},
    "measure modes": {"--n": "300"},
    "measure disentanglement": {
        "--num-train": "40",
        "--num-test": "20",
        "--batch-size": "8",
        "--dci-mode": "fast",
    },
    "boundary pca": {"--n": "500"},
}
COVERED_ELSEWHERE = {
    "demo": "tests/cli/test_demo.py runs the demo itself",
}


OUTPUTS = ("--out", "--codes-out", "--images", "--interfacegan")


def assert_loads(path: Path, line: str) -> None:
    """A declared output exists and every file of it reads back as its kind."""
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    assert files, f"{line}: wrote nothing to {path}"
    for file in files:
        if file.suffix == ".png":
            with Image.open(file) as image:
                image.verify()
        elif file.suffix in (".npz", ".npy"):
            np.load(file, allow_pickle=False)
        elif file.suffix == ".json":
            json.loads(file.read_text())
        elif file.suffix == ".jsonl":
            [json.loads(row) for row in file.read_text().splitlines()]
        elif file.suffix == ".safetensors":
            load_file(file)
        else:
            assert file.stat().st_size > 0, file


def readme_blocks() -> list[list[str]]:
    """The README's bash blocks, as lists of logical lines (continuations joined)."""
    text = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```bash\n(.*?)```", text, flags=re.S)
    return [[" ".join(line.split()) for line in b.replace("\\\n", " ").splitlines() if line.strip()]
            for b in blocks]  # fmt: skip


def readme_commands():
    lines = readme_blocks()[0]
    return lines[0], lines[1]


def test_ci_runs_the_readme_test_command():
    demo, test = readme_commands()
    assert demo.endswith("latentkit demo") and "constraints.txt" in demo
    assert test in (ROOT / ".ci/run").read_text().splitlines()


def shrunk(args: list[str]) -> list[str]:
    """`args` with the SMALLER overrides of its command."""
    key = " ".join(args[:2]) if " ".join(args[:2]) in SMALLER else args[0]
    args = list(args)
    for option, value in SMALLER.get(key, {}).items():
        if option in args:
            args[args.index(option) + 1] = value
        else:
            args += [option, value]
    return args


def test_every_readme_command_runs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "tests").symlink_to(ROOT / "tests")  # the README's tests/fixtures/... files
    heldout = load_dataset("mnist@heldout")  # the README's "my_digit.png"
    Image.fromarray(to_uint8(heldout.images([0]))[0, 0].numpy()).save("my_digit.png")
    ran = 0
    for line in (line for block in readme_blocks()[1:] for line in block):
        words = shlex.split(line.split(" #")[0])
        if words[:2] == ["mkdir", "-p"]:
            for folder in words[2:]:
                Path(folder).mkdir(parents=True, exist_ok=True)
            continue
        if not words or words[0] != "latentkit":
            continue
        if words[1] in COVERED_ELSEWHERE:
            continue
        args = shrunk(words[1:])
        result = CliRunner().invoke(cli, ["--quiet", *args])
        assert result.exit_code == 0, f"{line}\n{result.output}"
        for option in OUTPUTS:
            if option in args:
                assert_loads(Path(args[args.index(option) + 1]), line)
        ran += 1
    assert ran >= 20


def test_the_readme_torchrun_line_runs(tmp_path):
    """The README's torchrun command, shrunk, runs two processes that write one run and report
    it once."""
    lines = [line for block in readme_blocks()[1:] for line in block if line.startswith("torchrun")]
    assert len(lines) == 1
    words = shlex.split(lines[0].split(" #")[0])
    module = words.index("latentkit_cli")
    command = [*words[: module + 1], *shrunk(words[module + 1 :])]
    command[0] = str(Path(sys.executable).with_name("torchrun"))
    (tmp_path / "runs").mkdir()  # as the README's block makes it
    done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=600)
    errors = [line for line in done.stderr.splitlines() if "Error" in line]
    assert done.returncode == 0, "\n".join(errors[-5:] or done.stderr.splitlines()[-5:])
    assert done.stdout.count("generator:") == 1  # rank 0 alone reports
    out = tmp_path / command[command.index("--out") + 1]
    assert json.loads((out / "run.json").read_text())["world_size"] == 2
    assert (out / "generator.safetensors").exists()


def test_the_readme_python_block_runs(tmp_path, monkeypatch):
    """The README's Python section runs as printed, and its report is the one it describes."""
    monkeypatch.chdir(tmp_path)
    blocks = re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text(), flags=re.S)
    assert len(blocks) == 1
    namespace: dict = {}
    exec(compile(blocks[0], "README.md", "exec"), namespace)
    assert tuple(namespace["images"].shape) == (12, 1, 32, 32)
    report = json.loads((tmp_path / "report-thickness" / "report.json").read_text())
    thickness = report["attributes"].index("thickness")
    assert report["side_effects"]["slopes"][0][thickness] > 0  # the boundary thickens strokes
