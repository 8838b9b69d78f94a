"""A registry of functions by name, filled by the modules of one package on first lookup:
the calculator's reporters (report/) and the check reporters (report/check/) are two."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable
from typing import Generic, TypeVar

F = TypeVar("F", bound=Callable)


def import_submodules(package: str, path: Iterable[str]) -> None:
    """Import every module of ``package`` (at ``path``) whose name does not start with _."""
    for info in pkgutil.iter_modules(path):
        if not info.name.startswith("_"):
            importlib.import_module(f"{package}.{info.name}")


class Registry(Generic[F]):
    """``what`` names the entries in errors ("reporter", "check reporter")."""

    def __init__(self, package: str, path: Iterable[str], what: str) -> None:
        self.package, self.path, self.what = package, list(path), what
        self.entries: dict[str, F] = {}
        self._loaded = False

    def register(self, name: str) -> Callable[[F], F]:
        def add(fn: F) -> F:
            if name in self.entries:
                raise ValueError(f"two {self.what}s for {name!r}")
            self.entries[name] = fn
            return fn

        return add

    def names(self) -> list[str]:
        self._load()
        return sorted(self.entries)

    def get(self, name: str) -> F:
        self._load()
        try:
            return self.entries[name]
        except KeyError:
            known = ", ".join(self.names())
            raise ValueError(f"unknown format {name!r} (use one of {known})") from None

    def _load(self) -> None:
        if not self._loaded:
            self._loaded = True
            import_submodules(self.package, self.path)
