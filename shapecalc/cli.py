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
    help="table: per-layer shapes; json: the version-1 contract; text: diagnostics only; "
    "dot, mermaid: the layer graph (see `shapecalc graph`).",
)
@click.option(
    "--verify",
    "check_torch",
    is_flag=True,
    help="Also run the model with PyTorch on CPU at a few sizes and compare every layer "
    "(see `shapecalc verify`); exit 1 when torch disagrees.",
)
@click.option(
    "--stats",
    "show_stats",
    is_flag=True,
    help="Add MACs, output bytes and receptive fields per layer, and totals with the peak "
    "activation memory.",
)
@click.option(
    "--depth",
    type=click.IntRange(min=1),
    metavar="N",
    help="Collapse submodules nested deeper than N into one row each (table).",
)
def calc(
    paths: tuple[str, ...],
    inputs: tuple[str, ...],
    fmt: str,
    check_torch: bool,
    show_stats: bool,
    depth: int | None,
) -> None:
    """Per-layer output shapes of the models in PATH (the default command)."""
    shapes = parse_inputs(inputs)
    if check_torch:
        from .verify import calc_with_verify

        sys.exit(calc_with_verify(paths, shapes, fmt))
    analyses = analyse_all(paths, shapes)
    with guarded(", ".join(paths)):
        text = render(fmt, analyses, stats=show_stats, depth=depth)
    if text:
        click.echo(text)
    sys.exit(exit_code(analyses))


# ------------------------------------------------------------------ check, rule, rules


def _severity(_ctx: click.Context, _param: click.Parameter, value: str | None) -> Any:
    return None if value is None else Severity.parse(value)


def _selector_list(_ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> Any:
    from .config import ConfigError, selectors

    if not value:
        return None
    try:
        return tuple(selectors(list(value), f"--{param.name}"))
    except ConfigError as exc:
        raise click.BadParameter(str(exc).removeprefix(f"--{param.name}: ")) from None


@main.command("check")
@click.argument("paths", nargs=-1, metavar="[PATH]...")
@input_option
@click.option(
    "-f",
    "--format",
    "fmt",
    default="text",
    show_default=True,
    help="text, json, github (Actions annotations) or sarif (SARIF 2.1.0).",
)
@click.option(
    "--select",
    multiple=True,
    callback=_selector_list,
    metavar="CODES",
    help="Report only these codes or prefixes (SC2, SC201,SC401); replaces the config's.",
)
@click.option(
    "--ignore",
    multiple=True,
    callback=_selector_list,
    metavar="CODES",
    help="Do not report these codes or prefixes; added to the config's.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "info"]),
    callback=_severity,
    help="Lowest severity that makes the exit code 1 (default: error).",
)
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    help="Files checked in parallel processes (0: one per CPU).",
)
@click.option("--fix", is_flag=True, help="Rewrite unambiguous literals in place, then recheck.")
@click.option(
    "--config",
    "config_path",
    metavar="FILE",
    help="Read [tool.shapecalc] from FILE instead of the nearest pyproject.toml.",
)
@click.option("--isolated", is_flag=True, help="Ignore every pyproject.toml.")
@click.option(
    "--skip-non-models",
    is_flag=True,
    help="Skip named files that import no torch or define no model, as a directory walk "
    "does (for pre-commit, which names every staged file).",
)
def check_command(
    paths: tuple[str, ...],
    inputs: tuple[str, ...],
    fmt: str,
    select: tuple[str, ...] | None,
    ignore: tuple[str, ...] | None,
    fail_on: Severity | None,
    exit_zero: bool,
    jobs: int,
    fix: bool,
    config_path: str | None,
    isolated: bool,
    skip_non_models: bool,
) -> None:
    """Check every model in PATH... (files and directories; default: the current directory)
    for shape errors.

    Exit code 0: no finding at or above --fail-on; 1: such findings; 2: a path, option,
    configuration or file that could not be checked.
    """
    from .check import CheckError, CheckOptions, check
    from .report.check import check_formats, render_check

    paths = paths or (".",)
    if fmt not in check_formats():
        fail(f"unknown format {fmt!r} (use one of {', '.join(check_formats())})")
    parse_inputs(inputs)  # a malformed --input is a usage error before anything is loaded
    options = CheckOptions(
        inputs=inputs,
        select=select,
        ignore=ignore or (),
        fail_on=fail_on,
        fix=fix,
        jobs=jobs,
        config=config_path,
        isolated=isolated,
        skip_non_models=skip_non_models,
    )
    with guarded(", ".join(paths)):
        try:
            result = check(paths, options)
        except CheckError as exc:
            fail(str(exc))
    for _path, message in result.errors:
        click.echo(f"shapecalc: error: {message}", err=True)
    with guarded(", ".join(paths)):
        text = render_check(fmt, result)
    if text:
        click.echo(text)
    sys.exit(result.exit_code(exit_zero))


@main.command("rule")
@click.argument("code")
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def rule_command(code: str, fmt: str) -> None:
    """Print the documentation of a code (SC201) or name (in-channel-mismatch)."""
    from .rule_docs import RuleLookupError, find_code, rule_json

    try:
        found = find_code(code)
    except RuleLookupError as exc:
        fail(str(exc))
    click.echo(rule_json(found) if fmt == "json" else found.doc().rstrip("\n"))


