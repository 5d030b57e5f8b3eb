"""Sampling codes in W beside Z: ``sample --space w`` costs ``--space z`` plus the mapping
network, and its memory stays flat as the number of codes grows.

For each space and count, a subprocess runs `latentkit.latent.sample.sample_bank` (codes only,
no scorer, so no images are made) with latentkit's StyleGAN2 at the README's sizes (z and w 128,
mapping depth 2, 32 px) and reports wall time and peak RSS. The mapping network's own time on
the same number of codes is measured beside it.

Usage: python benchmarks/spaces.py [--counts 10000 100000] [--threads N]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time

import torch


def generator():
    from latentkit.nets.stylegan2 import StyleGAN2Generator

    torch.manual_seed(0)
    return StyleGAN2Generator(128, 128, 32, 1, 2, 1024, 64).eval()


def worker(space: str, count: int) -> dict:
    from latentkit.latent.sample import sample_bank
    from latentkit.nets.spaces import LatentSpace

    g = generator()
    start = time.perf_counter()
    if space == "mapping":  # the mapping network alone on the same codes
        with torch.no_grad():
            for z in torch.randn(count, 128).split(4096):
                g.mapping(z)
    else:
        sample_bank(LatentSpace(g, space), None, count, seed=0, progress=False)
    seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", type=int, nargs="+", default=[10000, 100000])
    parser.add_argument("--threads", type=int, default=torch.get_num_threads())
    parser.add_argument("--worker", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    if args.worker:
        print(json.dumps(worker(args.worker[0], int(args.worker[1]))))
        return
    print(f"codes only (no images), {args.threads} threads, torch {torch.__version__}")
    print(f"{'codes':>8} {'space':<8} {'seconds':>8} {'peak RSS MB':>12}")
    for count in args.counts:
        for space in ("z", "w", "mapping"):
            out = subprocess.run(
                [sys.executable, __file__, "--worker", space, str(count), "--threads",
                 str(args.threads)],
                check=True, capture_output=True, text=True,
            ).stdout  # fmt: skip
            row = json.loads(out.strip().splitlines()[-1])
            print(f"{count:>8} {space:<8} {row['seconds']:>8.2f} {row['peak_mb']:>12.0f}")


if __name__ == "__main__":
    main()
