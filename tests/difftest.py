"""Differential testing: run a torch expression through shapecalc and through real eager torch
on CPU, and require them to agree.

An expression is torch code over named inputs (``x``, ``y``, ...), such as
``nn.Conv2d(3, 6, 5)(x)`` or ``torch.cat([x, y], dim=1)``. Agreement means: where torch
succeeds, shapecalc reports no error and predicts the same output shapes; where torch raises,
shapecalc reports at least one error (and, when given, the expected code). An expression whose
result holds no tensor (``x.size(0) // 2``, ``x.shape[2:]``, ``x.dtype``) must give the same
Python value: torch.Size as a tuple, a dtype by name (``"float32"``), a device as ``"cpu"``.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import torch
import torch.nn as nn
import torch.nn.functional as F

from shapecalc import symbolic as sym
from shapecalc.diagnostics import Severity
from shapecalc.frontends.expression import graph_from_expression
from shapecalc.propagate import Analysis, propagate
from shapecalc.values import TensorValue

INT_DTYPES = {
    "int64": torch.int64,
    "int32": torch.int32,
    "int16": torch.int16,
    "int8": torch.int8,
    "uint8": torch.uint8,
    "bool": torch.bool,
}


NO_VALUE = object()  # a result that holds tensors: compared by shapes, not by value


@dataclass
class TorchResult:
    shapes: list[tuple[int, ...]] | None
    error: BaseException | None
    value: Any = NO_VALUE


def _make_tensor(shape: tuple, dtype: str) -> torch.Tensor:
    if dtype in INT_DTYPES:
        if dtype == "bool":
            return torch.zeros(shape, dtype=torch.bool)
        return torch.randint(0, 3, shape, dtype=INT_DTYPES[dtype])
    return torch.rand(shape, dtype=getattr(torch, dtype))


def _shapes(value: Any) -> list[tuple[int, ...]]:
    if isinstance(value, torch.Tensor):
        return [tuple(value.shape)]
    if isinstance(value, (tuple, list)):
        return [s for v in value for s in _shapes(v)]
    if isinstance(value, torch.Size):
        return []
    return []


def python_value(value: Any) -> Any:
    """A result without tensors as plain Python; NO_VALUE when it holds a tensor."""
    if isinstance(value, torch.Tensor):
        return NO_VALUE
    if isinstance(value, torch.dtype):
        return str(value).removeprefix("torch.")
    if isinstance(value, torch.device):
        return str(value)
    if isinstance(value, (tuple, list)):  # torch.Size included
        items = [python_value(v) for v in value]
        if any(v is NO_VALUE for v in items):
            return NO_VALUE
        return tuple(items) if isinstance(value, tuple) else items
    return value


def same_value(a: Any, b: Any) -> bool:
    """Equal and of the same Python type throughout (1 differs from 1.0 and from True)."""
    if isinstance(a, (tuple, list)) or isinstance(b, (tuple, list)):
        return (
            type(a) is type(b) and len(a) == len(b) and all(same_value(x, y) for x, y in zip(a, b))
        )
    return type(a) is type(b) and a == b


def run_torch(
    source: str, inputs: Mapping[str, tuple], dtypes: Mapping[str, str] | None = None
) -> TorchResult:
    dtypes = dtypes or {}
    env: dict[str, Any] = {"torch": torch, "nn": nn, "F": F, "math": math}
    env.update({k: _make_tensor(tuple(v), dtypes.get(k, "float32")) for k, v in inputs.items()})
    try:
        with warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")
            value = eval(source, env)  # test-only: the expression is the test's own torch code
    except Exception as exc:  # torch raises RuntimeError, ValueError, IndexError, TypeError...
        return TorchResult(None, exc)
    return TorchResult(_shapes(value), None, python_value(value))


def run_shapecalc(
    source: str, inputs: Mapping[str, tuple], dtypes: Mapping[str, str] | None = None
) -> Analysis:
    dtypes = dtypes or {}
    values = {k: TensorValue(tuple(v), dtypes.get(k, "float32")) for k, v in inputs.items()}
    return propagate(graph_from_expression(source, values))


def predicted_shapes(analysis: Analysis) -> list[tuple]:
    return [tuple(s) if s is not None else None for s in analysis.output_shapes]


def predicted_value(analysis: Analysis) -> Any:
    """shapecalc's value of the expression (tuples of sizes stay tuples)."""
    (output,) = analysis.graph.outputs
    return analysis.values[output.name]


