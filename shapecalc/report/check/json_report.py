"""The check's JSON document, version 1:

``{"version": 1, "findings": [{"code", "name", "severity", "message", "layer", "path", "line",
"column", "end_line", "end_column", "notes", "fix": {"param", "value"} | null}], "models":
[{"path", "name", "inputs", "inputs_from"}], "errors": [{"path", "message"}], "fixed":
[{"path", "line", "column", "param", "old", "new"}], "summary": {"files", "models",
"findings", "error", "warning", "info", "suppressed", "fixed", "fail_on", "exit_code"}}``.
Findings are sorted by path, line, column and code."""

from __future__ import annotations

import json
from typing import Any

from ...codes import CODES
from ...diagnostics import Diagnostic, Severity
from . import check_reporter

VERSION = 1


def finding(diag: Diagnostic) -> dict:
    loc = diag.location
    code = CODES.get(diag.code)
    return {
        "code": diag.code,
        "name": code.name if code else None,
        "severity": str(diag.severity),
        "message": diag.message,
        "layer": diag.layer,
        "path": loc.path if loc else None,
        "line": loc.line if loc else None,
        "column": loc.column if loc else None,
        "end_line": loc.end_line if loc else None,
        "end_column": loc.end_column if loc else None,
        "notes": list(diag.notes),
        "fix": (
            {"param": diag.fix.param, "value": diag.fix.value}
            if diag.fix is not None and isinstance(diag.fix.value, (int, str))
            else None
        ),
    }


def document(result: Any, exit_zero: bool = False) -> dict:
    return {
        "version": VERSION,
        "findings": [finding(d) for d in result.findings],
        "models": [
            {"path": m.path, "name": m.name, "inputs": list(m.inputs), "inputs_from": m.inputs_from}
            for m in result.models
        ],
        "errors": [{"path": p, "message": m} for p, m in result.errors],
        "fixed": [
            {
                "path": f.location.path,
                "line": f.location.line,
                "column": f.location.column,
                "param": f.param,
                "old": f.old,
                "new": f.new,
            }
            for f in result.fixed
        ],
        "summary": {
            "files": len(result.files),
            "models": len(result.models),
            "findings": len(result.findings),
            **{str(s): result.count(s) for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)},
            "suppressed": result.suppressed,
            "fixed": len(result.fixed),
            "fail_on": str(result.fail_on),
            "exit_code": result.exit_code(),
        },
    }


@check_reporter("json")
def json_report(result: Any) -> str:
    return json.dumps(document(result), indent=2)
