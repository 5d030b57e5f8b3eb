"""``latentkit demo``: the README's first command, a tour of latentkit on the shipped bundles.

Every step is an ordinary ``latentkit`` command line, printed before it runs, so the tour doubles
as a list of commands to copy.
"""

from __future__ import annotations

import shlex
import time
from pathlib import Path

import click
import numpy as np

from latentkit.data import load_dataset, to_uint8
from latentkit.directions.projection import CONDITIONED
from latentkit.errors import LatentkitError
from latentkit.io.atomic import check_writable
from latentkit.io.bank import load_bank
from latentkit.io.bundles import get_bundle
from latentkit.runtime import resolve_device
from latentkit_cli.options import common_options

REAL_ROW = 3  # the held-out digit that is inverted and edited
LAYER_EDIT = "shape=heart"  # a style-based bundle's direction walked on its coarse layers only


def tour(out: Path, seed: int, device: str) -> list[tuple[str, list[str], list[Path]]]:
    """The demo's steps: (what it shows, the command's arguments, the files it writes)."""
    mnist, sprites = get_bundle("mnist"), get_bundle("sprites")
    common = ["--seed", str(seed)]
    dev = ["--device", device]
    steps = [
        (
            f"samples of the {name} generator",
            ["generate", "--generator", name, "--n", "64", "--out", out / f"{name}_samples.png",
             *common, *dev],
            [out / f"{name}_samples.png"],
        )
        for name in ("mnist", "sprites")
    ]  # fmt: skip
    for bundle in (mnist, sprites):
        for direction in sorted(d for d in bundle.directions if CONDITIONED not in d):
            grid = out / "edits" / f"{bundle.name}_{direction.replace('=', '')}.png"
            steps.append(
                (
                    f"{bundle.name}: edit along the {direction} boundary",
                    ["edit", "--generator", bundle.name, "--direction",
                     f"{bundle.name}:{direction}", "--seeds", "0-5", "--out", grid, *common, *dev],
                    [grid],
                )
            )  # fmt: skip
    for bundle in (mnist, sprites):
        steps += style_steps(bundle, out, common + dev)
    pairs = sorted(d for d in mnist.directions if CONDITIONED in d)
    conditioned = next((d for d in pairs if d.startswith("thickness")), pairs[0])
    primal, condition = conditioned.split(CONDITIONED)
    kept = out / "edits" / "mnist_thickness_digit_kept.png"
    steps += [
        (
            "thickness edit keeping the digit (the classifier's class held along the walk)",
            ["edit", "--generator", "mnist", "--direction", "mnist:thickness", "--keep-class",
             "mnist", "--seeds", "0-5", "--out", kept, *common, *dev],
            [kept],
        ),
        (
            f"{primal} edit, plain and conditioned on {condition} (rows alternate)",
            ["edit", "--generator", "mnist", "--direction", f"mnist:{primal}", "--direction",
             f"mnist:{conditioned}", "--compare", "--seeds", "0-3", "--out",
             out / "conditioned_edit.png", *common, *dev],
            [out / "conditioned_edit.png"],
        ),
        (
            f"side effects of the {primal} and {condition} edits, plain and conditioned",
            ["measure", "edits", "--generator", "mnist", "--scorer", "analytic:digits",
             "--direction", f"mnist:{primal}", "--direction", f"mnist:{condition}", "--n", "256",
             "--out", out / "report" / "edits", *common, *dev],
            [out / "report" / "edits" / n for n in ("report.md", "report.json",
                                                    "side_effects.png", "cosines.png")],
        ),
        (
            "a slerp chain through five codes",
            ["interpolate", "--generator", "mnist", "--seeds", "0-4", "--steps", "6", "--out",
             out / "slerp.png", *common, *dev],
            [out / "slerp.png"],
        ),
        (
            "an analogy grid: A to B applied along A to C",
            ["interpolate", "--generator", "mnist", "--seeds", "10,11,12", "--analogy", "--steps",
             "5", "--out", out / "analogy.png", *common, *dev],
            [out / "analogy.png"],
        ),
        (
            "a bank of codes scored by the digit classifier and the stroke measures",
            ["sample", "--generator", "mnist", "--scorer", "mnist", "--scorer", "analytic:digits",
             "--n", "4000", "--no-progress", "--out", out / "bank_mnist.npz", *common, *dev],
            [out / "bank_mnist.npz"],
        ),
    ]  # fmt: skip
    return steps


def style_steps(bundle, out: Path, options: list[str]) -> list[tuple[str, list[str], list[Path]]]:
    """For a bundle whose codes live in W (a style-based generator): one of its W directions
    walked on the coarse W+ layers only, and the style-mixing grids of the coarse and the fine
    layers."""
    if bundle.space == "z":
        return []
    from latentkit.io.models import load_generator

    half = load_generator(bundle.name).num_ws // 2
    coarse, fine = f"0-{half - 1}", f"{half}-{2 * half - 1}"
    direction = LAYER_EDIT if LAYER_EDIT in bundle.directions else sorted(bundle.directions)[0]
    layered = out / "edits" / f"{bundle.name}_{direction.replace('=', '')}_layers{coarse}.png"
    steps = [
        (
            f"{bundle.name}: the {direction} W direction on the coarse W+ layers {coarse} only",
            ["edit", "--generator", bundle.name, "--space", "wp", "--direction",
             f"{bundle.name}:{direction}", "--layers", coarse, "--seeds", "0-5", "--out",
             layered, *options],
            [layered],
        )
    ]  # fmt: skip
    for name, layers in (("coarse", coarse), ("fine", fine)):
        grid = out / f"{bundle.name}_mix_{name}.png"
        steps.append(
            (
                f"{bundle.name}: style mixing, the {name} layers {layers} from the source",
                ["mix", "--generator", bundle.name, "--layers", layers, "--out", grid, *options],
                [grid],
            )
        )
    return steps


