"""Shared fixtures: a CLI runner that reports failures readably, tiny nets and the shared folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from latentkit_cli.main import cli

SHARED = Path(__file__).resolve().parents[2] / "shared"


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
