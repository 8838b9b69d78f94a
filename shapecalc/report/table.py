"""The calculator's table: every graph node in execution order with its op (a compact,
torch-like repr of its key arguments), output shape and parameters; then the model's outputs,
parameter totals, the conditions on the input symbols, and the diagnostics."""

from __future__ import annotations

import inspect
from collections.abc import Mapping, Sequence
from typing import Any

from .. import symbolic as sym
from ..graph import CONSTANT, INPUT, MODULE, LayerArgs, Node, Ref
from ..rules import get_rule
from ..values import OPAQUE, TensorValue
from . import reporter
from .text import diagnostic_lines

# tuple arguments written once when all entries agree, as users write them (kernel_size=3)
_COLLAPSE = {"kernel_size", "stride", "padding", "dilation", "output_padding", "output_size"}
_HIDDEN = {"device", "dtype"}
_ALWAYS_KEYWORD = {"kernel_size"}  # as torch's own repr shows it


def fmt_dim(d: Any) -> str:
    if d is sym.UNKNOWN:
        return "?"
    return str(d)


def fmt(value: Any) -> str:
    """A Python-like literal: ints, symbolic sizes as expressions, tuples, quoted strings."""
    if value is OPAQUE or value is sym.UNKNOWN:
        return "?"
    if isinstance(value, LayerArgs):
        return describe_layer(value.op, value)
    if isinstance(value, TensorValue):
        return fmt_shape(value.shape)
    if isinstance(value, (sym.Expr, int)) and not isinstance(value, bool):
        return fmt_dim(value)
    if isinstance(value, tuple):
        inner = ", ".join(fmt(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if isinstance(value, list):
        return "[" + ", ".join(fmt(v) for v in value) + "]"
    if isinstance(value, slice):
        parts = ["" if p is None else fmt(p) for p in (value.start, value.stop, value.step)]
        return ":".join(parts[:2] if value.step is None else parts)
    if value is Ellipsis:
        return "..."
    return repr(value)


def fmt_shape(shape: tuple) -> str:
    inner = ", ".join(fmt_dim(d) for d in shape)
    return f"({inner},)" if len(shape) == 1 else f"({inner})"


def fmt_value(value: Any) -> str:
    """A node's output: a shape, nested for tuples of tensors; a size value as itself."""
    if isinstance(value, TensorValue):
        return fmt_shape(value.shape)
    if isinstance(value, (tuple, list)) and any(_tensorish(v) for v in value):
        inner = ", ".join(fmt_value(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if isinstance(value, dict) and any(_tensorish(v) for v in value.values()):
        return "{" + ", ".join(f"{k!r}: {fmt_value(v)}" for k, v in value.items()) + "}"
    return fmt(value)


def _tensorish(value: Any) -> bool:
    if isinstance(value, TensorValue):
        return True
    if isinstance(value, dict):
        return any(_tensorish(v) for v in value.values())
    return isinstance(value, (tuple, list)) and any(_tensorish(v) for v in value)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, sym.Expr) or isinstance(b, sym.Expr) or sym.UNKNOWN in (a, b):
        return False
    return type(a) is type(b) and a == b


def _collapsed(name: str, value: Any) -> Any:
    if isinstance(value, tuple) and value and (name in _COLLAPSE or name == "normalized_shape"):
        if name == "normalized_shape":
            return value[0] if len(value) == 1 else value
        if all(_same(v, value[0]) for v in value[1:]):
            return value[0]
    return value


def describe_module(node: Node) -> str:
    """``Conv2d(3, 6, kernel_size=5, padding=1)``: required arguments positionally,
    non-default optional ones by keyword."""
    if node.spec is None:
        return node.op
    return describe_layer(node.op, node.spec.params)


def describe_layer(op: str, params: Mapping[str, Any]) -> str:
    """A layer's op and constructor arguments as its constructor call (see describe_module);
    a layer given as an argument (LayerArgs) is shown the same way."""
    rule = get_rule(op)
    if rule is None or rule.init is None:
        return op
    parts: list[str] = []
    keyword = False
    for name, p in rule.init.parameters.items():
        if name in _HIDDEN or name not in params or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            continue
        value = _collapsed(name, params[name])
        if p.default is p.empty:
            keyword = keyword or name in _ALWAYS_KEYWORD
            parts.append(f"{name}={fmt(value)}" if keyword else fmt(value))
        elif not _same(value, _collapsed(name, p.default)):
            keyword = True
            parts.append(f"{name}={fmt(value)}")
    return f"{op}({', '.join(parts)})"


def _arg_text(value: Any, values: dict[str, Any]) -> str | None:
    """An argument as shown in a call: tensors left out, sizes shown by their value."""
    if isinstance(value, Ref):
        resolved = values.get(value.node, OPAQUE)
        return None if _tensorish(resolved) else fmt(resolved)
    if isinstance(value, (tuple, list)):
        if value and all(_arg_text(v, values) is None for v in value):
            return None
        items = [_arg_text(v, values) or "_" for v in value]
        if isinstance(value, list):
            return "[" + ", ".join(items) + "]"
        return f"({items[0]},)" if len(items) == 1 else "(" + ", ".join(items) + ")"
    if isinstance(value, slice):
        parts = [
            "" if p is None else (_arg_text(p, values) or "_")
            for p in (value.start, value.stop, value.step)
        ]
        return ":".join(parts[:2] if value.step is None else parts)
    return fmt(value)


def _call_defaults(op: str) -> dict[str, Any]:
    rule = get_rule(op)
    if rule is None or rule.module:
        return {}
    try:
        params = inspect.signature(rule.fn).parameters.values()
    except (TypeError, ValueError):
        return {}
    return {p.name: p.default for p in params if p.default is not p.empty}


def describe_call(node: Node, values: dict[str, Any]) -> str:
    """``cat(dim=1)``, ``view(B, -1)``, ``add``, ``getitem[2:]``, ``.shape``."""
    short = node.op.rsplit(".", 1)[-1]
    args = node.args
    if node.op == "builtins.getattr" and len(args) == 2 and isinstance(args[1], str):
        return f".{args[1]}"
    if node.op == "operator.getitem" and len(args) == 2:
        index = args[1]
        items = index if isinstance(index, tuple) else (index,)
        shown = [_arg_text(i, values) or "_" for i in items]
        return f"getitem[{', '.join(shown)}]"
    if args and isinstance(args[0], Ref) and values.get(args[0].node, OPAQUE) is OPAQUE:
        args = args[1:]  # an unknown value in the tensor's place is the (unknown) tensor
    parts = [t for t in (_arg_text(a, values) for a in args) if t is not None]
    defaults = _call_defaults(node.op)
    for key, value in node.kwargs.items():
        if key in defaults and _same(value, defaults[key]):
            continue  # fx records some defaults explicitly (F.relu's inplace=False)
        text = _arg_text(value, values)
        if text is not None:
            parts.append(f"{key}={text}")
    return f"{short}({', '.join(parts)})" if parts else short


def describe(node: Node, values: dict[str, Any]) -> str:
    if node.kind == INPUT:
        return "input"
    if node.kind == CONSTANT:
        if node.spec is not None and node.spec.param_count:
            return "parameter"
        return "tensor" if isinstance(node.value, TensorValue) else "constant"
    if node.kind == MODULE:
        return describe_module(node)
    return describe_call(node, values)


def header(analysis: Any) -> str:
    inputs = [n for n in analysis.graph if n.kind == INPUT]
    shown = ", ".join(f"{n.name}: {fmt_value(analysis.values.get(n.name))}" for n in inputs)
    where = f" from {analysis.source}" if analysis.source else ""
    label = "input" if len(inputs) == 1 else "inputs"
    return f"{analysis.name}{where}, {label} {shown}" if inputs else f"{analysis.name}{where}"


def _params(analysis: Any) -> tuple[int, int]:
    total = trainable = 0
    for layer in analysis.layers:
        total += layer.params
        trainable += layer.trainable
    return total, trainable


def describe_layer_result(layer: Any, values: dict[str, Any]) -> str:
    """The op text; a lazy layer's inferred arguments follow it: ``LazyLinear(10)
    [in_features=864]``."""
    text = describe(layer.node, values)
    inferred = getattr(layer, "inferred", None)
    if inferred is None or not inferred.params:
        return text
    return text + " [" + ", ".join(f"{k}={fmt(v)}" for k, v in inferred.params.items()) + "]"


def _params_cell(layer: Any) -> str:
    inferred = getattr(layer, "inferred", None)
    if inferred is not None and inferred.param_count is None:
        return "?"  # a lazy layer whose size depends on a symbolic input size
    return f"{layer.params:,}" if layer.params else ""


def render(analysis: Any) -> str:
    from tabulate import tabulate

    rows = []
    for layer in analysis.layers:
        rows.append(
            [
                layer.name,
                describe_layer_result(layer, analysis.values),
                fmt_value(layer.value),
                _params_cell(layer),
            ]
        )
    table = tabulate(
        rows,
        headers=["layer", "op", "output shape", "params"],
        tablefmt="simple",
        colalign=("left", "left", "left", "right"),
        disable_numparse=True,
    )
    facts = output_facts(analysis, *_params(analysis))
    uncounted = [
        layer.name
        for layer in analysis.layers
        if getattr(layer, "inferred", None) is not None and layer.inferred.param_count is None
    ]
    if uncounted:
        facts.append(("", f"not counted: {', '.join(uncounted)} (lazy, sized by the input)"))
    facts.extend(condition_facts(analysis))
    if analysis.symbols:
        facts.extend(_solved(analysis))
    return report_text(analysis, table, facts)


def output_facts(analysis: Any, total: int, trainable: int) -> list[tuple[str, str]]:
    """The facts below the table: the output shapes and the parameter count."""
    outputs = analysis.outputs
    label = "output" if len(outputs) == 1 else "outputs"
    facts = [(label, ", ".join(fmt_value(v) for v in outputs) or "none")]
    if total:
        kept = "all trainable" if trainable == total else f"{trainable:,} trainable"
        facts.append(("params", f"{total:,} ({kept})"))
    else:
        facts.append(("params", "0"))
    return facts


def condition_facts(analysis: Any) -> list[tuple[str, str]]:
    """The conditions on the symbolic input sizes, when there are any symbols."""
    if not analysis.symbols:
        return []
    from ..solve import essential_constraints

    conditions = [str(c) for c in essential_constraints(analysis)] or ["none"]
    return [("conditions" if i == 0 else "", c) for i, c in enumerate(conditions)]


def report_text(analysis: Any, table: str, facts: list[tuple[str, str]]) -> str:
    """The header, the table, the facts (aligned) and the diagnostics."""
    lines = [header(analysis), "", table, ""]
    width = max(len(k) for k, _ in facts)
    lines.extend(f"{k:<{width}}  {v}".rstrip() for k, v in facts)
    diags = diagnostic_lines(analysis)
    if diags:
        lines.append("")
        lines.extend(diags)
    return "\n".join(lines)


def _solved(analysis: Any) -> list[tuple[str, str]]:
    """The valid inputs, smallest input, lossless sizes and Linear sizes (shapecalc.solve)."""
    from ..solve import section

    return section(analysis)


@reporter("table")
def table_report(
    analyses: Sequence[Any], *, stats: bool = False, depth: int | None = None, **_options: Any
) -> str:
    if stats or depth is not None:  # statistics columns, collapsed submodules: stats_table.py
        from .stats_table import render as render_stats

        return "\n\n".join(render_stats(a, stats=stats, depth=depth) for a in analyses)
    return "\n\n".join(render(a) for a in analyses)
