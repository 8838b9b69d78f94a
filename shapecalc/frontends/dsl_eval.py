"""The DSL evaluator: walks a model's ``def`` (and the blocks it calls) over the syntax tree,
never executing it, and builds the model's LayerGraph.

Values are plain Python numbers, strings, tuples and lists; ``Ref``s to graph values (tensors
and sizes); layers (``dsl_layers.Layer``); blocks (``def``s with parameters); ops (rule names
such as ``F.relu``). Each node's value is computed by its shape rule as soon as it is added, so
that ``...`` can be filled in from the incoming shape and ``if``/``range`` can read sizes.

Limits keep any file finite: at most MAX_NODES graph nodes, MAX_STEPS statements and loop
iterations, MAX_DEPTH nested block calls.
"""

from __future__ import annotations

import ast
import builtins
import inspect
import operator
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .. import symbolic as sym
from ..codes import severity_of
from ..diagnostics import Diagnostic, Location
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
from ..propagate import Analysis, LayerResult, _apply, resolve
from ..rules import get_rule
from ..values import OPAQUE, TensorValue
from . import dsl_layers as L
from .dsl_syntax import DslError

MAX_NODES = 100_000
MAX_STEPS = 1_000_000
MAX_DEPTH = 50
MAX_INT = 2**63
MAX_SECONDS = 30.0  # a loop of expensive layers stops here even below MAX_NODES

NAMESPACES = {
    "nn": "nn", "torch.nn": "nn", "F": "F", "torch.nn.functional": "F", "nn.functional": "F",
    "torch": "torch",
}  # fmt: skip
TENSOR_ATTRIBUTES = ("shape", "ndim", "dtype", "T", "mT")
DTYPES = {
    "float32", "float", "float64", "double", "float16", "half", "bfloat16", "int64", "long",
    "int32", "int", "int16", "short", "int8", "uint8", "bool", "complex64", "complex128",
}  # fmt: skip
_DTYPE_ALIAS = {"float": "float32", "double": "float64", "half": "float16", "long": "int64"}
_DTYPE_ALIAS.update({"int": "int32", "short": "int16"})
_BINOPS: dict[type, tuple[str, Callable[[Any, Any], Any]]] = {
    ast.Add: ("add", operator.add),
    ast.Sub: ("sub", operator.sub),
    ast.Mult: ("mul", operator.mul),
    ast.Div: ("truediv", operator.truediv),
    ast.FloorDiv: ("floordiv", operator.floordiv),
    ast.Mod: ("mod", operator.mod),
    ast.Pow: ("pow", operator.pow),
    ast.MatMult: ("matmul", operator.matmul),
}
# ops returning torch.return_types (values, indices)
_NAMED_PAIRS = {"max", "min", "topk", "sort", "median", "nanmedian", "mode", "kthvalue", "cummax",
                "cummin"}  # fmt: skip
_NO_SELF = (
    "there is no self in the DSL: a model is its forward; name a layer with a variable, "
    "`conv = Conv2d(3, 8, 3)` ... `conv(x)`, or chain it, `x >> Conv2d(3, 8, 3)`"
)
_TENSOR_COMPARE = {
    ast.Eq: "eq", ast.NotEq: "ne", ast.Lt: "lt", ast.LtE: "le", ast.Gt: "gt", ast.GtE: "ge",
}  # fmt: skip
_COMPARE: dict[type, Callable[[Any, Any], Any]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.Is: operator.is_,
    ast.IsNot: operator.is_not,
    ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b,
}
BUILTINS = (
    "Input", "Parameter", "range", "len", "min", "max", "abs", "enumerate", "zip", "reversed",
    "int", "round",
)  # fmt: skip
# nn.Module's own attributes: a layer or block named like one gets a suffix (forward_1), so that
# the exported module can hold it as an attribute under the same name
RESERVED = frozenset(
    "T_destination add_module apply bfloat16 buffers call_super_init children compile cpu cuda "
    "double dump_patches eval extra_repr float forward get_buffer get_extra_state get_parameter "
    "get_submodule half ipu load_state_dict modules mtia named_buffers named_children "
    "named_modules named_parameters parameters register_backward_hook register_buffer "
    "register_forward_hook register_forward_pre_hook register_full_backward_hook "
    "register_full_backward_pre_hook register_load_state_dict_post_hook "
    "register_load_state_dict_pre_hook register_module register_parameter "
    "register_state_dict_post_hook register_state_dict_pre_hook requires_grad_ set_extra_state "
    "set_submodule share_memory state_dict to to_empty train training type xpu zero_grad".split()
)


_PYTHON_BUILTINS = frozenset(dir(builtins))
_CONTAINERS = frozenset({"Sequential", "ModuleList", "ModuleDict", "Module"})


@dataclass(frozen=True)
class LayerClass:
    """A torch.nn layer name before it is called with its arguments."""

    op: str


@dataclass(frozen=True)
class Op:
    """A functional op, by its rule name (``F.relu``, ``torch.cat``, ``Tensor.view``)."""

    name: str


@dataclass(frozen=True)
class Builtin:
    name: str


@dataclass(frozen=True)
class Block:
    node: ast.FunctionDef

    @property
    def name(self) -> str:
        return self.node.name


@dataclass(frozen=True)
class BoundMethod:
    target: list
    name: str


@dataclass
class Frame:
    vars: dict[str, Any]
    prefix: str  # "" in a model, "res1." inside a block called as res1
    is_model: bool
    returned: bool = False
    result: Any = None
    returned_at: ast.AST | None = None


@dataclass
class DslModel:
    """A model built from the DSL: its graph, the shapes its inputs declare, and its layers
    (each with its module path, in first-call order) for export."""

    name: str
    graph: LayerGraph
    inputs: list[TensorValue]
    layers: list[L.Layer] = field(default_factory=list)
    node_layer: dict[str, L.Layer] = field(default_factory=dict)
    parameters: list[str] = field(default_factory=list)  # nodes of learnable tensors


def resolve_op(name: str) -> Op | None:
    """A bare op name: torch.nn.functional first, then torch, then the tensor method."""
    for prefix in ("F.", "torch.", "Tensor."):
        rule = get_rule(prefix + name)
        if rule is not None and not rule.module:
            return Op(prefix + name)
    return None


def _op_names() -> list[str]:
    """The ops callable by a bare name (``relu``, ``adaptive_avg_pool2d``), for suggestions."""
    from ..rules import all_rules

    return sorted({k.split(".", 1)[1] for k in all_rules() if k.startswith(("F.", "torch."))})


_SIGNATURES: dict[str, inspect.Signature | None] = {}


def _call_signature(op: str) -> inspect.Signature | None:
    if op not in _SIGNATURES:
        rule = get_rule(op)
        try:
            sig = inspect.signature(rule.fn) if rule is not None else None
        except (TypeError, ValueError):
            sig = None
        if sig is not None:
            params = list(sig.parameters.values())[1:]  # without ctx
            sig = sig.replace(parameters=params)
        _SIGNATURES[op] = sig
    return _SIGNATURES[op]


