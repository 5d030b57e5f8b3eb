"""The training loop every trainer shares: resume, logging, checkpoints, NaN stop, DDP.

A trainer subclasses `Trainer` and provides `train_step` (one update, returning its losses),
`state` / `restore` (what a checkpoint holds), `export` (the files a user loads, written with
each checkpoint) and optionally `write_samples`. Randomness must come from (seed, step, rank) —
`EpochSampler` and `runtime.torch_generator` — so a resumed run equals an uninterrupted one.
"""

from __future__ import annotations

import json
import logging
import math
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

import torch
from torch import nn
from torch.nn.parallel import DistributedDataParallel
from tqdm import tqdm

from latentkit.errors import LatentkitError, TrainingInterrupted
from latentkit.io.atomic import write_text
from latentkit.runtime import close_distributed, init_distributed, wait_for_all
from latentkit.seeds import derive_seed
from latentkit.train.config import RunOptions
from latentkit.train.ema import prior_inputs, recalibrated
from latentkit.train.run import RunFolder, check_resumable, stop_signals

log = logging.getLogger("latentkit")

CALIBRATION_STREAM = 1_000_003  # seeds the BatchNorm recalibration, apart from training draws


def unwrap(net: nn.Module) -> nn.Module:
    """The module inside a DistributedDataParallel wrapper (or the module itself)."""
    return net.module if isinstance(net, DistributedDataParallel) else net


def cpu_has_bf16() -> bool:
    """Whether this CPU computes bfloat16 natively (AVX512-BF16 or AMX), as oneDNN reports."""
    return bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())


