"""A training run's folder: checkpoint, resume, JSONL log and loss plot.

Every trainer (GAN, BiGAN, encoder, scorer) writes ``checkpoint.safetensors`` (the whole training
state), ``log.jsonl`` (one record per logging step) and ``loss.png``. Only the main process of a
distributed run writes. Resuming loads the checkpoint and drops log records past its step, so a
killed run continues where its last checkpoint left it.
"""

from __future__ import annotations

import contextlib
import json
import logging
import shutil
import signal
import threading
import types
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any

from latentkit.errors import LatentkitError
from latentkit.io.atomic import atomic_path, remove_stale_temporaries, write_text
from latentkit.io.checkpoint import load_state, read_metadata, save_state

log = logging.getLogger("latentkit")

CHECKPOINT = "checkpoint.safetensors"
LOG = "log.jsonl"


class RunFolder:
    """The output folder of one training run."""

    def __init__(self, path: str | Path, writer: bool = True):
        self.path = Path(path)
        self.writer = writer

    @property
    def checkpoint(self) -> Path:
        return self.path / CHECKPOINT

    def open(self, resume: bool, overwrite: bool) -> dict[str, Any] | None:
        """Prepare the folder; return the checkpoint state when resuming from one, else None.

        An existing run is only replaced with `overwrite`; `resume` without a checkpoint starts a
        new run."""
        if not self.path.parent.is_dir():
            raise LatentkitError(f"{self.path}: folder {self.path.parent} does not exist")
        exists = self.checkpoint.exists() or (self.path / LOG).exists()
        if exists and not resume and not overwrite:
            raise LatentkitError(
                f"{self.path}: holds a run already; resume it or overwrite it",
                ("resume", "overwrite"),
            )
        if resume and self.writer:
            for path in remove_stale_temporaries(self.path):
                log.info("%s: removed %s, left by a killed write", self.path, path.name)
        if resume and self.checkpoint.exists():
            state = load_state(self.checkpoint)
            if self.writer:
                self._truncate_log(int(state["step"]))
            return state
        if resume:
            log.info("%s: no checkpoint to resume, starting a new run", self.path)
            if self.writer and (self.path / LOG).exists():
                self._truncate_log(0)
        if self.writer:
            if exists and overwrite:
                shutil.rmtree(self.path)
            self.path.mkdir(exist_ok=True)
        return None

    def save(self, state: dict[str, Any], kind: str) -> None:
        """Write the checkpoint atomically."""
        if self.writer:
            save_state(self.checkpoint, state, kind)

    def record(self, entry: dict[str, Any]) -> None:
        """Append one record to the log."""
        if self.writer:
            with (self.path / LOG).open("a", encoding="utf-8") as f:
                f.write(json.dumps(entry) + "\n")

    def records(self) -> list[dict[str, Any]]:
        """All log records; a last line torn by a killed write is left out."""
        path = self.path / LOG
        if not path.exists():
            return []
        lines = [line for line in path.read_text().splitlines() if line.strip()]
        records = [json.loads(line) for line in lines[:-1]]
        if lines:
            try:
                records.append(json.loads(lines[-1]))
            except json.JSONDecodeError:
                log.warning("%s: ignoring a torn last line", path)
        return records

    def last_training_record(self) -> dict[str, Any]:
        """The last record of the training loop itself (step, losses, elapsed_s), skipping the
        evaluation records some trainers add."""
        for record in reversed(self.records()):
            if "elapsed_s" in record:
                return record
        raise LatentkitError(f"{self.path}: no training record in {LOG}")

    def _truncate_log(self, step: int) -> None:
        kept = [r for r in self.records() if r["step"] <= step]
        write_text(self.path / LOG, "".join(json.dumps(r) + "\n" for r in kept))

    def plot_losses(self) -> None:
        """Plot every logged loss against the step into ``loss.png``."""
        records = self.records()
        if not self.writer or not records:
            return
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        keys = sorted({k for r in records for k in r if k.endswith("loss")})
        fig, ax = plt.subplots(figsize=(7, 4))
        for key in keys:
            points = [(r["step"], r[key]) for r in records if key in r]
            ax.plot(*zip(*points, strict=True), label=key)
        ax.set_xlabel("step")
        ax.set_ylabel("loss")
        ax.legend()
        ax.grid(alpha=0.3)
        fig.tight_layout()
        with atomic_path(self.path / "loss.png") as tmp:
            fig.savefig(tmp, format="png", dpi=100)
        plt.close(fig)


def check_resumable(
    saved: dict[str, Any], current: Any, free: tuple[str, ...] = ("steps",)
) -> None:
    """Refuse to resume a run whose settings (other than `free` ones) differ from `current`."""
    now = asdict(current)
    for f in fields(current):
        if f.name in free or f.name not in saved:
            continue
        before = saved[f.name]
        if before != now[f.name] and not (
            isinstance(before, list) and tuple(before) == now[f.name]
        ):
            raise LatentkitError(
                f"cannot resume: {f.name} was {before!r} in the checkpoint, now {now[f.name]!r}"
            )


def saved_config(folder: str | Path) -> dict[str, Any] | None:
    """The config a run folder's checkpoint was trained with (no tensors read), or None when
    the folder holds no checkpoint."""
    checkpoint = Path(folder) / CHECKPOINT
    if not checkpoint.is_file():
        return None
    return dict(read_metadata(checkpoint)["tree"].get("config", {}))


@contextlib.contextmanager
def stop_signals():
    """Within the block, SIGINT and SIGTERM set ``flag.signum`` instead of stopping the process,
    so that the loop can finish its step and checkpoint (the main thread only; elsewhere a no-op).
    """
    flag = types.SimpleNamespace(signum=0)
    if threading.current_thread() is not threading.main_thread():
        yield flag
        return
    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}

    def note(signum, frame):
        flag.signum = signum

    for s in handlers:
        signal.signal(s, note)
    try:
        yield flag
    finally:
        for s, handler in handlers.items():
            signal.signal(s, handler)
