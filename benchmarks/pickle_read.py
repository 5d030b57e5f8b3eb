"""Reading a stylegan2-ada-pytorch network pickle: time and peak memory beside its weights.

Writes a snapshot in the official layout (``G``, ``G_ema``, ``D`` as persistence objects with
their state and constructor arguments, tensors pickled as torch pickles them, a placeholder for
the module sources) of an FFHQ-sized StyleGAN2 (z and w 512, 1024 px, channel_base 32768,
channel_max 512, mapping depth 8 — about 360 MB in all), then reads it in a fresh process with
`latentkit.io.formats.pickles.generator_from_pickle`. Beside it, in its own process, the
generator read back from the latentkit file `latentkit convert` writes of it.

Usage: python benchmarks/pickle_read.py [--resolution 1024] [--work runs/pickle-bench]
"""

from __future__ import annotations

import argparse
import copy
import json
import pickle
import resource
import subprocess
import sys
import time
import types
from pathlib import Path

import torch


def _persistence_module() -> types.ModuleType:
    module = types.ModuleType("torch_utils.persistence")

    def _reconstruct_persistent_obj(meta):  # stands in for the official function's name
        raise AssertionError("only pickled here")

    _reconstruct_persistent_obj.__module__ = module.__name__
    _reconstruct_persistent_obj.__qualname__ = "_reconstruct_persistent_obj"
    module._reconstruct_persistent_obj = _reconstruct_persistent_obj
    return module


class Persistent:
    """Pickles a module as torch_utils.persistence does: its class name and ``__dict__``."""

    def __init__(self, module: torch.nn.Module, init_kwargs=None, class_name="Module"):
        self.module, self.init_kwargs, self.class_name = module, init_kwargs or {}, class_name

    def __reduce__(self):
        m = self.module
        state = {
            "training": False,
            "_parameters": dict(m._parameters),
            "_buffers": dict(m._buffers),
            "_non_persistent_buffers_set": set(m._non_persistent_buffers_set),
            "_modules": {name: Persistent(child) for name, child in m._modules.items()},
            "_init_args": (),
            "_init_kwargs": self.init_kwargs,
        }
        meta = {
            "type": "class",
            "version": 6,
            "module_src": "# source omitted",
            "class_name": self.class_name,
            "state": state,
        }
        return sys.modules["torch_utils.persistence"]._reconstruct_persistent_obj, (meta,)


def write_snapshot(path: Path, resolution: int) -> int:
    """An FFHQ-sized snapshot at `path`; returns the number of weight bytes it holds."""
    from latentkit.nets.stylegan2 import StyleGAN2Discriminator, StyleGAN2Generator

    kwargs = {"z_dim": 512, "w_dim": 512, "c_dim": 0, "img_resolution": resolution,
              "img_channels": 3, "mapping_kwargs": {"num_layers": 8},
              "synthesis_kwargs": {"channel_base": 32768, "channel_max": 512}}  # fmt: skip
    torch.manual_seed(0)
    g = StyleGAN2Generator(512, 512, resolution, 3, 8, 32768, 512)
    d = StyleGAN2Discriminator(resolution, 3, 32768, 512)
    sys.modules["torch_utils"] = types.ModuleType("torch_utils")
    sys.modules["torch_utils.persistence"] = _persistence_module()
    snapshot = {
        "G": Persistent(g, kwargs, "Generator"),
        "D": Persistent(d, {"c_dim": 0}, "Discriminator"),
        "G_ema": Persistent(copy.deepcopy(g), kwargs, "Generator"),
        "augment_pipe": None,
        "training_set_kwargs": {"resolution": resolution},
    }
    with path.open("wb") as f:
        pickle.dump(snapshot, f, protocol=4)
    weights = sum(t.numel() * 4 for net in (g, d) for t in net.state_dict().values())
    return weights + sum(t.numel() * 4 for t in g.state_dict().values())


def worker(kind: str, path: str, resolution: int) -> None:
    if kind == "write":
        print(json.dumps({"weights": write_snapshot(Path(path), resolution)}))
        return
    start = time.perf_counter()
    if kind == "pickle":
        from latentkit.io.formats.pickles import generator_from_pickle

        generator_from_pickle(path)
    else:
        from latentkit.io.models import load_model

        load_model(path, "generator")
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb()}))


def peak_mb() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited across
    exec from the parent)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resolution", type=int, default=1024)
    parser.add_argument("--work", type=Path, default=Path("runs/pickle-bench"))
    parser.add_argument("--worker", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(*args.worker, args.resolution)
        return
    args.work.mkdir(parents=True, exist_ok=True)
    snapshot = args.work / "network-snapshot.pkl"

    def run(kind: str, path: Path) -> dict:
        """A worker in its own process."""
        out = subprocess.run(
            [sys.executable, __file__, "--worker", kind, str(path), "--resolution",
             str(args.resolution)], check=True, capture_output=True, text=True,
        ).stdout  # fmt: skip
        return json.loads(out.strip().splitlines()[-1])

    weights = run("write", snapshot)["weights"]
    # the class name the reader checks is the official "Generator"
    data = snapshot.read_bytes().replace(b"StyleGAN2Generator", b"Generator\\x00\\x00\\x00\\x00")
    del data
    converted = args.work / "converted.safetensors"
    subprocess.run([sys.executable, "-m", "latentkit_cli", "convert", str(snapshot), "--out",
                    str(converted), "--overwrite"], check=True, capture_output=True)  # fmt: skip
    baseline = json.loads(subprocess.run(
        [sys.executable, "-c", "import json, torch, benchmarks.pickle_read as b; "
         "print(json.dumps(b.peak_mb()))"],
        check=True, capture_output=True, text=True).stdout)  # fmt: skip
    print(
        f"snapshot {snapshot.stat().st_size / 1e6:.0f} MB on disk, weights "
        f"{weights / 1e6:.0f} MB (G, G_ema, D); process with torch imported: {baseline:.0f} MB"
    )
    print(f"{'read':<24} {'seconds':>8} {'peak RSS MB':>12} {'above torch':>12} {'÷ weights':>10}")
    for name, kind, path in (("network pickle (G_ema)", "pickle", snapshot),
                             ("latentkit file", "latentkit", converted)):  # fmt: skip
        row = run(kind, path)
        above = row["peak_mb"] - baseline
        print(
            f"{name:<24} {row['seconds']:>8.2f} {row['peak_mb']:>12.0f} {above:>12.0f} "
            f"{above / (weights / 1e6 / 1.048576):>10.2f}"
        )


if __name__ == "__main__":
    main()
