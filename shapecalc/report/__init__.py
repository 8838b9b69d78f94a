"""Reporters: one small module per output format, registered by name with ``@reporter``.

A reporter takes the analyses of one run (one per model) and returns the text to print:
``get_reporter("table")(analyses)``. Adding a format is one module in this package with one
decorated function; it is found by name on first lookup.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ..registry import Registry

Reporter = Callable[..., str]

_REPORTERS: Registry[Reporter] = Registry(__name__, __path__, "reporter")


def reporter(name: str) -> Callable[[Reporter], Reporter]:
    """Register ``fn(analyses: Sequence[Analysis], **options) -> str`` as format ``name``."""
    return _REPORTERS.register(name)


def get_reporter(name: str) -> Reporter:
    return _REPORTERS.get(name)


def formats() -> list[str]:
    return _REPORTERS.names()


def render(name: str, analyses: Sequence[Any], **options: Any) -> str:
    return get_reporter(name)(analyses, **options)
