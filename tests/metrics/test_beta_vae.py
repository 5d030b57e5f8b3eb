import numpy as np

from latentkit.data.sprites import Sprites
from latentkit.metrics.beta_vae import beta_vae, beta_vae_on
from latentkit.metrics.factors import DatasetSource
from tests.metrics.factor_codes import aligned, factors


def test_beta_vae_on_aligned_codes_and_on_the_sprites():
    f = factors(5000)
    assert beta_vae(aligned(f), f, num_train=300, num_eval=200)["eval_accuracy"] > 0.95
    rng = np.random.default_rng(0)
    assert beta_vae(rng.normal(size=f.shape), f, num_train=300, num_eval=200)["eval_accuracy"] < 0.5
    # On the sprites: centre of mass and ink area reveal x, y and scale but not shape or
    # orientation, so beta-VAE accuracy lands between chance (0.2) and 1.
    score = beta_vae_on(
        DatasetSource(Sprites(32), moments), rng, batch_size=32, num_train=150, num_eval=100
    )["eval_accuracy"]
    assert 0.5 < score < 0.95


def moments(images):
    """Centre of mass (column, row) and ink area of each image [N, 1, H, W]."""
    ink = (images[:, 0].numpy() + 1) / 2
    rows, cols = np.indices(ink.shape[1:])
    area = ink.sum(axis=(1, 2))
    return np.stack([(ink * cols).sum((1, 2)) / area, (ink * rows).sum((1, 2)) / area, area], 1)
