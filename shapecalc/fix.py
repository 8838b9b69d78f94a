"""``shapecalc check --fix``: rewrite an unambiguous literal argument in place.

A finding may carry a ``Fix(param, value)`` (``in_features`` -> 864). The fix is applied when
the layer's constructor call is found at the finding's location (``nn.Linear(400, 10)``: the
callee's name is the layer's op), the argument is given there as a plain int literal, by
keyword or by position (positions follow the constructor's signature, the one the op's shape
rule declares), and every layer built at that line wants the same value (check.py). Exactly
the literal's characters are replaced; every other byte of the file stays as it was.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .rules import get_rule

if TYPE_CHECKING:
    from .check import AppliedFix, FixSite


def apply_fixes(sites: Sequence[FixSite]) -> list[AppliedFix]:
    """Apply every site that can be applied; files are rewritten once each."""
    by_path: dict[str, list[FixSite]] = {}
    for site in sites:
        by_path.setdefault(site.location.path, []).append(site)
    applied: list[AppliedFix] = []
    for path, group in sorted(by_path.items()):
        try:
            with open(path, "rb") as f:
                source = f.read()
        except OSError:
            continue
        new_source, done = fix_source(source, group)
        if done:
            with open(path, "wb") as f:
                f.write(new_source)
            applied.extend(done)
    return applied


def fixable(sites: Sequence[FixSite]) -> list[FixSite]:
    """The sites whose literal is found in the source as it is now."""
    out = []
    by_path: dict[str, list[FixSite]] = {}
    for site in sites:
        by_path.setdefault(site.location.path, []).append(site)
    for path, group in by_path.items():
        try:
            with open(path, "rb") as f:
                calls = _calls(ast.parse(f.read()))
        except (OSError, SyntaxError, ValueError):
            continue
        out.extend(s for s in group if find_literal(calls, s) is not None)
    return out


def _calls(tree: ast.AST) -> dict[tuple[int, int], list[ast.Call]]:
    calls: dict[tuple[int, int], list[ast.Call]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            calls.setdefault((node.lineno, node.col_offset + 1), []).append(node)
    return calls


def fix_source(source: bytes, sites: Sequence[FixSite]) -> tuple[bytes, list[AppliedFix]]:
    """``source`` with the sites' literals replaced, and what was replaced."""
    from .check import AppliedFix

    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return source, []
    calls = _calls(tree)
    starts = _line_starts(source)
    edits: dict[tuple[int, int], tuple[bytes, AppliedFix]] = {}
    for site in sites:
        literal = find_literal(calls, site)
        if literal is None or literal.value == site.value:
            continue
        begin = starts[literal.lineno - 1] + literal.col_offset
        end = starts[literal.end_lineno - 1] + literal.end_col_offset  # type: ignore[operator]
        fix = AppliedFix(site.location, site.param, literal.value, site.value)
        previous = edits.get((begin, end))
        if previous is not None and previous[1].new != site.value:
            edits[(begin, end)] = (b"", previous[1])  # two wishes for one literal: neither
            continue
        edits[(begin, end)] = (str(site.value).encode(), fix)
    out = source
    applied = []
    for (begin, end), (text, fix) in sorted(edits.items(), reverse=True):
        if not text:
            continue
        out = out[:begin] + text + out[end:]
        applied.append(fix)
    applied.reverse()
    return out, applied


def find_literal(
    calls: dict[tuple[int, int], list[ast.Call]], site: FixSite
) -> ast.Constant | None:
    """The int literal of ``site.param`` in the constructor call at the site's location."""
    loc = site.location
    candidates = [
        c
        for c in calls.get((loc.line, loc.column), ())
        if _callee(c) == site.op
        and (loc.end_line is None or c.end_lineno == loc.end_line)
        and (loc.end_column is None or (c.end_col_offset or 0) + 1 == loc.end_column)
    ]
    if len(candidates) != 1:
        return None
    call = candidates[0]
    arg = _argument(call, site)
    if isinstance(arg, ast.Constant) and type(arg.value) is int:
        return arg
    return None


def _callee(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _argument(call: ast.Call, site: FixSite) -> ast.expr | None:
    for kw in call.keywords:
        if kw.arg == site.param:
            return kw.value
    rule = get_rule(site.op)
    if rule is None or rule.init is None:
        return None
    names = list(rule.init.parameters)
    if site.param not in names:
        return None
    index = names.index(site.param)
    positional = call.args
    if any(isinstance(a, ast.Starred) for a in positional[: index + 1]):
        return None
    return positional[index] if index < len(positional) else None


def _line_starts(source: bytes) -> list[int]:
    """Byte offset of every line's start, with the line ends Python's tokenizer uses."""
    starts = [0]
    offset = 0
    for line in source.splitlines(keepends=True):
        offset += len(line)
        starts.append(offset)
    return starts
