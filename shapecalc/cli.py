"""The command line. ``shapecalc PATH`` runs the calculator (the group's default command);
every other job is a subcommand of ``main``: add one with ``@main.command()`` and a thin
function that calls into the library and uses ``fail()`` / ``guarded()`` for errors.

Exit codes: 0 no error-level finding, 1 the analysis found errors, 2 usage, input or internal
error (one line on stderr, never a traceback).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

import click

from . import __version__
from .diagnostics import Severity
from .frontends import FrontendError
from .inputs import InputSpecError, parse_shape
from .report import formats, render

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class DefaultGroup(click.Group):
    """A click group that runs ``default_command`` when the first argument is not one of its
    commands: ``shapecalc model.py -i 1,3,32,32`` is ``shapecalc calc model.py ...``."""

    default_command = "calc"

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help", "--version"):
            args = [self.default_command, *args]
        return super().parse_args(ctx, args)


@click.group(
    cls=DefaultGroup,
    context_settings={"help_option_names": ["-h", "--help"]},
    invoke_without_command=False,
    no_args_is_help=True,
)
@click.version_option(__version__, "--version", prog_name="shapecalc")
def main() -> None:
    """shapecalc: shapes of every layer of a PyTorch model, without running it.

    Run `shapecalc PATH` for the per-layer table (PATH is model.py, model.py:Name or
    model.py:Name(args)), or one of the commands below.
    """


def fail(message: str) -> NoReturn:
    """One line on stderr, exit code 2."""
    click.echo(f"shapecalc: error: {message}", err=True)
    sys.exit(EXIT_ERROR)


@contextmanager
def guarded(what: str) -> Iterator[None]:
    """User-facing errors (FrontendError) become one line and exit 2; anything else is an
    internal error that names what was being analysed."""
    try:
        yield
    except FrontendError as exc:
        fail(str(exc))
    except (KeyboardInterrupt, SystemExit):
        raise
    except Exception as exc:  # a bug in shapecalc: say where, without a traceback
        click.echo(
            f"shapecalc: internal error while analysing {what}: {type(exc).__name__}: {exc}",
            err=True,
        )
        sys.exit(EXIT_ERROR)


def parse_inputs(texts: tuple[str, ...]) -> list[Any]:
    shapes = []
    for text in texts:
        try:
            shapes.append(parse_shape(text))
        except InputSpecError as exc:
            fail(f"invalid --input {text!r}: {exc}")
    return shapes


def load_models(path: str) -> list[Any]:
    from .frontends.loader import load

    with guarded(path):
        return load(path)
    raise AssertionError("unreachable")  # guarded() exits on failure


def analyse_all(paths: tuple[str, ...], inputs: list[Any]) -> list[Any]:
    """Load every PATH and analyse each model found, with the given inputs."""
    from .analyze import analyze_loaded

    analyses = []
    for path in paths:
        for model in load_models(path):
            with guarded(f"{path}:{model.name}" if ":" not in path else path):
                analyses.append(analyze_loaded(model, inputs))
    return analyses


def exit_code(analyses: list[Any]) -> int:
    errors = any(d.severity >= Severity.ERROR for a in analyses for d in a.diagnostics)
    return EXIT_FINDINGS if errors else EXIT_OK


input_option = click.option(
    "-i",
    "--input",
    "inputs",
    multiple=True,
    metavar="SHAPE",
    help="Input shape, e.g. 2,3,32,32, 1x3x224x224 or B,3,H,W (add :int64 for token ids). "
    "Repeat for models with several inputs.",
)


@main.command("calc")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@input_option
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(formats()),
    default="table",
    show_default=True,
    help="table: per-layer shapes; json: the version-1 contract; text: diagnostics only.",
)
def calc(paths: tuple[str, ...], inputs: tuple[str, ...], fmt: str) -> None:
    """Per-layer output shapes of the models in PATH (the default command)."""
    shapes = parse_inputs(inputs)
    analyses = analyse_all(paths, shapes)
    with guarded(", ".join(paths)):
        text = render(fmt, analyses)
    if text:
        click.echo(text)
    sys.exit(exit_code(analyses))


# ------------------------------------------------------------------------------------- export


@main.command("export")
@click.argument("path", metavar="FILE.scn")
@click.option("-o", "--output", "out", metavar="OUT.py", help="Write here instead of stdout.")
@click.option("--name", metavar="MODEL", help="Export only this model of the file.")
def export(path: str, out: str | None, name: str | None) -> None:
    """Write the PyTorch nn.Module source of a DSL file's models, every `...` filled in."""
    from .export import export_models

    with guarded(path):
        source = export_models(path, name)
    if out is None:
        click.echo(source, nl=False)
        return
    try:
        with open(out, "w", encoding="utf-8") as f:
            f.write(source)
    except OSError as exc:
        fail(f"cannot write {out}: {exc.strerror or exc}")
    click.echo(f"wrote {out}")
