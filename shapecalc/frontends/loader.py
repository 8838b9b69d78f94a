"""From a PATH spec to LoadedModels: import the user's file, find its models, build them.

``model.py`` finds every model in the file; ``model.py:Name`` picks a class, a module-level
instance or a zero-argument factory function; ``model.py:Name(64, 256)`` passes literal
arguments (parsed with ``ast.literal_eval``, never evaluated). ``.scn`` files go to the DSL
frontend.

Models are built under ``torch.device("meta")``: no weights are allocated and no
initialisation runs, so building costs the same for any parameter count. When construction
fails on meta (it needs real data), it is retried on CPU. While building, every module
instance gets the source location of the user's code that constructed it, and a torch.nn layer
whose constructor rejects its arguments becomes a *shell* (its arguments kept, PyTorch's
message recorded) so that the rest of the model is still analysed.
"""

from __future__ import annotations

import ast
import importlib.util
import inspect
import io
import itertools
import os
import re
import sys
import tokenize
import warnings
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from ..diagnostics import Location
from ..inputs import InputSpecError, parse_shape
from ..values import TensorValue
from . import FrontendError, LoadedModel
from .locations import SourceMap

_SPEC = re.compile(r"^(?P<path>.+?):(?P<name>[A-Za-z_][\w.]*)\s*(?P<args>\(.*)?$", re.DOTALL)
_COMMENT = re.compile(r"#\s*shapecalc:\s*(?P<body>(?:model|input)=.*)$")
_KEY = re.compile(r"(?:^|\s)(model|input)=")
_counter = itertools.count()


@dataclass
class PathSpec:
    path: str
    name: str | None = None
    args: tuple = ()
    kwargs: dict[str, Any] = field(default_factory=dict)
    args_text: str = ""

    @property
    def label(self) -> str:
        return f"{self.name}{self.args_text}" if self.name else self.path


def parse_spec(spec: str) -> PathSpec:
    """``model.py``, ``model.py:Name`` or ``model.py:Name(64, 256, act='relu')``."""
    if os.path.exists(spec):
        return PathSpec(spec)
    m = _SPEC.match(spec)
    if m is None:
        return PathSpec(spec)
    args_text = (m.group("args") or "").strip()
    args: tuple = ()
    kwargs: dict[str, Any] = {}
    if args_text:
        try:
            call = ast.parse(f"f{args_text}", mode="eval").body
            if not isinstance(call, ast.Call):
                raise ValueError("not an argument list")
            if any(isinstance(a, ast.Starred) for a in call.args) or any(
                k.arg is None for k in call.keywords
            ):
                raise ValueError("*args and **kwargs are not supported")
            args = tuple(ast.literal_eval(a) for a in call.args)
            kwargs = {k.arg: ast.literal_eval(k.value) for k in call.keywords if k.arg}
        except (SyntaxError, ValueError) as exc:
            raise FrontendError(
                f"malformed arguments in {spec!r}: {exc} (use literals, e.g. "
                f"{m.group('path')}:{m.group('name')}(64, 256))"
            ) from None
    return PathSpec(m.group("path"), m.group("name"), args, kwargs, args_text)


def load(spec: str) -> list[LoadedModel]:
    """Every model a PATH spec names (one when it picks a name)."""
    ps = parse_spec(spec)
    if not os.path.exists(ps.path):
        raise FrontendError(f"no such file: {ps.path}")
    if os.path.isdir(ps.path):
        raise FrontendError(f"{ps.path} is a directory; give a .py or .scn file")
    if ps.path.endswith(".scn"):
        return _load_dsl(ps)
    return _load_python(ps)


def _load_dsl(ps: PathSpec) -> list[LoadedModel]:
    try:
        from . import dsl  # type: ignore[attr-defined]
    except ImportError as exc:
        if exc.name in ("shapecalc.frontends.dsl", f"{__package__}.dsl"):
            raise FrontendError(".scn files need the DSL frontend") from None
        raise
    return dsl.load_models(ps.path, ps.name)  # only the model picked is built


# -------------------------------------------------------------------------------- building


