"""What the solver tells about the layers: the in_features every Linear receives (with the
edit that makes it right), and the sizes at which no strided layer drops border pixels.

Both read an Analysis with symbolic input sizes. ``symbolic_twin`` makes one from an analysis
at concrete sizes: the same graph propagated again with the spatial sizes (and the batch)
replaced by symbols, and the given sizes remembered, so a Linear's in_features is both a
formula and a number.
"""

from __future__ import annotations

import ast
import inspect
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import symbolic as sym
from .arith import ntuple, spatial_rank, window_remainder
from .diagnostics import Location
from .graph import MODULE, Node, Ref
from .rules import get_rule
from .solve_domain import Domain, solve
from .values import TensorValue

LINEARS = ("Linear", "LazyLinear", "F.linear")
_SPATIAL_NAMES = {1: ("L",), 2: ("H", "W"), 3: ("D", "H", "W")}


# ------------------------------------------------------------------------ symbolic twin


def symbolic_inputs(inputs: list[TensorValue]) -> tuple[list[TensorValue], dict[str, int]]:
    """The inputs with their batch and spatial sizes made symbols (channels stay), and the
    given value of each new symbol: (2, 3, 32, 32) -> (B, 3, H, W) with H = 32, W = 32."""
    used = {s for t in inputs for d in t.shape for s in sym.free_symbols(d)}
    at: dict[str, int] = {}
    out = []
    for i, t in enumerate(inputs):
        names: list[str | None] = [None] * t.ndim
        if t.ndim >= 1:
            names[0] = "B"
        if t.ndim >= 3:
            spatial = _SPATIAL_NAMES.get(t.ndim - 2, tuple(f"S{j + 1}" for j in range(t.ndim - 2)))
            names[2:] = list(spatial)
        elif t.ndim == 2 and not t.is_floating:
            names[1] = "T"  # token ids: the sequence length
        shape: list[sym.Dim] = []
        for d, name in zip(t.shape, names):
            if name is None or not isinstance(d, int) or d < 1:
                shape.append(d)
                continue
            if name in at and at[name] == d and name == "B":
                shape.append(sym.symbol(name))
                continue
            base = name if i == 0 or name == "B" else f"{name}{i + 1}"
            unique, k = base, 2
            while unique in used:
                unique, k = f"{base}_{k}", k + 1
            used.add(unique)
            at[unique] = d
            shape.append(sym.symbol(unique))
        out.append(t.with_shape(shape))
    return out, at


def symbolic_twin(analysis: Any) -> tuple[Any, dict[str, int]]:
    """(an analysis of the same graph at symbolic sizes, the given value of each new symbol).
    The analysis itself when it cannot be redone (a graph recorded at one size)."""
    from .propagate import propagate, strict_default

    graph = analysis.graph
    if graph.recorder is not None or hasattr(graph, "recorded"):
        return analysis, {}
    inputs, at = symbolic_inputs(list(analysis.inputs))
    if not at:
        return analysis, {}
    try:
        twin = propagate(graph, inputs)
    except Exception:
        if strict_default():
            raise
        return analysis, {}  # a rule that cannot take symbols: the concrete sizes only
    return twin, at


# ------------------------------------------------------------------------------ FC sizing


@dataclass(frozen=True)
class FcSize:
    """What one Linear receives: ``formula`` over the input symbols, ``value`` at the given
    input (None when that is symbolic), against ``declared`` (None for LazyLinear)."""

    layer: str
    op: str
    location: Location | None
    declared: int | None
    formula: sym.Dim
    value: int | None
    edit: str | None
    right: Domain | None
    want: int | None = None
    wanted: Domain | None = None

    @property
    def symbols(self) -> tuple[str, ...]:
        return tuple(sorted(sym.free_symbols(self.formula)))

    @property
    def ok(self) -> bool | None:
        """Is the declared value right at the given input (for some size, when symbolic)?"""
        if self.declared is None:
            return True
        if self.value is not None:
            return self.value == self.declared
        if self.right is not None and self.right.exact:
            return not self.right.empty
        return None

    def facts(self, near: dict[str, int] | None = None) -> list[tuple[str, str]]:
        """(label, text) rows: in_features, declared, edit, right for, want."""
        formula = str(self.formula)
        if self.value is not None and sym.free_symbols(self.formula) and near:
            shown = ", ".join(f"{s} = {near[s]}" for s in self.symbols if s in near)
            formula += f", with {shown}: {self.value}"
        rows = [("in_features", formula)]
        if self.declared is None:
            rows.append(("declared", f"none ({self.op} infers it)"))
        else:
            verdict = {True: "right", False: "wrong", None: "not decided"}[self.ok]
            rows.append(("declared", f"{self.declared} ({verdict})"))
        if self.edit:
            rows.append(("edit", self.edit))
        if self.right is not None and self.declared is not None:
            rows.extend(
                ("right for" if i == 0 else "", line)
                for i, line in enumerate(size_lines(self.right, self.symbols, near))
            )
        if self.want is not None and self.wanted is not None:
            rows.extend(
                (f"{self.want} for" if i == 0 else "", line)
                for i, line in enumerate(size_lines(self.wanted, self.symbols, near))
            )
        return rows

    def title(self) -> str:
        loc = self.location
        where = f" at {loc.path}:{loc.line}" if loc else ""
        return f"{self.layer} ({self.op}){where}"

    def __str__(self) -> str:
        rows = self.facts()
        width = max(len(k) for k, _ in rows)
        return "\n".join([self.title(), *(f"  {k:<{width}}  {v}".rstrip() for k, v in rows)])

    def to_dict(self) -> dict:
        loc = self.location
        return {
            "layer": self.layer,
            "op": self.op,
            "location": {"path": loc.path, "line": loc.line} if loc else None,
            "formula": str(self.formula),
            "value": self.value,
            "declared": self.declared,
            "ok": self.ok,
            "edit": self.edit,
            "right_for": None if self.right is None else describe_sizes(self.right, self.symbols),
            "want": self.want,
            "want_for": None if self.wanted is None else describe_sizes(self.wanted, self.symbols),
        }


