"""The options every training command shares (run folder, intervals, resume, data, optimiser),
and starting a run from them: defaults from `latentkit.train.config`, the run's own values on
resume."""

from __future__ import annotations

from dataclasses import MISSING, fields
from pathlib import Path

import click
from click.core import ParameterSource

from latentkit.data import DATASETS
from latentkit.errors import LatentkitError
from latentkit.train.config import PRECISIONS, RunOptions
from latentkit_cli.options import option, overwrite_option


def run_options(f):
    """Options of every training run: output folder, intervals, resume."""
    for decorate in reversed(
        [
            click.option(
                "--out", type=click.Path(path_type=Path), required=True, help="Run folder."
            ),
            option(
                RunOptions,
                "--checkpoint-every",
                type=click.IntRange(min=1),
                help="Steps between checkpoints.",
            ),
            option(
                RunOptions,
                "--sample-every",
                type=click.IntRange(min=1),
                help="Steps between sample grids.",
            ),
            option(
                RunOptions, "--log-every", type=click.IntRange(min=1), help="Steps between logs."
            ),
            click.option(
                "--resume", is_flag=True, help="Continue the run in --out from its last checkpoint."
            ),
            click.option("--no-progress", is_flag=True, help="Hide the progress bar."),
            overwrite_option,
        ]
    ):
        f = decorate(f)
    return f


def start(kind: str, config_class: type, kw: dict) -> Path:
    """Start (or resume) a run of `kind` from parsed options named as the config's fields. With
    --resume, an option not given takes the run's own value (so --out alone continues a run);
    one given that contradicts the run is refused naming both values. Under torchrun, the
    command ends here on every rank but 0."""
    from latentkit.runtime import launched_rank
    from latentkit.train.run import saved_config
    from latentkit.train.trainers import run_training

    ctx = click.get_current_context()
    saved = (saved_config(kw["out"]) if kw["resume"] else None) or {}
    values = {}
    for f in fields(config_class):
        given = ctx.get_parameter_source(f.name) == ParameterSource.COMMANDLINE
        if f.name in saved and not given:
            values[f.name] = saved[f.name]
        elif f.name in kw:
            values[f.name] = kw[f.name]
    required = [f.name for f in fields(config_class) if f.default is MISSING]
    missing = [name for name in required if values.get(name) is None]
    if missing:
        raise LatentkitError(
            f"train {kind} needs {', '.join(missing)} unless it resumes a run", tuple(missing)
        )
    if values.get("attributes") is not None:
        values["attributes"] = tuple(values["attributes"])
    options = RunOptions(
        out=kw["out"],
        device=kw["device"],
        checkpoint_every=kw["checkpoint_every"],
        sample_every=kw["sample_every"],
        log_every=kw["log_every"],
        resume=kw["resume"],
        overwrite=kw["overwrite"],
        progress=not kw["no_progress"],
    )
    out = run_training(kind, options, **values)
    if launched_rank() != 0:  # under torchrun, rank 0 alone reports what was written
        ctx.exit(0)
    return out


def data_options(resolutions: tuple[str, ...]):
    """--data and --resolution."""

    def decorate(f):
        f = click.option(
            "--resolution",
            type=click.Choice(resolutions),
            default=None,
            callback=lambda ctx, param, value: int(value) if value else None,
            help="Image size (default: the dataset's).",
        )(f)
        f = click.option(
            "--strict",
            is_flag=True,
            help="Folder data: absent files and converted images are errors.",
        )(f)
        f = click.option(
            "--attributes-file",
            default=None,
            help="Folder data: the attributes file [default: attributes.csv or "
            "list_attr_celeba.txt in the folder or its Anno/].",
        )(f)
        return click.option(
            "--data",
            default=None,
            help=f"Dataset: {', '.join(DATASETS)} [required, or --resume]. folder:PATH is a folder "
            "of images with a CSV (file name, then one column per attribute: numbers; words for "
            "a class; NAME:deg or NAME:rad for an angle).",
        )(f)

    return decorate


def optimisation_options(config: type, what: str = "Images", lr: bool = True):
    """--steps, --batch-size and (with `lr`) --lr with the config's defaults."""

    def decorate(f):
        if lr:
            f = option(config, "--lr", type=float, help="Adam learning rate.")(f)
        f = option(
            config, "--batch-size", type=click.IntRange(min=1), help=f"{what} per process per step."
        )(f)
        return option(config, "--steps", type=click.IntRange(min=1), help="Updates.")(f)

    return decorate


def precision_option(config: type):
    """--precision with the config's default."""
    return option(
        config,
        "--precision",
        type=click.Choice(PRECISIONS),
        help="bf16: each training step under bfloat16 autocast (faster on CPUs with AVX512-BF16 "
        "or AMX, and on recent GPUs; weights, optimiser and exports stay float32).",
    )
