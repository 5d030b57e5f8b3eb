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


def test_config_records_what_a_kwargs_parameter_takes_under_its_own_names():
    config = {"arch": "mlp.info_encoder", "categorical": 3, "continuous": 1, "resolution": 1,
              "channels": 2, "width": 8}  # fmt: skip
    encoder = build(config)
    assert encoder.config == config and encoder.discriminator.config["width"] == 8
    assert build(encoder.config).config == config
