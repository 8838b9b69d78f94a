"""``shapecalc check PATH...``: every shape finding of every model, for editors and CI.

The flow: PATHs -> files (directories walked) -> each file's models loaded and analysed (in
parallel processes with ``jobs > 1``) -> findings filtered by select / ignore / per-file
ignores and by ``# shapecalc: ignore`` comments -> optionally fixed (fix.py) and the fixed
files checked again -> a ``CheckResult`` that the reporters in report/check/ format.

Files (sources.py says which). A file named on the command line is always checked: one
that defines no model, needs a module that is missing or cannot be analysed is an error
(exit code 2). A file found in a directory walk that holds no model is skipped silently (a
module of helpers; with ``skip_non_models`` named files are treated the same way, for
pre-commit). A model whose file or constructor raises is a finding, SC003, at the line that
raised (a walked file that raises and defines no class is a script, and is skipped).

Inputs, first found wins: ``--input`` (every model), ``[tool.shapecalc.inputs]`` (``"file.py:
Model"`` then ``"file.py"``), the file's ``# shapecalc: input=`` comment, else inference from
the first layer that consumes each input (analyze.choose_inputs). With symbolic inputs a size
a layer pins (a Linear after a flatten) is a constraint on the inputs, not an error.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from .codes import severity_of
from .config import Config, ConfigError, find_config, load_config
from .diagnostics import Diagnostic, Location, Severity
from .sources import collect_files, defines_class
from .suppress import Suppressor

MAX_FIX_ROUNDS = 10
ENVIRONMENT_ERRORS = {"ImportError", "ModuleNotFoundError"}  # a missing dependency, not a bug


class CheckError(Exception):
    """A usage or configuration error that stops the whole run (exit code 2)."""


@dataclass(frozen=True)
class CheckOptions:
    inputs: tuple[str, ...] = ()  # --input specs, for every model
    select: tuple[str, ...] | None = None  # replaces the config's select
    ignore: tuple[str, ...] = ()  # added to the config's ignore
    fail_on: Severity | None = None  # overrides the config's fail-on
    fix: bool = False
    jobs: int = 1
    config: str | None = None  # an explicit pyproject.toml
    isolated: bool = False  # ignore every pyproject.toml
    skip_non_models: bool = False  # named files are treated as a directory walk treats them


@dataclass(frozen=True)
class FixSite:
    """A literal a finding wants rewritten: the constructor call at ``location`` of ``op``."""

    key: tuple  # the finding's key (code, location, message)
    location: Location
    op: str
    param: str
    value: int


@dataclass(frozen=True)
class ModelReport:
    path: str
    name: str
    inputs: tuple[str, ...]  # the input shapes it was analysed with, as specs
    inputs_from: str  # "--input", "config", "comment" or "inferred"


@dataclass
class FileOutcome:
    """What checking one file gave; plain values, so it crosses process boundaries."""

    path: str  # as given: a file, or file.py:Model
    file: str  # the file itself
    models: list[ModelReport] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)  # before any filtering
    fixes: list[FixSite] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    skipped: bool = False  # a walked file with no model
    analysed: bool = True  # False when the file could not be loaded


@dataclass(frozen=True)
class AppliedFix:
    location: Location
    param: str
    old: int
    new: int


@dataclass
class CheckResult:
    findings: list[Diagnostic]  # reported: selected, not suppressed, sorted
    models: list[ModelReport]
    files: list[str]  # files checked (skipped ones excluded)
    errors: list[tuple[str, str]]  # (path, message): files that could not be checked
    fail_on: Severity
    fixed: list[AppliedFix] = field(default_factory=list)
    fix_requested: bool = False
    suppressed: int = 0
    fixable: int = 0  # reported findings --fix would rewrite
    config: str | None = None

    def count(self, severity: Severity) -> int:
        return sum(1 for d in self.findings if d.severity == severity)

    @property
    def failing(self) -> list[Diagnostic]:
        return [d for d in self.findings if d.severity >= self.fail_on]

    def exit_code(self, exit_zero: bool = False) -> int:
        """2 when a file could not be checked; else 1 for findings at or above fail-on
        (0 with exit_zero); else 0."""
        if self.errors:
            return 2
        if self.failing and not exit_zero:
            return 1
        return 0


# ---------------------------------------------------------------------------------- selection


def is_selected(code: str, select: Iterable[str], ignore: Iterable[str]) -> bool:
    """ruff's rule: the most specific matching selector decides; on a tie, ignore wins."""
    best_select = max((len(s) for s in select if code.startswith(s)), default=-1)
    best_ignore = max((len(s) for s in ignore if code.startswith(s)), default=-1)
    return best_select >= 0 and best_select > best_ignore


