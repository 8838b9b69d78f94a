"""The report of ``shapecalc verify``: per model, one line per size checked (what shapecalc
predicts, what torch did, the verdict), then every disagreement as a compiler-style line
(``path:line: SC920 ...``: the layer, its location, predicted and real shape), the notes and
a one-line summary. ``json`` gives the same as data.

Not registered with ``@reporter``: these formats take Verifications, not Analyses.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from .table import fmt_shape

MAX_LAYERS_SHOWN = 10  # disagreeing layers listed per size; the first is where it went wrong


def _header(v: Any) -> str:
    where = f" from {v.source}" if v.source else ""
    shown = ", ".join(fmt_shape(t.shape) for t in v.inputs)
    label = "input" if len(v.inputs) == 1 else "inputs"
    return f"{v.name}{where}, {label} {shown}"


def _predicted(result: Any) -> str:
    if not result.ran:
        return ""
    if result.predicted_ok:
        return "valid"
    codes: list[str] = []
    for d in result.predicted_errors:
        if d.code not in codes:
            codes.append(d.code)
    return ", ".join(codes[:3]) + (", ..." if len(codes) > 3 else "")


def _torch(result: Any) -> str:
    if not result.ran:
        return ""
    if result.torch_ok:
        return "ran"
    return result.torch_error_type or "raised"


def _verdict(result: Any) -> str:
    if not result.ran:
        return "skipped"
    if not result.agrees:
        return "DISAGREE"
    if result.torch_ok:
        return f"agree ({result.compared} layers)"
    return "agree (rejected)"


def mismatch_lines(v: Any, result: Any) -> list[str]:
    """The disagreements at one size, as ``path:line: CODE message`` lines."""
    label = result.label
    lines = []
    for m in result.mismatches[:MAX_LAYERS_SHOWN]:
        lines.append(
            f"{m.where or v.source or v.name}: SC920 {_short(m.op)} '{m.name}' at {label}: "
            f"shapecalc predicts {m.predicted}, torch gives {m.actual}"
        )
    more = len(result.mismatches) - MAX_LAYERS_SHOWN
    if more > 0:
        lines.append(f"... and {more} more layers differ at {label}")
    if result.predicted_ok != result.torch_ok:
        if result.predicted_ok:
            lines.append(
                f"{v.source or v.name}: SC921 at {label}: shapecalc finds no error, torch "
                f"raises {result.torch_error}"
            )
        else:
            first = result.predicted_errors[0]
            where = f"{first.location.path}:{first.location.line}" if first.location else ""
            lines.append(
                f"{where or v.source or v.name}: SC921 at {label}: shapecalc reports "
                f"{first.code} ({first.message}), torch runs the forward"
            )
    return lines


def _short(op: str) -> str:
    return op.rsplit(".", 1)[-1]


def _inputs(result: Any) -> str:
    return ", ".join(fmt_shape(t.shape) for t in result.inputs)


def render_one(v: Any) -> str:
    from tabulate import tabulate

    from ..verify import format_bytes

    rows = [
        [
            r.label.removeprefix("input "),
            r.case.why,
            format_bytes(r.memory),
            _predicted(r),
            _torch(r),
            _verdict(r),
        ]
        for r in v.results
    ]
    table = tabulate(
        rows,
        headers=["size", "chosen as", "memory", "shapecalc", "torch", "verdict"],
        tablefmt="simple",
        colalign=("left", "left", "right", "left", "left", "left"),
        disable_numparse=True,
    )
    lines = [_header(v), "", table]
    details: list[str] = []
    for r in v.results:
        if not r.ran:
            details.append(f"{r.label} skipped: {r.skipped}")
        details.extend(mismatch_lines(v, r))
    details.extend(v.notes)
    if details:
        lines.append("")
        lines.extend(details)
    lines.extend(["", v.summary()])
    return "\n".join(lines)


def render_text(verifications: Sequence[Any]) -> str:
    return "\n\n".join(render_one(v) for v in verifications)


def entry(v: Any) -> dict:
    """One model's verification as JSON data."""
    from .json_report import dim

    sizes = []
    for r in v.results:
        sizes.append(
            {
                "sizes": r.case.values,
                "chosen_as": r.case.why,
                "inputs": [[dim(d) for d in t.shape] for t in r.inputs],
                "memory_bytes": r.memory,
                "skipped": r.skipped,
                "verdict": r.verdict,
                "predicted_errors": [d.to_dict() for d in r.predicted_errors],
                "torch_error": r.torch_error,
                "layers_compared": r.compared,
                "layers_without_rule": r.evaluated,
                "mismatches": [
                    {
                        "code": "SC920",
                        "layer": m.name,
                        "op": m.op,
                        "location": (
                            {"path": m.location.path, "line": m.location.line}
                            if m.location
                            else None
                        ),
                        "predicted": m.predicted,
                        "actual": m.actual,
                    }
                    for m in r.mismatches
                ],
            }
        )
    return {
        "name": v.name,
        "source": v.source,
        "input_shapes": [[dim(d) for d in t.shape] for t in v.inputs],
        "device": v.device,
        "ok": v.ok,
        "summary": v.summary(),
        "notes": list(v.notes),
        "sizes": sizes,
    }


def render_json(verifications: Sequence[Any]) -> str:
    return json.dumps({"version": 1, "models": [entry(v) for v in verifications]}, indent=2)


def render(fmt: str, verifications: Sequence[Any]) -> str:
    return render_json(verifications) if fmt == "json" else render_text(verifications)
