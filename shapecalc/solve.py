"""Constraints -> the valid input domain, the smallest input, FC sizing, the pixel-loss hint.

The entry points behind ``Analysis.domain()``, ``.min_input()``, ``.fc_sizes()`` and
``shapecalc fc``; the solving itself is in solve_sets (exact sets of sizes), solve_core (one
size, exactly), solve_domain (coupled sizes), solve_result (the answer classes) and solve_fc
(Linear layers, strided windows).
"""

from __future__ import annotations

from typing import Any

from . import symbolic as sym
from .diagnostics import Diagnostic, Severity
from .solve_domain import Domain, Group, SymbolDomain, link_text, solve
from .solve_fc import FcSize, describe_sizes, fc_sizes, lossless, strided_windows, symbolic_twin
from .solve_sets import IntSet

__all__ = [
    "Domain",
    "FcSize",
    "Group",
    "IntSet",
    "SymbolDomain",
    "check_feasible",
    "describe_sizes",
    "domain",
    "essential_constraints",
    "fc_sizes",
    "lossless",
    "min_input",
    "solve",
    "strided_windows",
    "symbolic_twin",
]


def domain(analysis: Any) -> Domain:
    """Per input symbol of the analysis, the exact sizes its constraints allow."""
    return solve(analysis.constraints, analysis.symbols)


def essential_constraints(analysis: Any) -> list[Any]:
    """The conditions to show: those on one symbol that another condition on it implies
    (``H >= 3`` beside ``(H - 10)//2 >= 0``) are left out; the domain uses them all."""
    constraints = list(analysis.constraints)
    sets: dict[int, tuple[str, IntSet]] = {}
    for i, c in enumerate(constraints):
        names = sym.free_symbols(c.rel.expr)
        if len(names) == 1:
            (name,) = names
            values = solve([c.rel], [name])[name].values
            if values.complete:
                sets[i] = (name, values)

    def implied(i: int) -> bool:
        name, values = sets[i]
        return any(
            j != i
            and other == name
            and (narrower & values) == narrower
            and ((narrower & values) != values or j < i)
            for j, (other, narrower) in sets.items()
        )

    return [c for i, c in enumerate(constraints) if i not in sets or not implied(i)]


def min_input(analysis: Any, dom: Domain | None = None) -> Any:
    """The smallest valid input shape (a tuple; a list of tuples for several inputs), or
    None when no input size is valid or the domain could not be decided exactly."""
    dom = domain(analysis) if dom is None else dom
    if not dom.exact:
        return None
    return _shape_at(analysis, dom.smallest())


def _shape_at(analysis: Any, point: dict[str, int] | None) -> Any:
    if point is None:
        return None
    shapes = []
    for t in analysis.inputs:
        dims = []
        for d in t.shape:
            v = sym.subs(d, point) if isinstance(d, sym.Expr) else d
            if not isinstance(v, int):
                return None
            dims.append(v)
        shapes.append(tuple(dims))
    return shapes[0] if len(shapes) == 1 else shapes


def check_feasible(analysis: Any) -> None:
    """SC904 when the constraints together admit no input size, naming the layers whose
    conditions conflict."""
    if not analysis.raw_constraints:
        return
    dom = solve(analysis.constraints, analysis.symbols, feasibility=True)
    if not dom.empty:
        return
    culprits = [c for c in dom.culprits if hasattr(c, "rel")]
    named = ", ".join(
        f"{c.layer or 'the model'} ({sym.format_rel(c.rel)})" for c in culprits
    ) or ", ".join(str(c) for c in dom.culprits)
    first = culprits[0] if culprits else None
    analysis._add_diagnostic(
        Diagnostic(
            "SC904",
            Severity.ERROR,
            f"no input size satisfies the conditions of {named}",
            first.layer if first else None,
            first.location if first else None,
        )
    )


# --------------------------------------------------------------------------------- reports


def has_size_symbols(analysis: Any) -> bool:
    """Some input size other than a batch (dim 0) is a symbol."""
    batch = {s for t in analysis.inputs[:1] for s in sym.free_symbols(t.shape[0] if t.ndim else 0)}
    return any(s not in batch for s in analysis.symbols) or bool(analysis.raw_constraints)


def section(analysis: Any) -> list[tuple[str, str]]:
    """The calculator's "valid inputs" rows for an analysis at symbolic sizes: the domain
    (a box of coupled sizes per line), the smallest input, the sizes that lose no pixels,
    and each size-dependent Linear's in_features."""
    if not analysis.raw_constraints:
        return []  # every size works: "conditions  none" says it already
    if any(d.code != "SC904" for d in analysis.errors):
        return []  # sizes cannot help a model that is wrong at every size
    dom = domain(analysis)
    rows: list[tuple[str, str]] = []
    rows.extend(_labelled("valid inputs", _domain_lines(dom)))
    rows.extend(_smallest(analysis, dom))
    if strided_windows(analysis) and not dom.empty:
        rows.extend(_labelled("no pixel loss", _domain_lines(lossless(analysis))))
    rows.extend(unchecked(analysis))
    for fc in fc_sizes(analysis, twin=False):
        text = f"{fc.layer}: in_features = {fc.formula}"
        if fc.declared is not None:
            text += f", declared {fc.declared}"
        rows.append(("fc", text))
    return rows