def arithmetic_step(out: Path, seed: int, device: str) -> tuple[str, list[str], list[Path]]:
    """Thick sevens − thin sevens + thin ones: each concept the mean of every bank code that
    matches it (thresholds at the bank's own quantiles), read back by the digit classifier and
    the stroke measures."""
    bank = load_bank(out / "bank_mnist.npz")
    thick, thin = np.quantile(bank.score("thickness"), [0.75, 0.25])
    sure = "> 0.9"
    concepts = {
        "thick7": f"digit=7 {sure} & thickness > {thick:.3f}",
        "thin7": f"digit=7 {sure} & thickness < {thin:.3f}",
        "thin1": f"digit=1 {sure} & thickness < {thin:.3f}",
    }
    args = ["arithmetic", "--generator", "mnist", "--bank", out / "bank_mnist.npz"]
    for name, query in concepts.items():
        args += ["--concept", f"{name}={query}"]
    args += ["--expression", "thick7 - thin7 + thin1", "--out", out / "arithmetic.png"]
    args += ["--scorer", "mnist", "--scorer", "analytic:digits"]
    args += ["--seed", str(seed), "--device", device]
    return ("vector arithmetic: thick 7 − thin 7 + thin 1", args, [out / "arithmetic.png"])


def real_image_steps(out: Path, seed: int, device: str) -> list[tuple[str, list[str], list[Path]]]:
    """A held-out MNIST digit written as a PNG, then inverted and edited like a user's image."""
    from PIL import Image

    heldout = load_dataset("mnist@heldout")
    image = out / "real_digit.png"
    pixels = to_uint8(heldout.images([REAL_ROW]))[0, 0].numpy()
    Image.fromarray(pixels).save(image)
    common = ["--seed", str(seed), "--device", device]
    return [
        (
            "held-out digits and their reconstructions (encoder, then 100 refinement steps)",
            ["invert", "--generator", "mnist", "--encoder", "mnist", "--data", "mnist@heldout",
             "--indices", "0-7", "--steps", "100", "--out", out / "real_inverted.png", *common],
            [out / "real_inverted.png"],
        ),
        (
            "a held-out digit (real_digit.png) inverted, then edited along thickness",
            ["edit", "--generator", "mnist", "--image", image, "--encoder", "mnist",
             "--invert-steps", "100", "--direction", "mnist:thickness", "--out",
             out / "real_edit.png", *common],
            [image, out / "real_edit.png"],
        ),
        (
            "how well the encoder alone inverts held-out digits (refined figures: the card)",
            ["measure", "inversion", "--generator", "mnist", "--encoder", "mnist", "--data",
             "mnist@heldout", "--n", "500", "--scorer", "mnist", "--out",
             out / "report" / "inversion", *common],
            [out / "report" / "inversion" / n for n in ("report.md", "report.json",
                                                        "reconstructions.png")],
        ),
    ]  # fmt: skip


def run(args: list) -> None:
    """Run one latentkit command line in this process."""
    from latentkit_cli.main import cli

    code = cli.main([str(a) for a in args], prog_name="latentkit", standalone_mode=False)
    if code:  # the step printed its one-line error; stop the tour with its exit code
        raise click.exceptions.Exit(code)


@click.command()
@click.option(
    "--out", type=click.Path(path_type=Path), default=Path("latentkit-demo"), help="Output folder."
)
@click.option("--overwrite", is_flag=True, help="Replace an existing demo folder's files.")
@common_options
def demo(out: Path, overwrite: bool, seed: int, device: str) -> None:
    """A tour on the shipped bundles: edits per attribute, a conditioned edit with its side
    effects, interpolation, vector arithmetic, a real digit inverted and edited, and reports."""
    if out.exists() and any(out.iterdir()) and not overwrite:
        raise LatentkitError(
            f"{out}: not empty; overwriting replaces the demo's files", ("overwrite",)
        )
    check_writable(out)  # its parent folder exists and is writable
    resolve_device(device)  # refused here, before any step runs or any folder is made
    (out / "edits").mkdir(parents=True, exist_ok=True)
    (out / "report").mkdir(exist_ok=True)
    start = time.perf_counter()
    done: list[tuple[str, list[Path]]] = []
    for stage in (tour, lambda *a: [arithmetic_step(*a), *real_image_steps(*a)]):
        for what, args, files in stage(out, seed, device):  # the second stage reads the bank
            click.echo(f"\n# {what}\n$ latentkit {shlex.join(map(str, args))}", err=True)
            run([*args, "--overwrite"] if overwrite else args)
            done.append((what, files))
    click.echo(f"\nlatentkit demo: {time.perf_counter() - start:.0f} s; files in {out}:")
    for what, files in done:
        for path in files:
            click.echo(f"  {path}  ({what})")