def _call_user(fn: Callable, *args: Any, **kwargs: Any) -> Any:
    """Every call into the user's code goes through here: source locations stop at it. torch's
    warnings while building (deprecations, lazy modules) are not the user's findings."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(*args, **kwargs)


class BuildContext:
    """While active: modules built get their constructing location; torch.nn layers with a
    shape rule whose constructor raises become shells; tensors default to ``device``."""

    def __init__(self, source_map: SourceMap) -> None:
        self.source_map = source_map
        self.locations: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self._stops = (_call_user.__code__,)

    @contextmanager
    def active(self, device: str | None) -> Iterator[None]:
        """``device`` "meta" builds without allocating; None builds as the code says."""
        import torch
        import torch.nn as nn

        original_init = nn.Module.__init__
        context = self

        def module_init(module: Any, *args: Any, **kwargs: Any) -> None:
            original_init(module, *args, **kwargs)
            try:
                if module in context.locations:
                    return
                loc = context.source_map.innermost(
                    sys._getframe(1), stop=context._stops, skip_self=module
                )
                if loc is not None:
                    context.locations[module] = loc
            except TypeError:  # a module class that is not hashable: no location
                pass

        patched = _rule_classes()
        nn.Module.__init__ = module_init  # type: ignore[method-assign]
        for cls, _own, original, rule in patched:
            cls.__init__ = _shell_init(original, rule)  # type: ignore[misc]
        try:
            if device:
                with torch.device(device):
                    yield
            else:
                yield
        finally:
            nn.Module.__init__ = original_init  # type: ignore[method-assign]
            for cls, own, original, _rule in patched:
                if own:
                    cls.__init__ = original  # type: ignore[misc]
                else:
                    del cls.__init__


def _rule_classes() -> list[tuple[type, bool, Callable, Any]]:
    """torch.nn classes that have a module rule, with their current __init__."""
    import torch.nn as nn

    from ..rules import all_rules

    out = []
    for name, rule in sorted(all_rules().items()):
        cls = getattr(nn, name, None)
        if rule.module and isinstance(cls, type) and issubclass(cls, nn.Module):
            out.append((cls, "__init__" in cls.__dict__, cls.__init__, rule))
    return out


def _shell_init(original: Callable, rule: Any) -> Callable:
    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        try:
            original(self, *args, **kwargs)
        except Exception as exc:
            try:
                params = rule.bind_init(args, kwargs)
            except TypeError:
                raise exc from None  # arguments that don't bind are not a shape problem
            _make_shell(self, params, str(exc) or type(exc).__name__)

    __init__.__wrapped__ = original  # type: ignore[attr-defined]
    return __init__


def _make_shell(module: Any, params: dict[str, Any], message: str) -> None:
    """A layer PyTorch refused to build: an initialised nn.Module holding the user's
    arguments as attributes, and PyTorch's message."""
    import torch.nn as nn

    nn.Module.__init__(module)
    for key, value in params.items():
        module.__dict__[key] = value
    module.__dict__["_shapecalc_rejected"] = message


# ------------------------------------------------------------------------------- python files


class UserCodeError(FrontendError):
    """The user's code raised while being imported or built. ``location``, ``reason``
    (``RuntimeError: ...``), ``error_type`` and ``doing`` (``while building Net``) let
    ``shapecalc check`` report it as a finding at that line."""

    def __init__(
        self,
        message: str,
        location: Location | None = None,
        reason: str = "",
        error_type: str = "",
        doing: str = "",
    ) -> None:
        super().__init__(message)
        self.location = location
        self.reason = reason
        self.error_type = error_type
        self.doing = doing


def user_error(exc: BaseException, doing: str, source_map: SourceMap) -> FrontendError:
    """One line: ``model.py:12:9: RuntimeError: ... (while building Net)``."""
    if isinstance(exc, SyntaxError) and exc.filename:
        loc = Location(source_map.display(exc.filename), exc.lineno or 1, exc.offset or 1)
        reason = f"SyntaxError: {exc.msg}"
        return UserCodeError(f"{loc}: {reason} ({doing})", loc, reason, "SyntaxError", doing)
    loc = source_map.from_traceback(exc.__traceback__)
    where = f"{loc}: " if loc else ""
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    text = f"{type(exc).__name__}: {message}" if message else type(exc).__name__
    return UserCodeError(f"{where}{text} ({doing})", loc, text, type(exc).__name__, doing)


def import_file(path: str, context: BuildContext, device: str | None) -> Any:
    """Import ``path`` under a unique module name, its directory on sys.path meanwhile."""
    abspath = os.path.abspath(path)
    stem = re.sub(r"\W", "_", os.path.splitext(os.path.basename(path))[0])
    name = f"_shapecalc_user_{next(_counter)}_{stem}"
    package, root = _package_of(abspath)
    if package:  # a module of a package: its relative imports resolve in the package
        name = f"{package}.{name}"
    spec = importlib.util.spec_from_file_location(name, abspath)
    if spec is None or spec.loader is None:
        raise FrontendError(f"cannot import {path}: not a Python file")
    module = importlib.util.module_from_spec(spec)
    saved_path = list(sys.path)
    sys.path.insert(0, os.path.dirname(abspath))
    if root:
        sys.path.insert(1, root)
    sys.modules[name] = module
    try:
        with context.active(device):
            _call_user(spec.loader.exec_module, module)
    except (Exception, SystemExit) as exc:
        sys.modules.pop(name, None)
        raise user_error(exc, f"while importing {path}", context.source_map) from None
    finally:
        sys.path[:] = saved_path
    return module


