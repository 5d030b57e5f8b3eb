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
