"""latentkit's checkpoint format: safetensors, with the structure and configs as JSON metadata.

A checkpoint holds a nested state (dicts, lists, numbers, strings and tensors). Tensors are
stored flat under their path in the tree (``models/G/state/main.0.weight``); the tree itself, with
each tensor replaced by its key, is JSON in the file's metadata. Nothing is ever unpickled.

A model entry is ``{"config": net.config, "state": net.state_dict()}``; ``net.config`` holds the
architecture name and constructor arguments, so a model is rebuilt without code from the file.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import torch
from safetensors import SafetensorError, safe_open
from safetensors.torch import save

from latentkit.errors import LatentkitError
from latentkit.io.atomic import write_bytes

FORMAT = "latentkit"
FORMAT_VERSION = "1"
_TENSOR = "__tensor__"
_INT_KEYS = "__int_keys__"


def sniff(path: str | Path) -> str:
    """Say what kind of file `path` is, from its bytes: ``"safetensors"``, ``"torchscript"``,
    ``"pickle"`` (including torch.save archives), ``"zip"`` or ``"unknown"``."""
    path = Path(path)
    with path.open("rb") as f:
        head = f.read(16)
    if zipfile.is_zipfile(path):
        try:
            with zipfile.ZipFile(path) as archive:
                names = archive.namelist()
        except (zipfile.BadZipFile, OSError):
            return "unknown"
        if any("/code/" in name for name in names):
            return "torchscript"
        if any(name.endswith("data.pkl") for name in names):
            return "pickle"
        return "zip"
    header_size = int.from_bytes(head[:8], "little") if len(head) >= 8 else 0
    if head[8:9] == b"{" and 0 < header_size < 1 << 27:  # a JSON header of plausible size
        return "safetensors"
    if (head[:1] == b"\x80" and head[1:2] in (b"\x02", b"\x03", b"\x04", b"\x05")) or head[:1] in (
        b"(",
        b"}",
        b"]",
    ):
        return "pickle"
    return "unknown"


def _require_file(path: Path) -> None:
    if not path.exists():
        raise LatentkitError(f"{path}: no such file")
    if path.is_dir():
        raise LatentkitError(f"{path}: is a folder, not a file")
    if path.stat().st_size == 0:
        raise LatentkitError(f"{path}: is an empty file")


def _explain_not_safetensors(path: Path, kind: str) -> str:
    if kind == "pickle":
        return (
            f"{path}: is a pickle (torch.save) file; latentkit does not unpickle models, because "
            "unpickling can run code. It reads generators of stylegan2-ada-pytorch (network "
            "pickles, through an allowlist) and InterFaceGAN's PGGAN (.pth state dicts); save "
            "other weights with safetensors"
        )
    if kind == "torchscript":
        return f"{path}: is a TorchScript archive, not a latentkit checkpoint"
    return f"{path}: not a latentkit checkpoint (not a safetensors file)"


def _pack(node: Any, key: str, tensors: dict[str, torch.Tensor]) -> Any:
    if isinstance(node, torch.Tensor):
        tensors[key] = node.detach().to("cpu").contiguous().clone()
        return {_TENSOR: key}
    if isinstance(node, dict):
        if all(isinstance(k, str) for k in node):
            return {k: _pack(v, f"{key}/{k}" if key else k, tensors) for k, v in node.items()}
        # Keys that JSON would turn into strings (an optimizer's integer keys) keep their type.
        if not all(isinstance(k, int) for k in node):
            raise TypeError(f"dict keys must be all str or all int (at {key!r})")
        items = [[k, _pack(v, f"{key}/{k}", tensors)] for k, v in node.items()]
        return {_INT_KEYS: items}
    if isinstance(node, list | tuple):
        return [_pack(v, f"{key}/{i}", tensors) for i, v in enumerate(node)]
    if node is None or isinstance(node, bool | int | float | str):
        return node
    raise TypeError(f"cannot store a {type(node).__name__} in a checkpoint (at {key!r})")


def save_state(path: str | Path, state: dict[str, Any], kind: str, overwrite: bool = True) -> Path:
    """Write a nested `state` to `path` atomically as a latentkit checkpoint of the given kind."""
    tensors: dict[str, torch.Tensor] = {}
    tree = _pack(state, "", tensors)
    metadata = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "kind": kind,
        "tree": json.dumps(tree),
    }
    # Serialised here and written through our own temporary: safetensors' save_file stages its
    # own temporary file (".tmpXXXXXX"), which a kill mid-write would leave behind.
    return write_bytes(path, save(tensors, metadata=metadata), overwrite)


def read_metadata(path: str | Path) -> dict[str, Any]:
    """Return ``{"kind": ..., "tree": ...}`` of a latentkit checkpoint without reading tensors."""
    path = Path(path)
    _require_file(path)
    kind = sniff(path)
    if kind != "safetensors":
        raise LatentkitError(_explain_not_safetensors(path, kind))
    try:
        with safe_open(str(path), framework="pt") as f:
            metadata = f.metadata() or {}
    except (SafetensorError, OSError) as exc:
        raise LatentkitError(f"{path}: corrupt or truncated checkpoint ({exc})") from None
    if metadata.get("format") != FORMAT or "tree" not in metadata:
        raise LatentkitError(f"{path}: a safetensors file without latentkit metadata")
    try:
        tree = json.loads(metadata["tree"])
    except json.JSONDecodeError:
        raise LatentkitError(f"{path}: corrupt checkpoint metadata") from None
    return {"kind": metadata.get("kind", ""), "tree": tree}


def load_state(path: str | Path, select: tuple[str, ...] = ()) -> Any:
    """Read a latentkit checkpoint; with `select`, only the subtree at that path of keys."""
    path = Path(path)
    tree = read_metadata(path)["tree"]
    for i, key in enumerate(select):
        if not isinstance(tree, dict) or key not in tree:
            where = "/".join(select[: i + 1])
            raise LatentkitError(f"{path}: the checkpoint has no entry {where!r}")
        tree = tree[key]
    try:
        with safe_open(str(path), framework="pt") as f:
            names = set(f.keys())

            def unpack(node: Any) -> Any:
                if isinstance(node, dict) and set(node) == {_TENSOR}:
                    if node[_TENSOR] not in names:
                        raise LatentkitError(f"{path}: tensor {node[_TENSOR]!r} is missing")
                    return f.get_tensor(node[_TENSOR])
                if isinstance(node, dict) and set(node) == {_INT_KEYS}:
                    return {int(k): unpack(v) for k, v in node[_INT_KEYS]}
                if isinstance(node, dict):
                    return {k: unpack(v) for k, v in node.items()}
                if isinstance(node, list):
                    return [unpack(v) for v in node]
                return node

            return unpack(tree)
    except (SafetensorError, OSError) as exc:
        raise LatentkitError(f"{path}: corrupt or truncated checkpoint ({exc})") from None


def model_entry(net: torch.nn.Module) -> dict[str, Any]:
    """The checkpoint entry of a latentkit network: its config and its state dict."""
    return {"config": dict(net.config), "state": net.state_dict()}


def load_weights(net: torch.nn.Module, state: dict[str, torch.Tensor], source: str) -> None:
    """Load `state` into `net`, naming every missing, unexpected or mis-shaped tensor."""
    expected = net.state_dict()
    problems = []
    for key, tensor in expected.items():
        if key not in state:
            problems.append(f"missing {key}")
        elif tuple(state[key].shape) != tuple(tensor.shape):
            found, wanted = tuple(state[key].shape), tuple(tensor.shape)
            problems.append(f"{key} has shape {found}, the model expects {wanted}")
    problems += [f"unexpected {key}" for key in state if key not in expected]
    if problems:
        shown = "; ".join(problems[:3]) + (
            f"; and {len(problems) - 3} more" if len(problems) > 3 else ""
        )
        raise LatentkitError(f"{source}: weights do not fit the model: {shown}")
    net.load_state_dict(state)
