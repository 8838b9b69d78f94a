"""Reporters for ``shapecalc check``: one small module per format, registered by name with
``@check_reporter``. A check reporter takes a ``CheckResult`` and returns the text to print
(the calculator's reporters, one package up, take analyses instead)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ...registry import Registry

CheckReporter = Callable[[Any], str]

_CHECK_REPORTERS: Registry[CheckReporter] = Registry(__name__, __path__, "check reporter")


def check_reporter(name: str) -> Callable[[CheckReporter], CheckReporter]:
    """Register ``fn(result: CheckResult) -> str`` as check format ``name``."""
    return _CHECK_REPORTERS.register(name)


def check_formats() -> list[str]:
    return _CHECK_REPORTERS.names()


def render_check(name: str, result: Any) -> str:
    return _CHECK_REPORTERS.get(name)(result)
