"""The README's first command on the shipped bundles: every file it lists exists, the edit it
measures moves its attribute, and a second run with the same seed writes the same files."""

import json
import re
import shutil
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image

from latentkit.io import bundles
from latentkit.io.direction import Direction, save_direction
from latentkit_cli.demo import run, style_steps
from latentkit_cli.main import cli
from tests.test_determinism import outputs


def demo(out: Path, *extra: str):
    result = CliRunner().invoke(cli, ["demo", "--out", str(out), "--device", "cpu", *extra])
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def first(tmp_path_factory):
    out = tmp_path_factory.mktemp("first") / "demo"
    return out, demo(out)


def test_demo_writes_every_listed_file(first):
    out, result = first
    listed = re.findall(r"^  (\S+)  \(", result.output, flags=re.M)
    assert len(listed) >= 20
    for path in listed:
        assert Path(path).exists(), path
    for name in ("conditioned_edit.png", "slerp.png", "analogy.png", "arithmetic.png",
                 "real_edit.png", "edits/mnist_thickness.png", "edits/sprites_x.png"):  # fmt: skip
        assert (out / name).stat().st_size > 0
    report = json.loads((out / "report/edits/report.json").read_text())
    slopes = report["side_effects"]["slopes"]
    primal = report["attributes"].index(report["directions"][0])
    assert slopes[0][primal] > 0  # the edit moves its own attribute up
    conditioned = report["conditioned"]["side_effects"]["slopes"]
    other = report["attributes"].index(report["directions"][1])
    assert abs(conditioned[0][other]) < abs(slopes[0][other])  # and conditioning reduces the drag


def test_the_same_seed_gives_the_same_demo(first, tmp_path):
    again = tmp_path / "demo"
    demo(again)
    before, after = outputs(first[0]), outputs(again)
    assert before.keys() == after.keys()
    for name in before:
        assert before[name] == after[name], f"{name} differs between two demos"


def test_demo_refuses_a_non_empty_folder(run_cli, tmp_path):
    (tmp_path / "demo").mkdir()
    (tmp_path / "demo" / "mine.txt").write_text("x")
    assert "not empty" in run_cli("demo", "--out", tmp_path / "demo", code=2).output


def test_a_bundle_in_w_adds_a_coarse_layer_edit_and_two_mixing_grids(tmp_path, monkeypatch):
    style = Path(__file__).parents[1] / "fixtures/stylegan2_ada/tiny_uncond.safetensors"
    folder = tmp_path / "pretrained" / "style"
    (folder / "boundaries").mkdir(parents=True)
    shutil.copy(style, folder / "generator.safetensors")
    heart = Direction(np.eye(32)[0], 0.0, {"space": "w"})  # the fixture's w has 32 dimensions
    save_direction(folder / "boundaries" / "shape=heart.npz", heart)
    manifest = {
        "name": "style",
        "models": {"generator": "generator.safetensors"},
        "directions": {"shape=heart": "boundaries/shape=heart.npz"},
        "space": "w",
    }
    (folder / "bundle.json").write_text(json.dumps(manifest))
    monkeypatch.setattr(bundles, "bundles_root", lambda: tmp_path / "pretrained")
    out = tmp_path / "out"
    (out / "edits").mkdir(parents=True)
    steps = style_steps(bundles.get_bundle("style"), out, ["--seed", "0", "--device", "cpu"])
    commands = [(args[0], args[args.index("--layers") + 1]) for _, args, _ in steps]
    assert commands == [("edit", "0-3"), ("mix", "0-3"), ("mix", "4-7")]  # the fixture has 8 ws
    assert "shape=heart" in steps[0][1][steps[0][1].index("--direction") + 1]
    for _, args, files in steps:
        run(args)
        assert all(Image.open(f).size[0] > 0 for f in files)
    plain = bundles.Bundle("plain", folder, "", {}, {})  # a bundle in z: no style steps
    assert style_steps(plain, out, []) == []
