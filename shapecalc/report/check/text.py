"""``path:line:col: SC201 [error] message``, one finding a line, then a summary line."""

from __future__ import annotations

from typing import Any

from ...diagnostics import Diagnostic, Severity
from . import check_reporter


def finding_line(diag: Diagnostic) -> str:
    return f"{diag.location}: {diag.code} [{diag.severity}] {diag.message}"


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def summary(result: Any) -> str:
    """``Found 3 findings (2 errors, 1 warning); checked 1 model in 1 file.``"""
    checked = (
        f"checked {plural(len(result.models), 'model')} in {plural(len(result.files), 'file')}"
    )
    if result.findings:
        counts = [
            plural(result.count(s), str(s)) if s != Severity.INFO else f"{result.count(s)} info"
            for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)
            if result.count(s)
        ]
        head = f"Found {plural(len(result.findings), 'finding')} ({', '.join(counts)})"
    elif result.errors:  # nothing found in what was checked, but not everything was
        head = "No findings"
    else:
        head = "All checks passed"
    parts = [head, checked]
    if result.errors:
        parts.append(f"{plural(len({p for p, _ in result.errors}), 'file')} could not be checked")
    if result.fix_requested:
        parts.append(f"fixed {len(result.fixed)}")
    elif result.fixable:
        parts.append(f"{result.fixable} fixable with --fix")
    return "; ".join(parts) + "."


@check_reporter("text")
def text_report(result: Any) -> str:
    return "\n".join([*(finding_line(d) for d in result.findings), summary(result)])
