"""The ``latentkit`` command: a lazy click group.

A command's module is imported only when that command runs (or shows its own help), so
``latentkit --help`` and a typo cost no torch import. Each entry of `COMMANDS` names the module,
the click object in it and the one-line help shown in the command list.
"""

from __future__ import annotations

import importlib
import logging
import signal

import click

from latentkit.errors import LatentkitError, TrainingInterrupted

COMMANDS = {
    "train": ("train", "train", "Train generators, attribute scorers and encoders."),
    "demo": ("demo", "demo", "A tour of latentkit on the shipped bundles."),
    "generate": ("generate", "generate_command", "Images from a generator's prior, as a grid."),
    "sample": ("sample", "sample", "A latent bank: seeded codes and their attribute scores."),
    "boundary": ("boundary", "boundary", "Directions: boundaries, projection, SeFa and PCA."),
    "edit": ("edit", "edit", "Walk codes along directions and write a labelled grid."),
    "interpolate": ("interpolate", "interpolate", "Lerp and slerp chains, and analogy grids."),
    "mix": ("mix", "mix", "Style mixing: a layer range of one code's ws into another's."),
    "arithmetic": ("arithmetic", "arithmetic", "Concept vectors and expressions like A - B + C."),
    "measure": ("measure", "measure", "Measurement reports: edits, latent space, inversion, ..."),
    "invert": ("invert", "invert_command", "Codes for real images, with reconstructions."),
    "models": ("models", "models", "The pretrained bundles that ship with latentkit."),
    "convert": ("convert", "convert", "A generator of another tool as a latentkit file."),
}

# Library argument names whose command-line flag is spelled otherwise.
FLAGS = {"label": "--class"}


class EchoHandler(logging.Handler):
    """Log records as lines on stderr through click (so that they follow click's streams)."""

    def emit(self, record: logging.LogRecord) -> None:
        click.echo(record.getMessage(), err=True)


def one_line_error(exc: Exception) -> str:
    """The one-line message of an error the user can fix: bad input, options or files."""
    if isinstance(exc, click.UsageError):
        where = f"{exc.ctx.command_path}: " if exc.ctx is not None else ""
        return f"{where}{exc.format_message()}"
    if isinstance(exc, OSError) and exc.filename is not None:
        return f"{exc.filename}: {exc.strerror or exc}"
    flags = [
        FLAGS.get(name, f"--{name.replace('_', '-')}") for name in getattr(exc, "arguments", ())
    ]
    return f"{exc} ({', '.join(flags)})" if flags else str(exc)


class LatentkitGroup(click.Group):
    """Loads commands on first use, and turns latentkit's errors, usage errors and file-system
    errors into one line on stderr and exit code 2 (``--debug``: the traceback)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module, attribute, _ = COMMANDS[name]
        return getattr(importlib.import_module(f"latentkit_cli.{module}"), attribute)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section("Commands"):
            formatter.write_dl([(name, entry[2]) for name, entry in COMMANDS.items()])

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (LatentkitError, click.UsageError, OSError) as exc:
            if ctx.params.get("debug") or (isinstance(exc, OSError) and exc.filename is None):
                raise
            click.echo(f"error: {one_line_error(exc)}", err=True)
            ctx.exit(2)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            ctx.exit(130)
        except TrainingInterrupted as exc:
            click.echo(f"{exc}; continue it with --resume", err=True)
            ctx.exit(exc.exit_code)


@click.group(
    cls=LatentkitGroup,
    context_settings={"show_default": True, "help_option_names": ["-h", "--help"]},
)
@click.option("--debug", is_flag=True, help="Show full tracebacks instead of one-line errors.")
@click.option("--quiet", is_flag=True, help="Only print warnings and errors.")
@click.version_option(package_name="latentkit")
def cli(debug: bool, quiet: bool) -> None:
    """latentkit: understand and steer the latent space of GANs."""
    logger = logging.getLogger("latentkit")
    logger.handlers = [EchoHandler()]
    logger.setLevel(logging.WARNING if quiet else logging.INFO)
    logger.propagate = False


def terminate(signum, frame) -> None:
    """SIGTERM (as `timeout` and job schedulers send) unwinds like Ctrl-C, so that temporary
    files are removed; a training run catches it itself to checkpoint first."""
    raise SystemExit(128 + signum)


def main() -> None:
    signal.signal(signal.SIGTERM, terminate)
    cli(prog_name="latentkit")
