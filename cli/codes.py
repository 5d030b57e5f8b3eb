"""The code-source options of a command (seeds, a codes file or bank, real images through an
encoder), passed to it as one `latentkit.latent.codes.CodeRequest`."""

from __future__ import annotations

import functools
from pathlib import Path

import click

from latentkit.latent.codes import CodeRequest
from latentkit_cli.options import option


def code_source_options(f):
    """Adds --seeds, --codes/--indices and --image/--encoder/--invert-steps, passed
    to the command as ``codes=CodeRequest(...)``."""

    @functools.wraps(f)
    def command(*args, seeds, codes_file, indices, images, encoder, invert_steps, **kw):
        request = CodeRequest(seeds, codes_file, indices, images, encoder, invert_steps)
        return f(*args, codes=request, **kw)

    options = [
        click.option("--seeds", default=None, help="Seeds of the codes, e.g. 0-7 [default: 0-7]."),
        click.option(
            "--codes",
            "codes_file",
            type=click.Path(path_type=Path),
            default=None,
            help="Codes: a .npy [N, d] or a bank .npz.",
        ),
        click.option(
            "--indices", default=None, help="Rows of --codes to use [default: the first 8]."
        ),
        click.option(
            "--image",
            "images",
            type=click.Path(path_type=Path),
            multiple=True,
            help="Real image to invert (needs --encoder); repeat.",
        ),
        click.option(
            "--encoder", default=None, help="Encoder for --image: a latentkit file or TorchScript."
        ),
        option(
            CodeRequest,
            "--invert-steps",
            type=click.IntRange(min=0),
            help="Refinement steps when inverting --image.",
        ),
    ]
    for decorate in reversed(options):
        command = decorate(command)
    return command
