"""Check shapecalc's predictions against real PyTorch forward passes.

For each input symbol, pick concrete sizes: the user's (``sizes``), the smallest valid one, the
next valid one, a few seeded random valid ones, and one just below the minimum (where torch
must fail). "Valid" is decided by shapecalc itself: the static analysis re-run at the concrete
size reports no error. Every non-batch symbol moves together when searching the minimum (a
square image); the batch ``B`` stays 1 unless the user sets it.

At each size: estimate the activation memory from the static analysis (skipping sizes above a
cap), run the real model on CPU in eval mode under ``torch.no_grad()``, record what every node
of the traced graph produced (a ``torch.fx.Interpreter`` over the same graph the analysis
walked, so modules, functions, methods and operators are all seen by their graph names; a
model torch.fx cannot trace is watched through forward hooks on its layers instead), and
compare node by node with the static prediction at that size. The verdicts are compared too:
the analysis finds an error exactly when torch raises.

torch is imported here only, and lazily by the callers, so the DSL path stays fast.
"""

from __future__ import annotations

import contextlib
import itertools
import random
import re
import sys
import traceback
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from . import symbolic as sym
from .analyze import analyze_loaded, choose_inputs, to_input, to_loaded
from .diagnostics import Diagnostic, Location
from .frontends import FrontendError, LoadedModel
from .graph import CONSTANT, INPUT, MODULE, OUTPUT, LayerGraph
from .propagate import Analysis
from .values import OPAQUE, TensorValue, format_shape

DEFAULT_MAX_MEMORY = 2 * 1024**3  # bytes of activations one forward may need
DEFAULT_RANDOM = 3  # seeded random valid sizes per model
SEARCH_LIMIT = 1024  # the largest square size tried when searching the minimum
MAX_PROBES = 96  # static analyses spent on the search, at most

# bytes per element, by shapecalc's dtype names
DTYPE_BYTES = {
    "float64": 8,
    "complex128": 16,
    "complex64": 8,
    "int64": 8,
    "float32": 4,
    "int32": 4,
    "float16": 2,
    "bfloat16": 2,
    "int16": 2,
    "int8": 1,
    "uint8": 1,
    "bool": 1,
}


class VerifyError(FrontendError):
    """The model cannot be verified: bad sizes, or it cannot be built or run on this machine
    for a reason that is not about shapes. One line, exit code 2."""


# ------------------------------------------------------------------------------ results


@dataclass(frozen=True)
class SizeCase:
    """One assignment of the input symbols, and why it was chosen."""

    env: tuple[tuple[str, int], ...]
    why: str  # "given", "minimum", "next", "random", "below minimum"

    @property
    def values(self) -> dict[str, int]:
        return dict(self.env)

    @property
    def label(self) -> str:
        """``H=W=32``, ``H=32, W=40``, ``B=2, H=W=32``; a batch of 1 is left out."""
        batch = [f"{n}={v}" for n, v in self.env if is_batch(n) and v != 1]
        spatial = [(n, v) for n, v in self.env if not is_batch(n)]
        if len(spatial) > 1 and len({v for _, v in spatial}) == 1:
            shown = ["=".join(n for n, _ in spatial) + f"={spatial[0][1]}"]
        else:
            shown = [f"{n}={v}" for n, v in spatial]
        return ", ".join(batch + shown) or "B=1"


@dataclass(frozen=True)
class LayerMismatch:
    """A node whose real output differs from the prediction at the same size."""

    name: str
    op: str
    location: Location | None
    predicted: str
    actual: str

    @property
    def where(self) -> str:
        loc = self.location
        return f"{loc.path}:{loc.line}" if loc else ""


@dataclass
class SizeResult:
    case: SizeCase
    inputs: list[TensorValue]
    memory: int = 0
    skipped: str | None = None
    predicted_errors: list[Diagnostic] = field(default_factory=list)
    torch_error: str | None = None  # None: torch ran the forward
    torch_error_type: str | None = None  # RuntimeError, ValueError, ...
    mismatches: list[LayerMismatch] = field(default_factory=list)
    compared: int = 0  # nodes whose predicted and real outputs were compared
    evaluated: int = 0  # of those, ops without a rule (their prediction came from torch)

    @property
    def ran(self) -> bool:
        return self.skipped is None

    @property
    def label(self) -> str:
        """The size as the report names it: ``H=W=32``, or ``input (1, 3, 32, 32)``."""
        if self.case.env:
            return self.case.label
        return "input " + ", ".join(format_shape(v.shape) for v in self.inputs)

    @property
    def predicted_ok(self) -> bool:
        return not self.predicted_errors

    @property
    def torch_ok(self) -> bool:
        return self.torch_error is None

    @property
    def agrees(self) -> bool:
        return not self.ran or (self.predicted_ok == self.torch_ok and not self.mismatches)

    @property
    def verdict(self) -> str:
        if not self.ran:
            return "skipped"
        if not self.agrees:
            return "DISAGREE"
        return "ok" if self.torch_ok else "rejected"


