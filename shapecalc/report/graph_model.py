"""What the diagrams draw, shared by the DOT and Mermaid writers: one box per graph node with
its name, op and output shape; an edge from every node a node reads (so a merge has an edge
from each of its inputs); the model's output; and, per node, the codes of its findings (an
error draws the node in red, a warning in orange)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..diagnostics import Severity
from ..graph import CONSTANT, INPUT, OUTPUT
from ..values import tensors_in
from .table import describe, fmt_value


@dataclass(frozen=True)
class Box:
    id: str
    name: str
    op: str
    shape: str
    kind: str  # input, output, merge, constant, layer
    codes: tuple[str, ...]
    severity: Severity | None

    @property
    def lines(self) -> list[str]:
        if self.kind == "output":
            return ["output", self.shape]
        lines = (
            [self.name, self.op, self.shape] if self.op != self.name else [self.name, self.shape]
        )
        if self.codes:
            lines.append(" ".join(self.codes))
        return [line for line in lines if line]


def boxes(analysis: Any, prefix: str = "n") -> tuple[list[Box], list[tuple[str, str]]]:
    """The boxes, in execution order, and the edges (from id, to id)."""
    ids = {node.name: f"{prefix}{i}" for i, node in enumerate(analysis.graph)}
    findings: dict[str, list[Any]] = {}
    for diag in analysis.diagnostics:
        if diag.layer is not None:
            findings.setdefault(diag.layer, []).append(diag)
    out: list[Box] = []
    edges: list[tuple[str, str]] = []
    for node in analysis.graph:
        value = analysis.values.get(node.name)
        refs = [r for r in node.refs() if r in ids]
        diags = findings.get(node.name, [])
        codes = tuple(dict.fromkeys(d.code for d in sorted(diags, key=lambda d: d.sort_key())))
        severity = max((d.severity for d in diags), default=None)
        if node.kind == OUTPUT:
            kind, op = "output", "output"
        elif node.kind == INPUT:
            kind, op = "input", "input"
        elif node.kind == CONSTANT:
            kind, op = "constant", describe(node, analysis.values)
        else:
            tensor_refs = [r for r in refs if tensors_in(analysis.values.get(r))]
            kind = "merge" if len(tensor_refs) >= 2 else "layer"
            op = describe(node, analysis.values)
        out.append(Box(ids[node.name], node.name, op, fmt_value(value), kind, codes, severity))
        edges.extend((ids[r], ids[node.name]) for r in refs)
    return out, edges
