"""Every DSL example against its torch twin in examples/*.py.

- Analysis: the DSL model and the torch model give the same layers (op, output shape and
  parameters, compared as multisets so that the order of independent branches does not
  matter), the same outputs and the same parameter total, symbolically (the declared input)
  and at concrete sizes.
- Export: the module built from the DSL (exported source, executed) runs on CPU at the zoo's
  valid sizes; every layer's real output shape equals the DSL analysis of that layer at that
  size, and the model's output shape equals the torch example's.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
import torch
import torch.nn as nn

from shapecalc.analyze import analyze_loaded
from shapecalc.frontends import FrontendError
from shapecalc.frontends.loader import load
from shapecalc.graph import MODULE
from shapecalc.inputs import parse_shape
from shapecalc.propagate import StrictModeError
from shapecalc.values import TensorValue
from tests.examples.zoo import EXAMPLES_DIR, ZOO

# (DSL file, model name) -> the zoo entry of its torch twin (same file stem, same model name)
PAIRS = [
    (z.file.replace(".py", ".scn"), z.model, z)
    for z in ZOO
    if (EXAMPLES_DIR / z.file.replace(".py", ".scn")).exists()
]
EXPECTED_FILES = {
    "seed_conv_unit", "seed_batchnorm", "seed_resblk", "seed_denseblock", "seed_densenet",
    "lenet5", "alexnet", "vgg16", "resnet18", "resnet50", "densenet121", "googlenet",
    "mobilenetv2", "squeezenet", "unet", "vit_patch",
}  # fmt: skip


def _load(spec: str):
    try:
        models = load(spec)
    except FrontendError as exc:
        _skip_if_rule_missing(str(exc))
        raise
    assert len(models) == 1
    return models[0]


def _skip_if_rule_missing(message: str) -> None:
    """The examples use torch.nn layers whose shape rules come from another part of the
    project (BatchNorm2d, Dropout, Identity, LayerNorm, GELU): skip, naming the rule, where one
    is not there yet, rather than fail on it."""
    m = re.search(r"name '(\w+)' is not defined|no shape rule for ([\w.]+)", message)
    name = m and (m.group(1) or m.group(2))
    if name and (hasattr(nn, name) or "." in name):
        pytest.skip(f"no shape rule for {name} yet")


def _analyze(loaded, inputs):
    try:
        return analyze_loaded(loaded, inputs)
    except StrictModeError as exc:
        _skip_if_rule_missing(str(exc))
        raise


def _layers(analysis) -> Counter:
    return Counter(
        (layer.op, str(layer.value), layer.params)
        for layer in analysis.layers
        if layer.node.kind == MODULE
    )


def test_every_example_has_a_dsl_twin() -> None:
    stems = {p[0].removesuffix(".scn") for p in PAIRS}
    assert stems == EXPECTED_FILES
    assert len(PAIRS) == len([z for z in ZOO if z.file.removesuffix(".py") in EXPECTED_FILES])


def _specs(loaded) -> Counter:
    return Counter(
        (node.op, repr(sorted(dict(node.spec.params).items())))
        for node in loaded.graph
        if node.kind == MODULE
    )


@pytest.mark.parametrize("scn,name,zoo", PAIRS, ids=[f"{p[0]}:{p[1]}" for p in PAIRS])
def test_analysis_equals_torch_example(scn: str, name: str, zoo) -> None:
    dsl = _load(f"{EXAMPLES_DIR / scn}:{name}")
    ref = _load(f"{zoo.path}:{name}")
    assert dsl.inputs == [parse_shape(zoo.spec)]  # the DSL declares the torch file's input
    # every layer's arguments, as the torch frontend reads them back from the real module
    assert _specs(dsl) == _specs(ref)
    sizes = [[parse_shape(zoo.spec)], [TensorValue(zoo.valid[0][0])]]
    sizes.append([TensorValue(zoo.valid[1][0])])
    for inputs in sizes:
        a, b = _analyze(dsl, inputs), _analyze(ref, inputs)
        assert _layers(a) == _layers(b), inputs
        assert a.output_shapes == b.output_shapes
        assert a.total_params == b.total_params
        assert [d.code for d in a.diagnostics] == [d.code for d in b.diagnostics]
        assert [str(c) for c in a.constraints] == [str(c) for c in b.constraints]


@pytest.mark.parametrize("scn,name,zoo", PAIRS, ids=[f"{p[0]}:{p[1]}" for p in PAIRS])
def test_exported_module_agrees_with_analysis(scn: str, name: str, zoo) -> None:
    dsl = _load(f"{EXAMPLES_DIR / scn}:{name}")
    module = dsl.build().eval()
    real = dict(module.named_modules())
    torch.manual_seed(0)
    for shape, out_shape in zoo.valid:
        analysis = analyze_loaded(dsl, [TensorValue(shape)])
        assert not analysis.errors
        seen: dict[str, list] = {}
        hooks = [
            real[node.name].register_forward_hook(
                lambda _m, _i, out, n=node.name, s=seen: s.setdefault(n, []).append(
                    tuple(out.shape)
                )
            )
            for node in dsl.graph
            if node.kind == MODULE and node.name in real
        ]
        try:
            with torch.no_grad():
                out = module(torch.rand(shape))
        finally:
            for h in hooks:
                h.remove()
        assert tuple(out.shape) == out_shape
        calls: Counter = Counter()
        for layer in analysis.layers:
            if layer.node.kind != MODULE:
                continue
            layer_obj = dsl.graph[layer.name]
            path = _module_path(dsl, layer_obj.name)
            assert seen[path][calls[path]] == layer.shape, (shape, layer.name)
            calls[path] += 1
        params = sum(p.numel() for p in module.parameters())
        assert params == analysis.total_params


def _module_path(loaded, node_name: str) -> str:
    from shapecalc.frontends.dsl import build_models

    cache = _module_path.__dict__.setdefault("cache", {})
    key = (loaded.path, loaded.name)
    if key not in cache:
        (model,) = [m for m in build_models(loaded.path) if m.name == loaded.name]
        cache[key] = {n: layer.path for n, layer in model.node_layer.items()}
    return cache[key][node_name]