@dataclass
class Verification:
    """Every size checked for one model."""

    name: str
    source: str | None
    inputs: list[TensorValue]
    symbols: list[str]
    results: list[SizeResult]
    device: str = "cpu"
    notes: list[str] = field(default_factory=list)

    @property
    def ran(self) -> list[SizeResult]:
        return [r for r in self.results if r.ran]

    @property
    def ok(self) -> bool:
        return all(r.agrees for r in self.results)

    @property
    def disagreements(self) -> list[SizeResult]:
        return [r for r in self.results if not r.agrees]

    def summary(self) -> str:
        """``verified against torch at (H, W) = (29, 29), (30, 30), (28, 28) rejected``: what
        the calculator's table prints under itself."""
        ran = self.ran
        if not ran:
            return "not verified against torch: every size was skipped"
        shown = ", ".join(self.size_text(r) + ("" if r.torch_ok else " rejected") for r in ran)
        bad = len(self.disagreements)
        if bad:
            return f"torch DISAGREES at {bad} of {len(ran)} sizes: {self.names_text()}{shown}"
        return f"verified against torch at {self.names_text()}{shown}"

    def shown_symbols(self) -> list[str]:
        """The symbols a size is written with: the batch only when some size sets it."""
        return [
            s
            for s in self.symbols
            if not is_batch(s) or any(r.case.values.get(s, 1) != 1 for r in self.results)
        ]

    def names_text(self) -> str:
        names = self.shown_symbols()
        if not names:
            return "input "
        return f"{names[0]}=" if len(names) == 1 else f"({', '.join(names)}) = "

    def size_text(self, result: SizeResult) -> str:
        names = self.shown_symbols()
        if not names:
            return _shape_label(result)
        values = [str(result.case.values[n]) for n in names]
        return values[0] if len(values) == 1 else f"({', '.join(values)})"


def _shape_label(result: SizeResult) -> str:
    from .report.table import fmt_shape

    return ", ".join(fmt_shape(v.shape) for v in result.inputs)


def is_batch(name: str) -> bool:
    return name.rstrip("0123456789") == "B"


# ----------------------------------------------------------------------------- entry points


def verify(model_or_path: Any, *input_shapes: Any, **options: Any) -> Verification:
    """``verify("model.py", "B,3,H,W", seed=0)``: the Python API of ``shapecalc verify``."""
    return verify_loaded(to_loaded(model_or_path), input_shapes, **options)


def verify_loaded(
    loaded: LoadedModel,
    inputs: Sequence[Any] = (),
    *,
    sizes: Mapping[str, Sequence[int]] | None = None,
    seed: int = 0,
    random_sizes: int = DEFAULT_RANDOM,
    max_memory: int = DEFAULT_MAX_MEMORY,
    device: str = "cpu",
    progress: Callable[[int], Any] | None = None,
) -> Verification:
    """Verify one model. ``progress(n)`` is called with the number of forwards to run and
    returns a context manager whose ``update(1)`` is called after each (click.progressbar)."""
    templates = choose_inputs(loaded, [to_input(i) for i in inputs])
    symbols = _symbols(templates)
    chooser = _SizeChooser(loaded, templates, symbols, dict(sizes or {}), seed, max_memory)
    cases = chooser.cases(random_sizes)
    result = Verification(loaded.name, loaded.path or None, templates, symbols, [])
    result.notes.extend(chooser.notes)
    device = result.device = _pick_device(device, result.notes)
    runner = _Runner(loaded, device, seed)
    analyses = [chooser.analysis(case.values) for case in cases]
    # building the model allocates its weights: float32 unless it says otherwise
    weights = 4 * next((a.total_params for a in analyses if a is not None), 0)
    for case in cases:
        entry = SizeResult(case, [_instantiate(t, case.values) for t in templates])
        entry.memory = chooser.memory(case.values)
        if weights > max_memory:
            entry.skipped = (
                f"the parameters alone need about {format_bytes(weights)}, above the "
                f"{format_bytes(max_memory)} cap (--max-memory)"
            )
        elif entry.memory > max_memory:
            entry.skipped = (
                f"needs about {format_bytes(entry.memory)} of activations, above the "
                f"{format_bytes(max_memory)} cap (--max-memory)"
            )
        result.results.append(entry)
    running = [(r, a) for r, a in zip(result.results, analyses) if r.ran]
    if running:
        runner.build()
    bar = progress(len(running)) if progress is not None and len(running) > 3 else None
    with bar if bar is not None else contextlib.nullcontext() as tick:
        for entry, analysis in running:
            runner.check(entry, analysis, chooser.failure(entry.case.values))
            if tick is not None:
                tick.update(1)
    return result


