"""Pooling against real torch: random configurations (valid and invalid), symbolic soundness,
the seed's worked example, global pooling and long strided chains."""

from __future__ import annotations

import ast

import torch
from hypothesis import assume, given
from hypothesis import strategies as st

from shapecalc import symbolic as sym
from shapecalc.frontends.expression import Translator
from shapecalc.graph import INPUT, OUTPUT, LayerGraph, Node, Ref
from shapecalc.propagate import propagate
from shapecalc.symbolic import FloorDiv, symbol
from shapecalc.values import TensorValue

from ..difftest import assert_agree, assert_symbolic_sound, errors, run_shapecalc, run_torch


def int_args(draw, n: int, lo: int, hi: int):
    """An int, a 1-tuple or an n-tuple, as torch's pooling arguments accept them."""
    return draw(
        st.one_of(
            st.integers(lo, hi),
            st.tuples(*[st.integers(lo, hi)] * n),
            st.tuples(st.integers(lo, hi)),
            st.tuples(*[st.integers(lo, hi)] * (n + 1)),
        )
    )


@st.composite
def input_shape(draw, n: int, low: int = 1):
    """(N, C, *spatial) or (C, *spatial), and now and then a rank pooling does not take."""
    high = 9 if n < 3 else 6
    spatial = tuple(draw(st.lists(st.integers(low, high), min_size=n, max_size=n)))
    rank = draw(st.sampled_from(["batched", "batched", "unbatched", "wrong"]))
    if rank == "batched":
        return (2, 3, *spatial)
    if rank == "unbatched":
        return (3, *spatial)
    return draw(st.sampled_from([spatial, (1, 2, 3, *spatial)]))


@st.composite
def window_pool_case(draw):
    n = draw(st.integers(1, 3))
    kind = draw(st.sampled_from(["max", "avg", "lp"]))
    kernel = int_args(draw, n, 0, 4) if draw(st.integers(0, 9)) == 0 else int_args(draw, n, 1, 4)
    stride = draw(st.sampled_from([None, ()]))
    if draw(st.booleans()):
        stride = (
            int_args(draw, n, 0, 3) if draw(st.integers(0, 9)) == 0 else int_args(draw, n, 1, 3)
        )
    padding = int_args(draw, n, 0, 2)
    dilation = int_args(draw, n, 0, 2) if draw(st.integers(0, 9)) == 0 else int_args(draw, n, 1, 2)
    ceil = draw(st.booleans())
    if kind == "max":
        form = draw(st.sampled_from(["nn", "F", "torch", "with_indices"]))
        indices = draw(st.booleans())
        if form == "nn":
            src = (
                f"nn.MaxPool{n}d({kernel!r}, {stride!r}, {padding!r}, {dilation!r}, "
                f"return_indices={indices}, ceil_mode={ceil})(x)"
            )
        elif form == "F":
            src = (
                f"F.max_pool{n}d(x, {kernel!r}, {stride!r}, {padding!r}, {dilation!r}, "
                f"ceil_mode={ceil}, return_indices={indices})"
            )
        elif form == "torch":
            s = "()" if stride is None else repr(stride)
            src = f"torch.max_pool{n}d(x, {kernel!r}, {s}, {padding!r}, {dilation!r}, {ceil})"
        else:
            args = f"{kernel!r}, {stride!r}, {padding!r}, ceil_mode={ceil}"
            src = f"F.max_pool{n}d_with_indices(x, {args})"
    elif kind == "avg":
        form = draw(st.sampled_from(["nn", "F", "torch"] if n == 1 else ["nn", "F"]))
        divisor = (
            "" if n == 1 else f", divisor_override={draw(st.sampled_from([None, None, 0, 3]))}"
        )
        if form == "nn":
            src = f"nn.AvgPool{n}d({kernel!r}, {stride!r}, {padding!r}, {ceil}{divisor})(x)"
        elif form == "F":
            src = f"F.avg_pool{n}d(x, {kernel!r}, {stride!r}, {padding!r}, {ceil}{divisor})"
        else:
            src = f"torch.avg_pool1d(x, {kernel!r}, {stride!r}, {padding!r}, {ceil})"
    else:
        norm = draw(st.sampled_from(["1", "2", "3.5", "1e999", "-1e999", "0"]))
        form = draw(st.sampled_from(["nn", "F"]))
        if form == "nn":
            src = f"nn.LPPool{n}d({norm}, {kernel!r}, {stride!r}, {ceil})(x)"
        else:
            src = f"F.lp_pool{n}d(x, {norm}, {kernel!r}, {stride!r}, {ceil})"
    return src, draw(input_shape(n))


