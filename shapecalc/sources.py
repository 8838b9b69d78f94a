"""Which files ``shapecalc check`` reads: the PATHs named, and the model files below the
directories named.

A directory is walked in sorted order, skipping hidden directories, ``__pycache__``, virtual
environments (a ``pyvenv.cfg``) and the config's ``exclude`` globs, for ``.scn`` files and for
``.py`` files that may define a model: they import torch or carry a ``# shapecalc: input=``
comment. Files are looked at statically here; check.py imports them.
"""

from __future__ import annotations

import ast
import io
import os
import re
import tokenize
from collections.abc import Sequence

from .config import Config

SKIP_DIRS = {
    "__pycache__",
    "__pypackages__",
    "node_modules",
    "site-packages",
    "venv",
    "_build",
    "buck-out",
}
SOURCE_SUFFIXES = (".py", ".scn")
_MODEL_COMMENT = re.compile(rb"#\s*shapecalc:\s*(?:model|input)=")


def collect_files(
    paths: Sequence[str], config: Config, skip_non_models: bool = False
) -> list[tuple[str, bool]]:
    """(path, named explicitly) for every file to check, in a stable order, each once. With
    skip_non_models a named file is kept only when a walk would keep it, and is not
    "explicit" (pre-commit names every staged file)."""
    from .frontends.loader import parse_spec

    out: list[tuple[str, bool]] = []
    seen: set[str] = set()

    def add(path: str, explicit: bool) -> None:
        key = os.path.abspath(path)
        if key not in seen:
            seen.add(key)
            out.append((path, explicit))

    for path in paths:
        if os.path.isdir(path):
            for found in walk(path, config):
                add(found, False)
        elif os.path.exists(path) or os.path.exists(parse_spec(path).path):
            if not skip_non_models:
                add(path, True)
            elif path.endswith(".scn") or (
                path.endswith(".py") and not config.excluded(path) and may_define_model(path)
            ):
                add(path, False)
        else:
            raise FileNotFoundError(f"no such file or directory: {path}")
    return out


def walk(root: str, config: Config) -> list[str]:
    found = []
    for directory, dirs, files in os.walk(root):
        dirs[:] = sorted(
            d
            for d in dirs
            if not _skipped_dir(os.path.join(directory, d))
            and not config.excluded(os.path.join(directory, d))
        )
        for name in sorted(files):
            path = os.path.join(directory, name)
            if name.endswith(SOURCE_SUFFIXES) and not config.excluded(path):
                if name.endswith(".scn") or may_define_model(path):
                    found.append(os.path.normpath(path))
    return found


def defines_class(path: str) -> bool:
    """Whether the file defines any class (a model file) or marks itself with a
    ``# shapecalc: input=`` comment; a walked file that raises on import is skipped when it
    does neither (a training script)."""
    try:
        with open(path, "rb") as f:
            source = f.read()
        tree = ast.parse(source)
    except (OSError, SyntaxError, ValueError):
        return True
    if any(isinstance(node, ast.ClassDef) for node in ast.walk(tree)):
        return True
    return bool(_MODEL_COMMENT.search(source)) and _has_model_comment(source)


def _has_model_comment(source: bytes) -> bool:
    try:
        for tok in tokenize.tokenize(io.BytesIO(source).readline):
            if tok.type == tokenize.COMMENT and _MODEL_COMMENT.match(tok.string.encode()):
                return True
    except (SyntaxError, tokenize.TokenError):
        return True
    return False


def _skipped_dir(path: str) -> bool:
    name = os.path.basename(path)
    if name.startswith(".") or name in SKIP_DIRS or name.endswith(".egg-info"):
        return True
    return os.path.exists(os.path.join(path, "pyvenv.cfg"))  # a virtual environment


def may_define_model(path: str) -> bool:
    """A cheap static look before importing a walked file: it imports torch, or it has a
    ``# shapecalc:`` comment. A file that does not parse is kept, so its error is reported."""
    try:
        with open(path, "rb") as f:
            source = f.read()
    except OSError:
        return True
    if _MODEL_COMMENT.search(source) and _has_model_comment(source):
        return True
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return True
    for node in ast.walk(tree):
        if isinstance(node, ast.Import) and any(
            a.name.split(".")[0] == "torch" for a in node.names
        ):
            return True
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "torch":
            return True
    return False
