import numpy as np
import pytest

from latentkit.errors import LatentkitError
from latentkit.io.bank import (
    LatentBank,
    export_interfacegan,
    import_interfacegan,
    load_bank,
    save_bank,
)


def test_round_trip(tmp_path):
    bank = LatentBank(
        np.random.default_rng(0).normal(size=(5, 3)),
        np.arange(10.0).reshape(5, 2),
        ["a", "b"],
        {"seed": 1, "generator": "g"},
    )
    loaded = load_bank(save_bank(tmp_path / "bank.npz", bank))
    assert np.array_equal(loaded.z, bank.z) and np.array_equal(loaded.score("b"), [1, 3, 5, 7, 9])
    assert loaded.meta == {"seed": 1, "generator": "g"}


def test_interfacegan_round_trip(tmp_path):
    bank = LatentBank(np.ones((4, 3)), np.arange(4.0)[:, None], ["smile"])
    export_interfacegan(bank, tmp_path)
    assert np.load(tmp_path / "smile.npy").shape == (4, 1)
    back = import_interfacegan(tmp_path / "z.npy", tmp_path / "smile.npy", "smile")
    assert np.array_equal(back.scores, bank.scores) and back.attribute_names == ["smile"]


def test_bad_banks(tmp_path):
    np.savez(
        tmp_path / "empty.npz",
        z=np.zeros((0, 3)),
        scores=np.zeros((0, 0)),
        attribute_names=np.array([], str),
    )
    np.savez(
        tmp_path / "nan.npz",
        z=np.full((2, 3), np.nan),
        scores=np.zeros((2, 0)),
        attribute_names=np.array([], str),
    )
    np.savez(tmp_path / "other.npz", x=np.zeros(3))
    (tmp_path / "cut.npz").write_bytes(b"PK\x03\x04 truncated")
    for name, message in (
        ("empty.npz", "empty"),
        ("nan.npz", "NaN"),
        ("other.npz", "not a latent bank"),
        ("cut.npz", "not a readable"),
        ("none.npz", "no such"),
    ):
        with pytest.raises(LatentkitError, match=message):
            load_bank(tmp_path / name)
    with pytest.raises(LatentkitError, match="no attribute 'age'"):
        LatentBank(np.ones((2, 2)), np.ones((2, 1)), ["smile"]).score("age")
