"""What the benchmark scripts share: training runs started (or resumed) through the library."""

from __future__ import annotations

from pathlib import Path

from latentkit.train.config import RunOptions
from latentkit.train.run import RunFolder
from latentkit.train.trainers import run_training


def trained(kind: str, out: Path, checkpoint_every: int = 250, **config) -> float:
    """Train (or resume) a run of `kind` on the CPU with seed 0; returns its training wall
    seconds from its log."""
    options = RunOptions(
        out=out, device="cpu", checkpoint_every=checkpoint_every, resume=True, progress=False
    )
    run_training(kind, options, **{"seed": 0, **config})
    return float(RunFolder(out).last_training_record()["elapsed_s"])
