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


def test_train_and_heldout_split_the_dataset_without_overlap():
    full = load_dataset("digits")
    train, heldout = load_dataset("digits@train"), load_dataset("digits@heldout")
    assert len(train) + len(heldout) == len(full)
    assert abs(len(heldout) - 0.2 * len(full)) <= 1
    assert not set(train.index) & set(heldout.index)
    # the split is fixed: opening it again gives the same images, and they are the parent's
    assert (load_dataset("digits@heldout").index == heldout.index).all()
    i = heldout.index[3]
    assert (heldout.images([3]) == full.images([i])).all()
    assert (heldout.labels([3]) == full.labels([i])).all()
    assert heldout.name == "digits@heldout"


def test_unknown_split():
    with pytest.raises(LatentkitError, match="unknown split 'test'"):
        load_dataset("digits@test")