def describe_sizes(domain: Domain, symbols: tuple[str, ...]) -> str:
    """The part of a domain about ``symbols``, on one line: ``H == 32 and W == 32; or ...``."""
    return "; or ".join(size_lines(domain, symbols)).replace("; or (", " (")


def size_lines(
    domain: Domain, symbols: tuple[str, ...], near: dict[str, int] | None = None, limit: int = 6
) -> list[str]:
    """The part of a domain about ``symbols``, a line per box of coupled sizes."""
    if domain.empty:
        return ["no input size"]
    lines: list[str] = []
    done: set[str] = set()
    for g in domain.groups:
        if set(g.symbols) & set(symbols):
            lines.extend(g.box_lines(limit, near))
            done |= set(g.symbols)
    rest = [str(domain[s]) for s in symbols if s not in done and s in domain]
    if rest:
        lines.append(" and ".join(rest))
    return lines or ["every input size"]


def linear_nodes(analysis: Any) -> list[tuple[Node, Any, int | None]]:
    """(node, the size its input's last dim has, the declared in_features) per Linear."""
    out = []
    for layer in analysis.layers:
        node = layer.node
        if node.op not in LINEARS or not node.args:
            continue
        x = _value(node.args[0], analysis)
        if not isinstance(x, TensorValue) or x.ndim == 0:
            continue
        got = x.shape[-1]
        if got is sym.UNKNOWN:
            continue
        declared: Any = None
        if node.op == "F.linear":
            w = _value(node.args[1] if len(node.args) > 1 else node.kwargs.get("weight"), analysis)
            if isinstance(w, TensorValue) and w.ndim >= 1:
                declared = w.shape[-1]
        elif node.op == "Linear" and node.spec is not None:
            declared = node.spec.params.get("in_features")
        out.append((node, got, declared if isinstance(declared, int) else None))
    return out


def _value(arg: Any, analysis: Any) -> Any:
    return analysis.values.get(arg.node) if isinstance(arg, Ref) else arg


def fc_sizes(
    analysis: Any, *, want: int | None = None, every: bool = False, twin: bool = True
) -> list[FcSize]:
    """Per Linear whose in_features depends on the input sizes (every Linear with
    ``every=True``): the formula, the value at the given input, the declared value, the edit,
    and the sizes for which the declared value (and ``want``) is what it receives. With
    ``twin`` (the default) concrete sizes are generalised to symbols to get the formula."""
    twin, at = symbolic_twin(analysis) if twin else (analysis, {})
    formulas = {node.name: got for node, got, _ in linear_nodes(twin)}
    sized = []
    for node, got, declared in linear_nodes(analysis):
        formula = formulas.get(node.name, got)
        if formula is sym.UNKNOWN:
            formula = got
        value = got if isinstance(got, int) else _at(formula, at)
        dependent = bool(sym.free_symbols(formula))
        wrong = declared is not None and value is not None and value != declared
        if every or dependent or wrong:
            sized.append((node, formula, declared, value))
    own = {node.name for node, *_ in sized}
    others = [c for c in twin.constraints if not (c.layer in own and c.code == "SC401")]
    out = []
    for node, formula, declared, value in sized:
        dependent = bool(sym.free_symbols(formula))
        right = wanted = edit = None
        if declared is not None and dependent:
            right = solve([*others, sym.eq(formula, declared)], twin.symbols)
        if want is not None and dependent:
            wanted = solve([*others, sym.eq(formula, want)], twin.symbols)
        if declared is not None and value is not None and value != declared:
            edit = linear_edit(node, value)
        op = _short(node.op)
        out.append(
            FcSize(
                node.name, op, node.location, declared, formula, value, edit, right, want, wanted
            )
        )
    return out


def _short(op: str) -> str:
    return op.rsplit(".", 1)[-1] if op.startswith("F.") else op