# ------------------------------------------------------------------------------- one file


def check_file(path: str, explicit: bool, inputs: tuple[str, ...], config: Config) -> FileOutcome:
    """Load ``path`` and analyse each of its models; never raises for the user's errors.
    What the user's code prints while it is imported and built is discarded: the report
    (JSON, SARIF) is the only output."""
    import contextlib
    import io

    sink = io.StringIO()
    with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
        return _check_file(path, explicit, inputs, config)


def _check_file(path: str, explicit: bool, inputs: tuple[str, ...], config: Config) -> FileOutcome:
    from .fix import fixable
    from .frontends import FrontendError
    from .frontends.loader import UserCodeError, load, parse_spec

    outcome = FileOutcome(path, parse_spec(path).path)
    try:
        models = load(path)
    except UserCodeError as exc:
        outcome.analysed = False
        if exc.error_type in ENVIRONMENT_ERRORS:
            outcome.errors.append(str(exc))  # not the model's fault: the file is unchecked
        elif not explicit and not defines_class(outcome.file):
            outcome.skipped = True  # a script that runs at import, not a model file
        else:
            where = exc.location or Location(outcome.file, 1, 1)
            message = f"{exc.reason} ({exc.doing})"
            outcome.diagnostics.append(
                Diagnostic("SC003", severity_of("SC003"), message, None, where)
            )
        return outcome
    except FrontendError as exc:
        outcome.analysed = False
        message = str(exc)
        if not explicit and message.startswith("no models found in "):
            outcome.skipped = True
        else:
            outcome.errors.append(message)
        return outcome
    except Exception as exc:  # shapecalc's own bug: say where, keep checking other files
        outcome.analysed = False
        outcome.errors.append(f"internal error while loading {path}: {type(exc).__name__}: {exc}")
        return outcome
    keys: set[tuple] = set()
    for loaded in models:
        _check_model(outcome, loaded, inputs, config, keys)
    outcome.fixes = fixable(_unambiguous(outcome.fixes))
    return outcome


def _check_model(
    outcome: FileOutcome, loaded, inputs: tuple[str, ...], config: Config, keys: set[tuple]
) -> None:
    from .analyze import best_analysis
    from .frontends import FrontendError
    from .inputs import InputSpecError, format_spec, parse_shape

    path = outcome.path
    label = f"{path}:{loaded.name}"
    specs, source = inputs, "--input"
    if not specs:
        configured = config.inputs_for(outcome.file, loaded.name)
        specs, source = (configured, "config") if configured else ((), "")
    try:
        given = [parse_shape(s) for s in specs]
    except InputSpecError as exc:
        where = "--input" if source == "--input" else f"{config.path} inputs"
        outcome.errors.append(f"{label}: invalid input in {where}: {exc}")
        return
    try:
        chosen, analysis = best_analysis(loaded, given)
    except FrontendError as exc:
        outcome.errors.append(f"{label}: {exc}")
        return
    except Exception as exc:  # shapecalc's own bug
        outcome.errors.append(
            f"internal error while analysing {label}: {type(exc).__name__}: {exc}"
        )
        return
    if not source:
        source = "comment" if loaded.inputs else "inferred"
    outcome.models.append(
        ModelReport(path, loaded.name, tuple(format_spec(v) for v in chosen), source)
    )
    fallback = Location(outcome.file, 1, 1)
    for diag in analysis.diagnostics:
        if diag.location is None:
            diag = replace(diag, location=fallback)
        key = _key(diag)
        if key in keys:
            continue
        keys.add(key)
        outcome.diagnostics.append(diag)
    outcome.fixes.extend(_fix_sites(analysis))


def _key(diag: Diagnostic) -> tuple:
    return (diag.code, diag.location, diag.message)


def _fix_sites(analysis) -> list[FixSite]:
    """The findings of one model that carry a literal fix, when every layer built at that
    location wants the same value (a literal inside a loop that is right for some iterations
    and wrong for others is not rewritten)."""
    from .graph import MODULE

    by_location: dict[Location, list] = {}
    for node in analysis.graph:
        if node.kind == MODULE and node.location is not None:
            by_location.setdefault(node.location, []).append(node)
    wanted: dict[tuple[str, str], list[Diagnostic]] = {}
    for diag in analysis.diagnostics:
        if diag.fix is not None and diag.layer is not None:
            wanted.setdefault((diag.layer, diag.fix.param), []).append(diag)
    sites = []
    for (layer, param), diags in wanted.items():
        if layer not in analysis.graph:
            continue
        node = analysis.graph[layer]
        value = diags[0].fix.value
        if node.kind != MODULE or node.location is None or len(diags) != 1:
            continue
        if isinstance(value, bool) or not isinstance(value, int):
            continue
        siblings = by_location[node.location]
        if all([d.fix.value for d in wanted.get((s.name, param), ())] == [value] for s in siblings):
            sites.append(FixSite(_key(diags[0]), node.location, node.op, param, value))
    return sites


