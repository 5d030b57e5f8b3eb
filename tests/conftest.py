"""Shared fixtures: a CLI runner that reports failures readably, tiny nets and the shared folder."""

from __future__ import annotations

import json
import os

import numpy as np
import pytest
import torch
from click.testing import CliRunner

from latentkit.io import bundles
from latentkit.io.direction import Direction, save_direction
from latentkit.io.models import save_model
from latentkit_cli.main import cli
from tests.factories import tiny_generator


def pytest_configure(config):
    """A pytest-xdist worker keeps torch to one thread, the workers already taking a core each, and
    so do the commands it starts: a run resumed in the test's process then sums in the same order
    as the part its subprocess trained."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        os.environ["OMP_NUM_THREADS"] = "1"
        torch.set_num_threads(1)


@pytest.fixture
def run_cli():
    """Invoke ``latentkit ARGS``; returns the click Result. `code` is the expected exit code."""

    def invoke(*args: str, code: int = 0):
        result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
        assert result.exit_code == code, f"exit {result.exit_code}: {result.output}"
        return result

    return invoke


@pytest.fixture
def tiny_scorer(run_cli, tmp_path):
    """A digits predictor trained for two steps: a latentkit feature network with a class head."""
    run_cli(
        "train",
        "scorer",
        "--data",
        "digits",
        "--width",
        "4",
        "--steps",
        "2",
        "--batch-size",
        "16",
        "--device",
        "cpu",
        "--no-progress",
        "--out",
        tmp_path / "scorer",
    )
    return tmp_path / "scorer" / "scorer.safetensors"


@pytest.fixture
def latentkit_log(caplog):
    """caplog receiving the "latentkit" logger's records at INFO, even after a CLI run in this
    process has stopped that logger from propagating."""
    import logging

    logger = logging.getLogger("latentkit")
    level = logger.level
    logger.addHandler(caplog.handler)
    logger.setLevel(logging.INFO)
    yield caplog
    logger.removeHandler(caplog.handler)
    logger.setLevel(level)


@pytest.fixture
def toy_bundle(tmp_path, monkeypatch):
    """A bundle "toy" (a generator and one direction) in a stand-in pretrained folder."""
    folder = tmp_path / "pretrained" / "toy"
    (folder / "boundaries").mkdir(parents=True)
    save_model(folder / "generator.safetensors", tiny_generator(), "generator")
    normal = np.eye(8)[2]
    save_direction(folder / "boundaries" / "thick.npz", Direction(normal, 0.5, {}))
    manifest = {
        "name": "toy",
        "description": "a test bundle",
        "models": {"generator": "generator.safetensors"},
        "directions": {"thick": "boundaries/thick.npz"},
    }
    (folder / "bundle.json").write_text(json.dumps(manifest))
    (folder / "MODEL_CARD.md").write_text("# toy\n\nmade in a test\n")
    monkeypatch.setattr(bundles, "bundles_root", lambda: tmp_path / "pretrained")
    return folder
