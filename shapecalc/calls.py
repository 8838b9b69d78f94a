"""One applied op, with its arguments by name: what the stats and receptive-field registries
read. A module's arguments are its forward inputs and its constructor parameters; a call's are
its own signature's, bound the way its shape rule binds them (defaults filled in)."""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .graph import MODULE, Node
from .propagate import resolve
from .rules import get_rule
from .values import TensorValue, tensors_in


@dataclass(frozen=True)
class OpCall:
    """``node`` applied to resolved arguments ``args`` (by parameter name), giving ``out``."""

    node: Node
    args: Mapping[str, Any]
    out: Any
    positional: tuple = ()
    inputs: tuple = field(default=())  # every tensor argument, in order

    @property
    def op(self) -> str:
        return self.node.op

    def get(self, name: str, default: Any = None) -> Any:
        return self.args.get(name, default)

    def tensor(self, name: str) -> TensorValue | None:
        value = self.args.get(name)
        return value if isinstance(value, TensorValue) else None

    @property
    def first(self) -> TensorValue | None:
        return self.inputs[0] if self.inputs else None


def bind(node: Node, values: Mapping[str, Any]) -> OpCall:
    """The node's call with every Ref resolved against ``values`` and arguments named."""
    args = resolve(node.args, values)
    kwargs = resolve(dict(node.kwargs), values)
    out = values.get(node.name)
    named: dict[str, Any] = {}
    rule = get_rule(node.op)
    if rule is not None and rule.module:
        if rule.init is not None:
            named.update(
                {k: p.default for k, p in rule.init.parameters.items() if p.default is not p.empty}
            )
        if node.spec is not None:
            named.update(node.spec.params)
        named.update(zip(rule.forward, args))
        named.update(kwargs)
    elif rule is not None:
        try:
            bound = inspect.signature(rule.fn).bind(None, *args, **kwargs)
            bound.apply_defaults()
            named = dict(list(bound.arguments.items())[1:])
        except TypeError:
            named = dict(kwargs)
    else:
        named = dict(kwargs)
        if node.kind == MODULE and node.spec is not None:
            named.update(node.spec.params)
    return OpCall(node, named, out, tuple(args), tuple(tensors_in((args, kwargs))))