@given(window_pool_case())
def test_window_pooling_matches_torch(case):
    source, shape = case
    assert_agree(source, {"x": shape})


@given(window_pool_case(), st.data())
def test_window_pooling_symbolic_is_sound(case, data):
    source, shape = case
    dims = {f"x:{len(shape) - 1}": ("W", shape[-1])}
    if len(shape) > 2 and data.draw(st.booleans()):
        dims[f"x:{len(shape) - 2}"] = ("H", shape[-2])
    assert_symbolic_sound(source, {"x": shape}, dims)


@st.composite
def adaptive_case(draw):
    n = draw(st.integers(1, 3))
    kind = draw(st.sampled_from(["Avg", "Max"]))
    entry = st.one_of(st.integers(-1, 6), st.none()) if n > 1 else st.integers(-1, 6)
    size = draw(
        st.one_of(
            st.integers(-1, 6),
            st.tuples(*[entry] * n),
            st.lists(entry, min_size=1, max_size=4).map(tuple),
            st.just(None),
        )
    )
    form = draw(st.sampled_from(["nn", "F", "F_indices", "torch"]))
    indices = draw(st.booleans())
    if form == "nn":
        extra = f", return_indices={indices}" if kind == "Max" else ""
        src = f"nn.Adaptive{kind}Pool{n}d({size!r}{extra})(x)"
    elif form == "F":
        extra = f", return_indices={indices}" if kind == "Max" else ""
        src = f"F.adaptive_{kind.lower()}_pool{n}d(x, {size!r}{extra})"
    elif form == "F_indices":
        src = f"F.adaptive_max_pool{n}d_with_indices(x, {size!r})"
    else:
        src = f"torch.adaptive_{kind.lower()}_pool1d(x, {size!r})"
        n = 1
    return src, draw(input_shape(n))


@given(adaptive_case())
def test_adaptive_pooling_matches_torch(case):
    source, shape = case
    assert_agree(source, {"x": shape})


@given(adaptive_case(), st.data())
def test_adaptive_pooling_symbolic_is_sound(case, data):
    source, shape = case
    last = len(shape) - 1
    dims = {f"x:{last}": ("W", shape[last])}
    if data.draw(st.booleans()):
        dims["x:0"] = ("B", shape[0])
    assert_symbolic_sound(source, {"x": shape}, dims)


@st.composite
def fractional_case(draw):
    n = draw(st.integers(2, 3))
    form = draw(st.sampled_from(["nn", "F", "with_indices"]))
    low = 1 if form == "nn" and n == 3 else -1
    kernel = draw(st.one_of(st.integers(low, 4), st.tuples(*[st.integers(low, 4)] * n)))
    if draw(st.integers(0, 9)) == 0:
        kernel = draw(st.sampled_from([0, (2,), (2,) * (n + 1)]))
    size = ratio = None
    if draw(st.booleans()):
        size = draw(st.one_of(st.integers(-1, 8), st.tuples(*[st.integers(0, 8)] * n)))
    else:
        r = st.floats(0.05, 0.99) if draw(st.integers(0, 9)) else st.sampled_from([0.0, 1.0, 1.5])
        ratio = draw(st.one_of(r, st.tuples(*[r] * n), st.tuples(r)))
    if draw(st.integers(0, 19)) == 0:
        size, ratio = draw(st.sampled_from([(None, None), (3, 0.5)]))
    indices = draw(st.booleans())
    args = f"{kernel!r}, output_size={size!r}, output_ratio={ratio!r}"
    if form == "nn":
        src = f"nn.FractionalMaxPool{n}d({args}, return_indices={indices})(x)"
    elif form == "F":
        src = f"F.fractional_max_pool{n}d(x, {args}, return_indices={indices})"
    else:
        src = f"F.fractional_max_pool{n}d_with_indices(x, {args})"
    return src, draw(input_shape(n))


@given(fractional_case())
def test_fractional_pooling_matches_torch(case):
    source, shape = case
    assert_agree(source, {"x": shape})


