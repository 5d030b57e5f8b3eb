import itertools
import json
from dataclasses import replace

import pytest
import torch

from latentkit.errors import LatentkitError
from latentkit.io.checkpoint import load_state
from latentkit.io.models import load_generator, load_model
from latentkit.latent.encode import encode
from latentkit.metrics.inversion import z_recovery
from latentkit.train.bigan import train_bigan
from latentkit.train.config import BiGANConfig
from tests.train.test_gan import assert_ranks_agree, assert_same_state, options, torchrun_ranks

TINY = BiGANConfig(data="digits", latent_dim=8, width=4, steps=3, batch_size=8)


@pytest.mark.parametrize(
    ("encoder", "unary", "regression"),
    list(itertools.product(["deterministic", "gaussian"], [False, True], [0.0, 1.0])),
)
def test_every_option_trains_with_finite_losses(tmp_path, encoder, unary, regression):
    config = replace(TINY, encoder=encoder, unary=unary, regression=regression)
    out = train_bigan(config, options(tmp_path / "run"))
    records = [json.loads(line) for line in (out / "log.jsonl").read_text().splitlines()]
    assert all(torch.isfinite(torch.tensor([r["d_loss"], r["ge_loss"]])).all() for r in records)
    assert ("regression" in records[-1]) == (regression > 0)
    encoder_net = load_model(out / "encoder.safetensors", "encoder")
    codes = encode(encoder_net, torch.zeros(2, 1, 32, 32))
    assert codes.shape == (2, 8) and load_generator(out).latent_dim == 8


def test_the_regression_term_makes_the_encoder_invert_the_generator(tmp_path):
    """‖E(G(z)) − z‖² after the same steps: weight 1 against plain BiGAN (weight 0)."""
    errors = {}
    for weight in (0.0, 1.0):
        config = replace(TINY, regression=weight, steps=60, batch_size=16, width=8)
        out = train_bigan(config, options(tmp_path / str(weight), checkpoint_every=1000,
                                          sample_every=1000, log_every=50))  # fmt: skip
        g, e = load_generator(out), load_model(out / "encoder.safetensors", "encoder")
        errors[weight] = z_recovery(g, e, n=500)["mse"]
    assert errors[1.0] < 0.75 * errors[0.0], errors


def test_resume_is_exact_with_a_gaussian_encoder(tmp_path):
    config = replace(TINY, encoder="gaussian", unary=True, steps=6)
    train_bigan(config, options(tmp_path / "straight"))
    train_bigan(replace(config, steps=3), options(tmp_path / "split"))
    train_bigan(config, options(tmp_path / "split", resume=True))
    assert_same_state(tmp_path / "straight", tmp_path / "split")


def test_torchrun_two_processes_end_with_identical_weights(tmp_path):
    rank0, rank1 = torchrun_ranks(tmp_path, "bigan", "gaussian")
    assert any(k.startswith("E.") for k in rank0)
    assert_ranks_agree(tmp_path, rank0, rank1)


def test_bf16_precision_rounds_the_step_and_keeps_float32_weights(tmp_path):
    config, quiet = replace(TINY, steps=4, precision="bf16"), {"sample_every": 100}
    runs = [train_bigan(config, options(tmp_path / f"bf16-{k}", **quiet)) for k in range(2)]
    full = train_bigan(replace(config, precision="fp32"), options(tmp_path / "fp32", **quiet))
    states = [load_state(run / "checkpoint.safetensors")["models"]["E"]["state"] for run in
              (*runs, full)]  # fmt: skip
    floats = [v.dtype for v in states[0].values() if v.is_floating_point()]
    assert floats and set(floats) == {torch.float32}
    assert all(torch.equal(states[0][k], states[1][k]) for k in states[0])  # same seed, same run
    gap = max((states[0][k] - states[2][k]).abs().max().item() for k in states[0])
    assert 0 < gap < 0.1  # rounded matmuls: close to float32, not equal
    with pytest.raises(LatentkitError, match="precision"):
        replace(TINY, precision="fp16").resolved()