def _at(formula: sym.Dim, at: dict[str, int]) -> int | None:
    if isinstance(formula, int):
        return formula
    value = sym.subs(formula, at)
    return value if isinstance(value, int) else None


_CALL = re.compile(r"\b(?:nn\.)?(?:Lazy)?Linear\s*\(|\bF\.linear\s*\(|\blinear\s*\(")


def linear_edit(node: Node, value: int) -> str | None:
    """``path:line: nn.Linear(400, 120) -> nn.Linear(2704, 120)`` from the source line that
    builds the layer (its in_features argument, positional or keyword, replaced)."""
    loc = node.location
    if loc is None or node.kind != MODULE:
        return None
    try:
        lines = Path(loc.path).read_text().splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    if not 1 <= loc.line <= len(lines):
        return None
    text = " ".join(line.strip() for line in lines[loc.line - 1 : loc.line + 9])
    offset = len(lines[loc.line - 1]) - len(lines[loc.line - 1].lstrip())
    matches = list(_CALL.finditer(text))
    if not matches:
        return None
    at_column = [m for m in matches if m.start() == loc.column - 1 - offset]
    match = (at_column or matches)[0]
    call = _call_text(text, match.start(), match.end() - 1)
    if call is None:
        return None
    new = _replace_in_features(call, value)
    if new is None:
        return None
    return f"{loc.path}:{loc.line}: {call} -> {new}"


def _call_text(text: str, start: int, paren: int) -> str | None:
    depth = 0
    for i in range(paren, len(text)):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
            if depth == 0:
                return text[start : i + 1]
    return None


def _replace_in_features(call: str, value: int) -> str | None:
    try:
        tree = ast.parse(call, mode="eval").body
    except SyntaxError:
        return None
    if not isinstance(tree, ast.Call):
        return None
    target = tree.args[0] if tree.args else None
    if target is None:
        target = next((k.value for k in tree.keywords if k.arg == "in_features"), None)
    if target is None or isinstance(target, ast.Starred):
        return None
    a, b = target.col_offset, target.end_col_offset
    return f"{call[:a]}{value}{call[b:]}"


# --------------------------------------------------------------------------- pixel loss


def strided_windows(analysis: Any) -> list[tuple[Node, sym.Rel]]:
    """(layer, ``remainder == 0``) for every strided conv or pool and every symbolic spatial
    size: the condition under which its windows cover the input to the last pixel (SC110's
    condition: (L + 2P - D(K-1) - 1) a multiple of the stride)."""
    out = []
    for layer in analysis.layers:
        node = layer.node
        low = node.op.lower()
        if not ("conv" in low or "pool" in low) or any(
            w in low for w in ("transpose", "adaptive", "unpool")
        ):
            continue
        args = _window_args(node, analysis)
        if args is None:
            continue
        x, kernel, stride, padding, dilation = args
        n = len(kernel)
        for i in range(n):
            size = x.shape[x.ndim - n + i]
            if not isinstance(size, sym.Expr) or stride[i] == 1:
                continue
            rem = window_remainder(size, kernel[i], stride[i], padding[i], dilation[i])
            if isinstance(rem, sym.Expr):
                out.append((node, sym.eq(rem, 0)))
    return out


def _window_args(node: Node, analysis: Any) -> tuple | None:
    rule = get_rule(node.op)
    if rule is None:
        return None
    try:
        n = spatial_rank(node.op)
    except ValueError:
        return None
    args = [_value(a, analysis) for a in node.args]
    kwargs = {k: _value(v, analysis) for k, v in node.kwargs.items()}
    if rule.module:
        params = dict(node.spec.params) if node.spec else {}
        params["input"] = args[0] if args else kwargs.get("input")
    else:
        try:
            bound = inspect.signature(rule.fn).bind(None, *args, **kwargs)
        except TypeError:
            return None
        bound.apply_defaults()
        params = dict(bound.arguments)
    x = params.get("input")
    if not isinstance(x, TensorValue) or x.ndim < n:
        return None
    kernel = params.get("kernel_size")
    if kernel is None:
        w = params.get("weight")
        if not isinstance(w, TensorValue) or w.ndim != n + 2:
            return None
        kernel = w.shape[2:]
    stride = params.get("stride")
    if stride in (None, ()):
        stride = kernel
    padding = params.get("padding", 0)
    if isinstance(padding, str):
        if padding != "valid":
            return None
        padding = 0
    dilation = params.get("dilation", 1)
    try:
        parts = [ntuple(v, n) for v in (kernel, stride, padding, dilation)]
    except (TypeError, ValueError):
        return None
    if not all(isinstance(v, int) for p in parts for v in p):
        return None
    return (x, *parts)


def lossless(analysis: Any) -> Domain:
    """The sizes at which every strided layer divides evenly (and the model is valid)."""
    return solve(
        [*analysis.constraints, *(rel for _, rel in strided_windows(analysis))], analysis.symbols
    )
