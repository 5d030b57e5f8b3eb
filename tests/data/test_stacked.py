import numpy as np
import torch

from latentkit.data import load_dataset


def test_each_channel_is_an_independent_digit_and_the_mode_is_the_triple():
    stacked = load_dataset("stacked-mnist")
    digits = load_dataset("mnist")
    index = np.array([0, 7, 99_999])
    images = stacked.images(index)
    assert images.shape == (3, 3, 32, 32)
    for row, triple in zip(images, stacked.triples[index], strict=True):
        assert torch.equal(row, digits.images(triple)[:, 0])
    labels = digits.labels(stacked.triples[index].reshape(-1)).reshape(-1, 3)
    attributes = stacked.attributes(index)
    assert np.array_equal(attributes[:, :3], labels)
    assert np.array_equal(stacked.labels(index), labels @ [100, 10, 1])
    modes = stacked.labels(np.arange(20_000))
    assert len(np.unique(modes)) == 1000  # all triples occur in 20,000 draws (P(miss) ≈ 2e-6)
