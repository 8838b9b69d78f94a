"""DSL models to PyTorch source: an ``nn.Module`` class per model, its submodules registered
under the DSL's names (``res1.conv1``) with every ``...`` replaced by the number shapecalc
filled in, and a straight-line ``forward`` (loops and blocks unrolled) in the DSL's order.

``build_module`` executes that source in a fresh namespace: the only place the DSL imports
torch, and only when a real module is wanted (``shapecalc verify``).
"""

from __future__ import annotations

import builtins
import keyword
import math
import re
from typing import Any

from . import symbolic as sym
from .frontends import FrontendError
from .frontends.dsl_eval import DslModel
from .graph import CONSTANT, INPUT, MODULE, OUTPUT, LayerArgs, Node, Ref

_BINARY = {
    "operator.add": "+",
    "operator.sub": "-",
    "operator.mul": "*",
    "operator.truediv": "/",
    "operator.floordiv": "//",
    "operator.mod": "%",
    "operator.pow": "**",
    "operator.matmul": "@",
    "operator.eq": "==",
    "operator.ne": "!=",
    "operator.lt": "<",
    "operator.le": "<=",
    "operator.gt": ">",
    "operator.ge": ">=",
}
_TAKEN = {"self", "torch", "nn", "F"} | set(dir(builtins))  # never shadow a builtin


# tuple arguments torch.nn accepts as one int for every dimension, written once when all agree
_COLLAPSE = {"kernel_size", "stride", "padding", "dilation", "output_padding"}


class ExportError(FrontendError):
    pass


def export_models(path: str, name: str | None = None) -> str:
    """The PyTorch source of the models in a DSL file (one when ``name`` picks it)."""
    from .frontends.dsl import build_models

    file, sep, picked = path.rpartition(":")
    if sep and file.endswith(".scn"):  # `file.scn:Name`, as every other command takes it
        if name is not None and name != picked:
            raise ExportError(f"{path}: the model is {picked!r} here but --name says {name!r}")
        path, name = file, picked
    if not path.endswith(".scn"):
        raise ExportError(f"{path}: export takes a DSL file (.scn, or file.scn:Model)")
    return module_source(build_models(path, name=name), path)


def module_source(models: list[DslModel], path: str = "") -> str:
    head = [
        f'"""PyTorch modules exported by shapecalc from {path or "a DSL file"}."""',
        "",
        "import torch",
        "import torch.nn as nn",
        "import torch.nn.functional as F",
    ]
    # two blank lines before every class (PEP 8), also between the models of one file
    return "\n".join(head + [p for m in models for p in ("", "", class_source(m))]) + "\n"


def build_module(model: DslModel) -> Any:
    """A real torch module equivalent to the DSL model (on CPU)."""
    source = module_source([model])
    namespace: dict[str, Any] = {"__name__": f"shapecalc_export_{model.name}"}
    exec(compile(source, f"<shapecalc export of {model.name}>", "exec"), namespace)
    return namespace[model.name]()


def class_source(model: DslModel) -> str:
    lines = [f"class {model.name}(nn.Module):", "    def __init__(self) -> None:"]
    lines.append("        super().__init__()")
    containers: set[str] = set()
    for layer in model.layers:
        assert layer.path is not None
        for box in _boxes(layer.path, containers):
            lines.append(f"        self.{box} = nn.Module()")
        where = f"  # line {layer.location.line}" if layer.location else ""
        lines.append(
            f"        self.{layer.path} = {constructor(layer.op, layer.params, layer.path)}{where}"
        )
    for name in model.parameters:
        node = model.graph[name]
        for box in _boxes(name, containers):
            lines.append(f"        self.{box} = nn.Module()")
        size = ", ".join(str(d) for d in node.value.shape)
        lines.append(f"        self.{name} = nn.Parameter(torch.zeros({size}))")
    names = _Locals()
    inputs = [n for n in model.graph if n.kind == INPUT]
    params = ", ".join(["self"] + [names.add(n.name) for n in inputs])
    lines += ["", f"    def forward({params}):"]
    for node in model.graph:
        if node.kind == INPUT:
            continue
        if node.kind == CONSTANT:
            lines.append(f"        {names.add(node.name)} = self.{node.name}")
            continue
        if node.kind == OUTPUT:
            lines.append(f"        return {_expr(node.args[0], names)}")
            continue
        text = _call(node, model, names)
        lines.append(f"        {names.add(node.name)} = {text}")
    return "\n".join(lines)


def _boxes(path: str, containers: set[str]) -> list[str]:
    """The containers (plain nn.Modules) a dotted path needs that do not exist yet."""
    parts = path.split(".")
    out = []
    for i in range(1, len(parts)):
        box = ".".join(parts[:i])
        if box not in containers:
            containers.add(box)
            out.append(box)
    return out


