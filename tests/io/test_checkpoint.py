import pickle

import pytest
import torch
from safetensors.torch import save_file

from latentkit.errors import LatentkitError
from latentkit.io.checkpoint import load_state, load_weights, read_metadata, save_state, sniff
from latentkit.nets.dcgan import DCGANGenerator


def test_nested_state_round_trips_exactly(tmp_path):
    net = torch.nn.Linear(3, 2)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3, betas=(0.5, 0.999))
    net(torch.randn(4, 3)).sum().backward()
    opt.step()
    state = {
        "step": 7,
        "name": "run",
        "ratio": 0.25,
        "none": None,
        "flags": [True, 2],
        "net": net.state_dict(),
        "opt": opt.state_dict(),
    }
    path = save_state(tmp_path / "c.safetensors", state, kind="test")
    loaded = load_state(path)
    assert loaded["step"] == 7 and loaded["name"] == "run" and loaded["none"] is None
    for key, value in net.state_dict().items():
        assert torch.equal(loaded["net"][key], value)
    assert set(loaded["opt"]["state"]) == {0, 1}  # integer keys survive JSON
    fresh = torch.optim.Adam(torch.nn.Linear(3, 2).parameters())
    fresh.load_state_dict(loaded["opt"])
    for a, b in zip(
        fresh.state_dict()["state"].values(), opt.state_dict()["state"].values(), strict=True
    ):
        assert all(torch.equal(a[k], b[k]) for k in b)
    assert read_metadata(path)["kind"] == "test"
    assert torch.equal(load_state(path, ("net",))["weight"], net.weight)


def test_sniff_kinds(tmp_path):
    torch.save({"a": 1}, tmp_path / "zip.pt")
    (tmp_path / "raw.pkl").write_bytes(pickle.dumps({"a": 1}))
    save_file({"a": torch.zeros(1)}, str(tmp_path / "x.safetensors"))
    (tmp_path / "text.txt").write_text("hello")
    assert sniff(tmp_path / "zip.pt") == "pickle"
    assert sniff(tmp_path / "raw.pkl") == "pickle"
    assert sniff(tmp_path / "x.safetensors") == "safetensors"
    assert sniff(tmp_path / "text.txt") == "unknown"


def test_foreign_and_broken_files_are_refused(tmp_path):
    save_file({"a": torch.zeros(1)}, str(tmp_path / "plain.safetensors"))
    with pytest.raises(LatentkitError, match="without latentkit metadata"):
        load_state(tmp_path / "plain.safetensors")
    good = save_state(tmp_path / "good.safetensors", {"w": torch.randn(100, 100)}, kind="t")
    (tmp_path / "cut.safetensors").write_bytes(good.read_bytes()[:5000])
    with pytest.raises(LatentkitError, match=r"cut\.safetensors: corrupt or truncated"):
        load_state(tmp_path / "cut.safetensors")
    with pytest.raises(LatentkitError, match="no such file"):
        load_state(tmp_path / "nothing.safetensors")
    with pytest.raises(LatentkitError, match="no entry 'models'"):
        load_state(good, ("models",))


def test_mismatched_weights_are_named():
    small, big = DCGANGenerator(latent_dim=8, width=4), DCGANGenerator(latent_dim=9, width=4)
    with pytest.raises(LatentkitError, match=r"main.0.weight has shape \(8, 16, 4, 4\)"):
        load_weights(big, small.state_dict(), "g.safetensors")