def _unambiguous(sites: list[FixSite]) -> list[FixSite]:
    """Across the models of a file: one value per (location, param), else no fix there."""
    values: dict[tuple, set[int]] = {}
    for s in sites:
        values.setdefault((s.location, s.param), set()).add(s.value)
    return [s for s in sites if len(values[(s.location, s.param)]) == 1]


# -------------------------------------------------------------------------------- the run


def resolve_config(paths: Sequence[str], options: CheckOptions) -> Config:
    if options.isolated:
        return Config()
    try:
        path = options.config if options.config else find_config(list(paths))
        if options.config and not os.path.isfile(options.config):
            raise CheckError(f"no such config file: {options.config}")
        return load_config(path)
    except ConfigError as exc:
        raise CheckError(str(exc)) from None


def check(paths: Sequence[str], options: CheckOptions | None = None) -> CheckResult:
    """Check every model in ``paths`` (files and directories). Raises CheckError for a bad
    path or configuration; a file that cannot be checked is recorded in ``errors``."""
    options = options or CheckOptions()
    config = resolve_config(paths, options)
    try:
        files = collect_files(paths, config, options.skip_non_models)
    except FileNotFoundError as exc:
        raise CheckError(str(exc)) from None
    if not files and options.skip_non_models:
        return _result([], options, config, [])
    if not files:
        raise CheckError(f"no .py or .scn files to check in {', '.join(paths)}")
    outcomes = run_files(files, options.inputs, config, options.jobs)
    fixed: list[AppliedFix] = []
    if options.fix:
        from .fix import apply_fixes

        explicit = dict(files)
        for _ in range(MAX_FIX_ROUNDS):
            sites = [
                s for o in outcomes for s in o.fixes if s.key in _reported_keys(o, options, config)
            ]
            applied = apply_fixes(sites)
            if not applied:
                break
            fixed.extend(applied)
            changed = {a.location.path for a in applied}
            again = [
                i
                for i, o in enumerate(outcomes)
                if o.file in changed or any(_key(d)[1].path in changed for d in o.diagnostics)
            ]
            redone = run_files(
                [(outcomes[i].path, explicit[outcomes[i].path]) for i in again],
                options.inputs,
                config,
                options.jobs,
            )
            for i, outcome in zip(again, redone):
                outcomes[i] = outcome
    return _result(outcomes, options, config, fixed)


def run_files(
    files: Sequence[tuple[str, bool]], inputs: tuple[str, ...], config: Config, jobs: int
) -> list[FileOutcome]:
    """check_file over every file; in ``jobs`` processes when more than one, results in the
    order of ``files`` whatever order they finish in."""
    if jobs <= 0:
        jobs = os.cpu_count() or 1
    jobs = min(jobs, len(files))
    if jobs <= 1:
        return [check_file(path, explicit, inputs, config) for path, explicit in files]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    # forkserver: workers fork from a clean server that has imported torch and shapecalc
    # once, so each file costs no import, and no worker inherits a parent's torch threads
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["torch", "shapecalc.check", "shapecalc.frontends.loader"])
    try:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            futures = [pool.submit(check_file, p, e, inputs, config) for p, e in files]
            return [f.result() for f in futures]
    except (BrokenProcessPool, OSError):  # no worker processes here: check in this one
        return run_files(files, inputs, config, 1)


class Selection:
    """Which findings are reported: select / ignore (the command line over the config),
    then the per-file ignores of the file the finding is in."""

    def __init__(self, options: CheckOptions, config: Config) -> None:
        self.select = options.select if options.select is not None else (config.select or ("SC",))
        self.ignore = (*config.ignore, *options.ignore)
        self.config = config
        self._per_file: dict[str, tuple[str, ...]] = {}

    def __call__(self, diag: Diagnostic, file: str) -> bool:
        if not is_selected(diag.code, self.select, self.ignore):
            return False
        path = diag.location.path if diag.location else file
        if path not in self._per_file:
            self._per_file[path] = self.config.ignored_in(path)
        return not any(diag.code.startswith(p) for p in self._per_file[path])