def _package_of(abspath: str) -> tuple[str, str | None]:
    """The dotted package a file lies in (directories with an ``__init__.py``) and the
    directory above the outermost one; ("", None) for a file outside any package."""
    parts: list[str] = []
    directory = os.path.dirname(abspath)
    while os.path.isfile(os.path.join(directory, "__init__.py")):
        name = os.path.basename(directory)
        if not name.isidentifier():
            break
        parts.insert(0, name)
        directory = os.path.dirname(directory)
    return (".".join(parts), directory) if parts else ("", None)


def read_input_comments(path: str) -> dict[str | None, list[TensorValue]]:
    """``# shapecalc: input=B,3,H,W`` comments: inputs in order, for every model (key None) or
    for one (``# shapecalc: model=Encoder input=B,3,H,W input=B,T:int64``). Several inputs go
    in one comment or in successive comments."""
    out: dict[str | None, list[TensorValue]] = {}
    try:
        with open(path, "rb") as f:
            tokens = list(tokenize.tokenize(io.BytesIO(f.read()).readline))
    except (OSError, SyntaxError, tokenize.TokenError):
        return out
    for tok in tokens:
        if tok.type != tokenize.COMMENT:
            continue
        m = _COMMENT.match(tok.string)
        if m is None:
            continue
        parts = _KEY.split(m.group("body"))
        target: str | None = None
        shapes = []
        for key, value in zip(parts[1::2], parts[2::2]):
            value = value.strip()
            if key == "model":
                target = value
                continue
            try:
                shapes.append(parse_shape(value))
            except InputSpecError as exc:
                raise FrontendError(
                    f"{path}:{tok.start[0]}:{tok.start[1] + 1}: bad input comment: {exc}"
                ) from None
        out.setdefault(target, []).extend(shapes)
    return out


def declared_inputs(
    path: str, name: str, comments: dict[str | None, list[TensorValue]]
) -> list[TensorValue] | None:
    """The inputs the comments declare for model ``name``: its own ``model=`` comment, else
    the untargeted one that governs it. Untargeted comments on successive lines form one
    declaration; with several declarations in a file, a model takes the last one above its
    definition (a file with one class per input shape), else the first."""
    if name in comments:
        return comments[name]
    blocks = _untargeted_blocks(path)
    if len(blocks) <= 1:
        return comments.get(None)
    line = _definition_line(path, name)
    above = [shapes for start, shapes in blocks if line is not None and start < line]
    return above[-1] if above else blocks[0][1]


def _untargeted_blocks(path: str) -> list[tuple[int, list[TensorValue]]]:
    """(first line, shapes) of each run of successive untargeted input comments."""
    blocks: list[tuple[int, list[TensorValue]]] = []
    last_line = -1
    try:
        with open(path, "rb") as f:
            tokens = list(tokenize.tokenize(io.BytesIO(f.read()).readline))
    except (OSError, SyntaxError, tokenize.TokenError):
        return blocks
    for tok in tokens:
        m = _COMMENT.match(tok.string) if tok.type == tokenize.COMMENT else None
        if m is None or "model=" in m.group("body"):
            continue
        try:
            shapes = [parse_shape(v.strip()) for v in _KEY.split(m.group("body"))[2::2]]
        except InputSpecError:
            continue  # read_input_comments reports it
        if blocks and tok.start[0] == last_line + 1:
            blocks[-1][1].extend(shapes)
        else:
            blocks.append((tok.start[0], shapes))
        last_line = tok.start[0]
    return blocks


def _definition_line(path: str, name: str) -> int | None:
    """The line of the top-level class, function or assignment that defines ``name``."""
    try:
        with open(path, "rb") as f:
            tree = ast.parse(f.read())
    except (OSError, SyntaxError, ValueError):
        return None
    top = name.split(".")[0]
    for node in tree.body:
        if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            if node.name == top:
                return node.lineno
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == top for t in targets):
                return node.lineno
    return None


@dataclass
class _Found:
    name: str
    module: Any
    build: Callable[[], Any]
    kind: str  # "instance", "class", "function"


def _load_python(ps: PathSpec) -> list[LoadedModel]:
    import torch.nn as nn

    from .torch import graph_from_module

    source_map = SourceMap({ps.path: ps.path})
    context = BuildContext(source_map)
    notes: list[str] = []
    try:
        user = import_file(ps.path, context, "meta")
    except UserCodeError:
        context = BuildContext(source_map)
        user = import_file(ps.path, context, None)  # the CPU error is the one to report
        notes.append("imported on CPU (the file does not import on the meta device)")
    found = [_select(user, ps, context, nn)] if ps.name else _discover(user, ps, context, nn)
    comments = read_input_comments(ps.path)
    models = []
    for item in found:
        # fx failures fall back to the recorder; anything raised here is shapecalc's own bug
        graph = graph_from_module(item.module, item.name, ps.path, source_map, context.locations)
        inputs = declared_inputs(ps.path, item.name.split("(")[0], comments)
        models.append(LoadedModel(item.name, ps.path, graph, inputs, item.build, list(notes)))
    return models


