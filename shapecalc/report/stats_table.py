"""The calculator's table with statistics (``--stats``) and/or submodules collapsed below a
depth (``--depth N``, as torchinfo's ``depth``): a collapsed row is the submodule at depth N,
with the parameters and MACs of everything it ran summed and the output of the last node it
ran. With ``--stats`` the columns add MACs, output bytes and the receptive field (size and
jump per spatial axis), and a totals block follows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .. import symbolic as sym
from .table import condition_facts, describe_layer_result, fmt_value, output_facts, report_text


@dataclass
class Row:
    name: str
    op: str
    value: Any
    params: int
    macs: Any  # Dim, or None when unknown
    out_bytes: Any
    field: Any
    nodes: int = 1


def depth_of(scope: str) -> int:
    return 0 if not scope else scope.count(".") + 1


def ancestor(scope: str, depth: int) -> str:
    return ".".join(scope.split(".")[:depth])


def rows(analysis: Any, depth: int | None, model_stats: Any, fields: dict) -> list[Row]:
    from ..stats import module_class

    out: list[Row] = []
    groups: dict[str, Row] = {}
    for layer, st in zip(analysis.layers, model_stats.layers):
        field = fields.get(layer.name)
        if depth is not None and depth_of(st.scope) > depth:
            key = ancestor(st.scope, depth)
            row = groups.get(key)
            if row is None:
                op = module_class(analysis.graph, key) or "module"
                row = groups[key] = Row(key, op, layer.value, 0, 0, st.output_bytes, field, 0)
                out.append(row)
            row.value, row.out_bytes, row.field = layer.value, st.output_bytes, field
            row.params += st.params
            row.macs = None if row.macs is None or st.macs is None else row.macs + st.macs
            row.nodes += 1
            continue
        out.append(
            Row(
                layer.name,
                describe_layer_result(layer, analysis.values),
                layer.value,
                st.params,
                st.macs,
                st.output_bytes,
                field,
            )
        )
    return out


def fmt_count(x: Any) -> str:
    if x is None or x is sym.UNKNOWN:
        return "?"
    if isinstance(x, int):
        return f"{x:,}" if x else ""
    return str(x)


def fmt_bytes(x: Any) -> str:
    """``3,072`` bytes as ``3.0 KiB``; a symbolic size as its formula in bytes."""
    if x is None:
        return "?"
    if not isinstance(x, int):
        return str(x)
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if x >= scale:
            return f"{x / scale:.1f} {unit}"
    return f"{x} B"


def fmt_total(x: Any) -> str:
    if x is None:
        return "?"
    if isinstance(x, int):
        return f"{x:,}" + (f" ({_short(x)})" if x >= 10_000 else "")
    return str(x)


def _short(x: int) -> str:
    for suffix, scale in (("T", 10**12), ("G", 10**9), ("M", 10**6), ("K", 10**3)):
        if x >= scale:
            return f"{x / scale:.2f}{suffix}"
    return str(x)


def render(analysis: Any, *, stats: bool = False, depth: int | None = None) -> str:
    from tabulate import tabulate

    from ..receptive import format_field, format_jump

    model_stats = analysis.stats()
    fields = analysis.receptive_fields() if stats else {}
    table_rows = []
    for row in rows(analysis, depth, model_stats, fields):
        cells = [row.name, row.op, fmt_value(row.value), f"{row.params:,}" if row.params else ""]
        if stats:
            cells += [
                fmt_count(row.macs),
                ""
                if isinstance(row.out_bytes, int) and not row.out_bytes
                else fmt_bytes(row.out_bytes),
                format_field(row.field),
                format_jump(row.field),
            ]
        table_rows.append(cells)
    headers = ["layer", "op", "output shape", "params"]
    align = ["left", "left", "left", "right"]
    if stats:
        headers += ["MACs", "out bytes", "field", "jump"]
        align += ["right", "right", "left", "left"]
    table = tabulate(
        table_rows,
        headers=headers,
        tablefmt="simple",
        colalign=align,
        disable_numparse=True,
    )
    facts = output_facts(analysis, model_stats.params, model_stats.trainable)
    if stats:
        macs = fmt_total(model_stats.macs)
        if not model_stats.macs_complete:
            macs += f" (without {len(model_stats.uncounted)} layer(s) of unknown size)"
        facts.append(("MACs", macs))
        facts.append(("activations", _bytes_total(model_stats.activation_bytes)))
        facts.append(("peak memory", _bytes_total(model_stats.peak_bytes)))
    facts.extend(condition_facts(analysis))
    return report_text(analysis, table, facts)


def _bytes_total(x: Any) -> str:
    if x is None:
        return "?"
    if isinstance(x, int):
        return f"{x:,} bytes ({fmt_bytes(x)})" if x >= 1024 else f"{x} bytes"
    return f"{x} bytes"