class ModelBuilder:
    """Builds one model (a top-level ``def Name():``) into a LayerGraph."""

    def __init__(
        self,
        path: str,
        model: ast.FunctionDef,
        globals_: dict[str, Any],
        override: list[TensorValue] | None = None,
    ) -> None:
        self.path = path
        self.model = model
        # each model gets its own copy of the file's lists (a model may append to one)
        self.globals = {k: _copy_lists(v) for k, v in globals_.items()}
        self.override = list(override or [])
        self.graph = LayerGraph(name=model.name, source=path)
        self.analysis = Analysis(self.graph, [])
        self.result = DslModel(model.name, self.graph, [])
        self.steps = 0
        self.deadline = time.monotonic() + MAX_SECONDS
        self.depth = 0
        self.prefixes: set[str] = set()
        self.suffixes: dict[str, int] = {}
        self.named_by_target: set[tuple[int, int]] = set()
        self.prefix = ""  # the block prefix of the code being evaluated
        # a model's Input symbols, usable as sizes: name -> (input, dim, where it was named)
        self.size_names: dict[str, tuple[Ref, int, ast.AST]] = {}
        self.size_refs: dict[str, Ref] = {}
        self.input_mode = False

    # ------------------------------------------------------------------------------- driver
    def build(self) -> DslModel:
        frame = Frame({}, "", True)
        try:
            self.run(self.model.body, frame)
        except RecursionError:
            raise DslError("the model nests blocks or expressions too deeply", self.model) from None
        if not frame.returned:
            raise DslError(
                f"model {self.model.name} has no `return`: return its output tensor", self.model
            )
        out = frame.result
        if not self.result.inputs:
            raise DslError(
                f"model {self.model.name} has no input: add `x = Input(B, 3, H, W)`", self.model
            )
        if not _holds_tensor(out):
            raise DslError(f"model {self.model.name} must return a tensor", self.model)
        where = self.location(frame.returned_at) if frame.returned_at else None
        name = self.graph.unique_name("output")
        output = Node(name, "output", OUTPUT, (_frozen(out),), location=where)
        self.graph.add(output)
        self.prune()
        self.analysis.values[output.name] = resolve(output.args[0], self.analysis.values)
        self.analysis.inputs = list(self.result.inputs)
        self.graph.prepared = self._prepared
        return self.result

    def prune(self) -> None:
        """Drop size computations nothing reads (``x.shape[1]`` given to a layer's constructor
        was read at build time and is not part of the model's forward)."""
        nodes = self.graph.nodes
        users: dict[str, int] = dict.fromkeys((n.name for n in nodes), 0)
        for n in nodes:
            for r in n.refs():
                users[r] += 1
        dead: set[str] = set()
        reported = {d.layer for d in self.analysis.diagnostics}
        for n in reversed(nodes):
            if (
                n.kind in (FUNCTION, METHOD)
                and n.op in _SIZE_OPS
                and users[n.name] == 0
                and n.name not in reported
                and not _has_tensor(self.analysis.values.get(n.name))
            ):
                dead.add(n.name)
                for r in n.refs():
                    users[r] -= 1
        if not dead:
            return
        graph = LayerGraph(name=self.graph.name, source=self.graph.source)
        graph.frontend_diagnostics = self.graph.frontend_diagnostics
        for n in nodes:
            if n.name not in dead:
                graph.add(n)
        self.graph = self.result.graph = self.analysis.graph = graph
        self.analysis.layers = [r for r in self.analysis.layers if r.name not in dead]
        for name in dead:
            del self.analysis.values[name]

    def _prepared(self, inputs: list[Any]) -> Analysis | None:
        """The analysis made while building, when ``inputs`` are the declared ones: it is what
        propagate() would compute again, node for node."""
        declared = self.result.inputs
        if len(inputs) != len(declared) or any(a is not b for a, b in zip(inputs, declared)):
            return None
        return self.analysis

    def location(self, node: ast.AST) -> Location:
        return Location.of_ast(self.path, node)

    def step(self, node: ast.AST) -> None:
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise DslError(f"the model takes more than {MAX_STEPS:,} steps to build", node)
        if time.monotonic() > self.deadline:
            raise DslError(f"the model takes more than {MAX_SECONDS:.0f} s to build", node)

    def add(self, node: Node, at: ast.AST) -> Ref:
        if len(self.graph) >= MAX_NODES:
            raise DslError(f"the model has more than {MAX_NODES:,} nodes", at)
        if time.monotonic() > self.deadline:
            raise DslError(f"the model takes more than {MAX_SECONDS:.0f} s to build", at)
        self.graph.add(node)
        if node.kind in (INPUT, CONSTANT):
            value = node.value
        else:
            value = _apply(self.analysis, node, False, None)
        self.analysis.values[node.name] = value
        self.analysis.layers.append(LayerResult(node, value))
        return Ref(node.name)

    def kind(self, v: Any) -> str:
        if isinstance(v, Ref) and not self.is_tensor(v):
            return f"the size {_show(self.value_of(v))}"
        return _kind(v)

    def is_tensor(self, v: Any) -> bool:
        """A graph value that is (or may be) a tensor, not a size."""
        if not isinstance(v, Ref):
            return False
        known = self.value_of(v)
        return isinstance(known, TensorValue) or known is OPAQUE

    def value_of(self, v: Any) -> Any:
        if isinstance(v, Ref):
            return self.analysis.values.get(v.node, OPAQUE)
        if isinstance(v, (tuple, list)):
            return type(v)(self.value_of(x) for x in v)
        return v

    # ---------------------------------------------------------------------------- statements
    def run(self, body: list[ast.stmt], frame: Frame) -> None:
        for stmt in body:
            if frame.returned:
                return
            self.step(stmt)
            self.statement(stmt, frame)

    def statement(self, stmt: ast.stmt, frame: Frame) -> None:
        if isinstance(stmt, ast.Assign):
            if len(stmt.targets) != 1:
                raise DslError("assign to one target at a time", stmt)
            target = stmt.targets[0]
            hint = target.id if isinstance(target, ast.Name) and target.id != "_" else None
            # a block called as `res1 = ResBlk(x, ...)` is named res1 (and res1_1, ... when a
            # loop runs the statement again); one that rebinds a name (`x = ResBlk(x, ...)`)
            # is named after the block
            key = (id(stmt), id(frame))
            fresh = hint is not None and (hint not in frame.vars or key in self.named_by_target)
            fresh = fresh and all(
                not (isinstance(n, ast.Name) and n.id == hint) for n in ast.walk(stmt.value)
            )
            if fresh:
                self.named_by_target.add(key)
            value = self.expr(stmt.value, frame, hint=hint, fresh=fresh)
            self.assign(target, value, frame)
        elif isinstance(stmt, ast.AugAssign):
            if not isinstance(stmt.target, ast.Name):
                raise DslError("augmented assignment needs a name on the left", stmt.target)
            left = self.name(ast.Name(stmt.target.id, ast.Load(), **_pos(stmt.target)), frame)
            right = self.expr(stmt.value, frame)
            frame.vars[stmt.target.id] = self.binop(stmt.op, left, right, stmt)
        elif isinstance(stmt, ast.Return):
            frame.result = None if stmt.value is None else self.expr(stmt.value, frame)
            frame.returned = True
            frame.returned_at = stmt
        elif isinstance(stmt, ast.For):
            self.loop(stmt, frame)
        elif isinstance(stmt, ast.If):
            cond = self.truth(self.expr(stmt.test, frame), stmt.test)
            self.run(stmt.body if cond else stmt.orelse, frame)
        elif isinstance(stmt, ast.Expr):
            if not isinstance(stmt.value, ast.Constant):
                self.expr(stmt.value, frame)
        elif isinstance(stmt, ast.Pass):
            pass
        elif isinstance(stmt, ast.FunctionDef):
            raise DslError("define blocks at the top level of the file, not inside a def", stmt)
        else:
            raise DslError(f"{type(stmt).__name__} is not part of the DSL", stmt)

    def assign(self, target: ast.expr, value: Any, frame: Frame) -> None:
        if isinstance(target, ast.Name):
            if target.id in BUILTINS:
                raise DslError(f"{target.id!r} is a DSL builtin; pick another name", target)
            named = isinstance(value, L.Layer) and value.name is None and value.calls == 0
            if named and target.id != "_":
                value.name = target.id
            frame.vars[target.id] = value
            return
        if isinstance(target, (ast.Tuple, ast.List)):
            items = self.unpackable(value, target)
            if len(items) != len(target.elts):
                raise DslError(
                    f"cannot unpack {len(items)} values into {len(target.elts)} names", target
                )
            for t, v in zip(target.elts, items):
                self.assign(t, v, frame)
            return
        if isinstance(target, ast.Attribute) and _dotted(target) == f"self.{target.attr}":
            raise DslError(_NO_SELF, target)
        raise DslError("assign to a name (or a tuple of names)", target)

    def unpackable(self, value: Any, node: ast.AST) -> list:
        if isinstance(value, (tuple, list)):
            return list(value)
        if isinstance(value, Ref):
            known = self.value_of(value)
            if isinstance(known, (tuple, list)):
                return [self.getitem(value, i, node) for i in range(len(known))]
            if isinstance(known, TensorValue) and known.ndim and isinstance(known.shape[0], int):
                if known.shape[0] > 1000:
                    raise DslError("too many values to unpack", node)
                return [self.getitem(value, i, node) for i in range(known.shape[0])]
        raise DslError("this value cannot be unpacked", node)

    def loop(self, stmt: ast.For, frame: Frame) -> None:
        iterable = self.expr(stmt.iter, frame)
        if isinstance(iterable, Ref):
            known = self.value_of(iterable)
            if isinstance(known, (tuple, list)) and all(isinstance(k, int) for k in known):
                iterable = tuple(known)
        if not isinstance(iterable, (range, tuple, list, _Enumerate)):
            raise DslError("loop over range(...), enumerate(...), a tuple or a list", stmt.iter)
        for item in iterable:
            self.step(stmt)
            self.assign(stmt.target, item, frame)
            self.run(stmt.body, frame)
            if frame.returned:
                return

    def truth(self, value: Any, node: ast.AST) -> bool:
        value = self.concrete(value, node, "condition")
        return bool(value)

    # --------------------------------------------------------------------------- expressions
    def expr(
        self, node: ast.expr, frame: Frame, hint: str | None = None, fresh: bool = False
    ) -> Any:
        if isinstance(node, ast.Call):
            return self.call(node, frame, hint=hint, fresh=fresh)
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Name):
            return self.name(node, frame)
        if isinstance(node, ast.Attribute):
            return self.attribute(node, frame)
        if isinstance(node, ast.BinOp):
            if isinstance(node.op, ast.RShift):
                return self.chain(node, frame, hint=hint, fresh=fresh)
            left = self.expr(node.left, frame)
            right = self.expr(node.right, frame)
            return self.binop(node.op, left, right, node)
        if isinstance(node, ast.UnaryOp):
            return self.unary(node, frame)
        if isinstance(node, ast.BoolOp):
            is_and = isinstance(node.op, ast.And)
            result: Any = None
            for v in node.values:
                result = self.concrete(self.expr(v, frame), v, "operand of and/or")
                if bool(result) != is_and:
                    return result
            return result
        if isinstance(node, ast.Compare):
            if len(node.ops) == 1 and type(node.ops[0]) in _TENSOR_COMPARE:  # a mask: `y > 0`
                a, b = self.expr(node.left, frame), self.expr(node.comparators[0], frame)
                if self.is_tensor(a) or self.is_tensor(b):
                    name = _TENSOR_COMPARE[type(node.ops[0])]
                    return self.op_call(Op(f"operator.{name}"), [a, b], {}, node)
            left = self.concrete(self.expr(node.left, frame), node.left, "comparison")
            for op, comp in zip(node.ops, node.comparators):
                right = self.concrete(self.expr(comp, frame), comp, "comparison")
                try:
                    ok = _COMPARE[type(op)](left, right)
                except TypeError as exc:
                    raise DslError(f"cannot compare: {exc}", node) from None
                if not ok:
                    return False
                left = right
            return True
        if isinstance(node, ast.IfExp):
            cond = self.truth(self.expr(node.test, frame), node.test)
            return self.expr(node.body if cond else node.orelse, frame)
        if isinstance(node, ast.Tuple):
            return tuple(self.expr(e, frame) for e in node.elts)
        if isinstance(node, ast.List):
            return [self.expr(e, frame) for e in node.elts]
        if isinstance(node, ast.Subscript):
            base = self.expr(node.value, frame)
            index = self.expr(node.slice, frame)
            return self.getitem(base, index, node)
        if isinstance(node, ast.Slice):
            parts = (node.lower, node.upper, node.step)
            return slice(*(None if p is None else self.expr(p, frame) for p in parts))
        raise DslError(f"{type(node).__name__} is not part of the DSL", node)

    def name(self, node: ast.Name, frame: Frame) -> Any:
        n = node.id
        if n in frame.vars:
            return frame.vars[n]
        if n in self.globals:
            return self.globals[n]
        if self.input_mode:  # Input(batch, size): any other name is a new size symbol
            try:
                return sym.symbol(n)
            except ValueError as exc:
                raise DslError(f"{n!r} cannot name a size: {exc}", node) from None
        if n in self.size_names and frame.is_model:
            return self.size_name(n, node)
        if n in self.size_names:  # a block sees its parameters, not the model's Input sizes
            raise DslError(
                f"name {n!r} is not defined in a block: {n} names a size of the model's Input; "
                f"read it from the tensor (x.shape[{self.size_names[n][1]}]) or pass it in",
                node,
            )
        if n in BUILTINS:
            return Builtin(n)
        if L.module_rule(n) is not None:
            return LayerClass(n)
        op = resolve_op(n)
        if op is not None:
            return op
        if n in _PYTHON_BUILTINS:  # `input(B, 3, H, W)`: did you mean 'Input'?
            hint = L.suggest(n, [b for b in BUILTINS if b.lower() == n.lower()])
            raise DslError(f"Python's {n} is not part of the DSL{hint}", node)
        if n in _CONTAINERS:
            raise DslError(
                f"{n} is not part of the DSL: chain layers with `x >> Conv2d(...) >> ReLU()` "
                "and repeat them with a for loop or a block",
                node,
            )
        if n == "self":
            raise DslError(_NO_SELF, node)
        known = list(frame.vars) + list(self.globals) + list(BUILTINS) + L.layer_names()
        known = _op_names() + known  # adaptive_avg_pool2d too; a name the user wrote wins a tie
        known += ["True", "False", "None"]
        raise DslError(f"name {n!r} is not defined{L.suggest(n, known)}", node)

    def attribute(self, node: ast.Attribute, frame: Frame) -> Any:
        dotted = _dotted(node)
        if dotted is not None:
            head, _, attr = dotted.rpartition(".")
            if head in NAMESPACES and head.split(".")[0] not in frame.vars:
                return self.namespaced(NAMESPACES[head], attr, node)
        base = self.expr(node.value, frame)
        if isinstance(base, list) and node.attr == "append":
            return BoundMethod(base, "append")
        if isinstance(base, Ref) and node.attr in ("values", "indices"):
            made_by = self.graph[base.node].op.rsplit(".", 1)[-1]
            if made_by in _NAMED_PAIRS:  # torch.max(x, 1).values: item 0
                return self.getitem(base, 0 if node.attr == "values" else 1, node)
        if isinstance(base, Ref) and node.attr in TENSOR_ATTRIBUTES:
            return self.op_call(Op("builtins.getattr"), [base, node.attr], {}, node, node.attr)
        if isinstance(base, Ref):
            raise DslError(
                f"attribute .{node.attr} is not allowed here (tensors have "
                f"{', '.join('.' + a for a in TENSOR_ATTRIBUTES)} and their methods, "
                "called: x.view(...))",
                node,
            )
        raise DslError(f"attribute .{node.attr} is not allowed here", node)

    def namespaced(self, ns: str, attr: str, node: ast.AST) -> Any:
        if ns == "nn":
            if attr in _CONTAINERS:
                raise DslError(f"nn.{attr} is not part of the DSL: chain layers with `>>`", node)
            if L.module_rule(attr) is None:
                raise DslError(f"unknown layer 'nn.{attr}'{L.suggest(attr, L.layer_names())}", node)
            return LayerClass(attr)
        if ns == "torch" and attr in DTYPES:
            return _DTYPE_ALIAS.get(attr, attr)
        if ns == "torch" and L.module_rule(attr) is None and attr[:1].isupper():
            raise DslError(f"unknown name 'torch.{attr}'", node)
        op = f"{ns}.{attr}"
        rule = get_rule(op)
        if rule is None or rule.module:
            from ..rules import all_rules

            names = [k.split(".", 1)[1] for k in all_rules() if k.startswith(ns + ".")]
            raise DslError(f"unknown op '{op}'{L.suggest(attr, names)}", node)
        return Op(op)

    def unary(self, node: ast.UnaryOp, frame: Frame) -> Any:
        operand = self.expr(node.operand, frame)
        if isinstance(node.op, ast.Not):
            return not self.truth(operand, node.operand)
        if isinstance(operand, bool) or not isinstance(operand, (int, float, sym.Expr, Ref)):
            raise DslError("a sign needs a number", node)
        if isinstance(node.op, ast.UAdd):
            return operand
        if isinstance(node.op, ast.USub):
            if isinstance(operand, Ref):
                return self.op_call(Op("operator.neg"), [operand], {}, node)
            return -operand
        raise DslError("this operator is not part of the DSL", node)

    def binop(self, op: ast.operator, left: Any, right: Any, node: ast.AST) -> Any:
        if isinstance(op, ast.RShift):
            raise DslError("`>>` chains a tensor into a layer: write `x = x >> Layer(...)`", node)
        name, fn = _BINOPS[type(op)]
        if isinstance(left, Ref) or isinstance(right, Ref):
            return self.op_call(Op(f"operator.{name}"), [left, right], {}, node)
        numbers = (int, float, sym.Expr)
        if isinstance(left, numbers) and isinstance(right, numbers):
            return self.arith(name, fn, left, right, node)
        if name in ("add", "mul") and isinstance(left, (tuple, list, str)):
            if name == "mul" and (not isinstance(right, int) or abs(right) * len(left) > 10_000):
                raise DslError("sequence repeats need a small whole number", node)
            if name == "add" and isinstance(right, (tuple, list, str)):
                if len(left) + len(right) > 100_000:
                    raise DslError("sequence too long", node)
            try:
                return fn(left, right)
            except TypeError as exc:
                raise DslError(f"cannot {name}: {exc}", node) from None
        raise DslError(f"cannot {name} {_kind(left)} and {_kind(right)}", node)

    def arith(self, name: str, fn: Callable, left: Any, right: Any, node: ast.AST) -> Any:
        if isinstance(left, sym.Expr) or isinstance(right, sym.Expr):
            if (
                name not in ("add", "sub", "mul", "floordiv")
                or isinstance(left, float)
                or isinstance(right, float)
            ):
                raise DslError(f"cannot {name} a symbolic size here", node)
            if name == "floordiv" and not (isinstance(right, int) and right > 0):
                raise DslError("a symbolic size can only be divided by a positive number", node)
            return fn(left, right)
        if name in ("floordiv", "mod", "truediv") and right == 0:
            raise DslError("division by zero", node)
        if name == "pow":
            if isinstance(right, int) and (right < 0 or right > 64) and abs(left) > 1:
                raise DslError("exponent out of range (0 to 64)", node)
            if isinstance(right, float) or isinstance(left, float):
                if abs(right) > 64:
                    raise DslError("exponent out of range", node)
        try:
            out = fn(left, right)
        except (ArithmeticError, ValueError, TypeError) as exc:
            raise DslError(f"arithmetic error: {exc}", node) from None
        if isinstance(out, int) and abs(out) > MAX_INT:
            raise DslError("number out of range", node)
        if isinstance(out, complex):
            raise DslError("arithmetic error: complex result", node)
        return out

    def getitem(self, base: Any, index: Any, node: ast.AST) -> Any:
        if isinstance(base, Ref):
            return self.op_call(Op("operator.getitem"), [base, index], {}, node)
        if isinstance(base, (tuple, list, str)):
            index = self.concrete(index, node, "index")
            if not isinstance(index, (int, slice)) or isinstance(index, bool):
                raise DslError("index a tuple or list with a whole number or a slice", node)
            if isinstance(index, slice) and any(
                p is not None and not isinstance(p, int)
                for p in (index.start, index.stop, index.step)
            ):
                raise DslError("slice bounds must be whole numbers", node)
            try:
                return base[index]
            except (IndexError, ValueError) as exc:
                raise DslError(f"index error: {exc}", node) from None
        raise DslError(f"{_kind(base)} cannot be indexed", node)

    def concrete(self, value: Any, node: ast.AST, what: str) -> Any:
        """A plain value for a condition, a loop bound or a layer argument: sizes that the
        declared input fixes are read from the graph; symbolic ones are an error."""
        known = self.value_of(value)
        if _has(known, lambda v: isinstance(v, sym.Expr) or v is sym.UNKNOWN or v is OPAQUE):
            raise DslError(
                f"this {what} depends on a size that is not a fixed number ({_show(known)})", node
            )
        if _has(known, lambda v: isinstance(v, TensorValue)):
            raise DslError(f"a tensor cannot be used as a {what}", node)
        if _has(
            known,
            lambda v: not isinstance(v, (int, float, str, bool, type(None), slice, tuple, list)),
        ):
            raise DslError(f"{_kind(value)} cannot be used as a {what}", node)
        return known

    # --------------------------------------------------------------------------------- calls
    def call(
        self, node: ast.Call, frame: Frame, hint: str | None = None, fresh: bool = False
    ) -> Any:
        callee = self.callee(node, frame) if not _is_method(node, frame) else None
        if callee is None:  # x.view(...), feats.append(y)
            base = self.expr(node.func.value, frame)  # type: ignore[attr-defined]
            attr = node.func.attr  # type: ignore[attr-defined]
            if isinstance(base, list) and attr == "pop":  # skip = skips.pop()
                args, kwargs = self.arguments(node, frame)
                index = [self.concrete(a, n, "index") for a, n in zip(args, node.args)]
                if kwargs or len(index) > 1 or not all(type(i) is int for i in index):
                    raise DslError("pop takes at most one whole-number index", node)
                if not base:
                    raise DslError("pop from an empty list", node)
                try:
                    return base.pop(*index)
                except IndexError as exc:
                    raise DslError(f"index error: {exc}", node) from None
            if isinstance(base, list) and attr == "append":
                args, kwargs = self.arguments(node, frame)
                if kwargs or len(args) != 1:
                    raise DslError("append takes one value", node)
                if len(base) >= 100_000:
                    raise DslError("list too long", node)
                base.append(args[0])
                return None
            if not isinstance(base, Ref):
                raise DslError(f"{_kind(base)} has no method .{attr}()", node.func)
            op = f"Tensor.{attr}"
            rule = get_rule(op)
            if rule is None or rule.module:
                from ..rules import all_rules

                names = [k[7:] for k in all_rules() if k.startswith("Tensor.")]
                raise DslError(
                    f"unknown tensor method .{attr}(){L.suggest(attr, names)}", node.func
                )
            args, kwargs = self.arguments(node, frame)
            return self.op_call(Op(op), [base, *args], kwargs, node)
        return self.apply(callee, node, frame, [], hint=hint, fresh=fresh)

    def callee(self, node: ast.Call, frame: Frame) -> Any:
        inner = node.func
        if not (isinstance(inner, ast.Call) and isinstance(inner.func, ast.Name)):
            return self.expr(inner, frame)
        n = inner.func.id
        if not isinstance(frame.vars[n] if n in frame.vars else self.globals.get(n), Block):
            return self.expr(inner, frame)
        try:  # `ResBlk(64, 128)(x)`: right for a block that returns a layer, else a slip
            return self.expr(inner, frame)
        except DslError as exc:
            exc.hint(
                f" ({n} is a block: give it the tensor first, {n}(x, ...), or chain it, "
                f"x >> {n}(...))"
            )
            raise

    def arguments(self, node: ast.Call, frame: Frame) -> tuple[list, dict]:
        args = [self.expr(a, frame) for a in node.args]
        kwargs: dict[str, Any] = {}
        for kw in node.keywords:
            if kw.arg in kwargs:
                raise DslError(f"argument {kw.arg!r} given twice", kw)
            kwargs[kw.arg] = self.expr(kw.value, frame)  # type: ignore[index]
        return args, kwargs

    def apply(
        self,
        callee: Any,
        node: ast.Call,
        frame: Frame,
        before: list,
        hint: str | None = None,
        fresh: bool = False,
    ) -> Any:
        """``callee(*before, *node.args, **node.keywords)``; ``before`` holds the tensor a
        ``>>`` chain feeds in."""
        if isinstance(callee, LayerClass):
            layer = self.construct(callee, node, frame)
            return self.call_layer(layer, before, {}, node, frame) if before else layer
        if isinstance(callee, Builtin) and callee.name in ("Input", "Parameter"):
            if before:
                raise DslError(f"{callee.name}(...) cannot be chained", node)
            if callee.name == "Parameter":
                return self.parameter(node, frame, hint)
            return self.input(node, frame, hint)
        args, kwargs = self.arguments(node, frame)
        args = before + args
        if isinstance(callee, L.Layer):
            return self.call_layer(callee, args, kwargs, node, frame)
        if isinstance(callee, Op):
            return self.op_call(callee, args, kwargs, node)
        if isinstance(callee, Block):
            return self.call_block(callee, args, kwargs, node, frame, hint if fresh else None)
        if isinstance(callee, Builtin):
            return self.builtin(callee.name, args, kwargs, node)
        if isinstance(callee, BoundMethod):
            raise DslError("append is a statement: `feats.append(x)`", node)
        raise DslError(f"{_kind(callee)} is not callable (call layers, ops and blocks)", node.func)

    def construct(self, cls: LayerClass, node: ast.Call, frame: Frame) -> L.Layer:
        rule = L.module_rule(cls.op)
        assert rule is not None
        args, kwargs = self.arguments(node, frame)
        args = [self.layer_arg(a, n) for a, n in zip(args, node.args)]
        kwargs = {k: self.layer_arg(v, kw) for (k, v), kw in zip(kwargs.items(), node.keywords)}
        try:
            params = L.bind(cls.op, rule, args, kwargs)
        except L.LayerError as exc:
            raise DslError(str(exc), node) from None
        return L.Layer(cls.op, rule, params, self.location(node))

    def layer_arg(self, value: Any, node: ast.AST) -> Any:
        if value is Ellipsis:
            return value
        if isinstance(value, L.Layer):  # TransformerEncoder(TransformerEncoderLayer(...), 2)
            if value.unfilled:
                raise DslError(
                    f"a {value.op} given to another layer cannot fill in `...`: write its "
                    f"{', '.join(value.unfilled)} as a number",
                    node,
                )
            return LayerArgs(value.op, dict(value.params))  # torch copies it: a copy here
        if isinstance(value, (L.Layer, LayerClass, Block, Op, Builtin)):
            raise DslError(f"{_kind(value)} cannot be a layer argument", node)
        try:
            return self.concrete(value, node, "layer argument")
        except DslError as exc:
            if "not a fixed number" not in exc.message:
                raise
            raise DslError(
                f"{exc.message}: write `...` for a size the input decides (in_features, "
                "in_channels, ...) or give Input(...) fixed sizes",
                node,
            ) from None

    def call_layer(
        self, layer: L.Layer, args: list, kwargs: dict, node: ast.AST, frame: Frame
    ) -> Ref:
        if not args or not self.is_tensor(args[0]):
            raise DslError(
                f"{layer.op} is called on a tensor: {layer.op}(...)(x) or x >> {layer.op}(...)",
                node,
            )
        rule = layer.rule
        allowed = set(rule.forward)
        if len(args) > len(rule.forward):
            raise DslError(
                f"{layer.op} takes {len(rule.forward)} input(s) ({', '.join(rule.forward)}), "
                f"got {len(args)}",
                node,
            )
        for key in kwargs:
            if key not in allowed:
                raise DslError(f"{layer.op}'s forward has no argument {key!r}", node)
        missing = [
            p for p in _required_inputs(rule)[len(args) :] if p not in kwargs
        ]  # MultiheadAttention(...)(q) without key and value
        if missing:
            raise DslError(
                f"{layer.op} takes {', '.join(rule.forward)}; missing {', '.join(missing)}",
                node,
            )
        if layer.calls == 0:
            try:
                L.fill(layer, [self.value_of(a) for a in args])
            except L.LayerError as exc:
                raise DslError(str(exc), node) from None
            counted = L.param_count(layer.op, layer.params)
            count = layer.count = counted or 0
            base = frame.prefix + (layer.name or layer.op.lower())
            name = self.unique(base)
            layer.path = name
            if counted is None:
                self.graph.frontend_diagnostics.append(self.uncounted(layer, name))
            self.result.layers.append(layer)
        else:
            name = self.unique(layer.path or layer.op.lower())
            count = 0
        layer.calls += 1
        spec = LayerSpec(L.as_stored(layer.op, layer.params), count, count)
        ref = self.add(
            Node(
                name,
                layer.op,
                MODULE,
                tuple(_frozen(args)),
                kwargs,
                spec=spec,
                location=layer.location,
                call_location=self.location(node),
            ),
            node,
        )
        self.result.node_layer[name] = layer
        return ref

    def uncounted(self, layer: L.Layer, name: str) -> Diagnostic:
        symbolic = [k for k, v in layer.params.items() if isinstance(v, sym.Expr)]
        why = (
            f"its {', '.join(symbolic)} depends on the input's symbolic sizes"
            if symbolic
            else f"the DSL does not know how many parameters {layer.op} holds"
        )
        return Diagnostic(
            "SC010",
            severity_of("SC010"),
            f"{layer.op} '{name}': parameters not counted ({why}); the table counts 0",
            name,
            layer.location,
        )

    def unique(self, base: str) -> str:
        """A node or module path not used yet (and not a block's prefix)."""
        i = self.suffixes.get(base, 1 if base.rsplit(".", 1)[-1] in RESERVED else 0)
        name = f"{base}_{i}" if i else base
        while name in self.graph or name in self.prefixes:
            i += 1
            name = f"{base}_{i}"
        self.suffixes[base] = i + 1  # the next try: names stay linear in number
        return name

    def op_call(
        self, op: Op, args: list, kwargs: dict, node: ast.AST, name: str | None = None
    ) -> Ref:
        for v in list(args) + list(kwargs.values()):
            if _has(
                v, lambda x: isinstance(x, (L.Layer, LayerClass, Block, Op, Builtin, BoundMethod))
            ):
                raise DslError(f"{_kind(v)} cannot be an argument of {op.name}", node)
            if _has(v, lambda x: x is Ellipsis) and op.name != "operator.getitem":
                raise DslError("`...` is filled in only as a layer argument", node)
        sig = _call_signature(op.name)
        if sig is not None and "axis" in kwargs and "dim" in sig.parameters:
            if "axis" not in sig.parameters and "dim" not in kwargs:  # torch takes numpy's name
                kwargs = {("dim" if k == "axis" else k): v for k, v in kwargs.items()}
        if sig is not None:
            try:
                sig.bind(*args, **kwargs)
            except TypeError as exc:
                short = op.name.split(".", 1)[1]
                bad = re.search(r"unexpected keyword argument '(\w+)'", str(exc))
                hint = L.suggest(bad.group(1), list(sig.parameters)) if bad else ""
                raise DslError(f"{short}{_sig_text(sig)}: {exc}{hint}", node) from None
        if op.name.startswith("Tensor.") and not (args and self.is_tensor(args[0])):
            raise DslError(f"{op.name[7:]} is a tensor method: give it a tensor", node)
        if op.name.startswith("F.") and sig is not None and sig.parameters:
            first = next(iter(sig.parameters))
            given = args[0] if args else kwargs.get(first)
            if first == "input" and not self.is_tensor(given):
                raise DslError(
                    f"{op.name[2:]} takes a tensor as its input, not {self.kind(given)}", node
                )
        args, kwargs = _frozen(args), _frozen(kwargs)  # a list appended to later stays as is
        kind = METHOD if op.name.startswith("Tensor.") else FUNCTION
        short = op.name.rsplit(".", 1)[-1].strip("_") or "op"
        name = self.unique(self.prefix + (name or short))
        return self.add(
            Node(name, op.name, kind, tuple(args), kwargs, location=self.location(node)), node
        )

    def call_block(
        self, block: Block, args: list, kwargs: dict, node: ast.Call, frame: Frame, hint: str | None
    ) -> Any:
        fn = block.node
        params = [a.arg for a in fn.args.args]
        if not params:
            raise DslError(f"{block.name} is a model (it takes no parameters), not a block", node)
        defaults = fn.args.defaults
        first_default = len(params) - len(defaults)
        bound: dict[str, Any] = {}
        sig = f"{block.name}({', '.join(params)})"
        if len(args) > len(params):
            raise DslError(f"{sig} takes {len(params)} arguments, got {len(args)}", node)
        for p, v in zip(params, args):
            bound[p] = v
        for k, v in kwargs.items():
            if k not in params:
                raise DslError(f"{sig} has no parameter {k!r}{L.suggest(k, params)}", node)
            if k in bound:
                raise DslError(f"{sig}: {k!r} given twice", node)
            bound[k] = v
        for i, p in enumerate(params):
            if p not in bound:
                if i < first_default:
                    raise DslError(f"{sig}: missing argument {p!r}", node)
                bound[p] = self.expr(defaults[i - first_default], Frame({}, "", False))
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise DslError(f"blocks nest more than {MAX_DEPTH} deep (recursion?)", node)
        prefix = self.unique(frame.prefix + (hint or block.name.lower()))
        self.prefixes.add(prefix)
        inner = Frame(bound, prefix + ".", False)
        saved = self.prefix  # ops are named inside the block's prefix
        self.prefix = inner.prefix
        try:
            self.run(fn.body, inner)
        except DslError as exc:
            if len(exc.calls) < 10:
                exc.called_from(block.name, node)
            raise
        finally:
            self.depth -= 1
            self.prefix = saved
        return inner.result

    def chain(
        self, node: ast.BinOp, frame: Frame, hint: str | None = None, fresh: bool = False
    ) -> Any:
        left = self.expr(node.left, frame)
        if not _holds_tensor(left):
            raise DslError("the left side of >> must be a tensor", node.left)
        rhs = node.right
        if isinstance(rhs, ast.Call) and not _is_method(rhs, frame):
            callee = self.expr(rhs.func, frame)
            if not isinstance(callee, Block):
                return self.apply(callee, rhs, frame, [left])
            try:
                return self.apply(callee, rhs, frame, [left])
            except DslError as exc:  # `x >> ResBlk(x, 64, 128)` passes x twice
                first = rhs.args[0] if rhs.args else None
                if isinstance(first, ast.Name) and isinstance(frame.vars.get(first.id), Ref):
                    exc.hint(
                        f" (in a chain the tensor on the left is {callee.name}'s first "
                        f"argument: write x >> {callee.name}(...) without it)"
                    )
                raise
        callee = self.expr(rhs, frame)
        if isinstance(callee, LayerClass):
            rule = L.module_rule(callee.op)
            try:
                params = L.bind(callee.op, rule, [], {})  # type: ignore[arg-type]
            except L.LayerError as exc:
                raise DslError(str(exc), rhs) from None
            callee = L.Layer(callee.op, rule, params, self.location(rhs))  # type: ignore[arg-type]
        if isinstance(callee, L.Layer):
            return self.call_layer(callee, [left], {}, rhs, frame)
        if isinstance(callee, Op):
            return self.op_call(callee, [left], {}, rhs)
        if isinstance(callee, Block):
            fake = ast.Call(rhs, [], [], **_pos(rhs))
            return self.call_block(callee, [left], {}, fake, frame, None)
        raise DslError(
            f"the right side of >> must be a layer, an op or a block, not {_kind(callee)}", rhs
        )

    def builtin(self, name: str, args: list, kwargs: dict, node: ast.Call) -> Any:
        if kwargs:
            raise DslError(f"{name}() takes no keyword arguments", node)
        if name == "range":
            vals = [self.concrete(a, node, "range bound") for a in args]
            if not 1 <= len(vals) <= 3 or not all(
                isinstance(v, int) and not isinstance(v, bool) for v in vals
            ):
                raise DslError("range() takes 1 to 3 whole numbers", node)
            try:
                return range(*vals)
            except ValueError as exc:
                raise DslError(f"range(): {exc}", node) from None
        if name in ("int", "round"):  # width multipliers: `int(64 * alpha)`, `round(c * 1.5)`
            if len(args) != 1:
                raise DslError(f"{name}() takes one number", node)
            value = args[0]
            if self.is_tensor(value):
                raise DslError(f"{name}() takes a number, not a tensor", node)
            known = self.value_of(value)
            if isinstance(known, (int, sym.Expr)) and not isinstance(known, bool):
                return value  # a size is a whole number already (x.size(0) stays symbolic)
            known = self.concrete(value, node, f"argument of {name}()")
            if not isinstance(known, (int, float)) or isinstance(known, bool):
                raise DslError(f"{name}() takes a number, not {_kind(value)}", node)
            try:
                return int(known) if name == "int" else round(known)
            except (OverflowError, ValueError) as exc:
                raise DslError(f"{name}(): {exc}", node) from None
        if name in ("zip", "reversed"):  # U-Nets: `for w, skip in zip(WIDTHS, reversed(skips))`
            if name == "reversed" and len(args) != 1:
                raise DslError("reversed() takes one sequence", node)
            seqs = [self.sequence(a, node, name) for a in args]
            if min((len(q) for q in seqs), default=0) > 100_000:
                raise DslError("sequence too long", node)
            return list(zip(*seqs)) if name == "zip" else list(reversed(seqs[0]))
        if name == "enumerate":
            if len(args) != 1:
                raise DslError("enumerate() takes one sequence", node)
            seq = self.concrete(args[0], node, "sequence") if isinstance(args[0], Ref) else args[0]
            if not isinstance(seq, (tuple, list, range)):
                raise DslError("enumerate() takes a tuple, list or range", node)
            return _Enumerate(seq)
        if name == "len":
            if len(args) != 1:
                raise DslError("len() takes one argument", node)
            if isinstance(args[0], Ref):
                return self.op_call(Op("builtins.len"), args, {}, node)
            if not isinstance(args[0], (tuple, list, str, range)):
                raise DslError(f"len() of {_kind(args[0])}", node)
            return len(args[0])
        if name in ("min", "max", "abs"):
            vals = [self.concrete(a, node, f"argument of {name}()") for a in args]
            if len(vals) == 1 and isinstance(vals[0], (tuple, list)) and name != "abs":
                vals = list(vals[0])
            if not vals or not all(isinstance(v, (int, float)) for v in vals):
                raise DslError(f"{name}() takes numbers", node)
            if name == "abs":
                if len(vals) != 1:
                    raise DslError("abs() takes one number", node)
                return abs(vals[0])
            return min(vals) if name == "min" else max(vals)
        raise DslError(f"{name}() is not callable here", node)

    def sequence(self, value: Any, node: ast.AST, what: str) -> tuple | list | range:
        seq = self.concrete(value, node, "sequence") if isinstance(value, Ref) else value
        if not isinstance(seq, (tuple, list, range)):
            raise DslError(f"{what}() takes tuples, lists or ranges, not {_kind(value)}", node)
        return seq

    def parameter(self, node: ast.Call, frame: Frame, hint: str | None) -> Ref:
        """``cls_token = Parameter(1, 1, 128)``: a learnable tensor of that shape (zeros in the
        exported module), counted in the parameters."""
        args, kwargs = self.arguments(node, frame)
        if kwargs:
            raise DslError("Parameter() takes its sizes only: Parameter(1, 1, 128)", node)
        dims = [self.concrete(a, n, "Parameter size") for a, n in zip(args, node.args)]
        if not dims or not all(isinstance(d, int) and not isinstance(d, bool) for d in dims):
            raise DslError("Parameter() takes whole-number sizes: Parameter(1, 1, 128)", node)
        if any(d < 0 for d in dims):
            raise DslError("Parameter sizes must not be negative", node)
        count = 1
        for d in dims:
            count *= d
        if count > MAX_INT:
            raise DslError("Parameter too large", node)
        name = self.unique(frame.prefix + (hint or "parameter"))
        value = TensorValue(tuple(dims), "float32", const=True)
        ref = self.add(
            Node(
                name,
                "constant",
                CONSTANT,
                value=value,
                spec=LayerSpec({}, count, count),
                location=self.location(node),
            ),
            node,
        )
        self.result.parameters.append(name)
        return ref

    def input(self, node: ast.Call, frame: Frame, hint: str | None) -> Ref:
        if not frame.is_model:
            raise DslError("Input(...) belongs in a model (a def without parameters)", node)
        self.input_mode = True
        try:
            args, kwargs = self.arguments(node, frame)
        finally:
            self.input_mode = False
        arg_nodes = list(node.args)
        if len(arg_nodes) == 1 and isinstance(arg_nodes[0], (ast.Tuple, ast.List)):
            arg_nodes, args = list(arg_nodes[0].elts), list(args[0])  # Input((1, 3, 32, 32))
        dtype = kwargs.pop("dtype", "float32")
        if kwargs:
            raise DslError(f"Input() has no argument {next(iter(kwargs))!r} (only dtype)", node)
        if not isinstance(dtype, str) or dtype not in DTYPES:
            raise DslError(f'unknown dtype {dtype!r} (e.g. dtype="int64")', node)
        dtype = _DTYPE_ALIAS.get(dtype, dtype)
        index = len(self.result.inputs)
        if index < len(self.override):
            value = self.override[index]
        else:
            dims = []
            for a, n in zip(args, arg_nodes):
                if isinstance(a, bool) or not isinstance(a, (int, sym.Expr)):
                    raise DslError("Input sizes are whole numbers or names (B, 3, H, W)", n)
                if isinstance(a, int) and a < 0:
                    raise DslError("Input sizes must not be negative", n)
                dims.append(a)
            if not dims:
                raise DslError("Input() needs its sizes, e.g. Input(B, 3, H, W)", node)
            value = TensorValue(tuple(dims), dtype)
        name = self.unique(hint or "x")
        self.result.inputs.append(value)
        ref = self.add(Node(name, "input", INPUT, value=value, location=self.location(node)), node)
        for i, arg in enumerate(arg_nodes):  # `x = Input(B, 3, H, W)`: B names x.shape[0]
            if (
                isinstance(arg, ast.Name)
                and arg.id not in frame.vars
                and arg.id not in self.globals
            ):
                self.size_names.setdefault(arg.id, (ref, i, arg))
        return ref

    def size_name(self, name: str, node: ast.AST) -> Ref:
        """The size an Input's symbol stands for, read from the input (``x.shape[i]``), so that
        ``x.view(B, -1)`` holds at any input size."""
        if name not in self.size_refs:
            ref, i, _ = self.size_names[name]
            shape = self.op_call(Op("builtins.getattr"), [ref, "shape"], {}, node, "shape")
            getitem = Op("operator.getitem")
            self.size_refs[name] = self.op_call(getitem, [shape, i], {}, node, name=name)
        return self.size_refs[name]


