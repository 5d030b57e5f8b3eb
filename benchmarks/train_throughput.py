"""Training throughput: latentkit's DCGAN-32 loop beside a plain reference loop, and its
StyleGAN2-32 beside both.

Both train the same DCGAN-32 networks (width 64, z 100, grayscale) on the MNIST subset with
batch 64, the non-saturating loss and Adam(2e-4, (0.5, 0.999)). Each is measured in its own
subprocess so that peak memory (max RSS) is its own.

* latentkit: ``GANTrainer.train_step`` — reuses the D step's fakes in the G step, freezes D's
  weights during the G step, and also does its bookkeeping (EMA of G, loss checks, seeded
  sampling).
* reference: the textbook loop — sigmoid + BCELoss, separate backward passes for real and fake,
  a fresh generator forward for the G step, and D's weight gradients computed in the G step.
* stylegan2: ``train gan --family stylegan2`` at the README's sizes (width 64, z and w 128,
  mapping depth 2), style mixing, lazy R1 every 16 steps, the same batch.
* ``-bf16``: the same step with ``--precision bf16`` (bfloat16 autocast; fast where the CPU has
  AVX512-BF16 or AMX).

Usage: python benchmarks/train_throughput.py [--steps 40] [--warmup 5] [--threads N]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import torch

STYLEGAN2 = {"family": "stylegan2", "width": 64, "latent_dim": 128, "resolution": 32}


def latentkit_loop(steps: int, warmup: int, **config) -> float:
    from latentkit.train.config import GANConfig, RunOptions
    from latentkit.train.gan import GANTrainer
    from latentkit.train.stylegan2 import StyleGAN2Trainer

    with tempfile.TemporaryDirectory() as tmp:
        config = GANConfig(data="mnist", steps=10**9, batch_size=64, **config)
        trainer_class = StyleGAN2Trainer if config.family == "stylegan2" else GANTrainer
        trainer = trainer_class(
            config, RunOptions(out=Path(tmp) / "run", device="cpu", progress=False)
        )
        for _ in range(warmup):
            trainer.advance()
        start = time.perf_counter()
        for _ in range(steps):
            trainer.advance()
        return time.perf_counter() - start


def reference_loop(steps: int, warmup: int) -> float:
    from latentkit.data import load_dataset
    from latentkit.nets.dcgan import DCGANDiscriminator, DCGANGenerator

    torch.manual_seed(0)
    data = load_dataset("mnist")
    g, d = DCGANGenerator(), DCGANDiscriminator()
    opt_g = torch.optim.Adam(g.parameters(), lr=2e-4, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(d.parameters(), lr=2e-4, betas=(0.5, 0.999))
    bce = torch.nn.BCELoss()
    ones, zeros = torch.ones(64), torch.zeros(64)

    def step() -> None:
        real = data.images(torch.randint(0, len(data), (64,)).numpy())
        d.zero_grad()
        loss_real = bce(torch.sigmoid(d(real)[0]), ones)
        loss_real.backward()
        fake = g(torch.randn(64, 100))
        loss_fake = bce(torch.sigmoid(d(fake.detach())[0]), zeros)
        loss_fake.backward()
        opt_d.step()
        g.zero_grad()
        loss_g = bce(torch.sigmoid(d(g(torch.randn(64, 100)))[0]), ones)
        loss_g.backward()
        opt_g.step()

    for _ in range(warmup):
        step()
    start = time.perf_counter()
    for _ in range(steps):
        step()
    return time.perf_counter() - start


def worker(name: str, steps: int, warmup: int, threads: int) -> None:
    torch.set_num_threads(threads)
    loops = {
        "latentkit": latentkit_loop,
        "reference": reference_loop,
        "latentkit-bf16": lambda *a: latentkit_loop(*a, precision="bf16"),
        "stylegan2": lambda *a: latentkit_loop(*a, **STYLEGAN2),
        "stylegan2-bf16": lambda *a: latentkit_loop(*a, **STYLEGAN2, precision="bf16"),
    }
    seconds = loops[name](steps, warmup)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb}))


LOOPS = ("reference", "latentkit", "latentkit-bf16", "stylegan2", "stylegan2-bf16")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=40)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--threads", type=int, default=torch.get_num_threads())
    parser.add_argument("--worker", choices=list(LOOPS), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.steps, args.warmup, args.threads)
        return
    rows = {}
    for name in LOOPS:
        out = subprocess.run(
            [
                sys.executable,
                __file__,
                "--worker",
                name,
                "--steps",
                str(args.steps),
                "--warmup",
                str(args.warmup),
                "--threads",
                str(args.threads),
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        rows[name] = json.loads(out.strip().splitlines()[-1])
    print(
        f"MNIST at 32 px, batch 64, {args.steps} timed steps after {args.warmup} warm-up, "
        f"{args.threads} threads, torch {torch.__version__}"
    )
    print(f"{'loop':<15} {'images/s':>10} {'ms/step':>9} {'peak RSS MB':>12}")
    for name, row in rows.items():
        rate = args.steps * 64 / row["seconds"]
        print(
            f"{name:<15} {rate:>10.1f} {1000 * row['seconds'] / args.steps:>9.1f} "
            f"{row['peak_mb']:>12.0f}"
        )
    ratio = rows["reference"]["seconds"] / rows["latentkit"]["seconds"]
    print(f"latentkit / reference throughput (DCGAN): {ratio:.2f}x")
    for name in ("latentkit", "stylegan2"):
        speedup = rows[name]["seconds"] / rows[f"{name}-bf16"]["seconds"]
        print(f"{name} bf16 / fp32 throughput: {speedup:.2f}x")


if __name__ == "__main__":
    main()
