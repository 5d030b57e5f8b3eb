import json
from dataclasses import replace

import pytest

from latentkit.io.checkpoint import load_state
from latentkit.train.config import GANConfig
from latentkit.train.gan import build_networks, train_gan
from tests.train.test_gan import TOY, assert_same_state, options

BEGAN = replace(TOY, family="began", latent_dim=8)


def test_began_balances_with_k_in_0_1_and_its_convergence_measure_falls(tmp_path):
    assert GANConfig(data="digits", family="began").resolved().lr == 1e-4
    run = train_gan(replace(BEGAN, steps=150), options(tmp_path / "b", log_every=10))
    records = [json.loads(line) for line in (run / "log.jsonl").read_text().splitlines()]
    ks = [r["k"] for r in records]
    assert all(0 <= k <= 1 for k in ks) and ks[-1] > ks[0] > 0
    # M = L(x) + |γ·L(x) − L(G(z))|, the paper's measure of convergence
    assert records[-1]["m_global"] < 0.85 * records[0]["m_global"]
    assert float(load_state(run / "checkpoint.safetensors")["began_k"]) == pytest.approx(
        ks[-1], abs=0.01
    )


def test_began_resumes_exactly_with_its_k(tmp_path):
    config = replace(BEGAN, steps=6)
    train_gan(config, options(tmp_path / "straight"))
    train_gan(replace(config, steps=3), options(tmp_path / "split"))
    train_gan(config, options(tmp_path / "split", resume=True))
    assert_same_state(tmp_path / "straight", tmp_path / "split")
    k = [
        load_state(tmp_path / f / "checkpoint.safetensors")["began_k"]
        for f in ("straight", "split")
    ]
    assert float(k[0]) == float(k[1])


@pytest.mark.parametrize(("data", "resolution", "code"), [("ring8", 1, 1), ("digits", 8, 32)])
def test_began_codes_are_at_most_half_as_wide_as_the_data(data, resolution, code):
    """An auto-encoder whose code is as wide as the data can be the identity, which reconstructs
    fakes as well as reals and so judges nothing (2-D points with a 2-D code did)."""
    config = GANConfig(data=data, family="began", arch="mlp", resolution=resolution, width=16)
    channels = 2 if data == "ring8" else 1
    _, d = build_networks(config.resolved(), channels, resolution)
    assert d.encoder[-1].out_features == code
