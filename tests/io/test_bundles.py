import json
import shutil
from pathlib import Path

import pytest

from latentkit.errors import LatentkitError
from latentkit.io import bundles
from latentkit.io.direction import load_direction
from latentkit.io.models import load_generator, save_model
from tests.factories import tiny_generator


def test_names_resolve_to_the_bundles_files(toy_bundle):
    assert load_generator("toy").latent_dim == 8
    direction = load_direction("toy:thick")
    assert direction.normal[2] == 1 and direction.intercept == 0.5


def test_unknown_names_say_what_is_toy_bundle(toy_bundle):
    with pytest.raises(
        LatentkitError, match=r"nope: no such file, nor a pretrained bundle \(bundles: toy\)"
    ):
        load_generator("nope")
    with pytest.raises(LatentkitError, match="has no direction 'slant'"):
        load_direction("toy:slant")
    with pytest.raises(LatentkitError, match="has no encoder"):
        bundles.resolve_model("toy", "encoder")


def test_an_existing_path_wins_over_a_name(toy_bundle, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    save_model(tmp_path / "toy", tiny_generator(), "generator")  # a file called "toy"
    assert bundles.resolve_model("toy", "generator") == "toy"


def test_patterns_name_every_matching_direction(tmp_path):
    from latentkit.io.bundles import expand_directions

    assert expand_directions("mnist:digit=*") == [f"mnist:digit={d}" for d in range(10)]
    for name in ("a.npz", "b.npz", "c.npy"):
        (tmp_path / name).write_bytes(b"")
    assert expand_directions(tmp_path / "*.npz") == [tmp_path / "a.npz", tmp_path / "b.npz"]
    assert expand_directions("plain.npz") == ["plain.npz"]
    with pytest.raises(LatentkitError, match="matches no direction"):
        expand_directions("mnist:colour=*")


def test_a_bundle_loads_its_generator_in_its_own_space(tmp_path, monkeypatch):
    style = Path(__file__).parents[1] / "fixtures/stylegan2_ada/tiny_uncond.safetensors"
    for name, space in (("plain", None), ("styled", "w")):
        folder = tmp_path / name
        folder.mkdir()
        shutil.copy(style, folder / "generator.safetensors")
        manifest = {"name": name, "models": {"generator": "generator.safetensors"}}
        if space:
            manifest["space"] = space
        (folder / "bundle.json").write_text(json.dumps(manifest))
    monkeypatch.setattr(bundles, "bundles_root", lambda: tmp_path)
    assert load_generator("plain").space == "z"
    assert load_generator("styled").space == "w"
    assert load_generator("styled", space="wp").space == "wp"  # asked for, it wins
    assert load_generator(tmp_path / "styled" / "generator.safetensors").space == "z"
