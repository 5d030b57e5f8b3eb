import pickle

import pytest
import torch

from latentkit.errors import LatentkitError
from latentkit.io.models import load_generator, load_model, load_network, save_model
from latentkit.nets.dcgan import DCGANEncoder, DCGANGenerator


class Wrapped(torch.nn.Module):
    """A generator with no latent_dim attribute, as foreign TorchScript files often are."""

    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, z):
        return self.net(z)


@pytest.fixture
def generator():
    torch.manual_seed(0)
    return DCGANGenerator(latent_dim=8, width=4).eval()


def test_save_load_round_trips_exactly(tmp_path, generator):
    path = save_model(tmp_path / "g.safetensors", generator, "generator")
    loaded = load_generator(path)
    z = torch.randn(5, 8)
    assert torch.equal(loaded(z), generator(z))
    assert loaded.config == generator.config


def test_torchscript_with_latent_dim_attribute(tmp_path, generator):
    torch.jit.script(generator).save(str(tmp_path / "g.pt"))
    loaded = load_generator(tmp_path / "g.pt")
    z = torch.randn(3, 8)
    assert loaded.latent_dim == 8 and torch.allclose(loaded(z), generator(z))


def test_torchscript_without_attribute_needs_latent_dim(tmp_path, generator):
    torch.jit.script(Wrapped(generator)).save(str(tmp_path / "g.pt"))
    with pytest.raises(LatentkitError, match="does not say its latent size") as caught:
        load_generator(tmp_path / "g.pt")
    assert caught.value.arguments == ("latent_dim",)
    assert load_generator(tmp_path / "g.pt", latent_dim=8).latent_dim == 8
    with pytest.raises(LatentkitError, match="failed on codes of size 5"):
        load_generator(tmp_path / "g.pt", latent_dim=5)


def test_factory(generator):
    loaded = load_generator("py:tests.factories:tiny_generator")
    assert torch.equal(loaded(torch.zeros(1, 8)), generator(torch.zeros(1, 8)))
    with pytest.raises(LatentkitError, match=r"not an nn\.Module"):
        load_generator("py:tests.factories:not_a_module")
    with pytest.raises(LatentkitError, match="cannot import"):
        load_generator("py:no_such_module_xyz:f")


def test_pickle_is_refused_and_never_runs(tmp_path):
    marker = tmp_path / "payload-ran"

    class Payload:
        def __reduce__(self):
            return (open, (str(marker), "w"))

    (tmp_path / "evil.safetensors").write_bytes(pickle.dumps(Payload()))
    torch.save({"x": Payload()}, tmp_path / "evil.pt")
    refusals = {  # a generator file goes through the allowlist or torch's restricted loader
        ("evil.safetensors", "generator"): "refers to io.open, which latentkit does not load",
        ("evil.pt", "generator"): "holding more than tensors",
        ("evil.pt", "encoder"): "latentkit does not unpickle models",
    }
    for (name, role), message in refusals.items():
        with pytest.raises(LatentkitError, match=message):
            load_network(tmp_path / name, role)
    assert not marker.exists()


def test_wrong_role_and_mismatched_latent_size(tmp_path, generator):
    save_model(tmp_path / "e.safetensors", DCGANEncoder(latent_dim=8, width=4), "encoder")
    with pytest.raises(LatentkitError, match="holds no generator"):
        load_generator(tmp_path / "e.safetensors")
    assert load_model(tmp_path / "e.safetensors", "encoder").latent_dim == 8
    save_model(tmp_path / "g.safetensors", generator, "generator")
    with pytest.raises(LatentkitError, match="latent size is 8, not 16"):
        load_generator(tmp_path / "g.safetensors", latent_dim=16)


def test_corrupt_torchscript(tmp_path, generator):
    torch.jit.script(generator).save(str(tmp_path / "g.pt"))
    data = (tmp_path / "g.pt").read_bytes()
    (tmp_path / "bad.pt").write_bytes(data[: len(data) // 2])
    with pytest.raises(LatentkitError, match=r"bad\.pt"):
        load_generator(tmp_path / "bad.pt")


def test_a_generator_of_another_convention_is_refused_until_it_declares_it():
    with pytest.raises(LatentkitError, match=r"pixels range over \[127, 128\], not \[-1, 1\]; "
                       r"declare its range \(0,255\)") as caught:  # fmt: skip
        load_generator("py:tests.factories:bytes_generator")
    assert caught.value.arguments == ("output_range",)
    reference = load_generator("py:tests.factories:tiny_generator")
    z = torch.randn(3, 8, generator=torch.Generator().manual_seed(1))
    declared = load_generator("py:tests.factories:bytes_generator", output_range="0,255")
    assert torch.allclose(declared(z), reference(z), atol=1e-5)
    with pytest.raises(LatentkitError, match="look channels-last") as caught:
        load_generator("py:tests.factories:channels_last_generator")
    assert caught.value.arguments == ("channels_last",)
    declared = load_generator("py:tests.factories:channels_last_generator", channels_last=True)
    assert torch.equal(declared(z), reference(z))
