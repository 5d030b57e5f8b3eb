import numpy as np
import pytest
import torch
from torch import nn

from latentkit.directions.sefa import first_layer_weight, sefa, sefa_directions
from latentkit.errors import LatentkitError
from latentkit.nets.dcgan import DCGANGenerator
from tests.factories import LinearToy, planted


def test_sefa_recovers_the_planted_direction():
    u = planted()
    directions, values = sefa(LinearToy(u), k=3)
    assert directions.shape == (3, 16) and values[0] > 5 * values[1]
    assert abs(directions[0] @ u) >= 0.95
    assert np.allclose(directions @ directions.T, np.eye(3), atol=1e-8)


def test_dcgan_first_layer_is_read_as_the_matrix_it_applies():
    generator = DCGANGenerator(latent_dim=8, width=4)
    weight = first_layer_weight(generator)
    assert weight.shape == (16 * 4 * 4, 8)  # C = 4w channels of 4×4 per code dimension
    z = torch.randn(3, 8)
    with torch.no_grad():
        applied = generator.main[0](z[:, :, None, None]).flatten(1).double().numpy()
    assert np.allclose(applied, z.double().numpy() @ weight.T, atol=1e-5)


def test_bad_k_and_layerless_generators():
    with pytest.raises(LatentkitError, match=r"k must lie in 1\.\.4"):
        sefa_directions(np.ones((6, 4)), 5)
    scripted = nn.Identity()
    scripted.latent_dim = 4
    with pytest.raises(LatentkitError, match="SeFa needs"):
        first_layer_weight(scripted)


def test_sefa_per_layer_reads_the_modulation_weights_of_those_layers():
    """Plant a direction v in the style affine that reads ws 0 (b4.conv1) and another, u, in the
    ones reading ws 7 (b32.torgb): SeFa of layer 0 finds v, of layer 7 finds u, both sorted."""
    from latentkit.io.models import load_generator
    from tests.nets.test_spaces import UNCOND

    view = load_generator(UNCOND, space="wp")
    g = view.generator
    rng = np.random.default_rng(0)
    v, u = (x / np.linalg.norm(x) for x in rng.normal(size=(2, 32)))
    with torch.no_grad():
        for index, affine in g.synthesis.affines():
            planted_row = {0: v, 7: u}.get(index)
            if planted_row is not None:
                scales = torch.from_numpy(rng.uniform(0.5, 2, (affine.weight.shape[0], 1)))
                affine.weight.copy_(scales * torch.from_numpy(planted_row)[None])
    for layer, truth in ((0, v), (7, u)):
        directions, values = sefa(view, k=2, layers=[layer])
        assert abs(directions[0] @ truth) > 0.999 and values[0] > values[1]
    with pytest.raises(LatentkitError, match="outside"):
        sefa(view, k=2, layers=[9])
