"""latentkit: understand and steer the latent space of generative adversarial networks."""

from latentkit.errors import LatentkitError

__version__ = "0.1.0"
__all__ = ["LatentkitError", "__version__"]
