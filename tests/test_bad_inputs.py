"""The catalogue of bad inputs, each through the real command line.

Every case must end with exit code 2 and exactly one line on stderr, ``error: …``, naming the
file or option and the problem; no traceback; and nothing written in the output folder (or an
existing output left as it was). The catalogue in the README's reliability section lists them.
"""

from __future__ import annotations

import os
import pickle
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
import torch
from click.testing import CliRunner
from PIL import Image
from safetensors import safe_open
from safetensors.torch import load_file, save_file

from latentkit.io.bank import LatentBank, save_bank
from latentkit.io.direction import Direction, save_direction
from latentkit.io.models import save_model
from latentkit.nets.dcgan import DCGANEncoder
from latentkit_cli.main import cli
from tests import analytic
from tests.cli.analytic_models import sample_args, save_models
from tests.factories import tiny_generator

TINY = "py:tests.factories:tiny_generator"  # latent 8, 32 px, 1 channel
STYLE = Path(__file__).parent / "fixtures/stylegan2_ada/tiny_uncond.safetensors"  # w 32, 8 ws
MARKER = "payload-ran"


class Payload:
    """Unpickling this writes a marker file: proof that a pickle was executed."""

    def __init__(self, marker: str):
        self.marker = marker

    def __reduce__(self):
        return (Path.write_text, (Path(self.marker), "ran"))


class SystemCall:
    """Unpickling this would run a shell command that writes the marker file."""

    def __init__(self, marker: str):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


