"""Options every command shares."""

from __future__ import annotations

import functools
import inspect
from dataclasses import dataclass

import click

from latentkit.io.atomic import check_report_folder, check_writable
from latentkit.io.models import OUTPUT_RANGES, load_generator
from latentkit.latent.codes import parse_indices
from latentkit.nets.spaces import SPACES
from latentkit.runtime import DEVICES, resolve_device


def option(source, *decls: str, **kw):
    """A click option whose default is that of the argument it fills in `source` (a library
    function or a config dataclass), the one place defaults are kept. The argument is named by
    the option's last declaration (``"--batch-size"`` -> ``batch_size``; ``"--n", "count"``)."""
    name = decls[-1].lstrip("-").replace("-", "_")
    return click.option(*decls, default=inspect.signature(source).parameters[name].default, **kw)


def seed_option(f):
    return click.option(
        "--seed",
        type=int,
        default=0,
        help="Random seed; the same seed gives the same result on CPU.",
    )(f)


def device_option(f):
    return click.option(
        "--device",
        default="auto",
        help=f"Device: {', '.join(DEVICES)} or cuda:N (auto: CUDA when available).",
    )(f)


def common_options(f):
    """--seed and --device."""
    return seed_option(device_option(f))


def overwrite_option(f):
    return click.option("--overwrite", is_flag=True, help="Replace existing outputs.")(f)


@dataclass(frozen=True)
class GeneratorSpec:
    """The generator options of a command: what to load and how."""

    spec: str
    latent_dim: int | None = None
    prior: str | None = None
    label: str | None = None
    output_range: str = "-1,1"
    channels_last: bool = False
    space: str | None = None
    truncation: float | None = None
    truncation_layers: str | None = None

    def __str__(self) -> str:
        return self.spec


def generator_options(f):
    """Adds --generator SPEC, --latent-dim, --prior, --class, --output-range, --channels-last,
    --space, --truncation and --truncation-layers, passed to the command as
    ``generator=GeneratorSpec(...)``."""

    @functools.wraps(f)
    def command(*args, generator, latent_dim, prior, label, output_range, channels_last,
                space, truncation, truncation_layers, **kw):  # fmt: skip
        spec = GeneratorSpec(generator, latent_dim, prior, label, output_range, channels_last,
                             space, truncation, truncation_layers)  # fmt: skip
        return f(*args, generator=spec, **kw)

    options = [
        click.option(
            "--generator",
            "generator",
            required=True,
            help="A pretrained bundle, a latentkit .safetensors file or run folder, a "
            "TorchScript file, or py:module:function.",
        ),
        click.option(
            "--latent-dim",
            type=click.IntRange(min=1),
            default=None,
            help="Latent size, for a TorchScript generator without a latent_dim attribute.",
        ),
        click.option(
            "--prior",
            type=click.Choice(["normal", "uniform", "sphere"]),
            default=None,
            help="Prior of z [default: the generator's own, else normal].",
        ),
        click.option(
            "--class",
            "label",
            default=None,
            help="The class, for a class-conditional generator (its name, e.g. 7 or heart).",
        ),
        option(
            load_generator,
            "--output-range",
            type=click.Choice(list(OUTPUT_RANGES)),
            help="Pixel range of your generator's images (converted to latentkit's [-1, 1]).",
        ),
        click.option(
            "--channels-last",
            is_flag=True,
            help="Your generator returns images [N, H, W, C] (converted to [N, C, H, W]).",
        ),
        option(
            load_generator,
            "--space",
            type=click.Choice(SPACES),
            help="Latent space of the codes: z; w or wp (W+, a w per layer) for a generator "
            "with a mapping network (StyleGAN2) [default: a bundle's own space, else z].",
        ),
        click.option(
            "--truncation",
            type=float,
            default=None,
            help="StyleGAN2: truncation ψ toward w_avg (e.g. 0.7); other generators: the "
            "threshold of BigGAN's truncation of z [default: none].",
        ),
        click.option(
            "--truncation-layers",
            default=None,
            help="StyleGAN2: the layers ψ applies to, e.g. 0-7 [default: all].",
        ),
    ]
    for decorate in reversed(options):
        command = decorate(command)
    return command


def split_names(ctx, param, value):
    """Click callback: ``"a,b"`` -> ["a", "b"]."""
    return [v.strip() for v in value.split(",") if v.strip()] if value else None


def scorer_options(f):
    """--scorer SPEC and --attributes a,b,c."""
    f = click.option(
        "--attributes",
        callback=split_names,
        default=None,
        help="Names of the scorer's outputs, comma-separated (for TorchScript scorers).",
    )(f)
    return click.option(
        "--scorer",
        "scorers",
        multiple=True,
        help="analytic:digits, a pretrained bundle, a latentkit scorer file, or a TorchScript "
        "scorer; repeat to score with several side by side.",
    )(f)


def prepare(generator: GeneratorSpec, device: str, outputs=(), overwrite=False, report=None):
    """What every generating command does first: refuse unwritable outputs (files, and a
    `report` folder) before any work, resolve the device and load the generator (fixed to its
    class if conditional). Returns (generator, device)."""
    for path in outputs:
        if path is not None:
            check_writable(path, overwrite)
    if report is not None:
        check_report_folder(report, overwrite)
    device = resolve_device(device)
    g = generator
    layers = (
        parse_indices(g.truncation_layers, "truncation_layers") if g.truncation_layers else None
    )
    net = load_generator(g.spec, g.latent_dim, device, g.prior, g.label, g.output_range,
                         g.channels_last, g.space, g.truncation, layers)  # fmt: skip
    return net, device


def directions_option(help: str, required: bool = True):
    """--direction, repeatable, into ``directions``: a latentkit .npz, an InterFaceGAN .npy, a
    bundle's ``BUNDLE:NAME`` or a code coordinate ``dim:NAME``."""
    return click.option(
        "--direction",
        "directions",
        multiple=True,
        required=required,
        help=f"{help} A file, BUNDLE:NAME, or dim:NAME (one code coordinate, e.g. InfoGAN's c0).",
    )
