"""Torch-syntax expressions to graph nodes, by parsing with ``ast``, never executing.

``nn.Conv2d(3, 6, 5, padding=1)(x)``, ``torch.cat([x, y], dim=1)``, ``x.view(x.size(0), -1)``,
``x + y``, ``x[:, 1:3]`` and ``x.shape[2:]`` each become nodes of a LayerGraph whose ops are the
rule names. Rule examples are written this way, and the DSL builds on the same translator.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Mapping
from typing import Any

from ..diagnostics import Location
from ..graph import (
    CONSTANT,
    FUNCTION,
    INPUT,
    METHOD,
    MODULE,
    OUTPUT,
    LayerArgs,
    LayerGraph,
    LayerSpec,
    Node,
    Ref,
)
from ..rules import get_rule
from ..values import TensorValue

BINOPS: dict[type, str] = {
    ast.Add: "add",
    ast.Sub: "sub",
    ast.Mult: "mul",
    ast.Div: "truediv",
    ast.FloorDiv: "floordiv",
    ast.Mod: "mod",
    ast.Pow: "pow",
    ast.MatMult: "matmul",
}
_FOLD: dict[str, Callable[[Any, Any], Any]] = {
    "add": operator.add,
    "sub": operator.sub,
    "mul": operator.mul,
    "floordiv": operator.floordiv,
    "mod": operator.mod,
}
NAMESPACES = {
    "nn": "",
    "torch.nn": "",
    "F": "F.",
    "torch.nn.functional": "F.",
    "torch": "torch.",
    "math": "math.",
}
# bare calls that become builtins.<name> nodes
BUILTINS = ("len", "int", "float", "getattr", "max", "min")


class ExpressionError(ValueError):
    """A construct outside the supported subset, with its position."""

    def __init__(self, message: str, node: ast.AST | None = None) -> None:
        super().__init__(message)
        self.line = getattr(node, "lineno", None)
        self.column = getattr(node, "col_offset", -1) + 1 if node is not None else None


def dotted(node: ast.AST) -> str | None:
    """``torch.nn.functional.relu`` for nested Attribute/Name nodes, else None."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


def split_namespace(name: str) -> tuple[str, str] | None:
    """``nn.Conv2d`` -> ("", "Conv2d"); ``F.relu`` -> ("F.", "relu"); ``torch.cat`` ->
    ("torch.", "cat"); None when the prefix is not a torch namespace."""
    for ns in sorted(NAMESPACES, key=len, reverse=True):
        if name.startswith(ns + "."):
            return NAMESPACES[ns], name[len(ns) + 1 :]
    return None


