import numpy as np
import pytest
import torch

from latentkit.errors import LatentkitError
from latentkit.runtime import EpochSampler, resolve_device


def test_epoch_sampler_is_a_permutation_per_epoch_and_stateless():
    sampler = EpochSampler(10, seed=3)
    stream = sampler.take(0, 30)
    for epoch in range(3):
        assert sorted(stream[epoch * 10 : (epoch + 1) * 10]) == list(range(10))
    assert np.array_equal(EpochSampler(10, seed=3).take(7, 9), stream[7:16])
    assert not np.array_equal(EpochSampler(10, seed=4).take(0, 10), stream[:10])


def test_devices():
    assert resolve_device("cpu").type == "cpu"
    assert resolve_device("auto").type == ("cuda" if torch.cuda.is_available() else "cpu")
    with pytest.raises(LatentkitError, match="unknown device 'tpu'"):
        resolve_device("tpu")
    if not torch.cuda.is_available():
        with pytest.raises(LatentkitError, match="CUDA is not available"):
            resolve_device("cuda")