class _Enumerate:
    def __init__(self, seq: Any) -> None:
        self.seq = seq

    def __iter__(self):  # noqa: ANN204
        return iter(enumerate(self.seq))


def _pos(node: ast.AST) -> dict[str, int]:
    return {
        "lineno": node.lineno,
        "col_offset": node.col_offset,
        "end_lineno": node.end_lineno or node.lineno,
        "end_col_offset": node.end_col_offset or node.col_offset,
    }


def _is_method(node: ast.Call, frame: Frame) -> bool:
    """``x.view(...)``: an attribute call on something that is not a torch namespace."""
    func = node.func
    if not isinstance(func, ast.Attribute):
        return False
    dotted = _dotted(func)
    if dotted is not None:
        head = dotted.rpartition(".")[0]
        if head in NAMESPACES and head.split(".")[0] not in frame.vars:
            return False
    return True


def _dotted(node: ast.AST) -> str | None:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


_SIZE_OPS = frozenset(
    {"builtins.getattr", "builtins.len", "Tensor.size", "Tensor.dim", "operator.getitem"}
    | {f"operator.{name}" for name, _ in _BINOPS.values()}
    | {"operator.neg"}
)


def _has_tensor(value: Any) -> bool:
    if isinstance(value, TensorValue) or value is OPAQUE:
        return True
    if isinstance(value, (tuple, list)):
        return any(_has_tensor(v) for v in value)
    return False


