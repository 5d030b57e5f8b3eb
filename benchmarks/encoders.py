"""Three routes to an encoder on the MNIST subset, trained and measured on this machine.

* ``latent regression``: a DCGAN-32 trained first, then an encoder for it (``train encoder``);
* ``BiGAN``: G, E and a joint discriminator trained together (``train bigan --regression 0``);
* ``BiGAN + LR``: the same with the latent-regression term ‖z − E(G(z))‖² (the default).

Every network trains on ``mnist@train`` (80% of the 5,000 images, a fixed seeded split); the
figures are measured on the 1,000 images of ``mnist@heldout``, never seen in training. A digit
classifier trained by ``latentkit train scorer`` on ``mnist@train`` judges label preservation.
For each route the table shows the effective rank of G's Jacobian (how many directions of z G
uses) and z-recovery R² of E(G(z)); reconstruction MSE of the held-out images and its ratio to
the shuffled-pair baseline, encoder only and refined (``--refine-steps`` of in-domain
optimisation); label preservation of the reconstructions; 1-NN and linear-probe
accuracy of E(x), fitted on the training images' codes and tested on the held-out ones (the
BiGAN paper's protocol, on 4,000 images rather than 60,000), beside a random encoder of the same
architecture and, once, the raw pixels; and the training wall time from the runs' logs.

Runs are made with latentkit's own commands in ``--work`` and resumed when present, so an
interrupted benchmark continues; the step counts are the training budget of each row.

Usage: python benchmarks/encoders.py [--work runs] [--refine-steps 100]
"""

from __future__ import annotations

import argparse
import time
from functools import partial
from pathlib import Path

import numpy as np
import torch

from latentkit.attributes.scorer import load_scorer
from latentkit.data import load_dataset
from latentkit.io.models import load_encoder, load_generator
from latentkit.latent.encode import encode_images
from latentkit.metrics.inversion import label_agreement, measure_inversion, probe_split
from latentkit.nets import build
from latentkit.train.trainers import train_or_resume


def trained(kind: str, out: Path, **config) -> float:
    """Train (or resume) a run with seed 0; its training wall seconds."""
    return float(train_or_resume(kind, out, seed=0, **config)["elapsed_s"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=Path("runs"), help="Folder of the runs.")
    parser.add_argument("--gan-steps", type=int, default=5000)
    parser.add_argument("--encoder-steps", type=int, default=3000)
    parser.add_argument("--bigan-steps", type=int, default=2000)
    parser.add_argument("--scorer-steps", type=int, default=1500)
    parser.add_argument("--refine-steps", type=int, default=100)
    args = parser.parse_args()
    work = args.work
    work.mkdir(parents=True, exist_ok=True)

    gan_seconds = trained("gan", work / "mnist-gan", data="mnist@train", steps=args.gan_steps)
    generator_file = str(work / "mnist-gan" / "generator.safetensors")
    encoder_seconds = trained(
        "encoder", work / "mnist-encoder", generator=generator_file, steps=args.encoder_steps
    )
    routes = {"latent regression": (work / "mnist-gan", work / "mnist-encoder", encoder_seconds)}
    bigans = {"BiGAN": (0.0, "mnist-bigan"), "BiGAN + LR": (1.0, "mnist-bigan-lr")}
    for name, (weight, folder) in bigans.items():
        seconds = trained(
            "bigan", work / folder, data="mnist@train", regression=weight, steps=args.bigan_steps
        )
        routes[name] = (work / folder, work / folder, seconds)
    trained("scorer", work / "mnist-scorer", data="mnist@train", steps=args.scorer_steps)
    classifier = load_scorer(work / "mnist-scorer" / "scorer.safetensors")

    heldout = load_dataset("mnist@heldout")
    index = np.arange(len(heldout))
    images, labels = heldout.images(index), heldout.labels(index)
    print(f"Encoders on the MNIST subset: trained on mnist@train, measured on {len(heldout)} "
          f"held-out images; refined = encoder start + {args.refine_steps} steps")  # fmt: skip
    ceiling = label_agreement(classifier, images, labels)
    print(f"the classifier's accuracy on the held-out originals (labels' ceiling): {ceiling:.3f}")
    train_set = load_dataset("mnist@train")
    train_index = np.arange(len(train_set))
    train_images, train_labels = train_set.images(train_index), train_set.labels(train_index)

    def probes(codes_of) -> dict[str, float]:
        """Probes fitted on the codes of the training images, tested on the held-out ones."""
        return probe_split(codes_of(train_images), train_labels, codes_of(images), labels)

    pixels = probes(lambda x: x.flatten(1).numpy())
    print(f"probes fitted on the {len(train_set)} training images, tested on the held-out ones; "
          f"raw pixels: 1-NN {pixels['nn1']:.3f}, linear {pixels['linear']:.3f}")  # fmt: skip
    header = (
        f"{'route':<18} {'steps':>11} {'train s':>8} {'G rank':>6} {'z R²':>6} {'MSE enc':>8} "
        f"{'ratio':>6} {'MSE ref':>8} {'ratio':>6} {'labels enc':>10} {'labels ref':>10} "
        f"{'1-NN':>6} {'(rand)':>6} {'linear':>6} {'(rand)':>6} {'measure s':>9}"
    )
    print(header)
    for name, (generator_run, encoder_run, seconds) in routes.items():
        start = time.perf_counter()
        torch.manual_seed(0)
        generator = load_generator(generator_run / "generator.safetensors")
        encoder = load_encoder(encoder_run / "encoder.safetensors")
        r, _ = measure_inversion(
            generator, encoder, images, labels, classifier, args.refine_steps, seed=0
        )
        probe = probes(partial(encode_images, encoder))
        torch.manual_seed(0)
        random_probe = probes(partial(encode_images, build(encoder.config)))
        budget = (
            f"{args.gan_steps}+{args.encoder_steps}"
            if name == "latent regression"
            else str(args.bigan_steps)
        )
        total = seconds + (gan_seconds if name == "latent regression" else 0.0)
        enc, ref = r["encoder"], r["refined"]
        print(
            f"{name:<18} {budget:>11} {total:>8.0f} "
            f"{r['generator_jacobian']['effective_rank']:>6.1f} {r['z_recovery']['r2']:>6.3f} "
            f"{enc['mse']:>8.4f} {enc['ratio']:>6.3f} {ref['mse']:>8.4f} {ref['ratio']:>6.3f} "
            f"{enc['label_preservation']:>10.3f} {ref['label_preservation']:>10.3f} "
            f"{probe['nn1']:>6.3f} {random_probe['nn1']:>6.3f} "
            f"{probe['linear']:>6.3f} {random_probe['linear']:>6.3f} "
            f"{time.perf_counter() - start:>9.0f}"
        )
    print("G rank: effective rank of G's Jacobian dG/dz (how many directions of z G uses)")
    print("ratio: reconstruction MSE / MSE against shuffled pairs (1 = no better than chance)")
    print("train s: wall seconds of training from the run logs (the GAN's and the encoder's for")
    print("latent regression); runs that shared the 2 cores with other jobs report longer times.")


if __name__ == "__main__":
    main()
