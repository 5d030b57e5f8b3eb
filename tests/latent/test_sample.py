import numpy as np

from latentkit.io.models import load_generator
from latentkit.latent.sample import generate, sample_bank


def test_bank_does_not_depend_on_batch_size_and_streams_images(tmp_path):
    from latentkit.attributes.analytic import DigitAttributes

    g = load_generator("py:tests.factories:tiny_generator")
    a = sample_bank(
        g,
        DigitAttributes(),
        50,
        seed=2,
        batch_size=7,
        progress=False,
        images_path=tmp_path / "images.npy",
    )
    b = sample_bank(g, DigitAttributes(), 50, seed=2, batch_size=50, progress=False)
    assert np.array_equal(a.z, b.z) and np.allclose(a.scores, b.scores, atol=1e-5)
    images = np.load(tmp_path / "images.npy")
    assert images.shape == (50, 1, 32, 32) and images.dtype == np.uint8
    assert np.allclose(images[:3] / 127.5 - 1, generate(g, a.z[:3]).numpy(), atol=1 / 127.5)
