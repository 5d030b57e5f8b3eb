"""Every command run twice with the same seed writes bit-identical files on CPU (reports compared
without their wall-clock timings)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from safetensors.torch import load_file

from latentkit.io.models import save_model
from latentkit.nets.dcgan import DCGANEncoder
from latentkit_cli.main import cli
from tests.cli.analytic_models import sample_args, save_models

TINY = "py:tests.factories:tiny_generator"  # latent 8, 32 px, 1 channel


def invoke(*args) -> None:
    result = CliRunner().invoke(cli, ["--quiet", *map(str, args)], catch_exceptions=False)
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def kit(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("kit")
    k = {"root": root}
    k["tsgen"], k["tsscorer"] = save_models(root)
    k["bank"] = root / "bank.npz"
    invoke(*sample_args(k["tsgen"], k["tsscorer"], k["bank"], 2000))
    invoke("boundary", "fit", "--bank", k["bank"], "--out", root / "b")
    k["x"], k["y"] = root / "b/x.npz", root / "b/y.npz"
    k["encoder"] = root / "encoder.safetensors"
    save_model(k["encoder"], DCGANEncoder(latent_dim=8, width=4), "encoder")
    invoke(
        "train", "scorer", "--data", "digits", "--width", "4", "--steps", "2", "--batch-size",
        "16", "--device", "cpu", "--no-progress", "--out", root / "scorer",
    )  # fmt: skip
    k["scorer"] = root / "scorer/scorer.safetensors"
    k["tinybank"] = root / "tiny_bank.npz"
    invoke("sample", "--generator", TINY, "--scorer", k["scorer"], "--n", "300", "--no-progress",
           "--out", k["tinybank"])  # fmt: skip
    rng = np.random.default_rng(0)
    factors = np.stack([rng.integers(0, s, 400) for s in (3, 5)], axis=1)
    np.save(root / "factors.npy", factors)
    np.save(root / "codes.npy", factors @ rng.normal(size=(2, 3)) + rng.normal(0, 0.3, (400, 3)))
    return k


STYLE = Path(__file__).parent / "fixtures/stylegan2_ada/tiny_uncond.safetensors"
COMMANDS = {
    "generate": lambda k, o: ["generate", "--generator", TINY, "--n", "4", "--out", o / "g.png"],
    "sample": lambda k, o: sample_args(
        k["tsgen"], k["tsscorer"], o / "bank.npz", 300, "--images", o / "images.npy"
    ),
    "boundary fit": lambda k, o: ["boundary", "fit", "--bank", k["bank"], "--out", o],
    "boundary sefa": lambda k, o: ["boundary", "sefa", "--generator", TINY, "--k", "3", "--out", o],
    "boundary pca": lambda k, o: [
        "boundary", "pca", "--generator", TINY, "--layer", "main.0", "--n", "300", "--k", "3",
        "--out", o,
    ],
    "train gan": lambda k, o: [
        "train", "gan", "--data", "digits", "--resolution", "8", "--arch", "mlp", "--width", "16",
        "--latent-dim", "8", "--steps", "3", "--batch-size", "8", "--device", "cpu",
        "--no-progress", "--out", o / "run",
    ],
    "train gan --family stylegan2": lambda k, o: [
        "train", "gan", "--family", "stylegan2", "--data", "digits", "--resolution", "8",
        "--width", "8", "--latent-dim", "8", "--steps", "3", "--batch-size", "8", "--pl-weight",
        "2", "--r1-every", "2", "--pl-every", "2", "--device", "cpu", "--no-progress",
        "--out", o / "run",
    ],
    "mix": lambda k, o: [
        "mix", "--generator", STYLE, "--layers", "2-7", "--out", o / "m.png",
    ],
    "boundary project": lambda k, o: [
        "boundary", "project", "--primal", k["x"], "--condition", k["y"], "--out", o / "p.npz",
    ],
    "edit": lambda k, o: [
        "edit", "--generator", k["tsgen"], "--direction", k["x"], "--seeds", "0-2",
        "--truncation", "0.7", "--out", o / "e.png", "--codes-out", o / "e.npy",
    ],
    "interpolate": lambda k, o: [
        "interpolate", "--generator", k["tsgen"], "--seeds", "0,1,2", "--analogy", "--steps",
        "3", "--out", o / "i.png", "--codes-out", o / "i.npy",
    ],
    "arithmetic": lambda k, o: [
        "arithmetic", "--generator", TINY, "--concept", "A=seeds:1,2,3", "--concept",
        "B=seeds:4,5,6", "--expression", "A - B", "--jitter", "0.2", "--out", o / "a.png",
    ],
    "invert": lambda k, o: [
        "invert", "--generator", TINY, "--encoder", k["encoder"], "--data", "digits",
        "--indices", "0-1", "--steps", "3", "--out", o / "r.png", "--codes-out", o / "r.npy",
    ],
    "measure edits": lambda k, o: [
        "measure", "edits", "--generator", k["tsgen"], "--scorer", k["tsscorer"], "--direction",
        k["x"], "--direction", k["y"], "--n", "32", "--out", o,
    ],
    "measure latent": lambda k, o: [
        "measure", "latent", "--generator", TINY, "--bank", k["tinybank"], "--scorer",
        k["scorer"], "--path-samples", "10", "--out", o,
    ],
    "measure disentanglement": lambda k, o: [
        "measure", "disentanglement", "--codes", k["root"] / "codes.npy", "--factors",
        k["root"] / "factors.npy", "--num-train", "100", "--num-test", "50", "--out", o,
    ],
    "measure quality": lambda k, o: [
        "measure", "quality", "--generator", TINY, "--scorer", k["scorer"], "--data", "digits",
        "--n", "20", "--out", o,
    ],
    "measure inversion": lambda k, o: [
        "measure", "inversion", "--generator", TINY, "--encoder", k["encoder"], "--data",
        "digits", "--n", "20", "--scorer", k["scorer"], "--refine-steps", "2", "--out", o,
    ],
}  # fmt: skip


WALL_CLOCK = ("seconds", "elapsed_s", "images_per_s", "time", "started", "finished")


def without_timings(node):
    """A report with its wall-clock fields removed."""
    if isinstance(node, dict):
        return {k: without_timings(v) for k, v in node.items() if k not in WALL_CLOCK}
    if isinstance(node, list):
        return [without_timings(v) for v in node]
    return node


def outputs(folder: Path) -> dict[str, object]:
    files = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        name = str(path.relative_to(folder))
        if path.suffix == ".json":
            files[name] = without_timings(json.loads(path.read_text()))
        elif path.suffix == ".jsonl":  # a training log: its wall-clock fields left out
            rows = [json.loads(row) for row in path.read_text().splitlines()]
            files[name] = [{k: v for k, v in r.items() if k not in WALL_CLOCK} for r in rows]
        elif path.suffix == ".safetensors":  # the tensors; the metadata holds wall-clock times
            files[name] = {k: v.numpy().tobytes() for k, v in load_file(path).items()}
        elif path.suffix == ".md":
            files[name] = [line for line in path.read_text().splitlines() if "seconds" not in line]
        else:
            files[name] = path.read_bytes()
    return files


@pytest.mark.parametrize("command", COMMANDS)
def test_same_seed_gives_identical_outputs(command, kit, tmp_path):
    runs = []
    for name in ("first", "second"):
        out = tmp_path / name
        out.mkdir()
        invoke(*COMMANDS[command](kit, out), "--seed", "5")
        runs.append(outputs(out))
    assert runs[0], "the command wrote nothing"
    assert runs[0].keys() == runs[1].keys()
    for name in runs[0]:
        assert runs[0][name] == runs[1][name], f"{command}: {name} differs between runs"