def _copy_lists(value: Any) -> Any:
    if isinstance(value, list):
        return [_copy_lists(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_copy_lists(v) for v in value)
    return value


def _required_inputs(rule: Any) -> list[str]:
    """A layer's forward inputs that have no default (torch raises without them)."""
    params = list(inspect.signature(rule.fn).parameters.values())[1:]
    return [p.name for p in params if p.name in rule.forward and p.default is p.empty]


def _frozen(value: Any) -> Any:
    if isinstance(value, list):
        return [_frozen(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_frozen(v) for v in value)
    if isinstance(value, dict):
        return {k: _frozen(v) for k, v in value.items()}
    return value


def _has(value: Any, pred: Callable[[Any], bool]) -> bool:
    if isinstance(value, (tuple, list)):
        return any(_has(v, pred) for v in value)
    if isinstance(value, slice):
        return any(_has(v, pred) for v in (value.start, value.stop, value.step))
    return pred(value)


def _holds_tensor(value: Any) -> bool:
    if isinstance(value, Ref):
        return True
    return isinstance(value, (tuple, list)) and bool(value) and all(_holds_tensor(v) for v in value)


def _kind(value: Any) -> str:
    if isinstance(value, Ref):
        return "a tensor"
    if isinstance(value, L.Layer):
        return f"layer {value.op}"
    if isinstance(value, LayerClass):
        return f"layer {value.op}"
    if isinstance(value, Block):
        return f"block {value.name}"
    if isinstance(value, Op):
        return f"op {value.name}"
    if isinstance(value, Builtin):
        return f"{value.name}()"
    if value is None:
        return "None"
    if value is Ellipsis:
        return "`...`"
    if isinstance(value, sym.Expr):
        return "a symbolic size"
    return f"a {type(value).__name__}"


def _show(value: Any) -> str:
    if isinstance(value, (tuple, list)):
        return "(" + ", ".join(_show(v) for v in value) + ")"
    if value is sym.UNKNOWN or value is OPAQUE:
        return "?"
    return str(value)


def _sig_text(sig: inspect.Signature) -> str:
    params = [p.replace(annotation=p.empty) for p in sig.parameters.values()]
    return str(sig.replace(parameters=params, return_annotation=sig.empty))