def _has_lazy_parameters(module: Any) -> bool:
    from torch.nn.parameter import is_lazy

    return any(is_lazy(p) for p in module.parameters())


def _symbols(values: Sequence[TensorValue]) -> list[str]:
    out: list[str] = []
    for value in values:
        for d in value.shape:
            for name in sorted(sym.free_symbols(d)):
                if name not in out:
                    out.append(name)
    return out


def _instantiate(value: TensorValue, env: Mapping[str, int]) -> TensorValue:
    return value.with_shape(tuple(sym.evaluate(d, env) for d in value.shape))


def format_bytes(n: int) -> str:
    for unit, size in (("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)):
        if n >= size:
            return f"{n / size:.1f} {unit}"
    return f"{n} B"


_MEMORY = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmgt]?i?b?)\s*$", re.IGNORECASE)
_UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3, "t": 1024**4}


def parse_memory(text: str) -> int:
    """``512MB``, ``2GiB``, ``1.5g``, ``100000`` (bytes); binary units either way."""
    m = _MEMORY.match(text)
    if m is None:
        raise VerifyError(f"invalid memory size {text!r} (use e.g. 512MB or 2GB)")
    unit = m.group(2).lower().rstrip("b").rstrip("i")
    return int(float(m.group(1)) * _UNITS[unit])


def parse_sizes(texts: Iterable[str]) -> dict[str, list[int]]:
    """``H=32,64``, ``B=2``; several per text separated by spaces or ';'."""
    out: dict[str, list[int]] = {}
    for text in texts:
        for part in re.split(r"[;\s]+", text.strip()):
            if not part:
                continue
            name, eq, values = part.partition("=")
            name = name.strip()
            if not eq or not re.fullmatch(r"[A-Za-z_]\w*", name):
                raise VerifyError(f"invalid --sizes {part!r} (use e.g. H=32,64 or B=2)")
            try:
                numbers = [int(v) for v in values.split(",") if v.strip()]
            except ValueError:
                raise VerifyError(f"invalid --sizes {part!r}: sizes are integers") from None
            if not numbers or any(n < 1 for n in numbers):
                raise VerifyError(f"invalid --sizes {part!r}: sizes are positive integers")
            out.setdefault(name, []).extend(n for n in numbers if n not in out.get(name, []))
    return out


def _pick_device(device: str, notes: list[str]) -> str:
    import torch

    try:
        wanted = torch.device(device)
    except (RuntimeError, TypeError, ValueError):
        raise VerifyError(f"invalid --device {device!r} (use e.g. cpu or cuda)") from None
    if wanted.type == "cpu":
        return "cpu"
    available = {
        "cuda": torch.cuda.is_available,
        "mps": lambda: (
            getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available()
        ),
    }.get(wanted.type, lambda: False)
    if wanted.type == "meta" or not available():
        notes.append(f"device {device} is not available here; running on cpu")
        return "cpu"
    return str(wanted)


# ----------------------------------------------------------------------------- size choice


