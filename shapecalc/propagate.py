"""The walk: apply each node's shape rule in topological order and collect an Analysis.

After an error a rule still returns the layer's declared output (a Conv2d with the wrong
in_channels still produces out_channels), so one run reports every independent error, like a
compiler. Whatever cannot be known becomes opaque, and opaque values never produce findings.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from . import symbolic as sym
from .codes import severity_of
from .diagnostics import Diagnostic, Fix, Location, Severity
from .graph import CONSTANT, INPUT, MODULE, OUTPUT, LayerGraph, Node, Ref
from .rules import get_rule, short_name
from .symbolic import Assumptions, Dim, Rel
from .values import OPAQUE, TensorValue, contains_opaque, format_value, tensors_in

Fallback = Callable[[Node, tuple, Mapping[str, Any]], Any]


class StrictModeError(AssertionError):
    """Raised in strict mode (the test suite) where a user would get SC901 or SC903."""


def strict_default() -> bool:
    return os.environ.get("SHAPECALC_STRICT", "") not in ("", "0")


@dataclass(frozen=True)
class Constraint:
    """A condition on the input symbols that a layer needs and that could not be decided."""

    rel: Rel
    code: str
    message: str
    layer: str | None = None
    location: Location | None = None

    def __str__(self) -> str:
        return sym.format_rel(self.rel)


@dataclass(frozen=True)
class Inferred:
    """What a lazy layer (LazyLinear, LazyConv2d) learns from its input: the constructor
    arguments it leaves out (``in_features``) and the parameter count it will have once
    materialised (None when that depends on a symbolic size)."""

    params: Mapping[str, Any]
    param_count: int | None = None


@dataclass(frozen=True)
class LayerResult:
    node: Node
    value: Any
    inferred: Inferred | None = None

    @property
    def name(self) -> str:
        return self.node.name

    @property
    def op(self) -> str:
        return self.node.op

    @property
    def location(self) -> Location | None:
        return self.node.location

    @property
    def params(self) -> int:
        """The layer's parameter count; a lazy layer's once materialised, when known."""
        own = self.node.spec.param_count if self.node.spec else 0
        return own + ((self.inferred.param_count or 0) if self.inferred else 0)

    @property
    def trainable(self) -> int:
        own = self.node.spec.trainable if self.node.spec else 0
        return own + ((self.inferred.param_count or 0) if self.inferred else 0)

    @property
    def shape(self) -> tuple[Dim, ...] | None:
        return self.value.shape if isinstance(self.value, TensorValue) else None

    def __str__(self) -> str:
        return f"{self.name}: {format_value(self.value)}"


class RuleContext:
    """What a rule sees besides its arguments: where it is, and how to report."""

    def __init__(self, analysis: Analysis, node: Node, op: str) -> None:
        self.analysis = analysis
        self.node = node
        self.op = op
        self.reported: list[Diagnostic] = []

    @property
    def layer(self) -> str:
        """How messages name this layer: ``Conv2d 'layer2.0.conv1'``, ``cat 'cat_1'``."""
        return f"{short_name(self.op)} '{self.node.name}'"

    @property
    def assumptions(self) -> Assumptions:
        return self.analysis.assumptions

    def report(self, code: str, message: str, *, fix: Fix | None = None) -> None:
        """One finding per code and node: a layer wrong in several dims (a 1x1 map under a
        2x2 pool is too small in H and in W) is one error, the other dims its notes. A merge
        (+, cat, stack) whose operand was already blamed for the same kind of mismatch
        reports nothing: a dense block's mismatched map, concatenated again further on, is
        one error, not one per concatenation."""
        if code in _MERGE_CODES and self.analysis._blamed_before(self.node, code):
            self.analysis._blame(self.node, code)
            return
        for i, prev in enumerate(self.reported):
            if prev.code == code:
                if message != prev.message and message not in prev.notes:
                    merged = dataclasses.replace(prev, notes=(*prev.notes, message))
                    self.reported[i] = merged
                    self.analysis._replace_diagnostic(prev, merged)
                return
        diag = Diagnostic(code, severity_of(code), message, self.node.name, self.node.location, fix)
        self.reported.append(diag)
        self.analysis._add_diagnostic(diag)
        if code in _MERGE_CODES:
            self.analysis._blame(self.node, code)

    def check(
        self, rel: Rel | bool, code: str, message: str, *, fix: Fix | None = None
    ) -> bool | None:
        """Decide rel. False reports ``code``; unknown records a constraint on the inputs."""
        if isinstance(rel, bool):
            if not rel:
                self.report(code, message, fix=fix)
            return rel
        if sym.is_opaque(rel):
            return None
        decided = self.assumptions.decide(rel)
        if decided is False:
            self.report(code, message, fix=fix)
        elif decided is None:
            self.analysis._add_constraint(
                Constraint(rel, code, message, self.node.name, self.node.location)
            )
        return decided

    def expect_eq(
        self, got: Dim, want: Dim, code: str, what: str, *, fix: Fix | None = None
    ) -> bool | None:
        """``{layer} expects {want} {what}, got {got}`` unless got == want."""
        return self.check(
            sym.eq(got, want), code, f"{self.layer} expects {want} {what}, got {got}", fix=fix
        )

    def decide(self, rel: Rel | bool) -> bool | None:
        """Three-valued truth under what is known so far, without recording anything."""
        if isinstance(rel, bool):
            return rel
        return self.assumptions.decide(rel)

    def infer(self, params: Mapping[str, Any], param_count: Any = None) -> None:
        """A lazy layer's constructor arguments learnt from its input, and the parameter count
        it will have once materialised (an int, or a symbolic size: not counted)."""
        count = param_count if isinstance(param_count, int) else None
        self.analysis.inferred[self.node.name] = Inferred(dict(params), count)

    def concrete(self, value: Any, what: str) -> Any:
        """value when it holds no symbolic size; else report SC905 and return None."""
        if _is_symbolic_value(value):
            self.report("SC905", f"{self.layer} needs a concrete {what}, got {value}")
            return None
        return value


# merges blame their operands: the error is at the op, its inputs are what a fix changes
_MERGE_CODES = frozenset({"SC301", "SC302", "SC303"})


def _refs(value: Any) -> list[str]:
    """Names of the nodes a node's (nested) arguments refer to."""
    if isinstance(value, Ref):
        return [value.node]
    if isinstance(value, (tuple, list)):
        return [name for v in value for name in _refs(v)]
    if isinstance(value, (dict, MappingProxyType)):
        return [name for v in value.values() for name in _refs(v)]
    return []


