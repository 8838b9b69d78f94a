"""Reporters for ``shapecalc check``: one small module per format, registered by name with
``@check_reporter``. A check reporter takes a ``CheckResult`` and returns the text to print
(the calculator's reporters, one package up, take analyses instead)."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from typing import Any

CheckReporter = Callable[[Any], str]

CHECK_REPORTERS: dict[str, CheckReporter] = {}
_loaded = False


def check_reporter(name: str) -> Callable[[CheckReporter], CheckReporter]:
    """Register ``fn(result: CheckResult) -> str`` as check format ``name``."""

    def register(fn: CheckReporter) -> CheckReporter:
        if name in CHECK_REPORTERS:
            raise ValueError(f"two check reporters for {name!r}")
        CHECK_REPORTERS[name] = fn
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


def check_formats() -> list[str]:
    _load_all()
    return sorted(CHECK_REPORTERS)


def render_check(name: str, result: Any) -> str:
    _load_all()
    try:
        fn = CHECK_REPORTERS[name]
    except KeyError:
        known = ", ".join(check_formats())
        raise ValueError(f"unknown format {name!r} (use one of {known})") from None
    return fn(result)