class Trainer:
    """Base of the trainers. Subclasses set ``kind``, build their networks in ``__init__`` after
    calling ``super().__init__``, then call `start`."""

    kind = "training"
    partial_networks = False  # networks that use part of their layers per step (growing ones)

    def __init__(self, config: Any, options: RunOptions):
        self.config = config.resolved()
        # bfloat16 autocast of the training step, for configs with ``precision="bf16"``
        self.bf16 = getattr(self.config, "precision", "fp32") == "bf16"
        self.options = options
        self.dist = init_distributed(options.device)
        if self.bf16 and self.dist.device.type == "cpu" and not cpu_has_bf16():
            log.warning(
                "precision bf16 on a CPU without bfloat16 instructions: autocast emulates them "
                "and a step may take many times longer than in fp32"
            )
        self.folder = RunFolder(options.out, writer=self.dist.is_main)
        self.step = 0
        self.elapsed = 0.0
        self._shipped: tuple[int, nn.Module] | None = None

    # -- to provide ------------------------------------------------------------------------
    def train_step(self) -> dict[str, float]:
        raise NotImplementedError

    def advance(self) -> dict[str, float]:
        """One training step (under bfloat16 autocast for a bf16 config); its losses."""
        with torch.autocast(self.dist.device.type, dtype=torch.bfloat16, enabled=self.bf16):
            return self.train_step()

    def state(self) -> dict[str, Any]:
        """Models and optimizers, as nested dicts of tensors."""
        raise NotImplementedError

    def restore(self, state: dict[str, Any]) -> None:
        raise NotImplementedError

    def export(self) -> None:
        """Write the user-facing files (called with every checkpoint, on the main process)."""

    def write_samples(self) -> None:
        """Write pictures of progress (called every ``sample_every`` steps, main process)."""

    def shipped_generator(self, source: nn.Module) -> nn.Module:
        """`source` as it is exported: in eval mode, with BatchNorm statistics recomputed for its
        own weights. Computed once per step, however many hooks (checkpoint, export, samples)
        ask for it."""
        if self._shipped is None or self._shipped[0] != self.step:
            calibration_seed = derive_seed(self.config.seed, CALIBRATION_STREAM)
            self._shipped = (
                self.step,
                recalibrated(source, prior_inputs(source, calibration_seed)),
            )
        return self._shipped[1]

    # -- the loop --------------------------------------------------------------------------
    def start(self, *ddp_attributes: str) -> None:
        """Open the run folder (resuming if asked), then wrap the named networks in DDP."""
        state = self.folder.open(self.options.resume, self.options.overwrite)
        if state is not None:
            check_resumable(state["config"], self.config)
            self.restore(state)
            self.step, self.elapsed = int(state["step"]), float(state["elapsed"])
            log.info("resumed %s at step %d", self.folder.path, self.step)
        if self.dist.enabled:
            for name in ddp_attributes:
                net = DistributedDataParallel(
                    getattr(self, name), find_unused_parameters=self.partial_networks
                )
                setattr(self, name, net)

    def write_run_record(self) -> None:
        """``run.json``: the trainer, its config, the world size and the steps done so far."""
        info = {
            "trainer": self.kind,
            "config": asdict(self.config),
            "world_size": self.dist.world_size,
            "steps_done": self.step,
        }
        write_text(self.folder.path / "run.json", json.dumps(info, indent=2) + "\n")

    def save(self) -> None:
        """Write the exports, then the checkpoint (main process only): whatever the exports log
        for this step is in the log before a resume can start from it."""
        if self.dist.is_main:
            self.write_run_record()
            self.export()
            self.folder.save(
                {
                    "step": self.step,
                    "elapsed": self.elapsed,
                    "config": asdict(self.config),
                    **self.state(),
                },
                kind=self.kind,
            )

    def run(self) -> Path:
        """Train until ``config.steps``, logging, checkpointing and sampling on the way."""
        o, main = self.options, self.dist.is_main
        if main:
            self.write_run_record()
        bar = tqdm(
            total=self.config.steps,
            initial=self.step,
            desc=f"train {self.kind}",
            disable=not (o.progress and main),
            dynamic_ncols=True,
        )
        with stop_signals() as stop:
            self._loop(bar, stop)
        bar.close()
        wait_for_all(self.dist)  # rank 0 may still be writing samples
        return self.folder.path

    def _loop(self, bar: tqdm, stop) -> None:
        """Steps until ``config.steps``, or until `stop` holds a signal (then a checkpoint)."""
        o, main = self.options, self.dist.is_main
        base, session_start = self.elapsed, time.perf_counter()
        totals: dict[str, float] = {}
        count, tick = 0, time.perf_counter()
        while self.step < self.config.steps:
            stats = self.advance()
            if not all(math.isfinite(v) for v in stats.values()):
                raise LatentkitError(
                    f"training diverged at step {self.step + 1} (losses {stats}); the last good "
                    f"checkpoint is kept in {self.folder.checkpoint}"
                )
            self.step += 1
            for key, value in stats.items():
                totals[key] = totals.get(key, 0.0) + value
            count += 1
            bar.update(1)
            self.elapsed = base + time.perf_counter() - session_start
            done = self.step == self.config.steps
            if self.step % o.log_every == 0 or done:
                now = time.perf_counter()
                images = count * self.config.batch_size * self.dist.world_size
                entry = {
                    "step": self.step,
                    **{k: v / count for k, v in totals.items()},
                    "images_per_s": images / (now - tick),
                    "elapsed_s": self.elapsed,
                }
                self.folder.record(entry)
                bar.set_postfix({k: f"{v:.3f}" for k, v in entry.items() if k.endswith("loss")})
                totals, count = {}, 0
                tick = now
            if self.step % o.checkpoint_every == 0 or done:
                self.save()
                tick = time.perf_counter()
            if main and (self.step % o.sample_every == 0 or done):
                self.write_samples()
                self.folder.plot_losses()
                tick = time.perf_counter()
            if stop.signum and not done:
                self.save()
                raise TrainingInterrupted(stop.signum, self.step, self.folder.path)

    def close(self) -> None:
        close_distributed(self.dist)


def train(trainer: Trainer) -> Path:
    """Run a trainer to the end and leave the process group; returns the run folder."""
    try:
        return trainer.run()
    finally:
        trainer.close()
