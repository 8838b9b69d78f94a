"""The layer graph as Graphviz DOT (``shapecalc graph``, ``--format dot``), and rendering it to
SVG or PNG with Graphviz's ``dot`` program when it is installed.

Boxes show the node's name, op and output shape; inputs and the output are ellipses, merges
(add, cat, any op reading two or more tensors) are shaded blue, and a node with an error is
red with its diagnostic codes (orange for warnings)."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from typing import Any

from ..diagnostics import Severity
from . import reporter
from .graph_model import Box, boxes

FILL = {"input": "#e8f0fe", "output": "#e8f0fe", "merge": "#dbeafe", "constant": "#f3f4f6"}
SHAPE = {"input": "ellipse", "output": "ellipse"}


class GraphvizError(RuntimeError):
    """Graphviz is not installed, or it failed to render."""


def quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _node(box: Box) -> str:
    attrs = {"label": quote("\n".join(box.lines)).replace("\n", "\\n")}
    if box.kind in SHAPE:
        attrs["shape"] = SHAPE[box.kind]
    fill = FILL.get(box.kind)
    if box.severity is not None and box.severity >= Severity.ERROR:
        attrs.update(color="red", fontcolor="red", fillcolor='"#fde8e8"', penwidth="2")
    elif box.severity is not None and box.severity >= Severity.WARNING:
        attrs.update(color='"#d97706"', fillcolor='"#fef3c7"')
    elif fill:
        attrs["fillcolor"] = quote(fill)
    return f"{quote(box.id)} [{', '.join(f'{k}={v}' for k, v in attrs.items())}];"


def to_dot(analyses: Sequence[Any]) -> str:
    """One digraph; several models become clusters of it."""
    lines = [
        "digraph shapecalc {",
        '  graph [rankdir=TB, fontname="Helvetica"];',
        '  node [shape=box, style="rounded,filled", fillcolor="#ffffff", fontname="Helvetica", '
        "fontsize=10];",
        '  edge [color="#555555", arrowsize=0.7];',
    ]
    for i, analysis in enumerate(analyses):
        indent = "  " if len(analyses) == 1 else "    "
        if len(analyses) > 1:
            lines.append(f"  subgraph cluster_{i} {{")
            lines.append(f"    label={quote(analysis.name)};")
        else:
            lines.append(f"  label={quote(analysis.name)};")
            lines.append("  labelloc=t;")
        nodes, edges = boxes(analysis, prefix=f"m{i}_" if len(analyses) > 1 else "n")
        lines.extend(indent + _node(box) for box in nodes)
        lines.extend(f"{indent}{quote(a)} -> {quote(b)};" for a, b in edges)
        if len(analyses) > 1:
            lines.append("  }")
    lines.append("}")
    return "\n".join(lines)


@reporter("dot")
def dot_report(analyses: Sequence[Any], **_options: Any) -> str:
    return to_dot(analyses)


def render(dot_text: str, fmt: str, path: str) -> None:
    """Write ``dot_text`` rendered as ``fmt`` (svg, png, pdf) to ``path`` with Graphviz."""
    exe = shutil.which("dot")
    if exe is None:
        raise GraphvizError(
            f"rendering {fmt.upper()} needs Graphviz's 'dot' program, which is not installed "
            "(install graphviz, or write DOT with -o FILE.dot)"
        )
    try:
        subprocess.run(
            [exe, f"-T{fmt}", "-o", path],
            input=dot_text.encode(),
            check=True,
            capture_output=True,
            timeout=120,
        )
    except subprocess.CalledProcessError as exc:
        message = exc.stderr.decode(errors="replace").strip().splitlines()
        raise GraphvizError(f"Graphviz failed: {message[-1] if message else exc}") from None
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise GraphvizError(f"Graphviz failed: {exc}") from None


def render_file(analyses: Sequence[Any], fmt: str, path: str | None) -> str | None:
    """``shapecalc graph``: the diagram as text when ``path`` is None, else written to
    ``path`` (through Graphviz for svg/png/pdf)."""
    from .mermaid import to_mermaid

    text = to_mermaid(analyses) if fmt == "mermaid" else to_dot(analyses)
    if path is None:
        return text
    if fmt in ("dot", "mermaid"):
        if fmt == "mermaid" and path.lower().endswith(".md"):
            # GitHub draws Mermaid in Markdown only inside a ```mermaid fenced block
            text = f"```mermaid\n{text}\n```"
        with open(path, "w") as f:
            f.write(text + "\n")
    else:
        render(text, fmt, path)
    return None
