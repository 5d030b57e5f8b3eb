import json
import signal
import subprocess
import sys
import time

import numpy as np
import pytest
import torch

from latentkit.data import load_dataset
from latentkit.io.checkpoint import load_state
from latentkit.io.models import load_generator, load_model
from latentkit.latent.encode import encode
from tests.train.test_gan import ROOT, assert_same_state

ARGS = [
    "train",
    "gan",
    "--data",
    "digits",
    "--resolution",
    "8",
    "--arch",
    "mlp",
    "--width",
    "16",
    "--latent-dim",
    "4",
    "--batch-size",
    "8",
    "--steps",
    "4",
    "--checkpoint-every",
    "2",
    "--log-every",
    "2",
    "--device",
    "cpu",
    "--no-progress",
]


def test_train_gan_writes_a_run(run_cli, tmp_path):
    result = run_cli(*ARGS, "--loss", "hinge", "--minibatch-std", "--out", tmp_path / "run")
    assert "generator.safetensors" in result.output
    run = json.loads((tmp_path / "run/run.json").read_text())
    assert run["config"]["loss"] == "hinge" and run["config"]["lr"] == 2e-4
    assert load_generator(tmp_path / "run").latent_dim == 4


def test_same_seed_same_generator_other_seed_differs(run_cli, tmp_path):
    for name, seed in (("a", "1"), ("b", "1"), ("c", "2")):
        run_cli(*ARGS, "--seed", seed, "--out", tmp_path / name)
    weights = {
        n: load_state(tmp_path / n / "generator.safetensors")["models"]["generator"]["state"]
        for n in "abc"
    }
    assert all(torch.equal(weights["a"][k], weights["b"][k]) for k in weights["a"])
    assert not torch.equal(weights["a"]["main.0.weight"], weights["c"]["main.0.weight"])


def test_existing_run_and_bad_values(run_cli, tmp_path):
    run_cli(*ARGS, "--out", tmp_path / "run")
    assert "holds a run already" in run_cli(*ARGS, "--out", tmp_path / "run", code=2).output
    assert (
        "unknown dataset 'cifar'"
        in run_cli(*ARGS, "--data", "cifar", "--out", tmp_path / "x", code=2).output
    )
    assert (
        "Invalid value for '--steps'"
        in run_cli(*ARGS, "--steps", "0", "--out", tmp_path / "y", code=2).output
    )
    assert "does not exist" in run_cli(*ARGS, "--out", tmp_path / "no/run", code=2).output
    wrong = run_cli(*ARGS, "--info-projection", "--out", tmp_path / "p", code=2).output
    assert "info_projection works with the infogan family" in wrong
    assert not (tmp_path / "p").exists()


def test_train_scorer_then_sample_with_it(run_cli, tmp_path):
    run_cli(
        "train",
        "scorer",
        "--data",
        "digits",
        "--width",
        "4",
        "--steps",
        "3",
        "--batch-size",
        "16",
        "--device",
        "cpu",
        "--no-progress",
        "--out",
        tmp_path / "scorer",
    )
    run_cli(
        "sample",
        "--generator",
        "py:tests.factories:tiny_generator",
        "--scorer",
        tmp_path / "scorer/scorer.safetensors",
        "--n",
        "20",
        "--no-progress",
        "--out",
        tmp_path / "bank.npz",
    )
    from latentkit.io.bank import load_bank

    bank = load_bank(tmp_path / "bank.npz")
    assert bank.attribute_names[3] == "digit=3"
    assert abs(bank.scores.sum(axis=1) - 1).max() < 1e-5
    assert (
        "no attribute smile"
        in run_cli(
            "train",
            "scorer",
            "--data",
            "digits",
            "--attributes",
            "smile",
            "--out",
            tmp_path / "x",
            code=2,
        ).output
    )


def test_train_encoder_for_a_torchscript_generator(run_cli, tmp_path):
    from latentkit.nets.dcgan import DCGANGenerator

    torch.manual_seed(0)
    torch.jit.script(DCGANGenerator(latent_dim=6, width=4).eval()).save(str(tmp_path / "g.pt"))
    run_cli(
        "train",
        "encoder",
        "--generator",
        tmp_path / "g.pt",
        "--width",
        "4",
        "--steps",
        "3",
        "--batch-size",
        "8",
        "--device",
        "cpu",
        "--no-progress",
        "--out",
        tmp_path / "enc",
    )
    assert load_model(tmp_path / "enc/encoder.safetensors", "encoder").latent_dim == 6
    result = run_cli(
        "train", "encoder", "--generator", tmp_path / "missing.pt", "--out", tmp_path / "e2", code=2
    )
    assert "no such generator file" in result.output


