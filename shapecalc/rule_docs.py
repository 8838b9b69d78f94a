"""``shapecalc rule SC201`` and ``shapecalc rules``: the catalogue of codes, for people."""

from __future__ import annotations

import difflib
import json
from dataclasses import asdict

from .codes import CODES, Code


class RuleLookupError(LookupError):
    pass


def find_code(text: str) -> Code:
    """A code by its id (``SC201``, any case) or its kebab-case name."""
    key = text.strip()
    if key.upper() in CODES:
        return CODES[key.upper()]
    by_name = {c.name: c for c in CODES.values()}
    if key.lower() in by_name:
        return by_name[key.lower()]
    upper = key.upper()
    close = sorted(
        c for c in CODES if upper.startswith(c) or (len(upper) > 2 and c.startswith(upper))
    )
    close += difflib.get_close_matches(upper, list(CODES), n=3, cutoff=0.6)
    close += [by_name[n].code for n in difflib.get_close_matches(key.lower(), list(by_name), n=3)]
    hint = ""
    if close:
        names = [f"{c} ({CODES[c].name})" for c in list(dict.fromkeys(close))[:3]]
        hint = f"; did you mean {' or '.join(names)}?"
    raise RuleLookupError(f"unknown code {text!r}{hint} (`shapecalc rules` lists them all)")


def _entry(code: Code) -> dict:
    out = asdict(code)
    out["severity"] = str(code.severity)
    return out


def rule_json(code: Code) -> str:
    return json.dumps(_entry(code), indent=2)


def rules_json() -> str:
    return json.dumps([_entry(c) for c in sorted(CODES.values(), key=lambda c: c.code)], indent=2)


def rules_table() -> str:
    from tabulate import tabulate

    rows = [
        (c.code, c.name, str(c.severity), c.summary)
        for c in sorted(CODES.values(), key=lambda c: c.code)
    ]
    return tabulate(rows, headers=("code", "name", "severity", "summary"), tablefmt="simple")
