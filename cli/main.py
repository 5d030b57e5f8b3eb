"""The ``latentkit`` command."""

from __future__ import annotations

import logging

import click

from latentkit.errors import LatentkitError
from latentkit_cli.arithmetic import arithmetic
from latentkit_cli.boundary import boundary
from latentkit_cli.demo import demo
from latentkit_cli.edit import edit
from latentkit_cli.generate import generate
from latentkit_cli.interpolate import interpolate
from latentkit_cli.invert import invert_command
from latentkit_cli.measure import measure
from latentkit_cli.models import models
from latentkit_cli.sample import sample
from latentkit_cli.train import train


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
    return str(exc)


class LatentkitGroup(click.Group):
    """Turns latentkit's errors, usage errors and file-system errors into one line on stderr and
    exit code 2 (``--debug``: the traceback)."""

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


cli.add_command(train)
cli.add_command(demo)
cli.add_command(generate)
cli.add_command(sample)
cli.add_command(boundary)
cli.add_command(edit)
cli.add_command(interpolate)
cli.add_command(arithmetic)
cli.add_command(measure)
cli.add_command(invert_command)
cli.add_command(models)


def main() -> None:
    cli(prog_name="latentkit")
