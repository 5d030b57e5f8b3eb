import pytest

from latentkit.data import load_dataset
from latentkit.errors import LatentkitError


@pytest.mark.parametrize(("spec", "size"), [("sprites", 64), ("digits", 32), ("mnist", 32)])
def test_datasets_by_name_and_default_resolution(spec, size):
    data = load_dataset(spec)
    assert data.resolution == size and data.images([0]).shape == (1, 1, size, size)


def test_unknown_dataset():
    with pytest.raises(LatentkitError, match="unknown dataset 'cifar'"):
        load_dataset("cifar")


def test_folder_needs_a_path():
    with pytest.raises(LatentkitError, match="folder:PATH"):
        load_dataset("folder")