def _is_symbolic_value(value: Any) -> bool:
    if isinstance(value, sym.Expr) or value is sym.UNKNOWN:
        return True
    if isinstance(value, (tuple, list)):
        return any(_is_symbolic_value(v) for v in value)
    return False


@dataclass
class Analysis:
    """The result of propagating shapes through a LayerGraph."""

    graph: LayerGraph
    inputs: list[TensorValue]
    values: dict[str, Any] = field(default_factory=dict)
    layers: list[LayerResult] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    raw_constraints: list[Constraint] = field(default_factory=list)
    inferred: dict[str, Inferred] = field(default_factory=dict)  # by node name
    assumptions: Assumptions = field(default_factory=Assumptions)
    _blamed: set[tuple[str, str]] = field(default_factory=set, repr=False)

    @property
    def name(self) -> str:
        return self.graph.name

    @property
    def source(self) -> str | None:
        return self.graph.source

    @property
    def symbols(self) -> list[str]:
        """Input symbol names in order of first appearance."""
        out: list[str] = []
        for t in self.inputs:
            for d in t.shape:
                for s in sorted(sym.free_symbols(d)):
                    if s not in out:
                        out.append(s)
        return out

    @property
    def outputs(self) -> list[Any]:
        """The model's output values (usually one TensorValue)."""
        outs: list[Any] = []
        for node in self.graph.outputs:
            value = self.values.get(node.name, OPAQUE)
            outs.extend(value if isinstance(value, (tuple, list)) else [value])
        return outs

    @property
    def output_shapes(self) -> list[tuple[Dim, ...] | None]:
        return [v.shape if isinstance(v, TensorValue) else None for v in self._output_tensors()]

    def _output_tensors(self) -> list[Any]:
        out: list[Any] = []
        for value in self.outputs:
            ts = tensors_in(value)
            out.extend(ts if ts else [value])
        return out

    @property
    def constraints(self) -> list[Constraint]:
        return list(self.raw_constraints)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == Severity.ERROR]

    @property
    def total_params(self) -> int:
        return sum(layer.params for layer in self.layers)

    def table(self) -> str:
        """The per-layer table, as the calculator prints it (report/table.py)."""
        from .report.table import render

        return render(self)

    def to_dict(self, *, stats: bool = False) -> dict:
        """This model's entry of the JSON contract, version 1 (report/json_report.py); with
        ``stats``, each layer's and the model's statistics and receptive fields too."""
        from .report.json_report import model_entry

        return model_entry(self, stats=stats)

    def stats(self) -> Any:
        """Parameters, MACs and activation memory, per layer and in total (stats.py)."""
        from .stats import compute

        return compute(self)

    def receptive_fields(self) -> dict:
        """Each node's receptive field per spatial axis of the input (receptive.py)."""
        from .receptive import compute

        return compute(self)

    def domain(self) -> Any:
        """The exact sizes each input symbol can take (shapecalc.solve)."""
        from .solve import domain

        return domain(self)

    def min_input(self) -> Any:
        """The smallest valid input shape (a list of shapes for several inputs)."""
        from .solve import min_input

        return min_input(self)

    def fc_sizes(self, want: int | None = None, *, every: bool = False) -> list:
        """The in_features each size-dependent Linear receives, and the sizes that fit it."""
        from .solve import fc_sizes

        return fc_sizes(self, want=want, every=every)

    def layer(self, name: str) -> LayerResult:
        for layer in self.layers:
            if layer.name == name:
                return layer
        raise KeyError(name)

    def _add_diagnostic(self, diag: Diagnostic) -> None:
        key = (diag.code, diag.location, diag.message)
        if all((d.code, d.location, d.message) != key for d in self.diagnostics):
            self.diagnostics.append(diag)

    def _blame(self, node: Node, code: str) -> None:
        for name in _refs((node.args, dict(node.kwargs))):
            self._blamed.add((name, code))

    def _blamed_before(self, node: Node, code: str) -> bool:
        return any((name, code) in self._blamed for name in _refs((node.args, dict(node.kwargs))))

    def _replace_diagnostic(self, old: Diagnostic, new: Diagnostic) -> None:
        for i, d in enumerate(self.diagnostics):
            if d is old:
                self.diagnostics[i] = new
                return
        self._add_diagnostic(new)

    def _add_constraint(self, c: Constraint) -> None:
        if all(old.rel != c.rel for old in self.raw_constraints):
            self.raw_constraints.append(c)
        self.assumptions.assume(c.rel)


