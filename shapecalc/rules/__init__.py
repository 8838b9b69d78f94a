"""The shape-rule registry: one decorated function per op family.

A rule is registered under every name it serves:

* a torch.nn class name (``"Conv2d"``): a *module rule*. Its Python signature is
  ``(ctx, <forward inputs>, *, <constructor parameters in torch's order>)``; the keyword-only
  part is the layer's constructor signature, used by the DSL and by the torch frontend to read
  the module's attributes.
* a call form (``"F.conv2d"``, ``"torch.cat"``, ``"Tensor.view"``, ``"operator.add"``): a
  *call rule*, whose signature (after ctx) is the call's own signature.

Rules receive tensors as ``TensorValue``, return the output value, and validate through ``ctx``
(records diagnostics, never raises). Each rule carries examples, ``ok(...)`` and ``bad(...)``,
written as torch code; the test suite runs every example through shapecalc and through real
torch and requires them to agree.

Adding an op touches one file: each module in this package is imported on first lookup.
"""

from __future__ import annotations

import ast
import inspect
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..registry import import_submodules
from ..values import TensorValue

CALL_PREFIXES = ("F.", "torch.", "Tensor.", "operator.", "builtins.", "math.")


@dataclass(frozen=True)
class Example:
    """A torch expression over named inputs, and what it must give.

    ok: ``out`` is the output shape (or a list of shapes); bad: ``code`` is the diagnostic
    shapecalc must report, and real torch must raise (or, for a warning, behave as described).
    """

    source: str
    inputs: Mapping[str, tuple]
    out: Any = None
    code: str | None = None
    dtypes: Mapping[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.code is None


def ok(
    source: str, out: Any = None, *, dtypes: Mapping[str, str] | None = None, **inputs: tuple
) -> Example:
    return Example(source, inputs, out=out, dtypes=dtypes or {})


def bad(
    source: str, code: str, *, dtypes: Mapping[str, str] | None = None, **inputs: tuple
) -> Example:
    return Example(source, inputs, code=code, dtypes=dtypes or {})


@dataclass(frozen=True)
class Rule:
    name: str  # the name this entry is registered under
    fn: Callable
    names: tuple[str, ...]  # every name of the family
    module: bool
    forward: tuple[str, ...]  # module rules: names of the forward inputs
    init: inspect.Signature | None  # module rules: the constructor signature
    examples: tuple[Example, ...] = ()
    # module rules: where torch keeps a constructor argument that is not an attribute of the
    # same name (``{"d_model": "self_attn.embed_dim"}``), read by the torch frontend
    sources: Mapping[str, str] = field(default_factory=dict)

    def bind_init(self, args: Iterable[Any] = (), kwargs: Mapping[str, Any] | None = None) -> dict:
        """Constructor arguments by name, defaults filled in; TypeError when they don't bind."""
        assert self.init is not None, f"{self.name} is not a module rule"
        bound = self.init.bind(*args, **(kwargs or {}))
        bound.apply_defaults()
        return dict(bound.arguments)

    def call(
        self, ctx: Any, args: tuple, kwargs: Mapping[str, Any], params: Mapping[str, Any] | None
    ) -> Any:
        if not self.module:
            return self.fn(ctx, *args, **kwargs)
        forward = list(args)
        extra = dict(kwargs)
        for name in self.forward[len(forward) :]:
            if name not in extra:
                break  # later forward inputs stay keywords (forward(x, per_sample_weights=w))
            forward.append(extra.pop(name))
        return self.fn(ctx, *forward, **extra, **(params or {}))


REGISTRY: dict[str, Rule] = {}
_loaded = False


def shape_rule(
    *names: str, examples: Iterable[Example] = (), sources: Mapping[str, str] | None = None
) -> Callable[[Callable], Callable]:
    """Register ``fn`` as the rule for every name in ``names`` (all modules or all calls).
    ``sources``: attribute paths of constructor arguments torch stores elsewhere."""

    def register(fn: Callable) -> Callable:
        _register(fn, names, tuple(examples), dict(sources or {}))
        return fn

    return register


def _register(
    fn: Callable,
    names: tuple[str, ...],
    examples: tuple[Example, ...],
    sources: Mapping[str, str] | None = None,
) -> None:
    is_call = [n.startswith(CALL_PREFIXES) for n in names]
    if any(is_call) and not all(is_call):
        raise ValueError(f"rule {fn.__name__}: mix of module and call names {names}")
    module = not is_call[0]
    forward: tuple[str, ...] = ()
    init = None
    if module:
        params = list(inspect.signature(fn).parameters.values())[1:]
        forward = tuple(
            p.name for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
        )
        # keyword-only parameters are the constructor's; *args / **kwargs stay variadic
        # (nn.Identity accepts and ignores any arguments)
        init = inspect.Signature(
            [
                p.replace(kind=p.POSITIONAL_OR_KEYWORD) if p.kind == p.KEYWORD_ONLY else p
                for p in params
                if p.kind in (p.KEYWORD_ONLY, p.VAR_POSITIONAL, p.VAR_KEYWORD)
            ]
        )
    for name in names:
        if name in REGISTRY:
            raise ValueError(f"two rules for {name!r}")
        REGISTRY[name] = Rule(name, fn, names, module, forward, init, examples, sources or {})


def passthrough(*signatures: str, examples: Iterable[Example] = ()) -> None:
    """Register shape-preserving ops in one line each: ``"LeakyReLU(negative_slope=0.01,
    inplace=False)"`` for a module (its constructor signature), ``"F.relu(input,
    inplace=False)"`` or ``"Tensor.relu(self)"`` for a call form."""
    modules, calls = [], []
    for sig in signatures:
        name, params = _parse_signature(sig)
        (calls if name.startswith(CALL_PREFIXES) else modules).append((name, params))
    pending = tuple(examples)  # the examples go with the first op listed
    for name, params in modules:
        _register(_passthrough_module(params), (name,), pending)
        pending = ()
    for name, params in calls:
        _register(_passthrough_call(params), (name,), pending)
        pending = ()


def _identity(value: Any) -> Any:
    return value


def _passthrough_module(params: list[inspect.Parameter]) -> Callable:
    def rule(ctx: Any, input: Any, **_init: Any) -> Any:
        return _identity(input)

    sig = [
        inspect.Parameter("ctx", inspect.Parameter.POSITIONAL_ONLY),
        inspect.Parameter("input", inspect.Parameter.POSITIONAL_OR_KEYWORD),
    ]
    variadic = (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
    sig += [
        p if p.kind in variadic else p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in params
    ]
    rule.__signature__ = inspect.Signature(sig)  # type: ignore[attr-defined]
    return rule


def _passthrough_call(params: list[inspect.Parameter]) -> Callable:
    first = params[0].name if params else "input"
    sig = inspect.Signature([inspect.Parameter("ctx", inspect.Parameter.POSITIONAL_ONLY)] + params)

    def rule(ctx: Any, *args: Any, **kwargs: Any) -> Any:
        bound = sig.bind(ctx, *args, **kwargs)
        return _identity(bound.arguments[first])

    rule.__signature__ = sig  # type: ignore[attr-defined]
    return rule


def _parse_signature(text: str) -> tuple[str, list[inspect.Parameter]]:
    """``"Name(a, b=1, *, c=None)"`` -> ("Name", parameters); defaults are literals."""
    tree = ast.parse(f"def f{text[text.index('(') :]}: pass")
    fn: ast.FunctionDef = tree.body[0]  # type: ignore[assignment]
    a = fn.args
    P = inspect.Parameter
    out: list[P] = []
    positional = a.posonlyargs + a.args
    defaults = [P.empty] * (len(positional) - len(a.defaults)) + [
        ast.literal_eval(d) for d in a.defaults
    ]
    for arg, default in zip(positional, defaults):
        out.append(P(arg.arg, P.POSITIONAL_OR_KEYWORD, default=default))
    if a.vararg:
        out.append(P(a.vararg.arg, P.VAR_POSITIONAL))
    for arg, default in zip(a.kwonlyargs, a.kw_defaults):
        out.append(
            P(
                arg.arg,
                P.KEYWORD_ONLY,
                default=P.empty if default is None else ast.literal_eval(default),
            )
        )
    if a.kwarg:
        out.append(P(a.kwarg.arg, P.VAR_KEYWORD))
    return text[: text.index("(")].strip(), out


def load_all() -> None:
    """Import every rule module of this package (once)."""
    global _loaded
    if _loaded:
        return
    _loaded = True
    import_submodules(__name__, __path__)


def get_rule(name: str) -> Rule | None:
    load_all()
    return REGISTRY.get(name)


def all_rules() -> dict[str, Rule]:
    load_all()
    return dict(REGISTRY)


def short_name(op: str) -> str:
    """``torch.cat`` -> ``cat``; ``Conv2d`` -> ``Conv2d``."""
    return op.rsplit(".", 1)[-1]


def expect_tensor(value: Any) -> TensorValue | None:
    return value if isinstance(value, TensorValue) else None
