"""Diagnostics as compiler-style lines: ``path:line:col: SC201 message``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..diagnostics import Diagnostic
from . import reporter


def diagnostic_line(diag: Diagnostic, fallback: str = "") -> str:
    """``model.py:12:9: SC201 Conv2d 'conv2' expects 6 input channels, got 8``; a finding
    without a location is placed at the model (``fallback``)."""
    where = str(diag.location) if diag.location else fallback
    return f"{where}: {diag.code} {diag.message}" if where else f"{diag.code} {diag.message}"


def diagnostic_lines(analysis: Any) -> list[str]:
    fallback = analysis.source or analysis.name
    return [diagnostic_line(d, fallback) for d in sorted(analysis.diagnostics, key=_key)]


def _key(diag: Diagnostic) -> tuple:
    return diag.sort_key()


@reporter("text")
def text_report(analyses: Sequence[Any], **_options: Any) -> str:
    return "\n".join(line for a in analyses for line in diagnostic_lines(a))