class Translator:
    """Adds the nodes of expressions to a LayerGraph. ``names`` maps source names to Refs or
    literal values."""

    def __init__(
        self, graph: LayerGraph, path: str = "<expr>", names: dict[str, Any] | None = None
    ) -> None:
        self.graph = graph
        self.path = path
        self.names: dict[str, Any] = names if names is not None else {}

    def location(self, node: ast.AST) -> Location:
        return Location.of_ast(self.path, node)

    # values ---------------------------------------------------------------------------------
    def value(self, node: ast.AST) -> Any:
        method = getattr(self, f"_{type(node).__name__}", None)
        if method is None:
            raise ExpressionError(f"unsupported syntax: {type(node).__name__}", node)
        return method(node)

    def _Constant(self, node: ast.Constant) -> Any:
        if isinstance(node.value, (int, float, str, bool)) or node.value in (None, Ellipsis):
            return node.value
        raise ExpressionError(f"unsupported constant {node.value!r}", node)

    def _Name(self, node: ast.Name) -> Any:
        if node.id in self.names:
            return self.names[node.id]
        if node.id in ("True", "False", "None"):
            return {"True": True, "False": False, "None": None}[node.id]
        raise ExpressionError(f"name {node.id!r} is not defined", node)

    def _Tuple(self, node: ast.Tuple) -> tuple:
        return tuple(self.value(e) for e in node.elts)

    def _List(self, node: ast.List) -> list:
        return [self.value(e) for e in node.elts]

    def _Slice(self, node: ast.Slice) -> slice:
        return slice(
            *(None if p is None else self.value(p) for p in (node.lower, node.upper, node.step))
        )

    def _UnaryOp(self, node: ast.UnaryOp) -> Any:
        operand = self.value(node.operand)
        if isinstance(node.op, ast.USub):
            if isinstance(operand, (int, float)):
                return -operand
            return self.call(FUNCTION, "operator.neg", (operand,), {}, node)
        if isinstance(node.op, ast.UAdd):
            return operand
        raise ExpressionError("unsupported unary operator", node)

    def _BinOp(self, node: ast.BinOp) -> Any:
        name = BINOPS.get(type(node.op))
        if name is None:
            raise ExpressionError("unsupported operator", node)
        left, right = self.value(node.left), self.value(node.right)
        if isinstance(left, int) and isinstance(right, int) and name in _FOLD:
            if name in ("floordiv", "mod") and right == 0:
                raise ExpressionError("division by zero", node)
            return _FOLD[name](left, right)
        return self.call(FUNCTION, f"operator.{name}", (left, right), {}, node)

    def _Subscript(self, node: ast.Subscript) -> Any:
        return self.call(
            FUNCTION, "operator.getitem", (self.value(node.value), self.value(node.slice)), {}, node
        )

    def _Attribute(self, node: ast.Attribute) -> Any:
        name = dotted(node)
        if name is not None and name.split(".")[0] not in self.names:
            split = split_namespace(name)
            if split is not None and split[0] == "torch.":
                return name  # a torch constant (torch.float16, torch.channels_last), by name
        base = self.value(node.value)
        return self.call(FUNCTION, "builtins.getattr", (base, node.attr), {}, node)

    def _Call(self, node: ast.Call) -> Any:
        args = tuple(self.value(a) for a in node.args)
        if any(isinstance(a, ast.Starred) for a in node.args):
            raise ExpressionError("*args is not supported", node)
        kwargs = {}
        for kw in node.keywords:
            if kw.arg is None:
                raise ExpressionError("**kwargs is not supported", kw)
            kwargs[kw.arg] = self.value(kw.value)
        if isinstance(node.func, ast.Call):  # nn.Conv2d(...)(x), nn.BatchNorm2d(8).eval()(x)
            layer = self.layer(_without_mode(node.func))
            return self.module_call(layer, args, kwargs, node)
        name = dotted(node.func)
        if name in BUILTINS and name not in self.names:
            return self.call(FUNCTION, f"builtins.{name}", args, kwargs, node)
        if name is not None and name.split(".")[0] not in self.names:
            split = split_namespace(name)
            if split is None:
                raise ExpressionError(f"unknown function {name!r}", node.func)
            prefix, attr = split
            if prefix == "":
                raise ExpressionError(f"{name}(...) builds a layer; call it on a tensor", node)
            return self.call(FUNCTION, prefix + attr, args, kwargs, node)
        if isinstance(node.func, ast.Attribute):  # x.view(...)
            base = self.value(node.func.value)
            return self.call(METHOD, f"Tensor.{node.func.attr}", (base, *args), kwargs, node)
        raise ExpressionError("unsupported call", node)

    # graph building ---------------------------------------------------------------------------
    def layer(self, node: ast.Call) -> tuple[str, LayerSpec, Location]:
        """``nn.Conv2d(3, 6, 5)`` -> (op, spec, location), binding torch's signature."""
        name = dotted(node.func)
        split = split_namespace(name) if name else None
        op = split[1] if split and split[0] == "" else name
        rule = get_rule(op) if op else None
        if rule is None or not rule.module:
            raise ExpressionError(f"unknown layer {name!r}", node.func)
        args = [self.layer_argument(a) for a in node.args]
        kwargs = {kw.arg: self.layer_argument(kw.value) for kw in node.keywords if kw.arg}
        try:
            params = rule.bind_init(args, kwargs)
        except TypeError as exc:
            raise ExpressionError(f"{op}: {exc}", node) from None
        return op, LayerSpec(params), self.location(node)

    def layer_argument(self, node: ast.AST) -> Any:
        """A constructor argument; a layer built in place (``nn.TransformerEncoder(
        nn.TransformerEncoderLayer(64, 4), 2)``) stands for its own constructor arguments, a
        dict, as the torch frontend gives a submodule."""
        if isinstance(node, ast.Call):
            name = dotted(node.func)
            split = split_namespace(name) if name and name.split(".")[0] not in self.names else None
            if split is not None and split[0] == "":
                op, spec, _ = self.layer(node)
                return LayerArgs(op, spec.params)
        return self.value(node)

    def module_call(
        self,
        layer: tuple[str, LayerSpec, Location],
        args: tuple,
        kwargs: Mapping[str, Any],
        node: ast.AST,
        name: str | None = None,
    ) -> Ref:
        op, spec, loc = layer
        node_name = self.graph.unique_name(name or op.lower())
        self.graph.add(
            Node(
                node_name,
                op,
                MODULE,
                args,
                kwargs,
                spec=spec,
                location=loc,
                call_location=self.location(node),
            )
        )
        return Ref(node_name)

    def call(
        self, kind: str, op: str, args: tuple, kwargs: Mapping[str, Any], node: ast.AST
    ) -> Ref:
        base = op.rsplit(".", 1)[-1].strip("_") or "op"
        node_name = self.graph.unique_name(base)
        self.graph.add(Node(node_name, op, kind, args, kwargs, location=self.location(node)))
        return Ref(node_name)


def _without_mode(node: ast.Call) -> ast.Call:
    """``nn.BatchNorm2d(8).eval()`` -> ``nn.BatchNorm2d(8)``: shapes do not depend on the
    mode (rules report mode-dependent checks, such as SC208, as warnings)."""
    func = node.func
    if (
        isinstance(func, ast.Attribute)
        and func.attr in ("eval", "train")
        and isinstance(func.value, ast.Call)
    ):
        return _without_mode(func.value)
    return node


def graph_from_expression(
    source: str, inputs: Mapping[str, TensorValue], path: str = "<expr>"
) -> LayerGraph:
    """A LayerGraph computing one torch expression over the named inputs."""
    graph = LayerGraph(name=source, source=path)
    names: dict[str, Any] = {}
    for name, value in inputs.items():
        graph.add(Node(name, "input", INPUT, value=value))
        names[name] = Ref(name)
    tree = ast.parse(source.strip(), mode="eval")
    result = Translator(graph, path, names).value(tree.body)
    if not isinstance(result, Ref):
        const = graph.unique_name("constant")
        graph.add(Node(const, "constant", CONSTANT, value=result))
        result = Ref(const)
    graph.add(Node("output", "output", OUTPUT, (result,)))
    return graph