def propagate(
    graph: LayerGraph,
    inputs: Sequence[TensorValue] | Mapping[str, TensorValue] = (),
    *,
    strict: bool | None = None,
    fallback: Fallback | None = None,
) -> Analysis:
    """Walk ``graph`` with the given input values (by position or by input name)."""
    strict = strict_default() if strict is None else strict
    input_nodes = graph.inputs
    if isinstance(inputs, Mapping):
        given = [inputs.get(n.name, n.value) for n in input_nodes]
    else:
        given = list(inputs) + [n.value for n in input_nodes[len(inputs) :]]
    missing = [n.name for n, v in zip(input_nodes, given) if v is None]
    if missing:
        raise ValueError(f"no shape given for input(s) {', '.join(missing)}")
    analysis = Analysis(graph, [v for v in given if isinstance(v, TensorValue)])
    feed = dict(zip((n.name for n in input_nodes), given))
    for node in graph:
        if node.kind == INPUT:
            value = feed[node.name]
        elif node.kind == CONSTANT:
            value = node.value
        elif node.kind == OUTPUT:
            value = resolve(node.args[0] if len(node.args) == 1 else node.args, analysis.values)
        else:
            value = _apply(analysis, node, strict, fallback)
        analysis.values[node.name] = value
        if node.kind != OUTPUT:
            analysis.layers.append(LayerResult(node, value, analysis.inferred.get(node.name)))
    if analysis.raw_constraints:
        _check_feasible(analysis, strict)
    return analysis


def _check_feasible(analysis: Analysis, strict: bool) -> None:
    """SC904 when the recorded constraints admit no input size (shapecalc.solve)."""
    from .solve import check_feasible

    try:
        check_feasible(analysis)
    except Exception:
        if strict:
            raise


def resolve(value: Any, values: Mapping[str, Any]) -> Any:
    """Replace every Ref inside a (nested) argument with the value it points to."""
    if isinstance(value, Ref):
        return values[value.node]
    if isinstance(value, tuple):
        return tuple(resolve(v, values) for v in value)
    if isinstance(value, list):
        return [resolve(v, values) for v in value]
    if isinstance(value, (dict, MappingProxyType)):
        return {k: resolve(v, values) for k, v in value.items()}
    if isinstance(value, slice):
        return slice(*(resolve(v, values) for v in (value.start, value.stop, value.step)))
    return value


def _apply(analysis: Analysis, node: Node, strict: bool, fallback: Fallback | None) -> Any:
    args = resolve(node.args, analysis.values)
    kwargs = resolve(dict(node.kwargs), analysis.values)
    rule = get_rule(node.op)
    ctx = RuleContext(analysis, node, node.op)
    if rule is None:
        if fallback is not None and not contains_opaque((args, kwargs)):
            value = fallback(node, args, kwargs)
            if value is not None:
                return value
        if strict:
            raise StrictModeError(f"no shape rule for {node.op} (node {node.name!r})")
        ctx.report(
            "SC901", f"no shape rule for {node.op}; shapes after '{node.name}' are not checked"
        )
        return OPAQUE
    if contains_opaque((args, kwargs)):
        return OPAQUE
    params = dict(node.spec.params) if node.spec else None
    try:
        value = rule.call(ctx, args, kwargs, params)
    except Exception as exc:  # a bug in a rule must not stop the analysis
        if strict:
            raise
        ctx.report(
            "SC903",
            f"shapecalc's rule for {node.op} failed on '{node.name}' "
            f"({type(exc).__name__}: {exc}); shapes after it are not checked",
        )
        return OPAQUE
    if node.kind == MODULE and node.spec and node.spec.rejected:
        if not any(d.severity == Severity.ERROR for d in ctx.reported):
            ctx.report("SC002", f"{ctx.layer}: PyTorch rejects its arguments: {node.spec.rejected}")
    return value
