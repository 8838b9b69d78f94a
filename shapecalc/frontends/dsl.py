"""The architecture DSL frontend: ``.scn`` files to LoadedModels, without importing torch.

A ``.scn`` file is a small, safe subset of Python syntax, parsed with ``ast`` and never
executed (dsl_syntax.py checks it, dsl_eval.py walks it, dsl_layers.py binds layers and fills
in ``...``). Every top-level ``def`` without parameters is a model; a ``def`` with parameters
is a block the models call. ``build()`` generates the equivalent PyTorch source
(shapecalc/export.py) and executes that, so torch is imported only when a real module is
wanted (verify).
"""

from __future__ import annotations

import ast
from typing import Any

from . import FrontendError, LoadedModel
from .dsl_eval import Block, DslModel, Frame, ModelBuilder
from .dsl_syntax import DslError, parse


def load_models(path: str, name: str | None = None) -> list[LoadedModel]:
    """Every model of a DSL file, in file order (or only the one named)."""
    return [_loaded(path, dm) for dm in build_models(path, name=name)]


def _loaded(path: str, dm: DslModel) -> LoadedModel:
    def build() -> Any:
        from ..export import build_module

        return build_module(dm)

    return LoadedModel(dm.name, path, dm.graph, list(dm.inputs), build)


def read_source(path: str) -> str:
    try:
        with open(path, encoding="utf-8-sig") as f:  # a BOM is not part of the text
            return f.read()
    except UnicodeDecodeError as exc:
        raise FrontendError(f"{path}: not a UTF-8 text file ({exc.reason})") from None
    except OSError as exc:
        raise FrontendError(f"cannot read {path}: {exc.strerror or exc}") from None


def build_models(path: str, text: str | None = None, name: str | None = None) -> list[DslModel]:
    """Parse, check and build every model of a DSL file (FrontendError on any error), or only
    the one named: an error in another model of the file does not stop it."""
    from .loader import read_input_comments

    text = read_source(path) if text is None else text
    tree, source = parse(path, text)
    try:
        globals_, models = _top_level(path, tree)
        if not models:
            raise DslError(
                "no model in this file: a model is a def without parameters, e.g. "
                "`def Net():` whose body starts with `x = Input(B, 3, H, W)`",
                None,
            )
        if name is not None:
            chosen = [fn for fn in models if fn.name == name]
            if not chosen:
                names = ", ".join(fn.name for fn in models)
                raise FrontendError(f"{path} has no model {name!r} (models: {names})")
            models = chosen
        comments = read_input_comments(path) if _exists(path) else {}
        built = []
        for fn in models:
            override = comments.get(fn.name, comments.get(None))
            built.append(ModelBuilder(path, fn, globals_, override).build())
        return built
    except DslError as exc:
        raise exc.located(source) from None
    except RecursionError:
        raise DslError("the file nests too deeply", None, source) from None


def _exists(path: str) -> bool:
    import os

    return os.path.isfile(path)


def _top_level(path: str, tree: ast.Module) -> tuple[dict[str, Any], list[ast.FunctionDef]]:
    """Constants and blocks by name, and the models (defs without parameters) in order."""
    globals_: dict[str, Any] = {}
    models: list[ast.FunctionDef] = []
    scratch = ModelBuilder(path, ast.FunctionDef("_", ast.arguments(), [], []), {})
    scratch.globals = globals_  # constants read the ones defined above them
    for stmt in tree.body:
        if isinstance(stmt, ast.FunctionDef):
            if stmt.name in globals_:
                raise DslError(f"{stmt.name!r} is defined twice", stmt)
            globals_[stmt.name] = Block(stmt)
            if not stmt.args.args:
                models.append(stmt)
        elif isinstance(stmt, ast.Assign):
            for target in stmt.targets:
                value = scratch.expr(stmt.value, Frame({}, "", False))
                if not _constant(value):
                    raise DslError(
                        "top-level names hold numbers, strings, tuples or lists only", stmt.value
                    )
                if target.id in globals_ and isinstance(globals_[target.id], Block):  # type: ignore[attr-defined]
                    raise DslError(f"{target.id!r} is already a block", target)
                globals_[target.id] = value  # type: ignore[attr-defined]
    return globals_, models


def _constant(value: Any) -> bool:
    if isinstance(value, (tuple, list)):
        return all(_constant(v) for v in value)
    return value is None or isinstance(value, (int, float, str, bool))


__all__ = ["DslError", "build_models", "load_models", "read_source"]
