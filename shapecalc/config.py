"""``[tool.shapecalc]`` in pyproject.toml: what ``shapecalc check`` selects, ignores and feeds.

```toml
[tool.shapecalc]
select = ["SC"]                 # codes or prefixes; default every code
ignore = ["SC110"]              # codes or prefixes
fail-on = "error"               # error | warning | info
exclude = ["legacy/*"]          # globs of files and directories a directory walk skips
per-file-ignores = {"tests/*" = ["SC901"]}

[tool.shapecalc.inputs]
"models/net.py" = "B,3,224,224"                  # every model of the file
"models/two.py:Fusion" = ["B,3,H,W", "B,16"]     # one model, its two inputs in order
```

The file is the nearest pyproject.toml with a ``[tool.shapecalc]`` table, looked for from the
directory that holds every checked path upwards, then from the working directory upwards.
Paths and globs in it are relative to the file's directory. Unknown keys are an error (a typo
would otherwise silently check something else).
"""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass, field
from typing import Any

from .codes import CODES
from .diagnostics import Severity

KEYS = {"select", "ignore", "fail-on", "exclude", "per-file-ignores", "inputs"}


class ConfigError(ValueError):
    """A malformed configuration: one line for the user, exit code 2."""


@dataclass(frozen=True)
class Config:
    path: str | None = None  # the pyproject.toml it came from; None for the defaults
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    fail_on: Severity | None = None
    exclude: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    inputs: tuple[tuple[str, tuple[str, ...]], ...] = ()  # "file.py[:Model]" -> specs
    root: str = field(default_factory=os.getcwd)  # the directory paths are relative to

    def relative(self, path: str) -> str:
        """``path`` relative to the config's directory, with forward slashes."""
        rel = os.path.relpath(os.path.abspath(path), self.root)
        return rel.replace(os.sep, "/")

    def ignored_in(self, path: str) -> tuple[str, ...]:
        """The codes and prefixes per-file-ignores switches off for ``path``."""
        rel = self.relative(path)
        out: list[str] = []
        for pattern, codes in self.per_file_ignores:
            if path_matches(rel, pattern):
                out.extend(codes)
        return tuple(out)

    def excluded(self, path: str) -> bool:
        rel = self.relative(path)
        return any(path_matches(rel, p) for p in self.exclude)

    def inputs_for(self, path: str, model: str) -> tuple[str, ...] | None:
        """The input specs configured for ``model`` of ``path``: ``file.py:Model`` first, then
        ``file.py``; None when neither is configured."""
        rel = self.relative(path)
        base = model.split("(")[0]
        by_file = None
        for key, specs in self.inputs:
            file_part, _, model_part = key.partition(":")
            if not path_matches(rel, file_part):
                continue
            if model_part and model_part in (model, base):
                return specs
            if not model_part and by_file is None:
                by_file = specs
        return by_file


def path_matches(rel: str, pattern: str) -> bool:
    """A glob against a path relative to the config: ``*`` crosses directories, a pattern
    without ``/`` also matches the file's name, ``dir/`` matches everything below dir."""
    pattern = pattern.replace(os.sep, "/").removeprefix("./")
    if pattern.endswith("/"):
        pattern += "*"
    candidates = [pattern]
    if pattern.startswith("**/"):
        candidates.append(pattern[3:])
    for p in candidates:
        if fnmatch.fnmatchcase(rel, p) or fnmatch.fnmatchcase(rel, p.rstrip("/") + "/*"):
            return True
        if "/" not in p and fnmatch.fnmatchcase(rel.rsplit("/", 1)[-1], p):
            return True
    return False


def find_config(paths: list[str] | tuple[str, ...] = ()) -> str | None:
    """The nearest pyproject.toml that has a [tool.shapecalc] table."""
    starts = []
    if paths:
        dirs = [
            os.path.abspath(p if os.path.isdir(p) else os.path.dirname(p) or ".") for p in paths
        ]
        starts.append(os.path.commonpath(dirs))
    starts.append(os.getcwd())
    for start in starts:
        directory = start
        while True:
            candidate = os.path.join(directory, "pyproject.toml")
            if os.path.isfile(candidate) and _has_table(candidate):
                return candidate
            parent = os.path.dirname(directory)
            if parent == directory:
                break
            directory = parent
    return None


def _has_table(path: str) -> bool:
    try:
        return "shapecalc" in _read_toml(path).get("tool", {})
    except ConfigError:
        return True  # a broken file that may hold our table: load_config reports it


def _read_toml(path: str) -> dict:
    try:
        import tomllib
    except ImportError:  # Python 3.10
        raise ConfigError("reading pyproject.toml needs Python 3.11 (tomllib)") from None
    try:
        with open(path, "rb") as f:
            return tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: {exc}") from None


def load_config(path: str | None) -> Config:
    """The [tool.shapecalc] table of ``path`` (a pyproject.toml), validated; the defaults when
    path is None."""
    if path is None:
        return Config()
    table = _read_toml(path).get("tool", {}).get("shapecalc", {})
    where = f"{path}: [tool.shapecalc]"
    if not isinstance(table, dict):
        raise ConfigError(f"{where} must be a table")
    unknown = sorted(set(table) - KEYS)
    if unknown:
        raise ConfigError(f"{where}: unknown key {unknown[0]!r} (known: {', '.join(sorted(KEYS))})")
    select = table.get("select")
    fail_on = table.get("fail-on")
    try:
        severity = Severity.parse(fail_on) if fail_on is not None else None
    except (ValueError, AttributeError):
        raise ConfigError(f"{where}: fail-on must be error, warning or info") from None
    per_file = table.get("per-file-ignores", {})
    if not isinstance(per_file, dict):
        raise ConfigError(f"{where}: per-file-ignores must be a table of glob = [codes]")
    inputs = table.get("inputs", {})
    if not isinstance(inputs, dict):
        raise ConfigError(f'{where}: inputs must be a table of "file.py[:Model]" = spec(s)')
    return Config(
        path=path,
        select=None if select is None else tuple(selectors(select, f"{where} select")),
        ignore=tuple(selectors(table.get("ignore", []), f"{where} ignore")),
        fail_on=severity,
        exclude=tuple(_strings(table.get("exclude", []), f"{where} exclude")),
        per_file_ignores=tuple(
            (k, tuple(selectors(v, f"{where} per-file-ignores {k!r}"))) for k, v in per_file.items()
        ),
        inputs=tuple(
            (k, tuple(_strings([v] if isinstance(v, str) else v, f"{where} inputs {k!r}")))
            for k, v in inputs.items()
        ),
        root=os.path.dirname(os.path.abspath(path)),
    )


def _strings(value: Any, what: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{what} must be a list of strings")
    return value


def selectors(value: Any, what: str) -> list[str]:
    """Codes and prefixes (``SC201``, ``SC2``, ``SC``, ``ALL``), checked against the catalogue.
    A string may hold several, separated by commas."""
    if isinstance(value, str):
        value = [value]
    out = []
    for item in _strings(value, what):
        for part in item.split(","):
            part = part.strip().upper()
            if not part:
                continue
            if part == "ALL":
                part = "SC"
            if not any(code.startswith(part) for code in CODES):
                raise ConfigError(f"{what}: {part!r} is not a shapecalc code or prefix of one")
            out.append(part)
    return out