class _SizeChooser:
    """Sizes to run, found by re-running the static analysis at concrete sizes (cached)."""

    def __init__(
        self,
        loaded: LoadedModel,
        templates: list[TensorValue],
        symbols: list[str],
        sizes: dict[str, list[int]],
        seed: int,
        max_memory: int,
    ) -> None:
        self.loaded = loaded
        self.templates = templates
        self.symbols = symbols
        self.batch = [s for s in symbols if is_batch(s)]
        self.spatial = [s for s in symbols if not is_batch(s)]
        self.sizes = sizes
        self.rng = random.Random(seed)
        self.max_memory = max_memory
        self.notes: list[str] = []
        self._analyses: dict[tuple, Analysis | None] = {}
        self.failures: dict[tuple, str] = {}
        self._memory: dict[tuple, int] = {}
        self.probes = 0
        self.tried = 0  # the largest square size the search reached
        unknown = [name for name in sizes if name not in symbols]
        if unknown:
            shown = ", ".join(_spec(t) for t in templates)
            have = ", ".join(symbols) or "none"
            raise VerifyError(
                f"--sizes sets {', '.join(unknown)}, but the input {shown} has no such symbol "
                f"(symbols: {have}; give one with -i, e.g. -i B,3,H,W)"
            )
        # the symbolic analysis's conditions rule out most sizes without an analysis each
        self.conditions = []
        if symbols and loaded.graph.recorder is None:
            base = analyze_loaded(loaded, templates, strict=False)
            self.conditions = [c.rel for c in base.raw_constraints]
            self.base = base
        else:
            self.base = None

    # -- static analysis at a size
    def _key(self, env: Mapping[str, int]) -> tuple:
        return tuple(env[s] for s in self.symbols)

    def analysis(self, env: Mapping[str, int]) -> Analysis | None:
        key = self._key(env)
        if key not in self._analyses:
            concrete = [_instantiate(t, env) for t in self.templates]
            self.probes += 1
            try:
                self._analyses[key] = analyze_loaded(self.loaded, concrete, strict=False)
            except FrontendError as exc:  # a forward that cannot be recorded at this size
                self._analyses[key] = None
                self.failures[key] = str(exc)
        return self._analyses[key]

    def failure(self, env: Mapping[str, int]) -> str | None:
        """Why the analysis failed at env (None when it did not)."""
        return self.failures.get(self._key(env))

    def valid(self, env: Mapping[str, int]) -> bool:
        analysis = self.analysis(env)
        return analysis is not None and not analysis.errors

    def memory(self, env: Mapping[str, int]) -> int:
        key = self._key(env)
        if key not in self._memory:
            analysis = self.analysis(env)
            self._memory[key] = activation_bytes(analysis) if analysis is not None else 0
        return self._memory[key]

    def allowed(self, env: Mapping[str, int]) -> bool:
        """False when a symbolic condition fails at env (cheap: no analysis)."""
        for rel in self.conditions:
            try:
                value = sym.evaluate(rel.expr, env)
            except (KeyError, ValueError, ZeroDivisionError):
                continue
            if (rel.kind == "eq" and value != 0) or (rel.kind == "ge" and value < 0):
                return False
        return True

    # -- the cases
    def cases(self, random_sizes: int) -> list[SizeCase]:
        values = {b: self.sizes.get(b, [1]) for b in self.batch}
        count = max((len(v) for v in values.values()), default=1)
        batch_envs = [
            {b: v[i] if len(v) > 1 else v[0] for b, v in values.items()} for i in range(count)
        ]
        spatial_cases = self._spatial_cases(batch_envs[0], random_sizes)
        cases: list[SizeCase] = []
        seen: set[tuple] = set()
        for spatial, why in spatial_cases:
            for benv in batch_envs:
                env = {**benv, **spatial}
                ordered = tuple((s, env[s]) for s in self.symbols)
                if ordered not in seen:
                    seen.add(ordered)
                    cases.append(SizeCase(ordered, why))
        return cases

    def _square(self, n: int) -> dict[str, int]:
        return {s: n for s in self.spatial}

    def _spatial_cases(
        self, batch_env: dict[str, int], random_sizes: int
    ) -> list[tuple[dict[str, int], str]]:
        if not self.spatial:
            return [({}, "given")]
        out: list[tuple[dict[str, int], str]] = []
        out.extend((env, "given") for env in self._given())
        minimum = self._minimum(batch_env)
        if minimum is None:
            self.notes.append(
                f"no valid size found for {'='.join(self.spatial)} up to {self.tried}: "
                "checking that torch rejects what shapecalc rejects"
            )
            if not out:
                out.append((self._square(32), "default"))
            return out
        out.append((minimum, "minimum"))
        after = self._next(batch_env, minimum)
        if after is not None:
            out.append((after, "next"))
        out.extend((env, "random") for env in self._random(batch_env, minimum, after, random_sizes))
        n = min(minimum.values())
        if n > 1:
            out.append(({s: v - 1 if v == n else v for s, v in minimum.items()}, "below minimum"))
        return out

    def _given(self) -> list[dict[str, int]]:
        listed = [s for s in self.spatial if s in self.sizes]
        if not listed:
            return []
        count = max(len(self.sizes[s]) for s in listed)
        for s in listed:
            if len(self.sizes[s]) not in (1, count):
                raise VerifyError(
                    f"--sizes gives {len(self.sizes[s])} sizes for {s} and {count} for "
                    f"another symbol: give one size or {count}"
                )
        out = []
        for i in range(count):
            pick = {s: self.sizes[s][i if len(self.sizes[s]) > 1 else 0] for s in listed}
            lead = pick[listed[0]]
            out.append({s: pick.get(s, lead) for s in self.spatial})
        return out

    def _search(self, batch_env: dict[str, int], start: int) -> dict[str, int] | None:
        """The smallest n >= start at which every spatial symbol = n is valid: sizes that the
        symbolic analysis's conditions already rule out are skipped, the others analysed."""
        if hasattr(Analysis, "min_input") and start == 1 and self.base is not None:
            found = self._solver_minimum()
            if found is not None and self.valid({**batch_env, **found}):
                return found
        for n in range(start, SEARCH_LIMIT + 1):
            if self.probes >= MAX_PROBES:
                return None
            env = {**batch_env, **self._square(n)}
            self.tried = n
            if self.allowed(env) and self.valid(env):
                return self._square(n)
        return None

    def _solver_minimum(self) -> dict[str, int] | None:
        """The solver's minimum input (solve.py, when present), as symbol values."""
        try:
            found = self.base.min_input()  # type: ignore[union-attr]
        except Exception:  # an API we don't know: search instead
            return None
        if isinstance(found, Mapping):
            env = {str(k): v for k, v in found.items()}
        else:  # shapes: one tuple of ints, a list of them, or TensorValues
            if isinstance(found, TensorValue) or (
                isinstance(found, tuple) and all(isinstance(d, int) for d in found)
            ):
                found = [found]
            if not isinstance(found, (list, tuple)):
                return None
            env = {}
            for template, value in zip(self.templates, found):
                shape = value.shape if isinstance(value, TensorValue) else value
                for d, got in zip(template.shape, shape):
                    names = sym.free_symbols(d) if isinstance(d, sym.Expr) else ()
                    if len(names) == 1 and isinstance(got, int):
                        (name,) = names
                        if d == sym.symbol(name):
                            env[name] = got
        spatial = {s: env.get(s) for s in self.spatial}
        if not all(isinstance(v, int) and v >= 1 for v in spatial.values()):
            return None
        return spatial  # type: ignore[return-value]

    def _minimum(self, batch_env: dict[str, int]) -> dict[str, int] | None:
        return self._search(batch_env, 1)

    def _next(self, batch_env: dict[str, int], minimum: dict[str, int]) -> dict[str, int] | None:
        return self._search(batch_env, max(minimum.values()) + 1)

    def _random(
        self,
        batch_env: dict[str, int],
        minimum: dict[str, int],
        after: dict[str, int] | None,
        count: int,
    ) -> list[dict[str, int]]:
        """Seeded random valid sizes, each symbol drawn on its own between the minimum and
        twice the next valid size (at least the minimum + 32); where few such sizes are valid
        (a Linear pins H*W), mixes of the valid sizes found. Draws above the memory cap are
        replaced by smaller ones."""
        if count <= 0:
            return []
        lo = min(minimum.values())
        top = max((after or minimum).values())
        hi = max(2 * top, lo + 32)
        taken = {tuple(minimum.values()), tuple((after or minimum).values())}
        out: list[dict[str, int]] = []
        shrunk = False
        for _ in range(12 * count):
            if len(out) >= count or self.probes >= MAX_PROBES:
                break
            env = {s: self.rng.randint(lo, hi) for s in self.spatial}
            if tuple(env.values()) in taken:
                continue
            full = {**batch_env, **env}
            if not self.allowed(full) or not self.valid(full):
                continue
            taken.add(tuple(env.values()))
            if self.memory(full) > self.max_memory:
                shrunk = True
                hi = max(lo, (lo + max(env.values())) // 2)
                continue
            out.append(env)
        if len(out) < count:  # a sparse domain: mixes of the valid sizes found
            values = sorted({v for e in (minimum, after or minimum) for v in e.values()})
            combos = list(
                itertools.islice(itertools.product(values, repeat=len(self.spatial)), 256)
            )
            self.rng.shuffle(combos)
            mixes = [dict(zip(self.spatial, combo)) for combo in combos]
            for env in mixes:
                full = {**batch_env, **env}
                if len(out) >= count or tuple(env.values()) in taken:
                    continue
                taken.add(tuple(env.values()))
                if self.valid(full) and self.memory(full) <= self.max_memory:
                    out.append(env)
        if shrunk:
            self.notes.append(
                f"random sizes above the {format_bytes(self.max_memory)} memory cap were "
                "replaced by smaller ones"
            )
        return out


def _spec(value: TensorValue) -> str:
    return ",".join(str(d) for d in value.shape)


def activation_bytes(analysis: Analysis) -> int:
    """The bytes of every tensor the forward produces (inputs included, parameters not), as
    the static analysis predicts them: an upper bound on what one no_grad forward holds."""
    total = 0
    for layer in analysis.layers:
        if layer.node.kind == CONSTANT:
            continue
        total += _value_bytes(layer.value)
    return total


def _value_bytes(value: Any) -> int:
    if isinstance(value, TensorValue):
        n = 1
        for d in value.shape:
            if not isinstance(d, int):
                return 0
            n *= d
        return n * DTYPE_BYTES.get(value.dtype, 4)
    if isinstance(value, (tuple, list)):
        return sum(_value_bytes(v) for v in value)
    if isinstance(value, dict):
        return sum(_value_bytes(v) for v in value.values())
    return 0


# ------------------------------------------------------------------------------ running


class _CannotRun(Exception):
    pass


# Failures that say nothing about shapes: the model needs something this machine lacks.
_ENVIRONMENT = (OSError, ImportError, NotImplementedError, MemoryError, SystemExit)
_ENVIRONMENT_TEXT = re.compile(
    r"CUDA|cuda|cudnn|not compiled with|no kernel image|Could not run '.*' with arguments from "
    r"the '(CUDA|MPS|XLA)"
)


def environment_failure(exc: BaseException) -> bool:
    """True for an error that is about the machine (a missing file or package, CUDA-only
    code), not about the input's shape."""
    if isinstance(exc, _ENVIRONMENT):
        return True
    return bool(_ENVIRONMENT_TEXT.search(str(exc)))


class _Runner:
    """Builds the real model once and checks it at each size (a model with lazy layers is
    rebuilt for each size: they fix their sizes at their first forward)."""

    def __init__(self, loaded: LoadedModel, device: str, seed: int = 0) -> None:
        self.loaded = loaded
        self.device = device
        self.seed = seed
        self.module: Any = None
        self.gm: Any = None
        self.build_error: tuple[str, str] | None = None
        self.lazy = False
        self.used = False

    def where(self, tb: Any) -> str:
        """``model.py:12: `` for the innermost frame of the user's file in a traceback."""
        import os

        path = self.loaded.path
        if not path:
            return ""
        target = os.path.abspath(path)
        line = None
        for frame, lineno in traceback.walk_tb(tb):
            if os.path.abspath(frame.f_code.co_filename) == target:
                line = lineno
        return f"{path}:{line}: " if line else ""

    def node_where(self, fx_name: str | None) -> str:
        """``model.py:12: `` for the graph node an fx node came from, and its name."""
        graph = self.loaded.graph
        names = {fx: name for name, fx in graph.fx_names.items()}
        name = names.get(fx_name or "")
        if name is None:
            return ""
        node = graph[name]
        loc = node.location or node.call_location
        return f"{loc.path}:{loc.line}: '{name}': " if loc else f"'{name}': "

    def build(self) -> None:
        import torch

        loaded = self.loaded
        if loaded.build is None:
            raise VerifyError(
                f"{loaded.name} cannot be built as a real torch model, so it cannot be verified"
            )
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                torch.manual_seed(self.seed)  # the weights, for a repeatable run
                with torch.device("cpu"):
                    module = loaded.build()
                if not isinstance(module, torch.nn.Module):
                    raise VerifyError(f"{loaded.name} built a {type(module).__name__}")
                module = module.to(self.device).eval()
        except VerifyError:
            raise
        except FrontendError as exc:
            raise VerifyError(f"cannot build {loaded.name} on {self.device}: {exc}") from None
        except Exception as exc:
            text = f"{self.where(exc.__traceback__)}{_one_line(exc)}"
            if environment_failure(exc):
                raise VerifyError(f"cannot build {loaded.name} on {self.device}: {text}") from None
            # torch refuses the model's arguments: every size is rejected (what SC002 says)
            self.build_error = (f"{text} (while building)", type(exc).__name__)
            return
        self.module = module
        self.lazy = _has_lazy_parameters(module)
        if loaded.graph.fx_module is not None:
            self.gm = _retrace(module, loaded.graph)

    def check(
        self, entry: SizeResult, analysis: Analysis | None, failure: str | None = None
    ) -> None:
        """Run the forward at entry's size and compare with the analysis at that size."""
        if analysis is not None:
            entry.predicted_errors = list(analysis.errors)
        if self.build_error is not None:
            entry.torch_error, entry.torch_error_type = self.build_error
        else:
            if self.lazy and self.used:
                self.build()
            self.used = True
            try:
                tensors = [_make_input(v, self.device, self.seed) for v in entry.inputs]
            except Exception as exc:
                raise VerifyError(f"cannot make an input {entry.label}: {exc}") from None
            try:
                actual, error, kind = self._forward(tensors)
            except _CannotRun as exc:
                raise VerifyError(
                    f"cannot run {self.loaded.name} on {self.device} at {entry.label}: {exc}"
                ) from None
            entry.torch_error, entry.torch_error_type = error, kind
        if analysis is None:
            entry.skipped = f"shapecalc could not analyse this size: {failure}"
            return
        if self.build_error is not None:
            return
        if entry.torch_ok or entry.predicted_ok:
            # where torch failed unexpectedly, the nodes it ran show where the paths parted
            compare(entry, analysis, actual, self.gm is None)

    def _forward(self, tensors: list[Any]) -> tuple[dict[str, Any], str | None, str | None]:
        import torch

        if self.gm is not None:
            interpreter = _ShapeInterpreter(self.gm)
            run: Callable[[], Any] = lambda: interpreter.run(*tensors)  # noqa: E731
            results = interpreter.results
        else:
            hooks = _HookRecorder(self.module)
            run = lambda: hooks.run(*tensors)  # noqa: E731
            results = hooks.results
        try:
            with torch.no_grad(), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                run()
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # SystemExit too: a forward that exits cannot be run
            where = self.where(exc.__traceback__)
            if not where and self.gm is not None:
                where = self.node_where(interpreter.current)
            text = f"{where}{_one_line(exc)}"
            if environment_failure(exc):
                raise _CannotRun(text) from None
            return results, text, type(exc).__name__
        finally:
            if self.gm is None:
                hooks.remove()
        return results, None, None


def _one_line(exc: BaseException) -> str:
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def _make_input(value: TensorValue, device: str, seed: int) -> Any:
    """Seeded normal noise for float inputs; zeros for integer ones (valid token ids for any
    Embedding, an all-False mask)."""
    import torch

    dtype = getattr(torch, value.dtype)
    if value.is_floating:
        generator = torch.Generator().manual_seed(seed)
        return torch.randn(value.shape, dtype=dtype, generator=generator).to(device)
    return torch.zeros(value.shape, dtype=dtype, device=device)


def _retrace(module: Any, graph: LayerGraph) -> Any:
    """The real module traced with the frontend's tracer: the same fx node names as the
    graph the analysis walked (checked; None when they differ)."""
    from .frontends.locations import SourceMap
    from .frontends.torch import TraceFailure, trace

    try:
        gm = trace(module, SourceMap())
    except TraceFailure:
        return None
    names = {n.name for n in gm.graph.nodes}
    if not set(graph.fx_names.values()) <= names:
        return None
    return gm


def _summary(value: Any) -> Any:
    """A real result as comparable data: a tensor as ``("tensor", shape)``, sizes and ints as
    themselves, tuples and lists element-wise; anything else as None (not compared)."""
    import torch

    if isinstance(value, torch.Tensor):
        return ("tensor", tuple(int(d) for d in value.shape))
    if isinstance(value, torch.Size):
        return tuple(int(d) for d in value)
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, (tuple, list)):
        return tuple(_summary(v) for v in value)
    if isinstance(value, dict):
        return {k: _summary(v) for k, v in value.items()}
    return None