def unchecked(analysis: Any) -> list[tuple[str, str]]:
    """A row saying which layers had no shape rule: past them nothing adds conditions, so
    the sizes shown may be too many."""
    names = sorted({d.layer or "?" for d in analysis.diagnostics if d.code in ("SC901", "SC903")})
    if not names:
        return []
    shown = ", ".join(f"'{n}'" for n in names[:3]) + (", ..." if len(names) > 3 else "")
    return [("not checked", f"shapes after {shown} (no shape rule): sizes may be too many")]


def _smallest(analysis: Any, dom: Domain) -> list[tuple[str, str]]:
    """The smallest input; when the domain is not exact, the smallest one found, said so."""
    shape = _shape_at(analysis, dom.smallest()) if not dom.empty else None
    if shape is None:
        return []
    return [("smallest input" if dom.exact else "smallest found", _shape_text(shape))]


def _labelled(label: str, lines: list[str]) -> list[tuple[str, str]]:
    return [(label if i == 0 else "", line) for i, line in enumerate(lines)]


def _domain_lines(dom: Domain, limit: int = 4) -> list[str]:
    if dom.empty:
        return ["no input size"]
    lines = []
    grouped = {s for g in dom.groups for s in g.symbols}
    for name, d in dom.items():
        if name not in grouped and name not in dom.links and d.values != IntSet.all():
            lines.append(str(d))
    for g in dom.groups:
        lines.extend(g.box_lines(limit))
    lines.extend(link_text(y, x, k) for y, (x, k) in dom.links.items())
    return lines or ["every size"]


def _shape_text(shape: Any) -> str:
    shapes = shape if isinstance(shape, list) else [shape]
    return ", ".join(f"({', '.join(map(str, s))})" for s in shapes)


def section_dict(analysis: Any) -> dict | None:
    """The JSON form of the section (None when no input size is a symbol)."""
    if not has_size_symbols(analysis):
        return None
    dom = domain(analysis)
    smallest = min_input(analysis, dom)
    out = dom.to_dict()
    out["smallest"] = (
        None
        if smallest is None
        else [list(s) for s in (smallest if isinstance(smallest, list) else [smallest])]
    )
    out["lossless"] = lossless(analysis).lines() if strided_windows(analysis) else None
    return out


def fc_report(analysis: Any, want: int | None = None) -> tuple[str, dict, bool]:
    """``shapecalc fc`` for one model: (text, JSON entry, every declared value can be right)."""
    from .report.table import header

    sizes = fc_sizes(analysis, want=want)
    twin, at = symbolic_twin(analysis)
    dom = domain(twin)
    lines = [header(analysis), ""]
    if not sizes:
        lines.append("no Linear layer whose in_features depends on the input size")
    for fc in sizes:
        rows = fc.facts(at)
        width = max(len(k) for k, _ in rows)
        lines.append(fc.title())
        lines.extend(f"  {k:<{width}}  {v}".rstrip() for k, v in rows)
        lines.append("")
    if sizes:
        lines.pop()
    errors = [d for d in analysis.errors if d.code != "SC904"]
    if twin.symbols and not errors:
        rows = _labelled("valid inputs", _domain_lines(dom, limit=6))
        rows.extend(_smallest(twin, dom))
        if strided_windows(twin) and not dom.empty:
            rows.extend(_labelled("no pixel loss", _domain_lines(lossless(twin))))
        rows.extend(unchecked(twin))
        where = ", ".join(f"{t}" for t in twin.inputs)
        lines.extend(["", f"for input {where}:"])
        width = max(len(k) for k, _ in rows)
        lines.extend(f"{k:<{width}}  {v}".rstrip() for k, v in rows)
    if errors:  # wrong at every size: no input size can help, say why instead
        from .report.text import diagnostic_line

        lines.append("")
        lines.extend(diagnostic_line(d, analysis.source or analysis.name) for d in errors)
    entry = {
        "name": analysis.name,
        "source": analysis.source or None,
        "symbols": {k: v for k, v in at.items()},
        "linears": [fc.to_dict() for fc in sizes],
        "valid_inputs": section_dict(twin),
    }
    ok = all(fc.ok is not False for fc in sizes)
    return "\n".join(lines), entry, ok
