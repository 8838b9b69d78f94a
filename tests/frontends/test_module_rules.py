"""Every module rule's own examples, through the torch frontend: the layer is built by torch
(or kept as a shell when torch rejects its arguments), its constructor arguments are read back
from the module's attributes, and the analysis must equal the one of the example written as an
expression (which tests/test_rule_examples.py proves against torch). This is what keeps the
attribute reading (and its adapter table) right for every layer that has a rule."""

from __future__ import annotations

import ast
import warnings

import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F

from shapecalc.analyze import analyze_loaded
from shapecalc.frontends import LoadedModel
from shapecalc.frontends.loader import BuildContext
from shapecalc.frontends.locations import SourceMap
from shapecalc.frontends.torch import graph_from_module
from shapecalc.rules import all_rules
from shapecalc.values import TensorValue

from ..difftest import errors, predicted_shapes, run_shapecalc


def _module_examples():
    seen = set()
    for name, rule in sorted(all_rules().items()):
        if not rule.module or id(rule.fn) in seen:
            continue
        seen.add(id(rule.fn))
        for i, example in enumerate(rule.examples):
            tree = ast.parse(example.source, mode="eval").body
            if isinstance(tree, ast.Call) and isinstance(tree.func, ast.Call):
                yield pytest.param(example, tree, id=f"{name}-{i}")


def _wrap(layer: nn.Module, call: ast.Call, inputs: list[str]) -> nn.Module:
    """A model whose forward is the example's call of the layer on its inputs."""
    args = [ast.unparse(a) for a in call.args]
    args += [f"{k.arg}={ast.unparse(k.value)}" for k in call.keywords]
    source = (
        "class Example(nn.Module):\n"
        "    def __init__(self, layer):\n"
        "        super().__init__()\n"
        "        self.layer = layer\n"
        f"    def forward(self, {', '.join(inputs)}):\n"
        f"        return self.layer({', '.join(args)})\n"
    )
    env = {"nn": nn, "torch": torch, "F": F}
    exec(source, env)  # test-only: the rule's own example, as difftest evaluates it
    return env["Example"](layer)


@pytest.mark.parametrize("example, tree", list(_module_examples()))
def test_module_example_through_the_torch_frontend(example, tree):
    env = {"nn": nn, "torch": torch, "F": F}
    with warnings.catch_warnings(), BuildContext(SourceMap()).active(None):
        warnings.simplefilter("ignore")
        layer = eval(ast.unparse(tree.func), env)  # test-only: the example's constructor
    names = list(example.inputs)
    model = _wrap(layer, tree, names)
    graph = graph_from_module(model, "Example")
    dtypes = example.dtypes
    inputs = [TensorValue(tuple(example.inputs[n]), dtypes.get(n, "float32")) for n in names]
    via_torch = analyze_loaded(LoadedModel("Example", "", graph), inputs)
    via_expression = run_shapecalc(example.source, example.inputs, example.dtypes)
    assert predicted_shapes(via_torch) == predicted_shapes(via_expression)
    assert sorted(set(errors(via_torch))) == sorted(set(errors(via_expression)))
    if example.code is not None:
        assert example.code in [d.code for d in via_torch.diagnostics]