def _interpreter_class() -> type:
    import torch.fx as fx

    class ShapeInterpreter(fx.Interpreter):
        """Runs the traced graph node by node and keeps each node's result shape."""

        def __init__(self, gm: Any) -> None:
            super().__init__(gm)
            self.results: dict[str, Any] = {}
            self.current: str | None = None  # the node running (where an error came from)

        def run_node(self, n: Any) -> Any:
            self.current = n.name
            result = super().run_node(n)
            self.results[n.name] = _summary(result)
            return result

    return ShapeInterpreter


def _ShapeInterpreter(gm: Any) -> Any:  # noqa: N802 - a class made on first use
    global _INTERPRETER
    if _INTERPRETER is None:
        _INTERPRETER = _interpreter_class()
    return _INTERPRETER(gm)


_INTERPRETER: Any = None


class _HookRecorder:
    """For a model torch.fx cannot trace: forward hooks on every layer record its outputs, in
    call order (a layer called twice is ``name`` then ``name_1``, as the recorded graph
    names it)."""

    def __init__(self, module: Any) -> None:
        self.module = module
        self.results: dict[str, Any] = {}
        self.calls: dict[str, int] = {}
        self.handles = [
            m.register_forward_hook(self._hook(name)) for name, m in module.named_modules() if name
        ]

    def _hook(self, name: str) -> Callable[..., None]:
        def hook(_module: Any, _args: Any, output: Any) -> None:
            k = self.calls.get(name, 0)
            self.calls[name] = k + 1
            self.results[name if k == 0 else f"{name}_{k}"] = _summary(output)

        return hook

    def run(self, *tensors: Any) -> None:
        out = self.module(*tensors)
        self.results["output"] = _summary(out)

    def remove(self) -> None:
        for handle in self.handles:
            handle.remove()


