"""Start-up time of the command line: whole processes, timed several times, medians beside the
floor that no torch-using command can beat, ``python -c "import torch"``, measured in the same
run. Peak memory (max RSS of the process) beside each.

Targets on a 2-core machine, idle: ``latentkit --help`` <= 0.5 s; a cold
``latentkit edit --generator mnist --direction mnist:thickness --seeds 0-7`` <= 2.5 s.

Usage: python benchmarks/startup.py [--repeats 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

LATENTKIT = [sys.executable, "-m", "latentkit_cli"]


def timed(command: list[str], cwd: str) -> tuple[float, float]:
    """Wall seconds and peak resident MB of one run of `command` (which must succeed)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(command)}")
    return seconds, usage.ru_maxrss / 1024  # kilobytes on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="latentkit-startup-")
    cases = {
        'python -c "import torch" (floor)': [sys.executable, "-c", "import torch"],
        "latentkit --help": [*LATENTKIT, "--help"],
        "latentkit edit --help": [*LATENTKIT, "edit", "--help"],
        "latentkit edit (mnist, 8 seeds)": [
            *LATENTKIT, "edit", "--generator", "mnist", "--direction", "mnist:thickness",
            "--seeds", "0-7", "--device", "cpu", "--out", "edit.png", "--overwrite",
        ],
    }  # fmt: skip
    print(f"Start-up, {args.repeats} runs each (median, min, max wall seconds; peak RSS MB)")
    print(f"{'command':<36} {'median':>7} {'min':>6} {'max':>6} {'MB':>6}")
    for name, command in cases.items():
        runs = [timed(command, work) for _ in range(args.repeats)]
        seconds = [s for s, _ in runs]
        peak = max(m for _, m in runs)
        print(
            f"{name:<36} {statistics.median(seconds):7.2f} {min(seconds):6.2f} "
            f"{max(seconds):6.2f} {peak:6.0f}"
        )
    print(f"(cpu count {os.cpu_count()}, load average {os.getloadavg()[0]:.2f}; outputs in {work})")
    assert Path(work, "edit.png").exists()


if __name__ == "__main__":
    main()
