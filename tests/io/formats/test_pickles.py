"""Network pickles read through the allowlist: the official snapshot's weights come back, and
no pickle can run code (a marker file proves it)."""

import pickle
import sys
import types
from pathlib import Path

import numpy as np
import pytest
import torch
from safetensors.torch import load_file

from latentkit.errors import LatentkitError
from latentkit.io.formats.pickles import generator_from_pickle, read_network_pickle

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "stylegan2_ada"
SNAPSHOT = FIXTURES / "tiny_snapshot.pkl"


def test_the_snapshot_gives_the_official_weights_and_images():
    g = generator_from_pickle(SNAPSHOT)
    reference = load_file(FIXTURES / "tiny_uncond.safetensors")
    state = g.state_dict()
    assert state.keys() == reference.keys()
    assert all(torch.equal(state[k], reference[k]) for k in reference)
    io = np.load(FIXTURES / "tiny_uncond_io.npz")
    with torch.no_grad():
        images = g(torch.from_numpy(io["z"])).numpy()
    assert np.abs(images - io["img"]).max() < 1e-4
    content = read_network_pickle(SNAPSHOT)
    assert set(content) == {"G", "D", "G_ema", "augment_pipe", "training_set_kwargs"}


def test_older_spellings_are_read(tmp_path):
    """Protocol 3 writes sets through builtins.set; numpy < 2 names numpy.core."""
    blob = pickle.dumps({"s": {1, 2}, "x": np.float64(1.5)}, protocol=3)
    assert b"builtins\nset" in blob
    path = tmp_path / "old.pkl"
    path.write_bytes(blob.replace(b"numpy._core.multiarray", b"numpy.core.multiarray"))
    content = read_network_pickle(path)
    assert content["s"] == {1, 2} and content["x"] == 1.5


class Payload:
    def __init__(self, call, *args):
        self.call, self.args = call, args

    def __reduce__(self):
        return self.call, self.args


def persistence_pickle(marker: Path) -> bytes:
    """A pickle in the persistence layout whose module_src would write `marker` if executed."""
    module = types.ModuleType("torch_utils.persistence")

    def _reconstruct_persistent_obj(meta):
        raise AssertionError("never called while pickling")

    _reconstruct_persistent_obj.__module__ = module.__name__
    _reconstruct_persistent_obj.__qualname__ = "_reconstruct_persistent_obj"
    module._reconstruct_persistent_obj = _reconstruct_persistent_obj
    sys.modules["torch_utils"] = types.ModuleType("torch_utils")
    sys.modules[module.__name__] = module
    try:
        meta = {"type": "class", "version": 6, "class_name": "Generator",
                "module_src": f"open({str(marker)!r}, 'w').write('ran')\nclass Generator: pass",
                "state": {"_init_kwargs": {}}}  # fmt: skip
        return pickle.dumps({"G_ema": Payload(_reconstruct_persistent_obj, meta)})
    finally:
        del sys.modules[module.__name__], sys.modules["torch_utils"]


@pytest.mark.parametrize(
    ("name", "payload", "named"),
    [
        ("os.system", lambda m: Payload(__import__("os").system, f"touch {m}"), "system"),
        ("builtins.eval", lambda m: Payload(eval, f"open({str(m)!r}, 'w')"), "builtins.eval"),
        ("subprocess", lambda m: Payload(__import__("subprocess").call, ["touch", str(m)]),
         "subprocess.call"),
        ("a __reduce__ payload", lambda m: Payload(Path.write_text, m, "ran"), "pathlib"),
    ],
)  # fmt: skip
def test_no_pickle_runs_code(tmp_path, name, payload, named):
    marker = tmp_path / "marker"
    path = tmp_path / "evil.pkl"
    path.write_bytes(pickle.dumps({"G_ema": payload(marker)}))
    with pytest.raises(LatentkitError, match=named) as caught:
        generator_from_pickle(path)
    assert str(path) in str(caught.value) and "\n" not in str(caught.value)
    assert not marker.exists()


def test_persistent_module_source_is_never_executed(tmp_path):
    marker = tmp_path / "marker"
    path = tmp_path / "snapshot.pkl"
    path.write_bytes(persistence_pickle(marker))
    with pytest.raises(LatentkitError, match="configuration lacks or misstates 'z_dim'"):
        generator_from_pickle(path)
    assert not marker.exists()