def errors(analysis: Analysis) -> list[str]:
    return [d.code for d in analysis.diagnostics if d.severity == Severity.ERROR]


def assert_agree(
    source: str,
    inputs: Mapping[str, tuple],
    dtypes: Mapping[str, str] | None = None,
    code: str | None = None,
) -> Analysis:
    """The differential check. Returns shapecalc's analysis for further assertions."""
    real = run_torch(source, inputs, dtypes)
    analysis = run_shapecalc(source, inputs, dtypes)
    context = f"\n  expr: {source}\n  inputs: {dict(inputs)}\n  diagnostics: " + "\n    ".join(
        f"{d.code} {d.message}" for d in analysis.diagnostics
    )
    if real.error is None:
        assert not errors(analysis), (
            f"torch succeeds with {real.shapes} but shapecalc reports errors{context}"
        )
        if real.value is not NO_VALUE:
            got = predicted_value(analysis)
            assert same_value(got, real.value), (
                f"torch gives {real.value!r}, shapecalc {got!r}{context}"
            )
            return analysis
        assert predicted_shapes(analysis) == real.shapes, (
            f"torch gives {real.shapes}, shapecalc {predicted_shapes(analysis)}{context}"
        )
    else:
        found = errors(analysis)
        assert found, (
            f"torch raises {type(real.error).__name__}: {real.error} "
            f"but shapecalc reports no error{context}"
        )
        if code is not None:
            assert code in found, f"expected {code}, got {found}; torch: {real.error}{context}"
    return analysis


def assert_symbolic_sound(
    source: str,
    inputs: Mapping[str, tuple],
    symbols: Mapping[str, tuple[str, int]],
    dtypes: Mapping[str, str] | None = None,
) -> None:
    """Replace some input dims by symbols, analyse once symbolically, and require the formula,
    evaluated at the concrete sizes, to equal the concrete analysis (which equals torch).

    symbols maps "input:dim" -> (symbol name, concrete value), e.g. {"x:2": ("H", 17)}.
    """
    sym_inputs = {k: list(v) for k, v in inputs.items()}
    env = {}
    for key, (name, value) in symbols.items():
        inp, dim = key.split(":")
        sym_inputs[inp][int(dim)] = sym.symbol(name)
        env[name] = value
    values = {
        k: TensorValue(tuple(v), (dtypes or {}).get(k, "float32")) for k, v in sym_inputs.items()
    }
    symbolic = propagate(graph_from_expression(source, values))
    concrete = run_shapecalc(source, inputs, dtypes)
    if errors(concrete):
        return  # the concrete size is invalid; symbolic constraints are checked by solve tests
    for c in symbolic.constraints:
        assert sym.decide(sym.Rel(c.rel.kind, sym.subs(c.rel.expr, env))) is True, (
            f"constraint {c} fails at {env} though the concrete analysis is clean: {source}"
        )
    for s_value, c_value in zip(symbolic.outputs, concrete.outputs):
        if isinstance(s_value, sym.Expr):  # a size computed from symbolic sizes
            got = sym.subs(s_value, env)
            assert got == c_value, f"symbolic {s_value} at {env} is {got}, concrete {c_value}"
    for s_shape, c_shape in zip(symbolic.output_shapes, concrete.output_shapes):
        if s_shape is None:
            continue
        got = tuple(sym.subs(d, env) if d is not sym.UNKNOWN else d for d in s_shape)
        assert got == tuple(c_shape), (
            f"symbolic {s_shape} at {env} is {got}, concrete {c_shape}: {source}"
        )
