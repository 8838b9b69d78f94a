"""The layer graph as a Mermaid flowchart (``shapecalc graph --format mermaid``), for pasting
into Markdown: the same boxes and edges as the DOT output; merges shaded, errors red with
their codes, warnings orange."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..diagnostics import Severity
from . import reporter
from .graph_model import Box, boxes

CLASSES = (
    "  classDef input fill:#e8f0fe,stroke:#1f4e9a;",
    "  classDef merge fill:#dbeafe,stroke:#1f4e9a;",
    "  classDef error fill:#fde8e8,stroke:#dc2626,stroke-width:2px,color:#b91c1c;",
    "  classDef warning fill:#fef3c7,stroke:#d97706;",
)


def label(box: Box) -> str:
    """Lines joined by <br/>; quotes and markup characters as Mermaid entity codes."""
    escaped = [
        line.replace("&", "#amp;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")
        for line in box.lines
    ]
    return "<br/>".join(escaped)


def _shape(box: Box) -> str:
    text = f'"{label(box)}"'
    if box.kind in ("input", "output"):
        return f"([{text}])"  # a stadium, like DOT's ellipse
    return f"[{text}]"


def _class(box: Box) -> str | None:
    if box.severity is not None and box.severity >= Severity.ERROR:
        return "error"
    if box.severity is not None and box.severity >= Severity.WARNING:
        return "warning"
    if box.kind in ("input", "output"):
        return "input"
    return "merge" if box.kind == "merge" else None


def to_mermaid(analyses: Sequence[Any]) -> str:
    lines = ["flowchart TD"]
    classes: dict[str, list[str]] = {}
    for i, analysis in enumerate(analyses):
        indent = "  " if len(analyses) == 1 else "    "
        if len(analyses) > 1:
            lines.append(f'  subgraph m{i}["{analysis.name}"]')
        nodes, edges = boxes(analysis, prefix=f"m{i}_" if len(analyses) > 1 else "n")
        for box in nodes:
            lines.append(f"{indent}{box.id}{_shape(box)}")
            cls = _class(box)
            if cls:
                classes.setdefault(cls, []).append(box.id)
        lines.extend(f"{indent}{a} --> {b}" for a, b in edges)
        if len(analyses) > 1:
            lines.append("  end")
    lines.extend(c for c in CLASSES if c.split()[1] in classes)
    lines.extend(f"  class {','.join(ids)} {cls};" for cls, ids in classes.items())
    return "\n".join(lines)


@reporter("mermaid")
def mermaid_report(analyses: Sequence[Any], **_options: Any) -> str:
    return to_mermaid(analyses)