@pytest.fixture(scope="module")
def kit(tmp_path_factory) -> dict[str, Path | str]:
    """Valid inputs for every command, and bad files derived from them."""
    root = tmp_path_factory.mktemp("kit")
    k: dict[str, Path | str] = {"root": root}
    k["tsgen"], k["tsscorer"] = save_models(root)
    k["bank"] = root / "bank.npz"
    result = CliRunner().invoke(
        cli, [str(a) for a in sample_args(k["tsgen"], k["tsscorer"], k["bank"], 400)]
    )
    assert result.exit_code == 0, result.output
    bank = np.load(k["bank"])
    d = analytic.DIM
    k["direction"] = root / "x.npz"
    save_direction(k["direction"], Direction(analytic.true_directions()["x"], 0.0, {}))
    k["direction_y"] = root / "y.npz"
    save_direction(k["direction_y"], Direction(analytic.true_directions()["y"], 0.0, {"name": "y"}))
    k["direction_xy"] = root / "xy.npz"
    xy = analytic.true_directions()["x"] + analytic.true_directions()["y"]
    save_direction(k["direction_xy"], Direction(xy, 0.0, {"name": "x+y"}))
    k["direction8"] = root / "d8.npz"
    save_direction(k["direction8"], Direction(np.ones(8) / np.sqrt(8), 0.0, {}))
    k["gen"] = root / "generator.safetensors"
    save_model(k["gen"], tiny_generator(), "generator")
    torch.manual_seed(0)
    k["encoder"] = root / "encoder.safetensors"
    save_model(
        k["encoder"], DCGANEncoder(latent_dim=8, resolution=32, channels=1, width=4), "encoder"
    )
    k["encoder64"] = root / "encoder64.safetensors"
    save_model(
        k["encoder64"], DCGANEncoder(latent_dim=8, resolution=64, channels=1, width=4), "encoder"
    )
    k["encoder5"] = root / "encoder5.safetensors"
    save_model(
        k["encoder5"], DCGANEncoder(latent_dim=5, resolution=32, channels=1, width=4), "encoder"
    )

    k["direction_z32"] = root / "z32.npz"
    save_direction(k["direction_z32"], Direction(np.ones(32), 0.0, {"space": "z"}))
    k["direction_w32"] = root / "w32.npz"
    save_direction(k["direction_w32"], Direction(np.ones(32), 0.0, {"space": "w"}))
    state = load_file(str(STYLE))
    del state["synthesis.b4.const"]
    k["style_missing"] = root / "style_missing.safetensors"
    with safe_open(str(STYLE), framework="pt") as f:
        save_file(state, str(k["style_missing"]), metadata=f.metadata())

    (root / "system.pkl").write_bytes(pickle.dumps({"G_ema": SystemCall(str(root / MARKER))}))
    torch.save({"weights": torch.zeros(3)}, root / "tensors.pth")

    blob = Path(k["gen"]).read_bytes()
    (root / "truncated.safetensors").write_bytes(blob[: len(blob) // 2])
    (root / "garbage.safetensors").write_bytes(np.random.default_rng(0).bytes(4096))
    (root / "empty.safetensors").write_bytes(b"")
    with open(root / "pickle.safetensors", "wb") as f:
        pickle.dump({"weights": Payload(str(root / MARKER))}, f)
    torch.save({"w": Payload(str(root / MARKER))}, root / "torchsave.pt")
    (root / "notes.txt").write_text("not a model\n")
    (root / "empty_folder").mkdir()

    z = bank["z"]
    save_bank(root / "bank_nan.npz", _bank(z, bank, nan_in="scores"))
    save_bank(root / "bank_inf.npz", _bank(z, bank, nan_in="z"))
    save_bank(root / "bank_constant.npz", _bank(z, bank, constant=True))
    np.savez(
        root / "bank_empty.npz",
        z=np.zeros((0, d), np.float32),
        scores=np.zeros((0, 3), np.float32),
        attribute_names=np.array(["x", "y", "size"]),
    )
    bank_bytes = Path(k["bank"]).read_bytes()
    (root / "bank_truncated.npz").write_bytes(bank_bytes[: len(bank_bytes) // 3])
    (root / "bank_wrong.npz").write_text("z,x\n1,2\n")
    np.savez(root / "bank_no_z.npz", codes=z)
    np.save(root / "scores_short.npy", np.zeros(10, np.float32))

    direction_bytes = Path(k["direction"]).read_bytes()
    (root / "direction_corrupt.npz").write_bytes(direction_bytes[:40])
    np.savez(root / "direction_nan.npz", normal=np.full(d, np.nan), intercept=0.0, meta="{}")
    np.savez(root / "direction_zero.npz", normal=np.zeros(d), intercept=0.0, meta="{}")
    np.save(root / "direction_2d.npy", np.ones((3, d)))

    np.save(root / "codes_wrong_dim.npy", np.zeros((4, d + 1), np.float32))
    codes_nan = np.zeros((4, d), np.float32)
    codes_nan[1, 2] = np.nan
    np.save(root / "codes_nan.npy", codes_nan)
    np.save(root / "codes_3d.npy", np.zeros((2, 2, d), np.float32))

    (root / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    factors = np.stack([np.arange(300) % 3, np.arange(300) % 5], 1)
    np.save(root / "factors.npy", factors)
    np.save(root / "factors_short.npy", factors[:200])
    np.save(root / "factors_single.npy", np.stack([factors[:, 0], np.zeros(300, int)], 1))
    rng = np.random.default_rng(0)
    np.save(root / "codes300.npy", factors + rng.normal(0, 0.1, factors.shape))
    nan300 = factors + rng.normal(0, 0.1, factors.shape)
    nan300[7, 0] = np.nan
    np.save(root / "codes300_nan.npy", nan300)

    images = root / "images"
    images.mkdir()
    (images / "a.png").write_bytes((root / "broken.png").read_bytes())
    linked = root / "linked"
    linked.mkdir()
    Image.new("L", (32, 32), 90).save(linked / "a.png")
    (root / "outside.csv").write_text("file,smile\na.png,1\n")
    (linked / "attributes.csv").symlink_to(root / "outside.csv")
    (root / "mnist_missing").mkdir()
    return k


def _bank(z, bank, nan_in: str = "", constant: bool = False) -> LatentBank:
    z = z.copy()
    scores = bank["scores"].copy()
    if nan_in == "scores":
        scores[5, 0] = np.nan
    if nan_in == "z":
        z[3, 1] = np.inf
    if constant:
        scores[:, 0] = 1.0
    names = [str(n) for n in bank["attribute_names"]]
    return LatentBank(z=z, scores=scores, attribute_names=names, meta={})


@dataclass(frozen=True)
class Case:
    """A bad input: the command's arguments (from the kit and the output folder), the file or
    option the error line must name (`where`) and the problem it must state, in words that no
    file or folder of the command holds (`problem`)."""

    name: str
    args: Callable[[dict, Path], list]
    where: str
    problem: str


CASES = [
    # -- model files --------------------------------------------------------------------------
    Case(
        "missing generator",
        lambda k, o: [
            "generate",
            "--generator",
            k["root"] / "nope.safetensors",
            "--out",
            o / "g.png",
        ],
        "nope.safetensors",
        "no such generator file",
    ),
    Case(
        "folder without a generator",
        lambda k, o: ["generate", "--generator", k["root"] / "empty_folder", "--out", o / "g.png"],
        "empty_folder",
        "a folder without generator.safetensors",
    ),
    Case(
        "truncated checkpoint",
        lambda k, o: [
            "generate",
            "--generator",
            k["root"] / "truncated.safetensors",
            "--out",
            o / "g.png",
        ],
        "truncated.safetensors",
        "corrupt or truncated checkpoint",
    ),
    Case(
        "corrupt checkpoint",
        lambda k, o: [
            "generate",
            "--generator",
            k["root"] / "garbage.safetensors",
            "--out",
            o / "g.png",
        ],
        "garbage.safetensors",
        "not a latentkit checkpoint (not a safetensors file)",
    ),
    Case(
        "empty checkpoint",
        lambda k, o: [
            "generate",
            "--generator",
            k["root"] / "empty.safetensors",
            "--out",
            o / "g.png",
        ],
        "empty.safetensors",
        "is an empty file",
    ),
    Case(
        "pickle disguised as a checkpoint",
        lambda k, o: [
            "generate",
            "--generator",
            k["root"] / "pickle.safetensors",
            "--out",
            o / "g.png",
        ],
        "pickle.safetensors",
        "which latentkit does not load",
    ),
    Case(
        "torch.save archive as a generator",
        lambda k, o: ["generate", "--generator", k["root"] / "torchsave.pt", "--out", o / "g.png"],
        "torchsave.pt",
        "holding more than tensors",
    ),
    Case(
        "text file as a generator",
        lambda k, o: ["generate", "--generator", k["root"] / "notes.txt", "--out", o / "g.png"],
        "notes.txt",
        "not a latentkit checkpoint",
    ),
    Case(
        "encoder file as a generator",
        lambda k, o: ["generate", "--generator", k["encoder"], "--out", o / "g.png"],
        "encoder.safetensors",
        "holds no generator (it holds: encoder)",
    ),
    Case(
        "factory that is not a module",
        lambda k, o: [
            "generate",
            "--generator",
            "py:tests.factories:not_a_module",
            "--out",
            o / "g.png",
        ],
        "py:tests.factories:not_a_module",
        "returned a int, not an nn.Module",
    ),
    Case(
        "generator with pixels in [0, 255]",
        lambda k, o: [
            "generate",
            "--generator",
            "py:tests.factories:bytes_generator",
            "--out",
            o / "g.png",
        ],
        "bytes_generator",
        "pixels range over [127, 128], not [-1, 1]; declare its range (0,255) (--output-range)",
    ),
    Case(
        "generator with channels-last images",
        lambda k, o: [
            "generate",
            "--generator",
            "py:tests.factories:channels_last_generator",
            "--out",
            o / "g.png",
        ],
        "channels_last_generator",
        "look channels-last",
    ),
    Case(
        "missing scorer",
        lambda k, o: sample_args(k["tsgen"], k["root"] / "nope.pt", o / "b.npz", 10),
        "nope.pt",
        "no such scorer file",
    ),
    Case(
        "pickle as a scorer",
        lambda k, o: sample_args(k["tsgen"], k["root"] / "torchsave.pt", o / "b.npz", 10),
        "torchsave.pt",
        "does not unpickle models",
    ),
    Case(
        "unknown analytic scorer",
        lambda k, o: sample_args(k["tsgen"], "analytic:faces", o / "b.npz", 10),
        "'analytic:faces'",
        "unknown analytic scorer",
    ),
    Case(
        "TorchScript scorer with too few attribute names",
        lambda k, o: sample_args(k["tsgen"], k["tsscorer"], o / "b.npz", 10, "--attributes", "a,b"),
        "scorer.pt",
        "returned scores (2, 3), expected [2, 2]",
    ),
    # -- counts, choices and devices ----------------------------------------------------------
    Case(
        "zero count",
        lambda k, o: sample_args(k["tsgen"], k["tsscorer"], o / "b.npz", 0),
        "'--n'",
        "0 is not in the range x>=1",
    ),
    Case(
        "negative count",
        lambda k, o: ["generate", "--generator", TINY, "--n", "-3", "--out", o / "g.png"],
        "'--n'",
        "-3 is not in the range x>=1",
    ),
    Case(
        "unknown device",
        lambda k, o: ["generate", "--generator", TINY, "--device", "tpu", "--out", o / "g.png"],
        "'tpu'",
        "unknown device",
    ),
    Case(
        "unknown solver",
        lambda k, o: ["boundary", "fit", "--bank", k["bank"], "--solver", "sgd", "--out", o],
        "'--solver'",
        "'sgd' is not one of",
    ),
    Case(
        "keeping the class with a scorer without a class head",
        lambda k, o: [
            "edit",
            "--generator",
            k["gen"],
            "--direction",
            k["direction8"],
            "--keep-class",
            "analytic:digits",
            "--out",
            o / "e.png",
        ],
        "analytic:digits",
        "one class head, it has 0",
    ),
    Case(
        "pack below 1",
        lambda k, o: ["train", "gan", "--data", "ring8", "--pack", "0", "--out", o / "run"],
        "pack must be at least 1",
        "not 0",
    ),
    Case(
        "pack not dividing the batch",
        lambda k, o: [
            "train",
            "gan",
            "--data",
            "ring8",
            "--batch-size",
            "10",
            "--pack",
            "3",
            "--out",
            o / "run",
        ],
        "divide the batch size 10",
        "not 3",
    ),
    Case(
        "R1 on a Wasserstein critic",
        lambda k, o: [
            "train",
            "gan",
            "--data",
            "ring8",
            "--loss",
            "wgan-gp",
            "--r1-gamma",
            "1",
            "--out",
            o / "run",
        ],
        "--r1-gamma",
        "works with the ns, minimax and hinge losses",
    ),
    Case(
        "a class loss for D without classes to learn from",
        lambda k, o: [
            "train",
            "gan",
            "--data",
            "ring8",
            "--d-class-loss",
            "1",
            "--out",
            o / "run",
        ],
        "--d-class-loss",
        "the dcgan architecture",
    ),
    Case(
        "negative unroll",
        lambda k, o: ["train", "gan", "--data", "ring8", "--unroll", "-1", "--out", o / "run"],
        "unroll must not be negative",
        "not -1",
    ),
    Case(
        "top-k updates for BEGAN",
        lambda k, o: [
            "train",
            "gan",
            "--data",
            "ring8",
            "--family",
            "began",
            "--top-k",
            "0.5",
            "--out",
            o / "run",
        ],
        "--top-k",
        "began family takes none",
    ),
    Case(
        "a learning-rate decay longer than the run",
        lambda k, o: [
            "train",
            "gan",
            "--data",
            "ring8",
            "--steps",
            "10",
            "--lr-decay-steps",
            "11",
            "--out",
            o / "run",
        ],
        "--lr-decay-steps",
        "must lie in [0, steps = 10], not 11",
    ),
    Case(
        "modes of a generator of another shape",
        lambda k, o: [
            "measure",
            "modes",
            "--generator",
            k["gen"],
            "--data",
            "ring8",
            "--out",
            o / "modes",
        ],
        "the generator makes (1, 32, 32)",
        "ring8 holds (2, 1, 1)",
    ),
    Case(
        "unknown dataset",
        lambda k, o: ["train", "gan", "--data", "cifar", "--steps", "1", "--out", o / "run"],
        "'cifar'",
        "unknown dataset",
    ),
    Case(
        "MNIST folder without its files",
        lambda k, o: [
            "train",
            "gan",
            "--data",
            f"mnist:{k['root'] / 'mnist_missing'}",
            "--steps",
            "1",
            "--out",
            o / "run",
        ],
        "mnist_missing",
        "no train-images-idx3-ubyte",
    ),
    Case(
        "unknown attribute for a scorer",
        lambda k, o: [
            "train",
            "scorer",
            "--data",
            "digits",
            "--attributes",
            "smile",
            "--steps",
            "1",
            "--out",
            o / "run",
        ],
        "smile",
        "no attribute",
    ),
    Case(
        "generator file as a scorer",
        lambda k, o: sample_args(k["tsgen"], k["gen"], o / "b.npz", 10),
        "generator.safetensors",
        "holds no scorer (it holds: generator)",
    ),
    # -- banks and scores ---------------------------------------------------------------------
    Case(
        "missing bank",
        lambda k, o: ["boundary", "fit", "--bank", k["root"] / "nope.npz", "--out", o],
        "nope.npz",
        "no such bank file",
    ),
    Case(
        "folder as a bank",
        lambda k, o: ["boundary", "fit", "--bank", k["root"] / "empty_folder", "--out", o],
        "empty_folder",
        "a folder, not a bank file",
    ),
    Case(
        "truncated bank",
        lambda k, o: ["boundary", "fit", "--bank", k["root"] / "bank_truncated.npz", "--out", o],
        "bank_truncated.npz",
        "not a readable .npz bank (File is not a zip file)",
    ),
    Case(
        "text file as a bank",
        lambda k, o: ["boundary", "fit", "--bank", k["root"] / "bank_wrong.npz", "--out", o],
        "bank_wrong.npz",
        "not a readable .npz bank (not an .npz archive)",
    ),
    Case(
        "bank without codes",
        lambda k, o: ["boundary", "fit", "--bank", k["root"] / "bank_no_z.npz", "--out", o],
        "bank_no_z.npz",
        "not a latent bank (missing attribute_names, scores, z)",
    ),
    Case(
        "empty bank",
        lambda k, o: ["boundary", "fit", "--bank", k["root"] / "bank_empty.npz", "--out", o],
        "bank_empty.npz",
        "the bank is empty or its codes are not [N, d]",
    ),
    Case(
        "NaN scores",
        lambda k, o: [
            "boundary",
            "fit",
            "--bank",
            k["root"] / "bank_nan.npz",
            "--attribute",
            "x",
            "--out",
            o,
        ],
        "bank_nan.npz",
        "1 scores are NaN or infinite",
    ),
    Case(
        "infinite codes",
        lambda k, o: ["boundary", "fit", "--bank", k["root"] / "bank_inf.npz", "--out", o],
        "bank_inf.npz",
        "codes contain NaN or infinite values",
    ),
    Case(
        "single-valued attribute",
        lambda k, o: [
            "boundary",
            "fit",
            "--bank",
            k["root"] / "bank_constant.npz",
            "--attribute",
            "x",
            "--out",
            o,
        ],
        "bank_constant.npz",
        "all scores are equal",
    ),
    Case(
        "unknown attribute in a bank",
        lambda k, o: ["boundary", "fit", "--bank", k["bank"], "--attribute", "smile", "--out", o],
        "'smile'",
        "no attribute",
    ),
    Case(
        "scores file of the wrong length",
        lambda k, o: [
            "boundary",
            "fit",
            "--bank",
            k["bank"],
            "--attribute",
            "x",
            "--scores",
            k["root"] / "scores_short.npy",
            "--out",
            o,
        ],
        "scores_short.npy",
        "expected 400 scores of shape (N,) or (N, 1), got (10,)",
    ),
    Case(
        "negative ratio",
        lambda k, o: ["boundary", "fit", "--bank", k["bank"], "--ratio", "-1", "--out", o],
        "attribute 'x'",
        "chosen_num_or_ratio must be positive, not -1.0",
    ),
    Case(
        "train share outside (0, 1]",
        lambda k, o: ["boundary", "fit", "--bank", k["bank"], "--split", "1.5", "--out", o],
        "attribute 'x'",
        "split_ratio must lie in (0, 1], not 1.5",
    ),
    # -- directions ---------------------------------------------------------------------------
    Case(
        "missing direction",
        lambda k, o: [
            "edit",
            "--generator",
            k["tsgen"],
            "--direction",
            k["root"] / "nope.npz",
            "--out",
            o / "e.png",
        ],
        "nope.npz",
        "no such direction file",
    ),
    Case(
        "corrupt direction",
        lambda k, o: [
            "edit",
            "--generator",
            k["tsgen"],
            "--direction",
            k["root"] / "direction_corrupt.npz",
            "--out",
            o / "e.png",
        ],
        "direction_corrupt.npz",
        "not a readable direction file",
    ),
    Case(
        "direction of another latent size",
        lambda k, o: [
            "edit",
            "--generator",
            k["tsgen"],
            "--direction",
            k["direction8"],
            "--out",
            o / "e.png",
        ],
        "d8.npz",
        "direction of size 8, the generator's latent size is 16",
    ),
    Case(
        "NaN direction",
        lambda k, o: [
            "edit",
            "--generator",
            k["tsgen"],
            "--direction",
            k["root"] / "direction_nan.npz",
            "--out",
            o / "e.png",
        ],
        "direction_nan.npz",
        "must have a finite, non-zero normal",
    ),
    Case(
        "zero direction",
        lambda k, o: [
            "edit",
            "--generator",
            k["tsgen"],
            "--direction",
            k["root"] / "direction_zero.npz",
            "--out",
            o / "e.png",
        ],
        "direction_zero.npz",
        "must have a finite, non-zero normal",
    ),
    Case(
        "InterFaceGAN .npy of the wrong shape",
        lambda k, o: [
            "edit",
            "--generator",
            k["tsgen"],
            "--direction",
            k["root"] / "direction_2d.npy",
            "--out",
            o / "e.png",
        ],
        "direction_2d.npy",
        "an InterFaceGAN boundary is [1, d], not (3, 16)",
    ),
    Case(
        "condition of another latent size",
        lambda k, o: [
            "boundary",
            "project",
            "--primal",
            k["direction"],
            "--condition",
            k["direction8"],
            "--out",
            o / "p.npz",
        ],
        "d8.npz",
        "latent size 8, the primal's is 16",
    ),
    # -- codes --------------------------------------------------------------------------------
    Case(
        "codes of another latent size",
        lambda k, o: [
            "edit",
            "--generator",
            k["tsgen"],
            "--direction",
            k["direction"],
            "--codes",
            k["root"] / "codes_wrong_dim.npy",
            "--out",
            o / "e.png",
        ],
        "codes_wrong_dim.npy",
        "codes of shape (4, 17) do not fit the generator's z codes of size 16",
    ),
    Case(
        "NaN codes",
        lambda k, o: [
            "edit",
            "--generator",
            k["tsgen"],
            "--direction",
            k["direction"],
            "--codes",
            k["root"] / "codes_nan.npy",
            "--out",
            o / "e.png",
        ],
        "codes_nan.npy",
        "codes contain NaN or infinite values",
    ),
    Case(
        "codes that are not a matrix",
        lambda k, o: [
            "interpolate",
            "--generator",
            k["tsgen"],
            "--codes",
            k["root"] / "codes_3d.npy",
            "--out",
            o / "i.png",
        ],
        "codes_3d.npy",
        "codes of shape (2, 2, 16) do not fit",
    ),
    Case(
        "row index beyond the codes",
        lambda k, o: [
            "edit",
            "--generator",
            k["tsgen"],
            "--direction",
            k["direction"],
            "--codes",
            k["bank"],
            "--indices",
            "399-401",
            "--out",
            o / "e.png",
        ],
        "bank.npz",
        "has 400 codes, the indices ask for row 401",
    ),
    Case(
        "malformed seed list",
        lambda k, o: [
            "edit",
            "--generator",
            k["tsgen"],
            "--direction",
            k["direction"],
            "--seeds",
            "3-x",
            "--out",
            o / "e.png",
        ],
        "seeds",
        "cannot read '3-x' as a list like 0-3,7",
    ),
    Case(
        "unknown concept in an expression",
        lambda k, o: [
            "arithmetic",
            "--generator",
            k["tsgen"],
            "--concept",
            "A=seeds:1,2,3",
            "--expression",
            "A - B",
            "--out",
            o / "a.png",
        ],
        "'B'",
        "not among the concepts (A)",
    ),
    # -- images and encoders ------------------------------------------------------------------
    Case(
        "missing image",
        lambda k, o: [
            "invert",
            "--generator",
            k["gen"],
            "--encoder",
            k["encoder"],
            "--image",
            k["root"] / "nope.png",
            "--out",
            o / "r.png",
        ],
        "nope.png",
        "no such image file",
    ),
    Case(
        "folder as an image",
        lambda k, o: [
            "invert",
            "--generator",
            k["gen"],
            "--encoder",
            k["encoder"],
            "--image",
            k["root"] / "empty_folder",
            "--out",
            o / "r.png",
        ],
        "empty_folder",
        "a folder, not an image",
    ),
    Case(
        "undecodable image",
        lambda k, o: [
            "invert",
            "--generator",
            k["gen"],
            "--encoder",
            k["encoder"],
            "--image",
            k["root"] / "broken.png",
            "--out",
            o / "r.png",
        ],
        "broken.png",
        "cannot decode image",
    ),
    Case(
        "encoder of another image size",
        lambda k, o: [
            "invert",
            "--generator",
            k["gen"],
            "--encoder",
            k["encoder64"],
            "--data",
            "digits",
            "--indices",
            "0-1",
            "--out",
            o / "r.png",
        ],
        "encoder64.safetensors",
        "reads images of shape (1, 64, 64), the generator makes (1, 32, 32)",
    ),
    Case(
        "encoder of another latent size",
        lambda k, o: [
            "invert",
            "--generator",
            k["gen"],
            "--encoder",
            k["encoder5"],
            "--data",
            "digits",
            "--indices",
            "0-1",
            "--out",
            o / "r.png",
        ],
        "encoder5.safetensors",
        "codes of size 5, the generator's latent size is 8",
    ),
    Case(
        "generator file as an encoder",
        lambda k, o: [
            "invert",
            "--generator",
            k["gen"],
            "--encoder",
            k["gen"],
            "--data",
            "digits",
            "--out",
            o / "r.png",
        ],
        "generator.safetensors",
        "holds no encoder (it holds: generator)",
    ),
    Case(
        "folder dataset with an undecodable image",
        lambda k, o: [
            "train",
            "gan",
            "--data",
            f"folder:{k['root'] / 'images'}",
            "--steps",
            "1",
            "--out",
            o / "run",
        ],
        "a.png",
        "cannot decode image",
    ),
    Case(
        "attributes file linking outside the folder",
        lambda k, o: [
            "train",
            "gan",
            "--data",
            f"folder:{k['root'] / 'linked'}",
            "--steps",
            "1",
            "--out",
            o / "run",
        ],
        "attributes.csv",
        "outside the folder",
    ),
    # -- ground-truth metrics -----------------------------------------------------------------
    Case(
        "codes and factors of different lengths",
        lambda k, o: [
            "measure",
            "disentanglement",
            "--codes",
            k["root"] / "codes300.npy",
            "--factors",
            k["root"] / "factors_short.npy",
            "--num-train",
            "100",
            "--num-test",
            "50",
            "--out",
            o,
        ],
        "factors_short.npy",
        "codes have 300 rows but factors 200",
    ),
    Case(
        "a factor with one value",
        lambda k, o: [
            "measure",
            "disentanglement",
            "--codes",
            k["root"] / "codes300.npy",
            "--factors",
            k["root"] / "factors_single.npy",
            "--num-train",
            "100",
            "--num-test",
            "50",
            "--out",
            o,
        ],
        "factors_single.npy",
        "factor 1 takes a single value",
    ),
    Case(
        "NaN codes for metrics",
        lambda k, o: [
            "measure",
            "disentanglement",
            "--codes",
            k["root"] / "codes300_nan.npy",
            "--factors",
            k["root"] / "factors.npy",
            "--num-train",
            "100",
            "--num-test",
            "50",
            "--out",
            o,
        ],
        "codes300_nan.npy",
        "codes contain NaN or infinite values",
    ),
    Case(
        "a direction in the span of the others (no figure left behind)",
        lambda k, o: [
            "measure",
            "edits",
            "--generator",
            k["tsgen"],
            "--scorer",
            k["tsscorer"],
            "--direction",
            k["direction"],
            "--direction",
            k["direction_y"],
            "--direction",
            k["direction_xy"],
            "--n",
            "16",
            "--out",
            o / "report",
        ],
        "x.npz",
        "lies in the span of the conditions",
    ),
    Case(
        "demo on an unknown device (no folder made)",
        lambda k, o: ["demo", "--device", "tpu", "--out", o / "demo"],
        "'tpu'",
        "unknown device",
    ),
    Case(
        "training on an unknown device (no run folder made)",
        lambda k, o: ["train", "gan", "--data", "digits", "--device", "tpu", "--out", o / "run"],
        "'tpu'",
        "unknown device",
    ),
    Case(
        "SeFa on an unknown device",
        lambda k, o: ["boundary", "sefa", "--generator", TINY, "--device", "tpu", "--out", o / "s"],
        "'tpu'",
        "unknown device",
    ),
    Case(
        "report into a folder with files in it",
        lambda k, o: [
            "measure",
            "edits",
            "--generator",
            k["tsgen"],
            "--scorer",
            k["tsscorer"],
            "--direction",
            k["direction"],
            "--out",
            k["root"],
        ],
        "(--overwrite)",
        "a folder with files in it",
    ),
    # -- latent spaces (style-based generators) ------------------------------------------------
    Case(
        "W codes of a generator without a mapping network",
        lambda k, o: ["generate", "--generator", TINY, "--space", "w", "--out", o / "g.png"],
        "(--space)",
        "only the z space",
    ),
    Case(
        "a z direction on W codes",
        lambda k, o: [
            "edit",
            "--generator",
            STYLE,
            "--space",
            "w",
            "--direction",
            k["direction_z32"],
            "--out",
            o / "e.png",
        ],
        "z32.npz",
        "a direction of the z space",
    ),
    Case(
        "a direction of another size on W+ codes",
        lambda k, o: [
            "edit",
            "--generator",
            STYLE,
            "--space",
            "wp",
            "--direction",
            k["direction"],
            "--out",
            o / "e.png",
        ],
        "x.npz",
        "the generator's latent size is 256",
    ),
    Case(
        "a projection asked in another space than its directions",
        lambda k, o: [
            "boundary",
            "project",
            "--primal",
            k["direction_w32"],
            "--condition",
            k["direction_z32"],
            "--space",
            "z",
            "--out",
            o / "p.npz",
        ],
        "(--space)",
        "a direction of the w space, not z",
    ),
    Case(
        "layers outside 0..num_ws-1",
        lambda k, o: [
            "edit",
            "--generator",
            STYLE,
            "--space",
            "wp",
            "--direction",
            k["direction_w32"],
            "--layers",
            "6-9",
            "--out",
            o / "e.png",
        ],
        "(--layers)",
        "outside 0..7",
    ),
    Case(
        "an empty layer list",
        lambda k, o: ["mix", "--generator", STYLE, "--layers", "3-0", "--out", o / "m.png"],
        "layers",
        "an empty list",
    ),
    Case(
        "a negative truncation",
        lambda k, o: [
            "generate",
            "--generator",
            STYLE,
            "--truncation",
            "-0.5",
            "--out",
            o / "g.png",
        ],
        "(--truncation)",
        "must not be negative",
    ),
    Case(
        "an official-key generator with a missing key",
        lambda k, o: ["generate", "--generator", k["style_missing"], "--out", o / "g.png"],
        "style_missing.safetensors",
        "missing: synthesis.b4.const",
    ),
    # -- foreign generators -------------------------------------------------------------------
    Case(
        "a network pickle that reaches os.system (never run)",
        lambda k, o: ["generate", "--generator", k["root"] / "system.pkl", "--out", o / "g.png"],
        "system.pkl",
        "which latentkit does not load",
    ),
    Case(
        "a torch.save file holding no generator",
        lambda k, o: ["convert", k["root"] / "tensors.pth", "--out", o / "g.safetensors"],
        "tensors.pth",
        "without a generator latentkit reads",
    ),
    Case(
        "converting a TorchScript generator",
        lambda k, o: ["convert", k["tsgen"], "--out", o / "g.safetensors"],
        "not a latentkit architecture",
        "nothing to convert",
    ),
    # -- outputs ------------------------------------------------------------------------------
    Case(
        "output in a missing folder",
        lambda k, o: ["generate", "--generator", TINY, "--out", o / "missing" / "g.png"],
        "missing/g.png",
        "does not exist",
    ),
    Case(
        "output below a file",
        lambda k, o: ["generate", "--generator", TINY, "--out", k["root"] / "notes.txt" / "g.png"],
        "notes.txt",
        "is a file, not a folder",
    ),
]


def _snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every file (its bytes) and folder (None) below `folder`, hidden ones included."""
    return {
        str(p.relative_to(folder)): p.read_bytes() if p.is_file() else None
        for p in sorted(folder.rglob("*"))
    }


def _fails_cleanly(args: list, *says: str, out: Path) -> str:
    before = _snapshot(out)
    result = CliRunner().invoke(cli, ["--quiet", *map(str, args)])
    lines = result.stderr.strip().splitlines()
    assert result.exit_code == 2, f"exit {result.exit_code}: {result.output}"
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    for word in says:
        assert word in lines[0], f"{word!r} not in {lines[0]!r}"
    assert _snapshot(out) == before, "the failed command wrote files or folders"
    return lines[0]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_fails_in_one_line_and_writes_nothing(case, kit, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    args = [str(a) for a in case.args(kit, out)]
    # The problem is stated in words of the message, not read off a file or option name.
    assert not any(case.problem in a for a in args), case.problem
    _fails_cleanly(args, case.where, case.problem, out=out)


def test_pickles_never_run(kit, tmp_path):
    for name in ("pickle.safetensors", "torchsave.pt", "system.pkl"):
        _fails_cleanly(
            ["generate", "--generator", kit["root"] / name, "--out", tmp_path / "g.png"],
            name,
            out=tmp_path,
        )
    assert not (kit["root"] / MARKER).exists()


@pytest.mark.parametrize(
    "command",
    [
        lambda k, o: ["generate", "--generator", TINY, "--n", "2", "--out", o],
        lambda k, o: [*sample_args(k["tsgen"], k["tsscorer"], o, 10)],
        lambda k, o: [
            "boundary",
            "project",
            "--primal",
            k["direction"],
            "--condition",
            k["direction"],
            "--out",
            o,
        ],
    ],
    ids=["generate", "sample", "boundary project"],
)
def test_existing_output_is_kept_without_overwrite(command, kit, tmp_path):
    target = tmp_path / "existing.out"
    target.write_text("keep me")
    line = _fails_cleanly(command(kit, target), "existing.out", "--overwrite", out=tmp_path)
    assert target.read_text() == "keep me", line


def test_read_only_output_folder(tmp_path, monkeypatch):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    # Root may write anywhere, so the folder's permission is what the check asks the system.
    monkeypatch.setattr(os, "access", lambda path, mode: Path(path) != folder)
    try:
        _fails_cleanly(
            ["generate", "--generator", TINY, "--out", folder / "g.png"],
            "locked",
            "is not writable",
            out=folder,
        )
    finally:
        folder.chmod(0o700)


def test_debug_shows_the_traceback(kit, tmp_path):
    result = CliRunner().invoke(
        cli,
        [
            "--debug",
            "generate",
            "--generator",
            str(kit["root"] / "nope.safetensors"),
            "--out",
            str(tmp_path / "g.png"),
        ],
    )
    assert result.exit_code != 0 and result.exception is not None
    assert "no such generator file" in str(result.exception)


def test_the_readme_states_the_catalogue_at_its_size():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    stated = re.search(r"catalogue \((\d+) cases", readme)
    assert stated and int(stated.group(1)) == len(CASES)
    assert len({c.name for c in CASES}) == len(CASES)