# ---------------------------------------------------------------------------- comparing

_SKIP = object()


def _predicted(value: Any) -> Any:
    """A predicted value in _summary's form; _SKIP where the prediction is unknown."""
    if value is OPAQUE or value is sym.UNKNOWN or value is None:
        return _SKIP
    if isinstance(value, TensorValue):  # an unknown size matches any (None)
        return ("tensor", tuple(d if isinstance(d, int) else None for d in value.shape))
    if isinstance(value, bool):
        return _SKIP
    if isinstance(value, int):
        return value
    if isinstance(value, (tuple, list)):
        return tuple(_predicted(v) for v in value)
    if isinstance(value, Mapping):
        return {k: _predicted(v) for k, v in value.items()}
    return _SKIP


def _agree(predicted: Any, actual: Any) -> bool:
    if predicted is _SKIP or actual is None:
        return True
    if isinstance(predicted, tuple) and predicted[:1] == ("tensor",):
        if not isinstance(actual, tuple) or actual[:1] != ("tensor",):
            return False
        want, got = predicted[1], actual[1]
        return len(want) == len(got) and all(w is None or w == g for w, g in zip(want, got))
    if isinstance(predicted, tuple):
        if not isinstance(actual, tuple) or actual[:1] == ("tensor",):
            return False
        return len(predicted) == len(actual) and all(map(_agree, predicted, actual))
    if isinstance(predicted, dict):
        if not isinstance(actual, dict) or set(predicted) != set(actual):
            return False
        return all(_agree(predicted[k], actual[k]) for k in predicted)
    return predicted == actual