def _build(factory: Callable, args: tuple, kwargs: dict, label: str, context: BuildContext) -> Any:
    """factory(*args) on meta, or on CPU when that fails; FrontendError with the user's line
    when both fail."""
    try:
        with context.active("meta"):
            return _call_user(factory, *args, **kwargs)
    except Exception:
        try:
            with context.active(None):
                return _call_user(factory, *args, **kwargs)
        except Exception as exc:
            raise user_error(exc, f"while building {label}", context.source_map) from None


def _select(user: Any, ps: PathSpec, context: BuildContext, nn: Any) -> _Found:
    obj: Any = user
    for part in ps.name.split("."):  # type: ignore[union-attr]
        if not hasattr(obj, part):
            models = ", ".join(f.name for f in _candidates(user, nn)) or "none found"
            raise FrontendError(f"{ps.path} has no {ps.name!r} (models: {models})")
        obj = getattr(obj, part)
    label = ps.label
    if isinstance(obj, nn.Module):
        if ps.args_text:
            raise FrontendError(
                f"{ps.name} in {ps.path} is a module instance; it takes no arguments"
            )
        return _Found(label, obj, _rebuild_instance(ps.path, ps.name), "instance")
    if not callable(obj):
        raise FrontendError(f"{ps.name} in {ps.path} is not a model, class or function")
    built = _build(obj, ps.args, ps.kwargs, label, context)
    if not isinstance(built, nn.Module):
        raise FrontendError(
            f"{label} in {ps.path} returned {type(built).__name__}, not an nn.Module"
        )
    kind = "class" if isinstance(obj, type) else "function"
    return _Found(label, built, lambda: obj(*ps.args, **ps.kwargs), kind)


def _candidates(user: Any, nn: Any) -> list[_Found]:
    out = []
    for name, value in vars(user).items():
        if name.startswith("_"):
            continue
        if isinstance(value, nn.Module):
            out.append(_Found(name, value, lambda: None, "instance"))
        elif (
            isinstance(value, type)
            and issubclass(value, nn.Module)
            and value.__module__ == user.__name__
            and _defines_forward(value, nn)
            and _builds_without_arguments(value)
        ):
            out.append(_Found(name, value, lambda: None, "class"))
    return out


def _defines_forward(cls: type, nn: Any) -> bool:
    return getattr(cls, "forward", None) is not getattr(nn.Module, "forward", None)


def _builds_without_arguments(cls: type) -> bool:
    try:
        sig = inspect.signature(cls)
    except (TypeError, ValueError):
        return True
    return all(
        p.default is not p.empty or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
        for p in sig.parameters.values()
    )


def _discover(user: Any, ps: PathSpec, context: BuildContext, nn: Any) -> list[_Found]:
    """Module-level instances and zero-argument classes of the file, minus the parts of other
    models found there (a class used as a submodule type inside another model, an instance
    that is a submodule of another)."""
    found: list[_Found] = []
    failures: dict[str, FrontendError] = {}
    for cand in _candidates(user, nn):
        if cand.kind == "instance":
            found.append(
                _Found(cand.name, cand.module, _rebuild_instance(ps.path, cand.name), "instance")
            )
            continue
        cls = cand.module
        try:
            built = _build(cls, (), {}, cand.name, context)
        except FrontendError as exc:
            failures[cand.name] = exc
            built = None
        found.append(_Found(cand.name, built, cls, "class"))
    part_types: set[type] = set()
    part_ids: set[int] = set()
    for f in found:
        if f.module is None:
            continue
        for sub in f.module.modules():
            if sub is not f.module:
                part_types.add(type(sub))
                part_ids.add(id(sub))
    instance_types = {type(f.module) for f in found if f.kind == "instance"}
    kept = []
    for f in found:
        if f.kind == "instance":
            if id(f.module) not in part_ids:
                kept.append(f)
            continue
        cls = f.build
        if cls in part_types or cls in instance_types:
            continue
        if f.name in failures:
            raise failures[f.name]
        kept.append(f)
    if not kept:
        raise FrontendError(
            f"no models found in {ps.path}: define an nn.Module class that builds without "
            f"arguments or a module-level model instance, or pick one with {ps.path}:Name(...)"
        )
    return kept


def _rebuild_instance(path: str, name: str) -> Callable[[], Any]:
    """build() for a module-level instance: import the file again, on CPU, and take it."""

    def build() -> Any:
        context = BuildContext(SourceMap({path: path}))
        obj = import_file(path, context, None)
        for part in name.split("."):
            obj = getattr(obj, part)
        return obj

    return build
