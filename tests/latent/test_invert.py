import pytest
import torch

from latentkit.errors import LatentkitError
from latentkit.latent.invert import invert
from latentkit.nets.dcgan import DCGANEncoder, DCGANGenerator


class Projector(torch.nn.Module):
    """Images tanh(A z) [N, 1, 32, 32] that vary strongly with z."""

    def __init__(self):
        super().__init__()
        self.latent_dim, self.prior = 8, "normal"
        self.register_buffer("a", torch.randn(1024, 8) / 2)

    def forward(self, z):
        return torch.tanh(z @ self.a.T).view(-1, 1, 32, 32)


def test_refinement_lowers_the_reconstruction_error():
    torch.manual_seed(0)
    g, e = Projector(), DCGANEncoder(latent_dim=8, width=8).eval()  # an untrained encoder's guess
    with torch.no_grad():
        targets = g(torch.randn(6, 8))  # images the generator can make
    error = {}
    for steps in (0, 100):
        codes = invert(g, e, targets, steps=steps)
        with torch.no_grad():
            error[steps] = (g(codes) - targets).pow(2).mean().item()
    assert error[100] < 0.5 * error[0]


def test_latent_size_mismatch_is_refused():
    with pytest.raises(LatentkitError, match="latent size is 8"):
        invert(
            DCGANGenerator(latent_dim=8, width=4),
            DCGANEncoder(latent_dim=9, width=4),
            torch.zeros(1, 1, 32, 32),
        )
