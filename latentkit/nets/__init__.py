"""Network architectures, rebuilt from their config (architecture name plus constructor args)."""

from __future__ import annotations

import functools
import inspect
from typing import Any

from torch import nn

from latentkit.errors import LatentkitError

_ARCHITECTURES: dict[str, type[nn.Module]] = {}


def register(arch: str):
    """Class decorator: register a network under `arch` and record its constructor arguments
    (defaults filled in; those a ``**kwargs`` parameter takes, by their own names) as
    ``net.config``, the dict that `build` takes back."""

    def wrap(cls: type[nn.Module]) -> type[nn.Module]:
        init = cls.__init__
        signature = inspect.signature(init)
        var_keyword = {p.name for p in signature.parameters.values() if p.kind is p.VAR_KEYWORD}

        @functools.wraps(init)
        def recording_init(self, *args, **kwargs):
            bound = signature.bind(self, *args, **kwargs)
            bound.apply_defaults()
            init(self, *args, **kwargs)
            self.config = {"arch": arch}
            for name, value in bound.arguments.items():
                if name in var_keyword:
                    self.config.update(value)
                elif name != "self":
                    self.config[name] = value

        cls.__init__ = recording_init
        _ARCHITECTURES[arch] = cls
        return cls

    return wrap


def build(config: dict[str, Any]) -> nn.Module:
    """Build a network from a config as recorded by `register` (``{"arch": ..., **kwargs}``)."""
    kwargs = dict(config)
    arch = kwargs.pop("arch", None)
    if arch not in _ARCHITECTURES:
        known = ", ".join(sorted(_ARCHITECTURES))
        raise LatentkitError(f"unknown architecture {arch!r} (known: {known})")
    try:
        return _ARCHITECTURES[arch](**kwargs)
    except (TypeError, ValueError) as exc:
        raise LatentkitError(f"bad config for architecture {arch!r}: {exc}") from None


def architectures() -> list[str]:
    """Names of the registered architectures."""
    return sorted(_ARCHITECTURES)


# Importing the modules registers their architectures.
from latentkit.nets import began, bigan, dcgan, mlp, predictor, progan, stylegan2  # noqa: E402

__all__ = [
    "architectures", "began", "bigan", "build", "dcgan", "mlp", "predictor", "progan", "register",
    "stylegan2",
]  # fmt: skip
