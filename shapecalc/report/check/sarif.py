"""SARIF 2.1.0 for code scanning (GitHub's upload-sarif action and other SARIF viewers).

One run: ``tool.driver.rules`` holds every code that occurs (id, kebab-case name, summary as
``shortDescription``, "What it does" as ``fullDescription``, the whole four-part doc as
``help``, the default level); each result has its ``ruleId`` and ``ruleIndex``, a level
(error / warning / note), the message, a physical location with a URI relative to the working
directory (``uriBaseId`` ``%SRCROOT%``), and ``partialFingerprints`` that stay the same across
runs and edits elsewhere in the file: a hash of the code, the path, the layer and the message,
not the line. Files that could not be checked are tool execution notifications.
"""

from __future__ import annotations

import hashlib
import json
import os
from typing import Any
from urllib.parse import quote

from ... import __version__
from ...codes import CODES
from ...diagnostics import Diagnostic, Severity
from . import check_reporter

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
FINGERPRINT = "shapecalc/v1"


def artifact(path: str) -> dict:
    """A relative URI under %SRCROOT% (the working directory) when the file lies below it,
    else an absolute file URI."""
    absolute = os.path.abspath(path)
    rel = os.path.relpath(absolute)
    if not rel.startswith(".."):
        return {"uri": quote(rel.replace(os.sep, "/")), "uriBaseId": "%SRCROOT%"}
    return {"uri": "file://" + quote(absolute.replace(os.sep, "/"))}


def fingerprint(diag: Diagnostic) -> str:
    """The same for ``check .`` and ``check $PWD/model.py``: the path is the artifact URI."""
    path = artifact(diag.location.path)["uri"] if diag.location else ""
    text = "\0".join((diag.code, path, diag.layer or "", diag.message))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def markdown(c: Any) -> str:
    fence = "```"
    return (
        f"**{c.code} {c.name}** ({c.severity})\n\n{c.summary}\n\n"
        f"## What it does\n{c.what}\n\n## Why is this bad?\n{c.why}\n\n"
        f"## Example\n{fence}\n{c.example}\n{fence}\n\n"
        f"## Use instead\n{fence}\n{c.instead}\n{fence}\n"
    )


def rule(code: str) -> dict:
    c = CODES[code]
    return {
        "id": c.code,
        "name": c.name,
        "shortDescription": {"text": c.summary},
        "fullDescription": {"text": c.what},
        "help": {"text": c.doc(), "markdown": markdown(c)},
        "defaultConfiguration": {"level": LEVELS[c.severity]},
    }


def result_entry(diag: Diagnostic, index: int) -> dict:
    entry: dict[str, Any] = {
        "ruleId": diag.code,
        "ruleIndex": index,
        "level": LEVELS[diag.severity],
        "message": {"text": diag.message},
    }
    loc = diag.location
    if loc is not None:
        region: dict[str, int] = {"startLine": loc.line, "startColumn": loc.column}
        if loc.end_line is not None:
            region["endLine"] = loc.end_line
            if loc.end_column is not None:
                region["endColumn"] = loc.end_column
        entry["locations"] = [
            {"physicalLocation": {"artifactLocation": artifact(loc.path), "region": region}}
        ]
    entry["partialFingerprints"] = {FINGERPRINT: fingerprint(diag)}
    return entry


def document(result: Any) -> dict:
    codes = sorted({d.code for d in result.findings if d.code in CODES})
    index = {code: i for i, code in enumerate(codes)}
    notifications = [
        {
            "level": "error",
            "message": {"text": message},
            "locations": [{"physicalLocation": {"artifactLocation": artifact(path.split(":")[0])}}],
        }
        for path, message in result.errors
    ]
    invocation: dict[str, Any] = {"executionSuccessful": not result.errors}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "shapecalc",
                        "version": __version__,
                        "rules": [rule(c) for c in codes],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "invocations": [invocation],
                "results": [
                    result_entry(d, index[d.code]) for d in result.findings if d.code in index
                ],
            }
        ],
    }


@check_reporter("sarif")
def sarif_report(result: Any) -> str:
    return json.dumps(document(result), indent=2)
