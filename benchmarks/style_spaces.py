"""Z against W in one style-based generator: StyleGAN's claims (Karras et al. 2019, Table 4 —
W more linearly separable than Z, with shorter perceptual paths) and an attribute edit's side
effects in Z, W and W+ on a layer range, measured with latentkit's reports.

One bank of z codes is sampled and scored (the mnist bundle's digit classifier and the analytic
digit measures); its codes carried into W give the W bank (the same images). Then:

* `latent_report` with spaces z and w: linear separability of every attribute and perceptual
  path length in the classifier's features;
* a thickness boundary fitted in Z and one in W (InterFaceGAN's recipe), and `edits_report` for
  the Z boundary on z codes, the W boundary on w codes, and the W boundary on W+ codes moving
  only `--layers`: the standardised slope of thickness and of every other attribute per unit of
  distance, and their ratio (side effects per unit of thickness change).

Usage: python benchmarks/style_spaces.py --generator runs/mnist-sg2 [--n 10000]
       [--path-samples 2000] [--edit-codes 256] [--layers 0-3] [--work runs/style-spaces]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from latentkit.attributes.scorer import load_predictor, load_scorers
from latentkit.directions.svm import fit_boundaries
from latentkit.io.bank import LatentBank, load_bank, save_bank
from latentkit.io.models import image_shape, load_generator
from latentkit.latent.codes import parse_indices
from latentkit.latent.sample import sample_bank
from latentkit.reports import edits_report, latent_report

ATTRIBUTE = "thickness"
SCORERS = ("mnist", "analytic:digits")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--generator", required=True)
    parser.add_argument("--n", type=int, default=10000)
    parser.add_argument("--path-samples", type=int, default=2000)
    parser.add_argument("--edit-codes", type=int, default=256)
    parser.add_argument("--layers", default="0-3")
    parser.add_argument("--work", type=Path, default=Path("runs/style-spaces"))
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    z_view = load_generator(args.generator)
    shape = image_shape(z_view)
    scorer = load_scorers(SCORERS, None, "cpu", shape)
    bank_path = args.work / "z.npz"
    if not bank_path.exists():
        save_bank(bank_path, sample_bank(z_view, scorer, args.n, seed=0, progress=False))
    z_bank = load_bank(bank_path)
    w_codes = z_view.convert(z_bank.z, "w")
    w_bank = LatentBank(w_codes, z_bank.scores, z_bank.attribute_names, {"space": "w"})

    predictor = load_predictor("mnist", "cpu", shape)
    latent = latent_report(
        z_view,
        z_bank,
        args.work / "latent",
        predictor,
        path_samples=args.path_samples,
        overwrite=True,
        spaces=["z", "w"],
    )
    print(f"{'space':<6} {'separability':>12} {'path length':>12}")
    for space, row in latent["spaces"].items():
        print(f"{space:<6} {row['separability']:>12.3f} {row['path_length']:>12.2f}")

    boundaries = {
        space: fit_boundaries(bank.z, {ATTRIBUTE: bank.score(ATTRIBUTE)}, space=space)[ATTRIBUTE]
        for space, bank in (("z", z_bank), ("w", w_bank))
    }
    layers = parse_indices(args.layers, "layers")
    cases = [("Z", "z", None), ("W", "w", None), (f"W+ layers {args.layers}", "wp", layers)]
    print(f"\n{'edit':<18} {'val. acc.':>9} {ATTRIBUTE:>10} {'others':>8} {'ratio':>7}  (std/unit)")
    for name, space, chosen in cases:
        direction = boundaries["z" if space == "z" else "w"]
        view = z_view.in_space(space)
        folder = args.work / f"edits_{space}"
        data = edits_report(view, scorer, [direction], folder, count=args.edit_codes,
                            overwrite=True, layers=chosen)  # fmt: skip
        slopes = np.asarray(data["side_effects"]["standardised"])[0]
        names = data["attributes"]
        own = slopes[names.index(ATTRIBUTE)]
        others = np.abs(np.delete(slopes, names.index(ATTRIBUTE))).mean()
        accuracy = direction.meta["accuracy"]["validation"]
        print(f"{name:<18} {accuracy:>9.3f} {own:>+10.3f} {others:>8.3f} {others / abs(own):>7.3f}")
        (folder / "summary.json").write_text(
            json.dumps({"thickness": float(own), "others_mean_abs": float(others)}) + "\n"
        )


if __name__ == "__main__":
    main()
