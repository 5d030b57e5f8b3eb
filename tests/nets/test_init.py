import pytest

from latentkit.errors import LatentkitError
from latentkit.nets import architectures, build


def test_registered_architectures():
    assert {
        "dcgan.generator",
        "dcgan.discriminator",
        "dcgan.encoder",
        "mlp.generator",
        "mlp.discriminator",
    } <= set(architectures())


def test_unknown_architecture_and_bad_config():
    with pytest.raises(LatentkitError, match="unknown architecture 'vae'"):
        build({"arch": "vae"})
    with pytest.raises(LatentkitError, match="bad config"):
        build({"arch": "dcgan.generator", "colour": 3})
