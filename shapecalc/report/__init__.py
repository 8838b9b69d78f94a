"""Reporters: one small module per output format, registered by name with ``@reporter``.

A reporter takes the analyses of one run (one per model) and returns the text to print:
``get_reporter("table")(analyses)``. Adding a format is one module in this package with one
decorated function; it is found by name on first lookup.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Sequence
from typing import Any

Reporter = Callable[..., str]

REPORTERS: dict[str, Reporter] = {}
_loaded = False


def reporter(name: str) -> Callable[[Reporter], Reporter]:
    """Register ``fn(analyses: Sequence[Analysis], **options) -> str`` as format ``name``."""

    def register(fn: Reporter) -> Reporter:
        if name in REPORTERS:
            raise ValueError(f"two reporters for {name!r}")
        REPORTERS[name] = fn
        return fn

    return register


def _load_all() -> None:
    global _loaded
    if _loaded:
        return
    _loaded = True
    for info in pkgutil.iter_modules(__path__):
        if not info.name.startswith("_"):
            importlib.import_module(f"{__name__}.{info.name}")


def get_reporter(name: str) -> Reporter:
    _load_all()
    try:
        return REPORTERS[name]
    except KeyError:
        raise ValueError(f"unknown format {name!r} (use one of {', '.join(formats())})") from None


def formats() -> list[str]:
    _load_all()
    return sorted(REPORTERS)


def render(name: str, analyses: Sequence[Any], **options: Any) -> str:
    return get_reporter(name)(analyses, **options)
