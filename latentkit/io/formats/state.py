"""Loading a foreign state dict into latentkit's network of the same names."""

from __future__ import annotations

from pathlib import Path

import torch
from torch import nn

from latentkit.errors import LatentkitError


def load_strictly(net: nn.Module, state: dict[str, torch.Tensor], path: str | Path) -> None:
    """Load `state` into `net`, refusing missing, unexpected or mis-shaped keys in one line."""
    expected = net.state_dict()
    missing = sorted(set(expected) - set(state))
    extra = sorted(set(state) - set(expected))
    wrong = sorted(k for k in expected if k in state and state[k].shape != expected[k].shape)
    if missing or extra or wrong:
        parts = [f"{name}: {', '.join(keys[:3])}{' …' if len(keys) > 3 else ''}"
                 for name, keys in (("missing", missing), ("unexpected", extra),
                                    ("mis-shaped", wrong)) if keys]  # fmt: skip
        raise LatentkitError(f"{path}: the weights do not fit the config ({'; '.join(parts)})")
    net.load_state_dict(state)
