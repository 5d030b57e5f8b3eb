"""Readers of other tools' generators, which never execute code from their files:

* stylegan2-ada-pytorch: official-key safetensors (`stylegan2`) and network pickles through a
  restricted unpickler (`pickles`);
* InterFaceGAN's PGGAN: its ``.pth`` state dict through ``torch.load(weights_only=True)``, or the
  same keys as safetensors (`pggan`).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from safetensors import SafetensorError, safe_open
from safetensors.torch import load_file
from torch import nn

from latentkit.errors import LatentkitError
from latentkit.io.checkpoint import sniff
from latentkit.io.formats.pggan import is_pggan_state, pggan_from_state, read_torch_state
from latentkit.io.formats.pickles import generator_from_pickle
from latentkit.io.formats.stylegan2 import FORMAT as STYLEGAN2_FORMAT
from latentkit.io.formats.stylegan2 import load_official

READ = (
    "stylegan2-ada-pytorch network pickles (read with an allowlist, never executed), "
    "InterFaceGAN's PGGAN .pth state dicts (torch.load weights_only), and official-key "
    "safetensors of either"
)


def load_foreign_generator(path: str | Path) -> nn.Module | None:
    """The generator a foreign file holds, in eval mode on the CPU, or None for a file that is
    not one (a latentkit file, TorchScript). A pickle that holds none is refused in one line."""
    path = Path(path)
    kind = sniff(path)
    if kind == "safetensors":
        try:
            with safe_open(str(path), framework="pt") as f:
                metadata, keys = f.metadata() or {}, set(f.keys())
        except (SafetensorError, OSError):
            return None
        if metadata.get("format") == STYLEGAN2_FORMAT:
            return load_official(path)
        if is_pggan_state(keys):
            return pggan_from_state(load_file(str(path)), path)
        return None
    if kind != "pickle":
        return None
    if not zipfile.is_zipfile(path):
        return generator_from_pickle(path)
    state = read_torch_state(path)
    if isinstance(state, dict) and is_pggan_state(state):
        return pggan_from_state(state, path)
    raise LatentkitError(f"{path}: a torch.save file without a generator latentkit reads ({READ})")
