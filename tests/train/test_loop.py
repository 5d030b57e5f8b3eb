"""The shared training loop: every kind of run killed with SIGKILL resumes to the same end."""

import json
import logging
import os
import signal
import subprocess
import sys
import time
from dataclasses import replace

import numpy as np
import pytest

from latentkit.io.checkpoint import load_state
from latentkit.train import loop
from latentkit.train.gan import GANTrainer
from tests.train.test_gan import ROOT, TOY, assert_same_state, quick

SHARED = ["--device", "cpu", "--no-progress", "--checkpoint-every", "5", "--log-every", "1"]
# The kill path (checkpoint files, their temporaries, resume) is the loop's, shared by every
# trainer: a GAN, StyleGAN2 (extra state: pl_mean, w_avg) and the encoder (other run files).
# Each trainer's own exact resume is tested in-process in tests/train/test_<trainer>.py.
KINDS = {
    "gan": ["--data", "digits", "--resolution", "8", "--arch", "mlp", "--width", "32",
            "--latent-dim", "8", "--batch-size", "16"],
    "encoder": ["--generator", "py:tests.factories:tiny_generator", "--width", "4",
                "--batch-size", "8"],
    "gan --family stylegan2": ["--data", "digits", "--resolution", "8", "--width", "8",
                               "--latent-dim", "8", "--batch-size", "8", "--r1-every", "2",
                               "--pl-weight", "2", "--pl-every", "2"],
}  # fmt: skip


@pytest.mark.parametrize("kind", KINDS)
def test_sigkill_at_a_random_point_then_resume(tmp_path, run_cli, kind):
    """A run killed with SIGKILL at a random moment after its first checkpoint resumes from its
    last checkpoint and ends with the same weights and optimizer state as an uninterrupted run."""
    args = ["train", *kind.split(), *KINDS[kind], *SHARED]
    killed = tmp_path / "killed"
    process = subprocess.Popen(
        [sys.executable, "-m", "latentkit_cli", *args, "--steps", "100000", "--out", str(killed)],
        cwd=ROOT,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 120
    while not (killed / "checkpoint.safetensors").exists() and time.time() < deadline:
        time.sleep(0.02)
    # Anywhere: mid-step, mid-checkpoint. The seed is in every failure message, and
    # LATENTKIT_KILL_SEED replays it.
    seed = int(os.environ.get("LATENTKIT_KILL_SEED", np.random.SeedSequence().entropy % 2**32))
    time.sleep(np.random.default_rng(seed).uniform(0, 1.0))
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    step = load_state(killed / "checkpoint.safetensors")["step"]
    assert step >= 5 and step % 5 == 0, f"LATENTKIT_KILL_SEED={seed}"
    total = str(step + 7)
    run_cli(*args, "--steps", total, "--out", killed, "--resume")
    run_cli(*args, "--steps", total, "--out", tmp_path / "straight")
    assert_same_state(killed, tmp_path / "straight")
    logged = {
        run: [json.loads(r)["step"] for r in (run / "log.jsonl").read_text().splitlines()]
        for run in (killed, tmp_path / "straight")
    }
    assert logged[killed] == logged[tmp_path / "straight"]  # no record lost or repeated
    assert sorted(set(logged[killed])) == list(range(1, int(total) + 1))
    left = [p.name for p in killed.rglob(".*")]
    assert not left, f"temporaries left (LATENTKIT_KILL_SEED={seed}): {left}"


@pytest.mark.parametrize("native", [True, False])
def test_bf16_warns_on_a_cpu_that_would_emulate_it(tmp_path, monkeypatch, caplog, native):
    monkeypatch.setattr(loop, "cpu_has_bf16", lambda: native)
    with caplog.at_level(logging.WARNING, logger="latentkit"):
        GANTrainer(replace(TOY, precision="bf16"), quick(tmp_path / "bf16"))
        GANTrainer(replace(TOY, precision="fp32"), quick(tmp_path / "fp32"))
    warnings = [r.getMessage() for r in caplog.records if "bfloat16" in r.getMessage()]
    assert len(warnings) == (0 if native else 1)
