"""``# shapecalc: ignore[SC201]`` comments: suppress findings on their line.

``# shapecalc: ignore[SC201]`` and ``# shapecalc: ignore[SC201, SC305]`` suppress those codes
(prefixes too: ``ignore[SC2]``); a bare ``# shapecalc: ignore`` suppresses every finding. The
comment goes on the line of the finding; for a call written over several lines (a layer built
as ``nn.Conv2d(\\n ...\\n)``) any line of the call will do. A comment that suppresses nothing
is itself reported (SC902), so that stale suppressions don't hide future errors.

Comments are read with ``tokenize``, so the text inside strings is never taken for one.
"""

from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass, field

from .codes import CODES, severity_of
from .diagnostics import Diagnostic, Location

_IGNORE = re.compile(r"#\s*shapecalc:\s*ignore\b(?:\[(?P<codes>[^\]]*)\])?", re.IGNORECASE)


@dataclass
class Suppression:
    line: int
    column: int
    codes: tuple[str, ...] | None  # None: every code
    used: set[str] = field(default_factory=set)  # codes (or "*") that matched a finding

    def covers(self, code: str) -> str | None:
        """The selector of this comment that matches ``code``, or None."""
        if self.codes is None:
            return "*"
        return next((c for c in self.codes if code.startswith(c)), None)


def read_suppressions(path: str) -> dict[int, list[Suppression]]:
    """The suppression comments of a Python file, by line. A file that cannot be read or
    tokenized has none."""
    try:
        with open(path, "rb") as f:
            tokens = list(tokenize.tokenize(io.BytesIO(f.read()).readline))
    except (OSError, SyntaxError, tokenize.TokenError):
        return {}
    out: dict[int, list[Suppression]] = {}
    for tok in tokens:
        if tok.type != tokenize.COMMENT:
            continue
        for m in _IGNORE.finditer(tok.string):
            text = m.group("codes")
            codes = None
            if text is not None:
                codes = tuple(c.strip().upper() for c in text.split(",") if c.strip())
            line, col = tok.start
            # a byte offset, as the frontends' columns are (check.py turns both into characters)
            offset = len(tok.line[:col].encode()) + len(tok.string[: m.start()].encode())
            out.setdefault(line, []).append(Suppression(line, offset + 1, codes))
    return out


class Suppressor:
    """Applies the comments of every file findings point into; remembers what each matched."""

    def __init__(self) -> None:
        self.files: dict[str, dict[int, list[Suppression]]] = {}

    def comments(self, path: str) -> dict[int, list[Suppression]]:
        if path not in self.files:
            self.files[path] = read_suppressions(path)
        return self.files[path]

    def suppressed(self, diag: Diagnostic) -> bool:
        """True when a comment on the finding's line(s) covers its code (and marks it used)."""
        loc = diag.location
        if loc is None or diag.code == "SC902":
            return False
        comments = self.comments(loc.path)
        last = loc.end_line if loc.end_line and loc.end_line >= loc.line else loc.line
        hit = False
        for line in range(loc.line, last + 1):
            for sup in comments.get(line, ()):
                selector = sup.covers(diag.code)
                if selector is not None:
                    sup.used.add(selector)
                    hit = True
        return hit

    def unused(self, path: str) -> list[Diagnostic]:
        """SC902 for every comment of ``path`` (or code inside one) that matched nothing."""
        out = []
        for line in sorted(self.comments(path)):
            for sup in self.comments(path)[line]:
                message = _unused_message(sup)
                if message:
                    loc = Location(path, sup.line, sup.column)
                    out.append(Diagnostic("SC902", severity_of("SC902"), message, None, loc))
        return out


def _unused_message(sup: Suppression) -> str | None:
    if sup.codes is None:
        return None if sup.used else "'# shapecalc: ignore' suppresses nothing on this line"
    if not sup.codes:
        return "'# shapecalc: ignore[]' names no code"
    unknown = [c for c in sup.codes if not any(k.startswith(c) for k in CODES)]
    unused = [c for c in sup.codes if c not in sup.used and c not in unknown]
    parts = []
    if unused:
        parts.append(f"unused suppression: no {', '.join(unused)} finding on this line")
    if unknown:
        verb = "is not a shapecalc code" if len(unknown) == 1 else "are not shapecalc codes"
        parts.append(f"{', '.join(unknown)} {verb}")
    return "; ".join(parts) or None