def _show(value: Any) -> str:
    if value is _SKIP or value is None:
        return "?"
    if isinstance(value, tuple) and value[:1] == ("tensor",):
        shape = ["?" if d is None else str(d) for d in value[1]]
        return "(" + ", ".join(shape) + ("," if len(shape) == 1 else "") + ")"
    if isinstance(value, tuple):
        inner = ", ".join(_show(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k!r}: {_show(v)}" for k, v in value.items()) + "}"
    return str(value)


def compare(
    entry: SizeResult, analysis: Analysis, actual: Mapping[str, Any], by_module: bool
) -> None:
    """Node by node: what the analysis predicted at this size against what torch produced.
    ``by_module``: the real results are keyed by layer (hooks), not by fx node name."""
    graph = analysis.graph
    evaluated = {d.layer for d in analysis.diagnostics if d.code == "SC901" and d.layer}
    for node in graph:
        if node.kind == INPUT:
            continue
        if by_module:
            if node.kind == OUTPUT:
                key = "output"
            elif node.kind == MODULE:
                key = node.name  # a second call is name_1 in the graph and the hooks
            else:
                continue
        else:
            key = graph.fx_names.get(node.name)
        if key is None or key not in actual:
            continue
        predicted = _predicted(analysis.values.get(node.name, OPAQUE))
        if predicted is _SKIP:
            continue
        entry.compared += 1
        entry.evaluated += node.name in evaluated
        if not _agree(predicted, actual[key]):
            entry.mismatches.append(
                LayerMismatch(
                    node.name,
                    node.op,
                    node.location or node.call_location,
                    _show(predicted),
                    _show(actual[key]),
                )
            )


