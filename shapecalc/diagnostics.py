"""Findings are values: a Diagnostic is collected, never raised; reporters only format."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any


class Severity(IntEnum):
    INFO = 0
    WARNING = 1
    ERROR = 2

    def __str__(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.upper()]
        except KeyError:
            raise ValueError(f"unknown severity {text!r} (use error, warning or info)") from None


@dataclass(frozen=True)
class Location:
    """A place in a source file; line and column are 1-based, as editors show them."""

    path: str
    line: int
    column: int = 1
    end_line: int | None = None
    end_column: int | None = None

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"

    @classmethod
    def of_ast(cls, path: str, node: Any) -> Location:
        """Where an ``ast`` node stands (its columns are 0-based; ours are 1-based)."""
        end_column = getattr(node, "end_col_offset", None)
        return cls(
            path,
            node.lineno,
            node.col_offset + 1,
            getattr(node, "end_lineno", None),
            end_column + 1 if end_column is not None else None,
        )


@dataclass(frozen=True)
class Fix:
    """A literal argument of a layer's constructor to rewrite: ``in_features`` -> 864."""

    param: str
    value: Any
    description: str = ""


@dataclass(frozen=True)
class Diagnostic:
    code: str
    severity: Severity
    message: str
    layer: str | None = None
    location: Location | None = None
    fix: Fix | None = None
    notes: tuple[str, ...] = field(default=())

    def sort_key(self) -> tuple:
        loc = self.location
        return (
            loc.path if loc else "",
            loc.line if loc else 0,
            loc.column if loc else 0,
            self.code,
        )

    def to_dict(self) -> dict:
        loc = self.location
        return {
            "code": self.code,
            "severity": str(self.severity),
            "message": self.message,
            "layer": self.layer,
            "location": (
                {"path": loc.path, "line": loc.line, "column": loc.column} if loc else None
            ),
        }
