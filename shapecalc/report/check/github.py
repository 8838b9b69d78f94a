"""GitHub Actions workflow commands: each finding becomes an annotation on its line.

``::error file=model.py,line=12,col=22,title=SC201::Conv2d 'conv2' expects ...``. Severities
map to the commands error / warning / notice. Values are escaped as the runner expects:
``%``, CR and LF in the message; also ``:`` and ``,`` in properties."""

from __future__ import annotations

import os
from typing import Any

from ...diagnostics import Diagnostic, Severity
from . import check_reporter

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def workspace_path(path: str) -> str:
    """Relative to the working directory (the checkout) when below it: annotations name
    files of the repository."""
    rel = os.path.relpath(os.path.abspath(path))
    return path if rel.startswith("..") else rel.replace(os.sep, "/")


def annotation(diag: Diagnostic) -> str:
    loc = diag.location
    props = []
    if loc is not None:
        props.append(f"file={escape_property(workspace_path(loc.path))}")
        props.append(f"line={loc.line}")
        props.append(f"col={loc.column}")
        if loc.end_line is not None:
            props.append(f"endLine={loc.end_line}")
    props.append(f"title={escape_property(diag.code)}")
    return f"::{COMMANDS[diag.severity]} {','.join(props)}::{escape_data(diag.message)}"


@check_reporter("github")
def github_report(result: Any) -> str:
    lines = [annotation(d) for d in result.findings]
    lines.extend(
        f"::error file={escape_property(workspace_path(path.split(':')[0]))},title=shapecalc::"
        f"{escape_data(message)}"
        for path, message in result.errors
    )
    return "\n".join(lines)
