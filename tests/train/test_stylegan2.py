"""StyleGAN2 training: it learns, each regulariser acts, resume is exact, DDP ranks agree."""

from dataclasses import replace

import numpy as np
import torch

from latentkit.data import load_dataset
from latentkit.io.models import load_generator, load_model
from latentkit.latent.sample import generate
from latentkit.priors import sample_codes
from latentkit.train.config import GANConfig
from latentkit.train.gan import train_gan
from latentkit.train.stylegan2 import StyleGAN2Trainer
from tests.train.test_gan import assert_ranks_agree, assert_same_state, options, torchrun_ranks

TINY = GANConfig(
    data="digits", resolution=8, family="stylegan2", width=8, latent_dim=8, batch_size=8, steps=6
)
ALL_ON = {"r1_every": 2, "pl_weight": 2.0, "pl_every": 2, "style_mixing": 0.5}


def trained(tmp_path, name, **changes):
    quick = options(tmp_path / name, checkpoint_every=100, sample_every=100, log_every=1)
    trainer = StyleGAN2Trainer(replace(TINY, steps=4, **changes), quick)
    trainer.run()
    return trainer


def test_resume_reproduces_an_uninterrupted_run_with_every_regulariser(tmp_path):
    config = replace(TINY, **ALL_ON)
    train_gan(config, options(tmp_path / "straight"))
    train_gan(replace(config, steps=3), options(tmp_path / "split"))
    train_gan(config, options(tmp_path / "split", resume=True))
    assert_same_state(tmp_path / "straight", tmp_path / "split")


def test_each_regulariser_changes_training_and_w_avg_is_tracked(tmp_path):
    base = trained(tmp_path, "base", r1_every=2, pl_weight=2.0, pl_every=2, style_mixing=1.0)
    records = base.folder.records()
    assert any("r1" in r for r in records) and any("pl" in r for r in records)
    weights = base.g.state_dict()
    for name, change in [("no_r1", {"r1_gamma": 0.0}), ("no_pl", {"pl_weight": 0.0}),
                         ("no_mix", {"style_mixing": 0.0})]:  # fmt: skip
        other = trained(tmp_path, name, **{**ALL_ON, "style_mixing": 1.0, **change})
        assert any(not torch.equal(weights[k], v) for k, v in other.g.state_dict().items()), name
    # w_avg follows the mapped codes: nonzero, and the shipped generator carries it
    shipped = load_model(tmp_path / "base/generator.safetensors", "generator")
    assert shipped.mapping.w_avg.abs().sum() > 0
    assert torch.equal(shipped.mapping.w_avg, base.g.mapping.w_avg)


def test_lazy_regularisation_scales_adam_as_the_paper():
    config = replace(TINY, **ALL_ON).resolved()
    assert (config.lr, config.beta1, config.beta2) == (0.0025, 0.0, 0.99)


def mean_image_gap(run) -> float:
    g = load_generator(run)
    fake = generate(g, sample_codes("normal", 256, g.latent_dim, seed=1))
    real = load_dataset("digits", 8)
    return float((fake.mean(0) - real.images(np.arange(len(real))).mean(0)).pow(2).mean())


def test_training_moves_the_generator_toward_the_data(tmp_path):
    config = replace(TINY, width=16, batch_size=16, ema=0.0)
    quick = {"checkpoint_every": 100, "sample_every": 100, "log_every": 100}
    start = mean_image_gap(train_gan(replace(config, steps=1), options(tmp_path / "a", **quick)))
    end = mean_image_gap(train_gan(replace(config, steps=60), options(tmp_path / "b", **quick)))
    assert end < 0.5 * start, (start, end)


def test_torchrun_two_processes_end_with_identical_weights(tmp_path):
    assert_ranks_agree(tmp_path, *torchrun_ranks(tmp_path, "gan", "stylegan2"))


def test_the_networks_build_at_32_and_64_px():
    from latentkit.train.gan import build_networks

    for resolution, num_ws in ((32, 8), (64, 10)):
        g, d = build_networks(replace(TINY, width=16).resolved(), 1, resolution)
        with torch.no_grad():
            images = g(torch.randn(2, 8))
            assert images.shape == (2, 1, resolution, resolution) and g.num_ws == num_ws
            assert d(images)[0].shape == (2,)
