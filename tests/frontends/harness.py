"""Whole-model agreement: every layer's predicted shape against a real CPU forward.

Module nodes are compared with the outputs forward hooks record on the real layers (the n-th
call of a layer with the n-th node of that layer); functional nodes, tensor methods,
operators, constants and inputs with the values torch.fx.Interpreter produces for the same fx
node. Sizes (x.size(0), x.shape[2:]) are compared by value.
"""

from __future__ import annotations

import os
from collections import defaultdict
from typing import Any

import torch
import torch.fx as fx

from shapecalc import symbolic as sym
from shapecalc.analyze import analyze_loaded
from shapecalc.diagnostics import Severity
from shapecalc.frontends import LoadedModel
from shapecalc.frontends.loader import load
from shapecalc.frontends.torch import is_leaf
from shapecalc.graph import MODULE
from shapecalc.values import TensorValue

MODELS = os.path.join(os.path.dirname(os.path.dirname(__file__)), "models", "frontend")


def model_path(name: str) -> str:
    return os.path.join(MODELS, name)


def load_one(spec: str) -> LoadedModel:
    models = load(spec)
    assert len(models) == 1, [m.name for m in models]
    return models[0]


def make_input(value: TensorValue) -> torch.Tensor:
    if value.dtype.startswith(("int", "uint")):
        return torch.randint(0, 2, value.shape, dtype=getattr(torch, value.dtype))
    return torch.rand(value.shape, dtype=getattr(torch, value.dtype))


class _Recording(fx.Interpreter):
    def __init__(self, gm: fx.GraphModule) -> None:
        super().__init__(gm)
        self.outputs: dict[str, Any] = {}

    def run_node(self, n: fx.Node) -> Any:
        out = super().run_node(n)
        self.outputs[n.name] = out
        return out


def real_forward(
    loaded: LoadedModel, inputs: list[TensorValue], graph: Any = None
) -> tuple[dict, dict, Any]:
    """(fx node name -> value, layer qualified name -> outputs per call, the model's output)
    of a real forward; ``graph``: the analysed graph (a forward traced again at its inputs'
    ranks has its own fx module)."""
    fx_module = (graph if graph is not None else loaded.graph).fx_module
    model = loaded.build().eval()
    calls: dict[str, list[Any]] = defaultdict(list)
    handles = []
    for name, module in model.named_modules():
        if name and is_leaf(module):
            handles.append(
                module.register_forward_hook(lambda _m, _i, out, name=name: calls[name].append(out))
            )
    tensors = [make_input(v) for v in inputs]
    fx_values: dict[str, Any] = {}
    try:
        with torch.no_grad():
            if fx_module is not None:
                gm = fx.GraphModule(model, fx_module.graph)
                interp = _Recording(gm)
                output = interp.run(*tensors)
                fx_values = interp.outputs
            else:
                output = model(*tensors)
    finally:
        for h in handles:
            h.remove()
    return fx_values, calls, output


def same(predicted: Any, actual: Any, where: str) -> None:
    if isinstance(actual, torch.Tensor):
        assert isinstance(predicted, TensorValue), f"{where}: predicted {predicted!r}"
        assert tuple(predicted.shape) == tuple(actual.shape), (
            f"{where}: predicted {predicted}, torch {tuple(actual.shape)}"
        )
    elif isinstance(actual, torch.Size):
        assert tuple(predicted) == tuple(actual), f"{where}: predicted {predicted}, torch {actual}"
    elif isinstance(actual, (tuple, list)):
        assert isinstance(predicted, (tuple, list)), f"{where}: predicted {predicted!r}"
        assert len(predicted) == len(actual), f"{where}: predicted {predicted!r}"
        for i, (p, a) in enumerate(zip(predicted, actual)):
            same(p, a, f"{where}[{i}]")
    elif isinstance(actual, int) and not isinstance(actual, bool):
        assert predicted == actual, f"{where}: predicted {predicted!r}, torch {actual}"


def _qualname(node_name: str, calls: dict) -> str:
    if node_name in calls:
        return node_name
    base, _, suffix = node_name.rpartition("_")
    assert suffix.isdigit() and base in calls, f"no layer for node {node_name!r}"
    return base


def assert_agrees(loaded: LoadedModel, inputs: list[TensorValue]) -> Any:
    """Analyse at concrete ``inputs`` (clean, no error) and compare every layer with torch."""
    analysis = analyze_loaded(loaded, inputs)
    errors = [d for d in analysis.diagnostics if d.severity == Severity.ERROR]
    assert not errors, [f"{d.code} {d.message}" for d in errors]
    fx_values, calls, output = real_forward(loaded, inputs, analysis.graph)
    used: dict[str, int] = defaultdict(int)
    graph = analysis.graph
    compared = 0
    for layer in analysis.layers:
        node = layer.node
        if node.kind == MODULE:
            qualname = _qualname(node.name, calls)
            actual = calls[qualname][used[qualname]]
            used[qualname] += 1
        elif node.name in graph.fx_names:
            actual = fx_values[graph.fx_names[node.name]]
        else:
            continue
        same(layer.value, actual, f"{loaded.name} '{node.name}' ({node.op})")
        compared += 1
    real = list(output) if isinstance(output, (tuple, list)) else [output]
    same(analysis.outputs, real, f"{loaded.name} output")
    if graph.fx_module is not None:  # a recorded graph is compared on its layers only
        assert compared == len(analysis.layers)
    return analysis


def assert_symbolic_agrees(
    loaded: LoadedModel, symbolic: list[TensorValue], sizes: list[dict[str, int]]
) -> Any:
    """Analyse once with symbols; at each size, every layer's formula must equal the concrete
    analysis (which assert_agrees compares with torch) and every condition must hold."""
    analysis = analyze_loaded(loaded, symbolic)
    errors = [d for d in analysis.diagnostics if d.severity == Severity.ERROR]
    assert not errors, [f"{d.code} {d.message}" for d in errors]
    for env in sizes:
        concrete = [v.with_shape(tuple(sym.evaluate(d, env) for d in v.shape)) for v in symbolic]
        reference = analyze_loaded(loaded, concrete)
        for c in analysis.constraints:
            assert sym.decide(sym.Rel(c.rel.kind, sym.subs(c.rel.expr, env))) is True, (
                f"{loaded.name}: condition {c} fails at {env}"
            )
        for layer, ref in zip(analysis.layers, reference.layers):
            assert layer.name == ref.name
            got = _evaluate(layer.value, env)
            assert got == _evaluate(ref.value, {}), (
                f"{loaded.name} '{layer.name}': {layer.value} at {env} is {got}, "
                f"concrete analysis gives {ref.value}"
            )
    return analysis


def _evaluate(value: Any, env: dict[str, int]) -> Any:
    if isinstance(value, TensorValue):
        return tuple(_evaluate(d, env) for d in value.shape)
    if isinstance(value, (tuple, list)):
        return tuple(_evaluate(v, env) for v in value)
    if isinstance(value, sym.Expr):
        return sym.evaluate(value, env)
    return value