@st.composite
def unpool_case(draw):
    n = draw(st.integers(1, 3))
    kernel = draw(st.one_of(st.integers(-1, 3), st.tuples(*[st.integers(0, 3)] * n)))
    stride = draw(st.one_of(st.none(), st.integers(0, 3), st.tuples(*[st.integers(1, 3)] * n)))
    padding = draw(st.one_of(st.integers(-1, 2), st.tuples(*[st.integers(0, 2)] * n)))
    shape = draw(input_shape(n))
    index_shape = shape if draw(st.integers(0, 5)) else draw(input_shape(n))
    dtypes = {"i": "int64" if draw(st.integers(0, 9)) else "float32"}
    size = None
    if draw(st.booleans()):
        size = tuple(draw(st.lists(st.integers(-1, 12), min_size=n, max_size=n)))
        size = draw(st.sampled_from([size, (1, 1, *size), size[:-1]]))
    if draw(st.booleans()):
        src = f"nn.MaxUnpool{n}d({kernel!r}, {stride!r}, {padding!r})(x, i, {size!r})"
    else:
        src = f"F.max_unpool{n}d(x, i, {kernel!r}, {stride!r}, {padding!r}, {size!r})"
    return src, {"x": shape, "i": index_shape}, dtypes


@given(unpool_case())
def test_unpooling_matches_torch(case):
    source, inputs, dtypes = case
    # the indices are random values, the same in both runs: an index past the output plane
    # is a data error that no shape analysis can see
    with torch.random.fork_rng():
        torch.manual_seed(0)
        real = run_torch(source, inputs, dtypes)
        assume(real.error is None or "invalid max index" not in str(real.error))
        torch.manual_seed(0)
        assert_agree(source, inputs, dtypes)


def test_seed_worked_example():
    """The seed tutorial's section 4: the chain that needs a Linear(864, ...) after it."""
    chain = "nn.MaxPool2d(kernel_size=2, stride=1, padding=0)(nn.Conv2d(6, 6, kernel_size=5, stride=1, padding=1)(nn.MaxPool2d(kernel_size=2, stride=2, padding=0)(nn.Conv2d(3, 6, kernel_size=5, stride=1, padding=1)(x))))"  # noqa: E501
    analysis = assert_agree(chain, {"x": (2, 3, 32, 32)})
    shapes = [layer.shape for layer in analysis.layers if layer.node.kind == "module"]
    assert shapes == [(2, 6, 30, 30), (2, 6, 15, 15), (2, 6, 13, 13), (2, 6, 12, 12)]


def test_transition_block_pool():
    """The seed tutorial's section 7: the transition's AvgPool2d(2, stride=2) halves 8x8."""
    analysis = assert_agree("nn.AvgPool2d(2, stride=2)(x)", {"x": (4, 10, 8, 8)})
    assert analysis.output_shapes == [(4, 10, 4, 4)]


def test_forty_stride_two_pools_keep_one_floor():
    H = symbol("H")
    source = "x"
    for _ in range(40):
        source = f"nn.MaxPool2d(2)({source})"
    analysis = run_shapecalc(source, {"x": (1, 3, H, H)})
    (shape,) = analysis.output_shapes
    assert str(shape[2]) == "H//1099511627776"
    floors = [atom for m in shape[2].terms for atom, _ in m if isinstance(atom, FloorDiv)]
    assert len(floors) == 1 and floors[0].num == H
    assert sym.evaluate(shape[2], {"H": 3 * 2**40 + 5}) == 3


def test_ceil_mode_chain_is_one_floor_and_exact():
    H = symbol("H")
    layer = "nn.MaxPool2d(3, 2, 1, ceil_mode=True)"
    source = "x"
    for _ in range(12):
        source = f"{layer}({source})"
    (shape,) = run_shapecalc(source, {"x": (1, 3, H, 7)}).output_shapes
    assert len(str(shape[2])) < 40, shape[2]
    for h in (1, 2, 3, 100, 4097, 12345):
        assert (1, 1, sym.evaluate(shape[2], {"H": h}), 1) == run_torch(
            source, {"x": (1, 1, h, 1)}
        ).shapes[0]


def global_pool(source: str, shape: tuple) -> tuple:
    """Analyse source with hw bound to the input's own spatial dims (what x.shape[2:] gives)."""
    graph = LayerGraph(name=source)
    graph.add(Node("x", "input", INPUT, value=TensorValue(shape)))
    result = Translator(graph, names={"x": Ref("x"), "hw": tuple(shape[2:])}).value(
        ast.parse(source, mode="eval").body
    )
    graph.add(Node("output", "output", OUTPUT, (result,)))
    analysis = propagate(graph)
    assert not errors(analysis), analysis.diagnostics
    assert not analysis.constraints
    return analysis.output_shapes[0]


