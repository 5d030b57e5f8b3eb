from dataclasses import replace

import torch

from latentkit.io.models import load_generator, load_model, save_model
from latentkit.metrics.inversion import z_recovery
from latentkit.nets.dcgan import DCGANEncoder
from latentkit.train.config import EncoderConfig
from latentkit.train.encoder import train_encoder
from tests.factories import calibrated_generator
from tests.train.test_gan import assert_same_state, options


def tiny_generator(tmp_path):
    return save_model(tmp_path / "g.safetensors", calibrated_generator(), "generator")


def test_latent_regression_recovers_z_beyond_a_random_encoder(tmp_path):
    g_path = tiny_generator(tmp_path)
    config = EncoderConfig(generator=str(g_path), width=8, steps=150, batch_size=64, lr=2e-3)
    out = train_encoder(config, options(tmp_path / "run", checkpoint_every=150, log_every=50))
    generator = load_generator(g_path)
    trained = z_recovery(generator, load_model(out / "encoder.safetensors", "encoder"), n=500)
    torch.manual_seed(1)
    random = z_recovery(generator, DCGANEncoder(latent_dim=4, width=8).eval(), n=500)
    assert trained["r2"] > 0.5 and trained["r2"] > random["r2"] + 0.5
    assert trained["cosine"] > 0.8


def test_resume_is_exact(tmp_path):
    config = EncoderConfig(generator=str(tiny_generator(tmp_path)), width=4, steps=6, batch_size=8)
    train_encoder(config, options(tmp_path / "straight"))
    train_encoder(replace(config, steps=3), options(tmp_path / "split"))
    train_encoder(config, options(tmp_path / "split", resume=True))
    assert_same_state(tmp_path / "straight", tmp_path / "split")
