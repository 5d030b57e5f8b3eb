import torch

from latentkit.seeds import derive_seed, torch_generator


def test_derived_seeds_depend_on_every_key_and_its_order():
    assert derive_seed(1, 2) == derive_seed(1, 2) != derive_seed(2, 1)
    a = torch.randn(4, generator=torch_generator(3, 1))
    assert torch.equal(a, torch.randn(4, generator=torch_generator(3, 1)))
    assert not torch.equal(a, torch.randn(4, generator=torch_generator(3, 2)))