def constructor(op: str, params: dict[str, Any], path: str = "") -> str:
    """``nn.Conv2d(3, 6, 5, padding=1)``: required arguments by position, others by keyword
    when they differ from the default."""
    from .rules import get_rule

    rule = get_rule(op)
    assert rule is not None and rule.init is not None
    parts: list[str] = []
    for key, p in rule.init.parameters.items():
        if key not in params:
            continue
        value = params[key]
        if _symbolic(value):
            raise ExportError(
                f"{op} '{path}': {key} = {value} depends on the input's symbolic sizes; "
                "give the sizes it depends on as numbers in Input(...) (or a `# shapecalc: input=` "
                "comment) to export"
            )
        if isinstance(value, tuple) and len(value) > 1 and key in _COLLAPSE:
            value = value[0] if all(_same(v, value[0]) for v in value) else value
        if p.default is p.empty:
            parts.append(_literal(value, key))
        elif not _same(value, p.default):
            parts.append(f"{key}={_literal(value, key)}")
    return f"nn.{op}({', '.join(parts)})"


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b


def _symbolic(value: Any) -> bool:
    if isinstance(value, (tuple, list)):
        return any(_symbolic(v) for v in value)
    return isinstance(value, sym.Expr) or value is sym.UNKNOWN


def _literal(value: Any, key: str = "") -> str:
    if isinstance(value, LayerArgs):  # TransformerEncoder's encoder_layer
        return constructor(value.op, dict(value))
    if key == "dtype" and isinstance(value, str):
        return f"torch.{value}"
    if isinstance(value, tuple):
        inner = ", ".join(_literal(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if isinstance(value, list):
        return "[" + ", ".join(_literal(v) for v in value) + "]"
    if value is Ellipsis:
        return "..."
    if isinstance(value, slice):
        return f"slice({_literal(value.start)}, {_literal(value.stop)}, {_literal(value.step)})"
    if isinstance(value, float) and not math.isfinite(value):
        return f"float({str(value)!r})"
    return repr(value)


class _Locals:
    """Python names for graph nodes: ``res1.conv1`` -> ``res1_conv1``, unique."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}
        self.used: set[str] = set(_TAKEN)

    def add(self, node: str) -> str:
        base = re.sub(r"\W", "_", node)
        if not base.isidentifier() or keyword.iskeyword(base):
            base = f"v_{base}"
        name, i = base, 0
        while name in self.used:
            i += 1
            name = f"{base}_{i}"
        self.used.add(name)
        self.names[node] = name
        return name

    def __getitem__(self, node: str) -> str:
        return self.names[node]


def _expr(value: Any, names: _Locals, in_index: bool = False) -> str:
    if isinstance(value, Ref):
        return names[value.node]
    if isinstance(value, tuple):
        inner = ", ".join(_expr(v, names, in_index) for v in value)
        if in_index:
            return inner if len(value) != 1 else inner + ","
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if isinstance(value, list):
        return "[" + ", ".join(_expr(v, names) for v in value) + "]"
    if isinstance(value, slice):
        parts = [
            _expr(p, names) if p is not None else "" for p in (value.start, value.stop, value.step)
        ]
        if in_index:
            return ":".join(parts if value.step is not None else parts[:2])
        return (
            "slice("
            + ", ".join(_expr(p, names) for p in (value.start, value.stop, value.step))
            + ")"
        )
    return _literal(value)


def _arguments(args: tuple, kwargs: Any, names: _Locals) -> str:
    parts = [_expr(a, names) for a in args]
    for key, value in kwargs.items():
        text = (
            f"torch.{value}" if key == "dtype" and isinstance(value, str) else _expr(value, names)
        )
        parts.append(f"{key}={text}")
    return ", ".join(parts)


def _call(node: Node, model: DslModel, names: _Locals) -> str:
    op = node.op
    if node.kind == MODULE:
        layer = model.node_layer[node.name]
        return f"self.{layer.path}({_arguments(node.args, node.kwargs, names)})"
    args = node.args
    if op in _BINARY:
        return f"{_expr(args[0], names)} {_BINARY[op]} {_expr(args[1], names)}"
    if op == "operator.neg":
        return f"-{_expr(args[0], names)}"
    if op == "operator.getitem":
        return f"{_expr(args[0], names)}[{_expr(args[1], names, in_index=True)}]"
    if op == "builtins.getattr":
        return f"{_expr(args[0], names)}.{args[1]}"
    if op == "builtins.len":
        return f"len({_expr(args[0], names)})"
    if op.startswith("Tensor."):
        rest = _arguments(args[1:], node.kwargs, names)
        return f"{_expr(args[0], names)}.{op[7:]}({rest})"
    if op.startswith(("F.", "torch.")):
        return f"{op}({_arguments(args, node.kwargs, names)})"
    raise ExportError(f"cannot export op {op} ('{node.name}')")