@main.command("rules")
@click.option("-f", "--format", "fmt", type=click.Choice(["table", "json"]), default="table")
def rules_command(fmt: str) -> None:
    """List every code: code, name, severity and summary."""
    from .rule_docs import rules_json, rules_table

    click.echo(rules_json() if fmt == "json" else rules_table())


# ------------------------------------------------------------------------------ verify


@main.command("verify")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@input_option
@click.option(
    "--sizes",
    multiple=True,
    metavar="SYM=N,...",
    help="Sizes to check besides the automatic ones, e.g. --sizes H=32,64; B=2 sets the batch "
    "(default 1). Repeatable.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the random sizes.")
@click.option(
    "--random",
    "random_sizes",
    type=click.IntRange(0, 50),
    default=3,
    show_default=True,
    help="How many seeded random valid sizes to check.",
)
@click.option(
    "--max-memory",
    default="2GiB",
    show_default=True,
    metavar="SIZE",
    help="Skip sizes whose activations would need more (e.g. 512MB).",
)
@click.option(
    "--device", default="cpu", show_default=True, help="Where to run (cpu; others if present)."
)
@click.option(
    "-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def verify_command(
    paths: tuple[str, ...],
    inputs: tuple[str, ...],
    sizes: tuple[str, ...],
    seed: int,
    random_sizes: int,
    max_memory: str,
    device: str,
    fmt: str,
) -> None:
    """Check the predicted shapes against real PyTorch forwards: at the smallest valid size,
    the next one, seeded random ones and one just below the minimum, every layer's real output
    must match the prediction, and torch must fail exactly where shapecalc finds an error.
    Exit 0 when all agree, 1 on any disagreement, 2 when the model cannot run here."""
    from .verify import run_cli

    sys.exit(
        run_cli(paths, parse_inputs(inputs), sizes, seed, random_sizes, max_memory, device, fmt)
    )


# ---------------------------------------------------------------------------------- graph

GRAPH_SUFFIXES = {
    ".dot": "dot", ".gv": "dot", ".svg": "svg", ".png": "png", ".pdf": "pdf",
    ".mmd": "mermaid", ".mermaid": "mermaid", ".md": "mermaid",
}  # fmt: skip


@main.command("graph")
@click.argument("path", metavar="PATH")
@input_option
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), help="File to write (default: stdout)."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["dot", "svg", "png", "pdf", "mermaid"]),
    help="Default: from the -o suffix (.dot .gv .svg .png .pdf .mmd .md), else dot.",
)
def graph(path: str, inputs: tuple[str, ...], output: str | None, fmt: str | None) -> None:
    """The layer graph of the models in PATH as Graphviz DOT (SVG/PNG through Graphviz's
    `dot` when installed) or a Mermaid flowchart: op and output shape per node, an edge from
    every input of a merge, errors in red with their codes."""
    import os

    from .report.dot import GraphvizError, render_file

    if fmt is None:
        suffix = os.path.splitext(output)[1].lower() if output else ""
        if output and suffix not in GRAPH_SUFFIXES:
            fail(f"cannot tell the format of {output!r} from its suffix: pass --format")
        fmt = GRAPH_SUFFIXES.get(suffix, "dot")
    if fmt in ("svg", "png", "pdf") and output is None:
        fail(f"--format {fmt} writes a binary file: pass -o FILE.{fmt}")
    analyses = analyse_all((path,), parse_inputs(inputs))
    try:
        with guarded(path):
            text = render_file(analyses, fmt, output)
    except GraphvizError as exc:
        fail(str(exc))
    if text is not None:
        click.echo(text)
    sys.exit(exit_code(analyses))


# ------------------------------------------------------------------------------------- fc


@main.command("fc")
@click.argument("path", metavar="PATH")
@input_option
@click.option(
    "--want",
    type=click.IntRange(min=1),
    help="Also show the input sizes that give this in_features.",
)
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
)
def fc(path: str, inputs: tuple[str, ...], want: int | None, fmt: str) -> None:
    """The in_features each Linear receives, the edit that makes it right, and the input
    sizes the model accepts. Exit 1 when a declared in_features is wrong at the input."""
    import json

    from .solve import fc_report

    shapes = parse_inputs(inputs)
    analyses = analyse_all((path,), shapes)
    texts, entries, ok = [], [], True
    for analysis in analyses:
        with guarded(path):
            text, entry, model_ok = fc_report(analysis, want)
        texts.append(text)
        entries.append(entry)
        ok = ok and model_ok
    if fmt == "json":
        click.echo(json.dumps({"version": 1, "models": entries}, indent=2))
    else:
        click.echo("\n\n".join(texts))
    sys.exit(EXIT_OK if ok else EXIT_FINDINGS)


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
    else:
        try:
            with open(out, "w", encoding="utf-8") as f:
                f.write(source)
        except OSError as exc:
            fail(f"cannot write {out}: {exc.strerror or exc}")
        click.echo(f"wrote {out}")
    # the source is written either way (it is what the sketch says); its shape errors are
    # listed on stderr and make the exit code 1, as the module would fail at those lines
    spec = path if name is None or path.endswith(f":{name}") else f"{path}:{name}"
    analyses = analyse_all((spec,), [])  # only the model exported (another may not build)
    with guarded(path):
        findings = render("text", analyses)
    if exit_code(analyses) != EXIT_OK:
        click.echo(findings, err=True)
        click.echo("shapecalc: the exported module has shape errors (see above)", err=True)
    sys.exit(exit_code(analyses))