def _reported_keys(outcome: FileOutcome, options: CheckOptions, config: Config) -> set[tuple]:
    selected = Selection(options, config)
    suppressor = Suppressor()
    return {
        _key(d)
        for d in outcome.diagnostics
        if selected(d, outcome.file) and not suppressor.suppressed(d)
    }


def collapse(findings: list[Diagnostic], fix_keys: set[tuple]) -> list[Diagnostic]:
    """One finding per code and line: a layer built in a loop (or a block used many times)
    is one mistake in the source, reported for the first layer built there, with the count
    of the others. Several findings of that first layer (two dims of one window) all stay."""
    first_layer: dict[tuple, str | None] = {}
    others: dict[tuple, list[str]] = {}
    for diag in findings:
        site = (diag.code, diag.location)
        layer = first_layer.setdefault(site, diag.layer)
        if diag.layer != layer and diag.layer not in others.setdefault(site, []):
            others[site].append(diag.layer or "")
    out = []
    for diag in findings:
        site = (diag.code, diag.location)
        if diag.layer != first_layer[site]:
            continue
        more = len(others.get(site, ()))
        if more:
            key = _key(diag)
            plural = "layer" if more == 1 else "layers"
            diag = replace(diag, message=f"{diag.message} (+{more} more {plural} built here)")
            if key in fix_keys:
                fix_keys.add(_key(diag))
        out.append(diag)
    return out


def _lines(path: str, cache: dict[str, tuple[bytes, ...]]) -> tuple[bytes, ...]:
    if path not in cache:
        try:
            with open(path, "rb") as f:
                cache[path] = tuple(f.read().splitlines())
        except OSError:
            cache[path] = ()
    return cache[path]


def character_columns(
    loc: Location | None, cache: dict[str, tuple[bytes, ...]] | None = None
) -> Location | None:
    """Columns counted in characters, as editors, ruff and SARIF viewers count them; the
    frontends give byte offsets (Python's own), which differ on lines with non-ASCII text."""
    if loc is None:
        return None
    lines = _lines(loc.path, {} if cache is None else cache)

    def convert(line: int | None, column: int | None) -> int | None:
        if line is None or column is None or not 0 < line <= len(lines):
            return column
        return len(lines[line - 1][: column - 1].decode("utf-8", "replace")) + 1

    return replace(
        loc,
        column=convert(loc.line, loc.column) or loc.column,
        end_column=convert(loc.end_line, loc.end_column),
    )


def _result(
    outcomes: list[FileOutcome], options: CheckOptions, config: Config, fixed: list[AppliedFix]
) -> CheckResult:
    suppressor = Suppressor()
    selected = Selection(options, config)
    findings: list[Diagnostic] = []
    seen: set[tuple] = set()
    suppressed = 0
    errors: list[tuple[str, str]] = []
    for outcome in outcomes:
        errors.extend((outcome.path, e) for e in outcome.errors)
        for diag in outcome.diagnostics:
            key = _key(diag)
            if key in seen:
                continue
            seen.add(key)
            # a suppression comment is used by any finding it covers, selected or not
            if suppressor.suppressed(diag):
                suppressed += 1
            elif selected(diag, outcome.file):
                findings.append(diag)
    for outcome in outcomes:
        if not outcome.analysed or outcome.errors or outcome.path != outcome.file:
            continue  # only a file checked whole can tell that a comment matches nothing
        for diag in suppressor.unused(outcome.file):
            if selected(diag, outcome.file) and _key(diag) not in seen:
                seen.add(_key(diag))
                findings.append(diag)
    fix_keys = {s.key for o in outcomes for s in o.fixes}
    findings = collapse(findings, fix_keys)
    fixable = sum(1 for d in findings if _key(d) in fix_keys)
    sources: dict[str, tuple[bytes, ...]] = {}
    findings = [replace(d, location=character_columns(d.location, sources)) for d in findings]
    findings.sort(key=Diagnostic.sort_key)
    fail_on = next((s for s in (options.fail_on, config.fail_on) if s is not None), Severity.ERROR)
    return CheckResult(
        findings=findings,
        models=[m for o in outcomes for m in o.models],
        files=[o.path for o in outcomes if not o.skipped and (o.models or not o.errors)],
        errors=errors,
        fail_on=fail_on,
        fixed=fixed,
        fix_requested=options.fix,
        suppressed=suppressed,
        fixable=fixable,
        config=config.path,
    )