def test_global_pooling_is_one_by_one_for_every_size():
    H, W, B = symbol("H"), symbol("W"), symbol("B")
    for source in (
        "F.avg_pool2d(x, hw)",
        "F.avg_pool2d(x, kernel_size=hw)",
        "F.max_pool2d(x, hw)",
        "nn.AvgPool2d(hw)(x)",
        "F.max_pool2d(x, hw, ceil_mode=True)",
        "F.avg_pool2d(x, hw, ceil_mode=True)",
    ):
        assert global_pool(source, (B, 248, H, W)) == (B, 248, 1, 1)
        assert global_pool(source, (1, 248, 3, 5)) == (1, 248, 1, 1)
        assert run_torch(source.replace("hw", "x.shape[2:]"), {"x": (1, 2, 3, 5)}).shapes == [
            (1, 2, 1, 1)
        ]


def test_pool_padding_limit_is_half_the_kernel_not_the_dilated_one():
    # kernel 3, dilation 2: the effective kernel is 5, yet padding 2 is rejected
    assert_agree("nn.MaxPool1d(3, 1, padding=2, dilation=2)(x)", {"x": (1, 2, 9)}, code="SC103")
    assert_agree("nn.MaxPool1d(3, 1, padding=1, dilation=2)(x)", {"x": (1, 2, 9)})


def test_ceil_mode_accepts_an_overhanging_kernel():
    analysis = assert_agree("nn.MaxPool1d(4, 3, ceil_mode=True)(x)", {"x": (1, 2, 3)})
    assert analysis.output_shapes == [(1, 2, 1)]
    assert_agree("nn.MaxPool1d(4, 3, padding=0)(x)", {"x": (1, 2, 3)}, code="SC101")


def test_symbolic_pool_constraint_is_the_exact_minimum():
    H = symbol("H")
    source = "nn.MaxPool2d(5, 2, ceil_mode=True)(x)"
    (constraint,) = run_shapecalc(source, {"x": (1, 3, H, 9)}).constraints
    holds = {
        h: sym.decide(sym.Rel(constraint.rel.kind, sym.subs(constraint.rel.expr, {"H": h})))
        for h in range(1, 9)
    }
    assert holds == {h: h >= 4 for h in range(1, 9)}
    assert_agree(source, {"x": (1, 3, 4, 9)})
    assert_agree(source, {"x": (1, 3, 3, 9)}, code="SC101")


def test_opaque_kernel_is_silent():
    """A kernel taken from an opaque size (after an earlier error) reports nothing."""
    graph = LayerGraph(name="opaque")
    graph.add(Node("x", "input", INPUT, value=TensorValue((2, 3, 8, 8))))
    names = {"x": Ref("x"), "hw": (sym.UNKNOWN, sym.UNKNOWN)}
    result = Translator(graph, names=names).value(
        ast.parse("F.avg_pool2d(x, hw)", mode="eval").body
    )
    graph.add(Node("output", "output", OUTPUT, (result,)))
    analysis = propagate(graph)
    assert analysis.diagnostics == [] and analysis.constraints == []
    assert analysis.output_shapes == [(2, 3, sym.UNKNOWN, sym.UNKNOWN)]


def test_adaptive_average_to_one_takes_any_rank():
    """aten's shortcut: an adaptive average to all-1 sizes is a mean over the last dims."""
    analysis = assert_agree("nn.AdaptiveAvgPool2d(1)(x)", {"x": (2, 3, 4, 5, 6)})
    assert analysis.output_shapes == [(2, 3, 4, 1, 1)]
    assert_agree("nn.AdaptiveAvgPool2d(1)(x)", {"x": (3, 4)})
    assert_agree("nn.AdaptiveAvgPool2d((1, 1))(x)", {"x": (3, 4)}, code="SC206")
    assert_agree("nn.AdaptiveAvgPool2d((None, 1))(x)", {"x": (2, 1, 4, 1)})
    assert_agree("nn.AdaptiveAvgPool2d((None, 1))(x)", {"x": (2, 3, 1, 4, 1)}, code="SC206")
    assert_agree("nn.AdaptiveMaxPool2d(1)(x)", {"x": (3, 4)}, code="SC206")
    assert_agree("nn.AdaptiveAvgPool3d(1)(x)", {"x": (1, 2, 3, 4, 5, 6)})
