"""Differential tests for Python arithmetic on sizes: random expressions over x.size(i),
literals and size tuples, evaluated by Python on torch's sizes and by shapecalc."""

from __future__ import annotations

from hypothesis import assume, given
from hypothesis import strategies as st

from shapecalc import symbolic as sym
from shapecalc.frontends.expression import ExpressionError, graph_from_expression
from shapecalc.propagate import propagate
from shapecalc.values import TensorValue

from ..difftest import assert_agree, assert_symbolic_sound, errors

OPS = ["+", "-", "*", "//", "%", "/", "**"]


@st.composite
def size_expr(draw, depth: int = 0, ints_only: bool = False):
    """An arithmetic expression over the sizes of x (shape (2, 3, 5, 7)) and small literals."""
    if depth >= 3 or draw(st.integers(0, 2)) == 0:
        leaf = draw(
            st.one_of(
                st.integers(0, 3).map(lambda i: f"x.size({i})"),
                st.integers(-3, 9).map(str),
                st.just("x.shape[-1]"),
                st.just("len(x)"),
                st.sampled_from(["0.5", "2.0"]) if not ints_only else st.just("1"),
            )
        )
        return leaf
    op = draw(st.sampled_from(OPS if not ints_only else ["+", "-", "*", "//", "%"]))
    left = draw(size_expr(depth + 1, ints_only))
    right = draw(size_expr(depth + 1, ints_only))
    if op == "**":
        right = draw(st.sampled_from(["2", "0", "-1", "x.size(0)"]))
    wrap = draw(st.sampled_from(["{}", "{}", "-({})", "int({})", "math.floor({})"]))
    return wrap.format(f"({left}) {op} ({right})")


def parses(source: str) -> bool:
    """False for literal arithmetic the expression frontend folds and rejects (1 // 0)."""
    try:
        graph_from_expression(source, {"x": TensorValue((1,))})
    except ExpressionError:
        return False
    return True


@given(size_expr())
def test_size_arithmetic_matches_python(source):
    assume(parses(source))
    assert_agree(source, {"x": (2, 3, 5, 7)})


@given(size_expr(ints_only=True), st.integers(1, 2))
def test_size_arithmetic_feeds_shapes(expr, dim):
    assume(parses(expr))
    use = "torch.zeros({})" if dim == 1 else "x.view(x.size(0), -1)[:, : {}]"
    assert_agree(use.format(expr), {"x": (2, 3, 5, 7)})


@given(st.data())
def test_size_tuple_arithmetic_matches_python(data):
    left = data.draw(
        st.sampled_from(["x.shape", "x.shape[1:]", "x.size()[:2]", "(1,)", "[2]", "()"])
    )
    right = data.draw(
        st.sampled_from(["x.shape[2:]", "(x.size(0),)", "[3]", "2", "0", "x.size(1)", "()"])
    )
    op = data.draw(st.sampled_from(["+", "*", "-"]))
    source = f"{left} {op} {right}"
    assert_agree(source, {"x": (2, 3, 5)})
    if op in "+*":
        assert_agree(f"torch.zeros({source})", {"x": (2, 3, 5)})


@given(st.data())
def test_math_functions_match_python(data):
    arg = data.draw(size_expr(depth=2))
    fn = data.draw(
        st.sampled_from(["math.floor", "math.ceil", "math.sqrt", "int", "float", "math.prod"])
    )
    if fn == "math.prod":
        source = data.draw(
            st.sampled_from(
                ["math.prod(x.shape)", "math.prod(x.shape[1:], start=2)", f"math.prod([{arg}, 2])"]
            )
        )
    else:
        source = f"{fn}({arg})"
    assume(parses(source))
    assert_agree(source, {"x": (2, 3, 5, 7)})


@given(size_expr(ints_only=True), st.integers(1, 40), st.integers(1, 40))
def test_symbolic_size_arithmetic_is_sound(expr, h, w):
    assume(parses(expr))
    source = expr.replace("math.floor", "int")
    assert_symbolic_sound(source, {"x": (2, 3, h, w)}, {"x:2": ("H", h), "x:3": ("W", w)})


def _analyse(source: str, x: TensorValue):
    return propagate(graph_from_expression(source, {"x": x}))


def test_true_division_of_symbolic_sizes():
    H = sym.symbol("H")
    x = TensorValue((2, 2 * H))
    exact = _analyse("x.size(1) / 2", x)
    assert exact.outputs == [H] and not exact.diagnostics
    inexact = _analyse("x.size(1) / 3", x)
    assert inexact.outputs == [sym.UNKNOWN]
    assert [d.code for d in inexact.diagnostics] == ["SC905"]
    floor = _analyse("x.size(1) // 4 + x.size(0)", x)
    assert floor.outputs == [H // 2 + 2]


def test_tensor_operands_go_to_the_elementwise_rules():
    from shapecalc.rules import pyops

    calls = []

    def fake(ctx, op, a, b):
        calls.append((op, a, b))
        return a

    import sys
    import types

    module = types.ModuleType("shapecalc.rules.elementwise")
    module.elementwise_binary = fake
    saved = sys.modules.get("shapecalc.rules.elementwise")
    sys.modules["shapecalc.rules.elementwise"] = module
    try:
        analysis = _analyse("x * 2", TensorValue((2, 3)))
    finally:
        if saved is None:
            del sys.modules["shapecalc.rules.elementwise"]
        else:
            sys.modules["shapecalc.rules.elementwise"] = saved
    assert calls == [("mul", TensorValue((2, 3)), 2)]
    assert analysis.output_shapes == [(2, 3)] and not errors(analysis)
    assert pyops.arith  # the function the dispatcher and math.prod share


def test_opaque_values_stay_silent():
    for source in ("len(int(x))", "(int(x),) + x.shape", "int(x)[0]", "int(x) * 2 + 1"):
        analysis = _analyse(source, TensorValue((1,)))
        assert not analysis.diagnostics, source
