import numpy as np

from latentkit.data.digits import load_digits


def test_digits_upsampled():
    data = load_digits(32)
    assert len(data) == 1797
    images = data.images(np.arange(len(data)))
    assert images.shape == (1797, 1, 32, 32)
    assert images.min() == -1 and images.max() == 1
    assert set(data.labels(np.arange(len(data)))) == set(range(10))


def test_native_size_keeps_pixels():
    from sklearn.datasets import load_digits as sk

    data = load_digits(8)
    expected = sk().images[:5] / 16 * 2 - 1
    assert np.allclose(data.images(np.arange(5))[:, 0].numpy(), expected, atol=1 / 127.5)