def verify_exit_code(results: Sequence[Verification]) -> int:
    return 0 if all(v.ok for v in results) else 1


# ------------------------------------------------------------------------ command line


def _progress(name: str) -> Callable[[int], Any]:
    """A click progress bar on stderr (drawn only on a terminal)."""

    def make(length: int) -> Any:
        import click

        return click.progressbar(
            length=length,
            label=f"verifying {name}",
            file=sys.stderr,
            hidden=not sys.stderr.isatty(),
        )

    return make


def run_cli(
    paths: Sequence[str],
    shapes: list[TensorValue],
    sizes: Sequence[str],
    seed: int,
    random_sizes: int,
    max_memory: str,
    device: str,
    fmt: str,
) -> int:
    """``shapecalc verify``: the report on stdout; the exit code (0 agree, 1 disagree; 2 and
    one line on stderr when the model cannot be verified)."""
    import click

    from .cli import fail, guarded, load_models
    from .report.verify import render

    try:
        options = dict(
            sizes=parse_sizes(sizes),
            seed=seed,
            random_sizes=random_sizes,
            max_memory=parse_memory(max_memory),
            device=device,
        )
    except VerifyError as exc:
        fail(str(exc))
    results = []
    for path in paths:
        for model in load_models(path):
            with guarded(f"{path}:{model.name}" if ":" not in path else path):
                results.append(
                    verify_loaded(model, shapes, progress=_progress(model.name), **options)
                )
    click.echo(render(fmt, results))
    return verify_exit_code(results)


def calc_with_verify(paths: Sequence[str], shapes: list[TensorValue], fmt: str) -> int:
    """``shapecalc PATH --verify``: the calculator's output, each model's followed by what
    torch said (the table gets a ``verified against torch at ...`` line)."""
    import json

    import click

    from .cli import EXIT_FINDINGS, EXIT_OK, exit_code, guarded, load_models
    from .report import render
    from .report.json_report import VERSION, model_entry
    from .report.verify import entry, mismatch_lines

    pairs: list[tuple[Analysis, Verification]] = []
    for path in paths:
        for model in load_models(path):
            with guarded(f"{path}:{model.name}" if ":" not in path else path):
                analysis = analyze_loaded(model, shapes)
                pairs.append(
                    (analysis, verify_loaded(model, shapes, progress=_progress(model.name)))
                )
    with guarded(", ".join(paths)):
        if fmt == "json":
            models = []
            for analysis, v in pairs:
                data = model_entry(analysis)
                data["verification"] = entry(v)
                models.append(data)
            text = json.dumps({"version": VERSION, "models": models}, indent=2)
        else:
            parts = []
            for analysis, v in pairs:
                lines = [render(fmt, [analysis])] if fmt == "table" or analysis.diagnostics else []
                lines.extend(line for r in v.results for line in mismatch_lines(v, r))
                lines.extend(v.notes)
                if fmt == "table":
                    lines.append("")
                lines.append(v.summary())
                parts.append("\n".join(line for line in lines if line is not None))
            text = "\n\n".join(parts)
    click.echo(text)
    code = exit_code([a for a, _ in pairs])
    disagree = any(not v.ok for _, v in pairs)
    return EXIT_FINDINGS if disagree or code == EXIT_FINDINGS else EXIT_OK
