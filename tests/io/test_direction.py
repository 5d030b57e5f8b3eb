from pathlib import Path

import numpy as np
import pytest

from latentkit.errors import LatentkitError
from latentkit.io.direction import Direction, generator_direction, load_direction, save_direction

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "interfacegan"


def test_round_trip_keeps_intercept_and_meta(tmp_path):
    d = Direction(np.array([3.0, 4.0]), -0.5, {"attribute": "smile", "accuracy": 0.9})
    loaded = load_direction(save_direction(tmp_path / "d.npz", d))
    assert np.allclose(loaded.normal, [0.6, 0.8]) and loaded.intercept == -0.5
    assert loaded.meta == {"attribute": "smile", "accuracy": 0.9}


def test_reads_and_writes_interfacegan_boundaries(tmp_path):
    source = FIXTURES / "pggan_celebahq_age_boundary.npy"
    d = load_direction(source)
    assert d.latent_dim == 512 and np.linalg.norm(d.normal) == pytest.approx(1.0)
    save_direction(tmp_path / "age.npy", d)
    written = np.load(tmp_path / "age.npy")
    assert written.shape == (1, 512) and np.allclose(written, np.load(source))


def test_bad_direction_files(tmp_path):
    np.save(tmp_path / "zero.npy", np.zeros((1, 4)))
    np.save(tmp_path / "wide.npy", np.ones((2, 4)))
    (tmp_path / "junk.npz").write_bytes(b"junk")
    for name, message in (
        ("zero.npy", "non-zero"),
        ("wide.npy", r"\[1, d\]"),
        ("junk.npz", "not a readable"),
        ("none.npz", "no such"),
    ):
        with pytest.raises(LatentkitError, match=message):
            load_direction(tmp_path / name)


def test_named_code_coordinates_are_directions():
    class InfoToy:
        prior, latent_dim = "infogan:4:2", 14

    direction = generator_direction("dim:c0", InfoToy())
    assert direction.normal.argmax() == 12 and direction.name == "c0"
    assert generator_direction("dim:cat3", InfoToy()).normal.argmax() == 11
    with pytest.raises(LatentkitError, match="no coordinate 'c5'"):
        generator_direction("dim:c5", InfoToy())


def test_directions_of_another_space_are_refused_and_w_fits_w_plus():
    from latentkit.io.direction import Direction, check_space
    from latentkit.io.models import load_generator
    from tests.nets.test_spaces import UNCOND

    w = Direction(np.ones(32), 0, {"space": "w"})
    z = Direction(np.ones(32), 0, {"space": "z"})
    assert check_space(w, load_generator(UNCOND, space="wp"), "d") is w
    with pytest.raises(LatentkitError, match="of the z space; the generator's codes are w"):
        check_space(z, load_generator(UNCOND, space="w"), "d")
    with pytest.raises(LatentkitError, match="size 33, the generator's latent size is 256"):
        check_space(Direction(np.ones(33)), load_generator(UNCOND, space="wp"), "d")
