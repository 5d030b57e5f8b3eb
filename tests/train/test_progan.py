"""ProGAN training: the growth schedule, faded real images, exact resume mid-fade, DDP."""

from dataclasses import replace

import numpy as np
import pytest
import torch

from latentkit.train.config import GANConfig
from latentkit.train.gan import train_gan
from latentkit.train.progan import blend_reals, level_of_detail
from tests.train.test_gan import assert_ranks_agree, assert_same_state, options, torchrun_ranks
from tests.train.test_stylegan2 import mean_image_gap

TINY = GANConfig(data="digits", resolution=8, family="progan", loss="wgan-gp", width=16,
                 latent_dim=8, batch_size=16, steps=7, phase_steps=2)  # fmt: skip


def test_the_schedule_grows_one_resolution_per_fade_and_stable_phase():
    lods = [level_of_detail(step, 4, levels=4) for step in range(0, 32, 2)]
    # 4×4 for 4 steps, then fade (3 → 2) and stable 8×8, fade to 16×16, stable, fade to 32×32
    assert lods == [3, 3, 3, 2.5, 2, 2, 2, 1.5, 1, 1, 1, 0.5, 0, 0, 0, 0]


def test_real_images_fade_like_the_generator():
    x = torch.arange(16.0).reshape(1, 1, 4, 4)
    assert torch.equal(blend_reals(x, 0), x)
    coarse = blend_reals(x, 1)  # 2×2 averages, shown at 4×4
    assert torch.equal(coarse[..., ::2, ::2], torch.tensor([[[[2.5, 4.5], [10.5, 12.5]]]]))
    assert torch.allclose(blend_reals(x, 0.25), 0.75 * x + 0.25 * coarse)


def test_resume_mid_fade_reproduces_an_uninterrupted_run(tmp_path):
    quick = {"checkpoint_every": 100, "sample_every": 100}
    train_gan(TINY, options(tmp_path / "straight", **quick))
    train_gan(replace(TINY, steps=3), options(tmp_path / "split", **quick))  # step 3: fading
    assert level_of_detail(3, 2, levels=2) == pytest.approx(0.5)
    train_gan(TINY, options(tmp_path / "split", resume=True, **quick))
    assert_same_state(tmp_path / "straight", tmp_path / "split")


def test_training_moves_the_generator_toward_the_data(tmp_path):
    quick = {"checkpoint_every": 100, "sample_every": 100, "log_every": 100}
    config = replace(TINY, ema=0.0, phase_steps=10)
    start = mean_image_gap(train_gan(replace(config, steps=1), options(tmp_path / "a", **quick)))
    end = mean_image_gap(train_gan(replace(config, steps=60), options(tmp_path / "b", **quick)))
    assert end < 0.5 * start, (start, end)
    assert np.isfinite(end)


def test_torchrun_two_processes_end_with_identical_weights(tmp_path):
    assert_ranks_agree(tmp_path, *torchrun_ranks(tmp_path, "gan", "progan"))