def test_train_bigan_then_invert_with_its_encoder(run_cli, tmp_path):
    run_cli(
        "train",
        "bigan",
        "--data",
        "digits",
        "--latent-dim",
        "8",
        "--width",
        "4",
        "--steps",
        "2",
        "--batch-size",
        "8",
        "--encoder",
        "gaussian",
        "--unary",
        "--device",
        "cpu",
        "--no-progress",
        "--out",
        tmp_path / "run",
    )
    run_cli(
        "invert",
        "--generator",
        tmp_path / "run",
        "--encoder",
        tmp_path / "run/encoder.safetensors",
        "--data",
        "digits",
        "--indices",
        "0-1",
        "--out",
        tmp_path / "inv.png",
        "--codes-out",
        tmp_path / "codes.npy",
    )
    # No refinement steps: the codes are the Gaussian encoder's means of the two digits.
    encoder = load_model(tmp_path / "run/encoder.safetensors", "encoder")
    expected = encode(encoder, load_dataset("digits", 32).images(np.arange(2)))
    assert np.allclose(np.load(tmp_path / "codes.npy"), expected.detach().numpy(), atol=1e-5)


TOY_GAN = ["--data", "digits", "--resolution", "8", "--arch", "mlp", "--width", "16",
           "--latent-dim", "8", "--batch-size", "8", "--device", "cpu",
           "--no-progress"]  # fmt: skip


def test_resume_needs_only_the_run_folder(run_cli, tmp_path):
    run_cli("train", "gan", *TOY_GAN, "--steps", "4", "--out", tmp_path / "run")
    run_cli("train", "gan", "--out", tmp_path / "run", "--resume", "--steps", "6")
    run_cli("train", "gan", *TOY_GAN, "--steps", "6", "--out", tmp_path / "straight")
    assert_same_state(tmp_path / "run", tmp_path / "straight")
    record = json.loads((tmp_path / "run/run.json").read_text())
    assert record["steps_done"] == 6 and record["config"]["resolution"] == 8
    result = run_cli("train", "gan", "--out", tmp_path / "run", "--resume", "--resolution", "32",
                     code=2)  # fmt: skip
    assert "cannot resume: resolution was 8 in the checkpoint, now 32" in result.output
    result = run_cli("train", "gan", "--out", tmp_path / "new", code=2)
    assert "train gan needs data unless it resumes a run (--data)" in result.output


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_signal_ends_training_with_a_checkpoint_of_the_last_step(tmp_path, signum, code):
    out = tmp_path / "run"
    command = [sys.executable, "-m", "latentkit_cli", "train", "gan", *TOY_GAN, "--steps",
               "100000", "--checkpoint-every", "50", "--out", str(out)]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 120
    while not (out / "checkpoint.safetensors").exists() and time.time() < deadline:
        time.sleep(0.05)
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == code, stderr
    step = load_state(out / "checkpoint.safetensors")["step"]
    assert f"interrupted at step {step}; checkpoint written in {out}" in stderr
    assert json.loads((out / "run.json").read_text())["steps_done"] == step
    assert not [p.name for p in out.rglob(".*")]


def test_sigterm_leaves_no_temporary_behind(tmp_path):
    command = [sys.executable, "-m", "latentkit_cli", "sample", "--generator", "mnist", "--n",
               "200000", "--no-progress", "--images", str(tmp_path / "images.npy"), "--out",
               str(tmp_path / "bank.npz")]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 120
    while not list(tmp_path.glob(".images.npy.*.tmp")) and time.time() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)
    process.send_signal(signal.SIGTERM)
    process.communicate(timeout=60)
    assert process.returncode == 143
    assert list(tmp_path.iterdir()) == []


def test_train_scorer_prints_its_held_out_figures(run_cli, tmp_path):
    result = run_cli("train", "scorer", "--data", "digits", "--width", "4", "--steps", "3",
                     "--batch-size", "16", "--device", "cpu", "--no-progress", "--out",
                     tmp_path / "s")  # fmt: skip
    logged = [json.loads(r) for r in (tmp_path / "s/log.jsonl").read_text().splitlines()]
    accuracy = next(r["holdout_digit_accuracy"] for r in reversed(logged) if "holdout_" in str(r))
    assert f"held-out digit_accuracy: {accuracy:.4g}" in result.output
