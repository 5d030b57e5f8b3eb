"""stylegan2-ada-pytorch (and stylegan3) network pickles, read without running their code.

A ``network-snapshot-*.pkl`` pickles the training loop's modules through
``torch_utils.persistence``: each module is a call ``_reconstruct_persistent_obj(meta)`` whose
``meta`` holds the module's source text (``module_src``), its class name and its ``__dict__``.
The official loader executes that source. `read_network_pickle` does not: its unpickler admits the
globals of `ALLOWED` only, and every other name — ``os.system``, ``builtins.eval``, a class with a
``__reduce__`` payload — is refused in one line naming it, before anything is called.

* ``_reconstruct_persistent_obj`` becomes `Persistent`, which keeps the class name and the state
  and never looks at ``module_src``;
* tensors are rebuilt with torch's own rebuild functions; each storage, a nested ``torch.save``
  stream, is read with ``torch.load(..., weights_only=True)``, torch's restricted unpickler;
* ``OrderedDict``, ``dnnlib.util.EasyDict`` (as a dict), numpy scalars (not of object dtype) and
  dtypes under both spellings (``numpy.core`` before numpy 2, ``numpy._core`` after), and
  ``builtins.set`` (written below pickle protocol 4).

`generator_from_pickle` takes ``G_ema`` (the weights the official scripts generate with), its
constructor arguments and weights, into latentkit's `StyleGAN2Generator`.
"""

from __future__ import annotations

import collections
import io
import itertools
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch._utils
from torch import nn

from latentkit.errors import LatentkitError
from latentkit.io.formats.state import load_strictly
from latentkit.io.formats.stylegan2 import generator_from_kwargs


@dataclass
class Persistent:
    """A module of a persistence pickle, as data: its class name and its ``__dict__``."""

    class_name: str
    state: dict = field(repr=False)


def _reconstruct_persistent_obj(meta: dict) -> Persistent:
    """The stand-in for torch_utils.persistence's reconstructor: keeps the state, ignores the
    source text (``module_src``) it would have executed."""
    if not isinstance(meta, dict) or meta.get("type") != "class":
        raise LatentkitError("a persistent object of an unknown kind")
    return Persistent(str(meta.get("class_name")), dict(meta.get("state") or {}))


def _numpy_scalar(dtype: np.dtype, data: bytes | None = None):
    """numpy's scalar reconstructor, refusing object dtypes (whose bytes would be pointers)."""
    if not isinstance(dtype, np.dtype) or dtype.hasobject or not isinstance(data, bytes):
        raise LatentkitError("a numpy scalar of an object dtype")
    return np.frombuffer(data, dtype)[0]


def _load_storage(data: bytes):
    """A tensor storage from its nested torch.save stream, read by torch's restricted loader."""
    return torch.load(io.BytesIO(data), weights_only=True, map_location="cpu")


ALLOWED = {
    ("collections", "OrderedDict"): collections.OrderedDict,
    ("dnnlib.util", "EasyDict"): dict,
    ("numpy._core.multiarray", "scalar"): _numpy_scalar,
    ("numpy.core.multiarray", "scalar"): _numpy_scalar,
    ("numpy", "dtype"): np.dtype,
    ("builtins", "set"): set,
    ("torch._utils", "_rebuild_parameter"): torch._utils._rebuild_parameter,
    ("torch._utils", "_rebuild_tensor_v2"): torch._utils._rebuild_tensor_v2,
    ("torch.storage", "_load_from_bytes"): _load_storage,
    ("torch_utils.persistence", "_reconstruct_persistent_obj"): _reconstruct_persistent_obj,
}


class RestrictedUnpickler(pickle._Unpickler):
    """An unpickler that resolves the globals of `ALLOWED` and refuses every other. It is
    Python's own unpickler (its memo is a dict, so storage streams can leave it)."""

    def find_class(self, module: str, name: str) -> Any:
        found = ALLOWED.get((module, name))
        if found is None:
            raise LatentkitError(
                f"refers to {module}.{name}, which latentkit does not load (a network pickle "
                "holds tensors, dicts and persistent modules only)"
            )
        return self._load_storage if found is _load_storage else found

    def _load_storage(self, data: bytes):
        """`_load_storage`, then the stream released from the memo (where the pickle put it):
        no stream is needed again, and keeping them all would double the memory."""
        storage = _load_storage(data)
        # The stream and the argument tuple holding it are the last entries memoised.
        for key in list(itertools.islice(reversed(self.memo), 4)):
            value = self.memo[key]
            if value is data or (type(value) is tuple and any(v is data for v in value)):
                self.memo[key] = None  # kept as a key: protocol 4 numbers the memo by its length
        return storage

    def persistent_load(self, pid: Any) -> Any:
        raise LatentkitError("uses persistent ids (a torch.save file, not a network pickle)")


def read_network_pickle(path: str | Path) -> Any:
    """The content of a network pickle, modules as `Persistent` (no code of the file is run)."""
    path = Path(path)
    try:
        with path.open("rb") as f:
            return RestrictedUnpickler(f).load()
    except LatentkitError as exc:
        raise LatentkitError(f"{path}: {exc}") from None
    except (pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError,
            IndexError, KeyError, RuntimeError, OSError) as exc:  # fmt: skip
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise LatentkitError(f"{path}: not a readable network pickle ({first})") from None


def state_dict(module: Persistent, prefix: str = "") -> dict[str, torch.Tensor]:
    """A `Persistent` module's parameters and persistent buffers, and its children's, under the
    dotted names ``Module.state_dict()`` would give."""
    state = module.state
    out: dict[str, torch.Tensor] = {}
    skipped = set(state.get("_non_persistent_buffers_set") or ())
    for name, tensor in (state.get("_parameters") or {}).items():
        if tensor is not None:
            out[prefix + name] = tensor.detach()
    for name, tensor in (state.get("_buffers") or {}).items():
        if tensor is not None and name not in skipped:
            out[prefix + name] = tensor
    for name, child in (state.get("_modules") or {}).items():
        if isinstance(child, Persistent):
            out |= state_dict(child, f"{prefix}{name}.")
    return out


def generator_from_pickle(path: str | Path) -> nn.Module:
    """latentkit's StyleGAN2 generator holding a network pickle's ``G_ema``, in eval mode."""
    path = Path(path)
    content = read_network_pickle(path)
    if not isinstance(content, dict) or not isinstance(content.get("G_ema"), Persistent):
        have = ", ".join(sorted(map(str, content))) if isinstance(content, dict) else "no dict"
        raise LatentkitError(f"{path}: a pickle without G_ema (it holds: {have})")
    g_ema = content["G_ema"]
    del content  # G, D and the rest go now: the peak stays near the file's weights
    weights = state_dict(g_ema)
    if g_ema.class_name != "Generator" or any(k.startswith("synthesis.input.") for k in weights):
        kind = "StyleGAN3" if "synthesis.input.freqs" in weights else g_ema.class_name
        raise LatentkitError(
            f"{path}: G_ema is a {kind} generator; latentkit reads StyleGAN2 generators "
            "(stylegan2-ada-pytorch's training.networks.Generator)"
        )
    kwargs = dict(g_ema.state.get("_init_kwargs") or {})
    net = generator_from_kwargs(kwargs, str(path))
    load_strictly(net, weights, path)
    return net.eval()
