"""Differential tests for reshaping: random shapes and arguments (valid and invalid) against
real torch, and symbolic results against concrete ones."""

from __future__ import annotations

import functools
import math

from hypothesis import assume, given
from hypothesis import strategies as st

from shapecalc import symbolic as sym
from shapecalc.frontends.expression import graph_from_expression
from shapecalc.propagate import Analysis, propagate
from shapecalc.values import TensorValue

from ..difftest import assert_agree, assert_symbolic_sound, errors, run_shapecalc, run_torch

shapes = st.lists(st.integers(0, 5), min_size=0, max_size=4).map(tuple)


@functools.cache
def _factorizations(n: int, parts: int) -> list[tuple[int, ...]]:
    """Ordered ways to write n as a product of ``parts`` positive factors (n > 0)."""
    if parts == 1:
        return [(n,)]
    return [
        (d, *rest)
        for d in range(1, n + 1)
        if n % d == 0
        for rest in _factorizations(n // d, parts - 1)
    ]


@st.composite
def target_shape(draw, total: int):
    """A shape for view/reshape: often a valid factorisation with -1 somewhere, sometimes
    arbitrary sizes, two -1s or another negative size."""
    parts = draw(st.integers(0, 4))
    if total > 0 and parts > 0 and draw(st.booleans()):
        sizes = list(draw(st.sampled_from(_factorizations(total, parts))))
    else:
        sizes = draw(st.lists(st.integers(0, 6), min_size=parts, max_size=parts))
    for _ in range(draw(st.sampled_from([0, 1, 1, 1, 2]))):
        if sizes:
            sizes[draw(st.integers(0, len(sizes) - 1))] = draw(st.sampled_from([-1, -1, -1, -2]))
    return tuple(sizes)


def _args(draw, sizes: tuple) -> str:
    form = draw(st.sampled_from(["varargs", "tuple", "list"]))
    if form == "varargs" and sizes:
        return ", ".join(map(str, sizes))
    if form == "list":
        return repr(list(sizes))
    return repr(tuple(sizes))


@given(st.data())
def test_view_and_reshape_match_torch(data):
    shape = data.draw(shapes)
    sizes = data.draw(target_shape(math.prod(shape)))
    op = data.draw(st.sampled_from(["x.view", "x.reshape"]))
    source = f"{op}({_args(data.draw, sizes)})"
    if op == "x.reshape" and data.draw(st.booleans()):
        source = f"torch.reshape(x, {tuple(sizes)!r})"
    assert_agree(source, {"x": shape})


@given(st.data())
def test_view_dtype_matches_torch(data):
    shape = data.draw(shapes)
    old = data.draw(st.sampled_from(["float32", "float64", "int32", "int64", "bool"]))
    new = data.draw(st.sampled_from(["float16", "float32", "float64", "int8", "int64", "bool"]))
    assert_agree(f"x.view(torch.{new})", {"x": shape}, {"x": old})


@given(st.data())
def test_view_as_matches_torch(data):
    x, y = data.draw(shapes), data.draw(shapes)
    op = data.draw(st.sampled_from(["view_as", "reshape_as"]))
    assert_agree(f"x.{op}(y)", {"x": x, "y": y})


@given(st.data())
def test_unflatten_matches_torch(data):
    shape = data.draw(shapes)
    dim = data.draw(st.integers(-len(shape) - 1, len(shape)))
    size = shape[dim] if -len(shape) <= dim < len(shape) else 4
    sizes = data.draw(target_shape(size))
    form = data.draw(st.sampled_from(["method", "function", "module"]))
    source = {
        "method": f"x.unflatten({dim}, {sizes!r})",
        "function": f"torch.unflatten(x, {dim}, {list(sizes)!r})",
        "module": f"nn.Unflatten({dim}, {sizes!r})(x)",
    }[form]
    assert_agree(source, {"x": shape})


@given(st.data())
def test_flatten_and_ravel_match_torch(data):
    shape = data.draw(shapes)
    a = data.draw(st.integers(-5, 4))
    b = data.draw(st.integers(-5, 4))
    source = data.draw(
        st.sampled_from(
            [
                f"torch.flatten(x, {a}, {b})",
                f"x.flatten({a})",
                f"nn.Flatten({a}, {b})(x)",
                "x.ravel()",
            ]
        )
    )
    assert_agree(source, {"x": shape})


@given(st.data())
def test_permute_transpose_movedim_match_torch(data):
    shape = data.draw(shapes)
    n = len(shape)
    dim = st.integers(-n - 1, n)
    kind = data.draw(
        st.sampled_from(["permute", "tpermute", "transpose", "swapaxes", "t", "movedim"])
    )
    if kind in ("permute", "tpermute"):
        if data.draw(st.booleans()):
            dims = data.draw(st.permutations(range(n)))
            dims = [d - n if data.draw(st.booleans()) else d for d in dims]
        else:
            dims = data.draw(st.lists(dim, min_size=max(n - 1, 0), max_size=n + 1))
        source = (
            f"x.permute({_args(data.draw, tuple(dims))})"
            if kind == "permute"
            else (f"torch.permute(x, {tuple(dims)!r})")
        )
    elif kind == "transpose":
        source = f"x.transpose({data.draw(dim)}, {data.draw(dim)})"
    elif kind == "swapaxes":
        source = f"torch.swapaxes(x, {data.draw(dim)}, {data.draw(dim)})"
    elif kind == "t":
        source = data.draw(st.sampled_from(["x.t()", "torch.t(x)", "x.T", "x.mT", "x.mH", "x.H"]))
    else:
        k = data.draw(st.integers(1, 3))
        src = data.draw(st.lists(dim, min_size=k, max_size=k))
        dst = data.draw(st.lists(dim, min_size=k, max_size=k + data.draw(st.integers(0, 1))))
        one = k == 1 and len(dst) == 1 and data.draw(st.booleans())
        source = (
            f"x.movedim({src[0]}, {dst[0]})"
            if one
            else f"torch.movedim(x, {tuple(src)}, {tuple(dst)})"
        )
    assert_agree(source, {"x": shape})


@given(st.data())
def test_squeeze_unsqueeze_match_torch(data):
    shape = data.draw(st.lists(st.sampled_from([0, 1, 1, 2, 3]), max_size=4).map(tuple))
    n = len(shape)
    dim = st.integers(-n - 1, n)
    kind = data.draw(st.sampled_from(["all", "one", "tuple", "unsqueeze"]))
    if kind == "all":
        source = data.draw(st.sampled_from(["x.squeeze()", "torch.squeeze(x)"]))
    elif kind == "one":
        source = f"x.squeeze({data.draw(dim)})"
    elif kind == "tuple":
        dims = tuple(data.draw(st.lists(dim, max_size=3)))
        source = f"torch.squeeze(x, {dims!r})"
    else:
        source = f"x.unsqueeze({data.draw(st.integers(-n - 2, n + 1))})"
    assert_agree(source, {"x": shape})


@given(st.data())
def test_expand_repeat_tile_match_torch(data):
    shape = data.draw(st.lists(st.sampled_from([0, 1, 1, 2, 3]), max_size=3).map(tuple))
    extra = data.draw(st.integers(-1, 2))
    sizes = [
        data.draw(st.sampled_from([-2, -1, 0, 1, 2, 3])) for _ in range(max(len(shape) + extra, 0))
    ]
    kind = data.draw(
        st.sampled_from(["expand", "broadcast_to", "expand_as", "repeat", "tile", "ttile"])
    )
    if kind == "expand":
        source = f"x.expand({_args(data.draw, tuple(sizes))})"
    elif kind == "broadcast_to":
        source = f"torch.broadcast_to(x, {tuple(sizes)!r})"
    elif kind == "expand_as":
        other = tuple(abs(s) for s in sizes)
        assert_agree("x.expand_as(y)", {"x": shape, "y": other})
        return
    elif kind == "repeat":
        source = f"x.repeat({_args(data.draw, tuple(sizes))})"
    elif kind == "tile":
        source = f"x.tile({_args(data.draw, tuple(sizes))})"
    else:
        source = f"torch.tile(x, {tuple(sizes)!r})"
    if not sizes and kind in ("repeat", "tile"):
        source = f"x.{kind}(())"
    # expand checks a negative size only through the element count, so next to a 0 torch
    # returns a tensor with a negative dim (expand(-2, 0) -> (-2, 0)); shapecalc reports SC405
    real = run_torch(source, {"x": shape})
    assume(real.error is not None or all(d >= 0 for s in real.shapes for d in s))
    assert_agree(source, {"x": shape})


@given(st.data())
def test_flip_roll_narrow_atleast_match_torch(data):
    shape = data.draw(shapes)
    n = len(shape)
    dim = st.integers(-n - 1, n)
    kind = data.draw(st.sampled_from(["flip", "roll", "narrow", "atleast", "contiguous"]))
    if kind == "flip":
        dims = tuple(data.draw(st.lists(dim, max_size=3)))
        source = (
            f"torch.flip(x, {dims!r})"
            if data.draw(st.booleans()) or not dims
            else f"x.flip({_args(data.draw, dims)})"
        )
    elif kind == "roll":
        shifts = tuple(data.draw(st.lists(st.integers(-3, 3), min_size=1, max_size=2)))
        dims = data.draw(
            st.one_of(st.none(), dim, st.lists(dim, min_size=1, max_size=2).map(tuple))
        )
        one = shifts[0] if len(shifts) == 1 and data.draw(st.booleans()) else shifts
        source = f"torch.roll(x, {one!r}, {dims!r})"
    elif kind == "narrow":
        start = data.draw(st.integers(-6, 6))
        length = data.draw(st.integers(-1, 6))
        source = f"x.narrow({data.draw(dim)}, {start}, {length})"
    elif kind == "atleast":
        k = data.draw(st.integers(1, 3))
        source = data.draw(
            st.sampled_from(
                [f"torch.atleast_{k}d(x)", f"torch.atleast_{k}d(x, x)", f"torch.atleast_{k}d([x])"]
            )
        )
    else:
        fmt = data.draw(st.sampled_from(["contiguous_format", "channels_last", "channels_last_3d"]))
        source = f"x.contiguous(memory_format=torch.{fmt})"
    assert_agree(source, {"x": shape})


# ----------------------------------------------------------------------------- symbolic


def symbolic_analysis(source: str, x: TensorValue) -> Analysis:
    return propagate(graph_from_expression(source, {"x": x}))


@given(
    st.integers(1, 4),
    st.integers(1, 6),
    st.integers(1, 3),
    st.integers(1, 3),
    st.integers(4, 24),
    st.integers(4, 24),
    st.sampled_from([".view(x.size(0), -1)", ".flatten(1)", ".view(-1, {c})", ".reshape(-1)"]),
)
def test_flatten_after_conv_chain_is_sound(b, c, k, s, h, w, view):
    source = f"nn.Conv2d({c}, {c}, 2, stride=2)(nn.Conv2d(3, {c}, {k}, stride={s})(x))"
    source += view.format(c=c)
    symbols = {"x:0": ("B", b), "x:2": ("H", h), "x:3": ("W", w)}
    assert_symbolic_sound(source, {"x": (b, 3, h, w)}, symbols)


def test_view_of_symbolic_sizes_divides_exactly():
    B, H, W = sym.symbol("B"), sym.symbol("H"), sym.symbol("W")
    x = TensorValue((B, 16, (H - 12) // 4, (W - 12) // 4))
    analysis = symbolic_analysis("x.view(x.size(0), -1)", x)
    (shape,) = analysis.output_shapes
    assert shape[0] == B
    assert sym.subs(shape[1], {"H": 32, "W": 36}) == 16 * 5 * 6
    assert not analysis.constraints and not errors(analysis)
    # an inexact -1 records the divisibility the model needs, as a constraint
    analysis = symbolic_analysis("x.view(-1, 400)", x)
    assert len(analysis.constraints) == 1 and not errors(analysis)
    assert analysis.output_shapes[0][1] == 400
    # the symbolic part of the known sizes divides out before the floor
    C = sym.symbol("C")
    analysis = symbolic_analysis("x.reshape(x.size(0), -1, 4)", TensorValue((B, C, H, W)))
    assert analysis.output_shapes == [(B, (C * H * W) // 4, 4)]
    (constraint,) = analysis.constraints
    assert constraint.rel.free_symbols == {"C", "H", "W"}


@given(st.data())
def test_reshape_symbolic_is_sound(data):
    shape = data.draw(st.lists(st.integers(1, 6), min_size=1, max_size=4).map(tuple))
    sizes = data.draw(target_shape(math.prod(shape)))
    i = data.draw(st.integers(0, len(shape) - 1))
    ones = ", ".join(["-1"] * len(shape))
    reverse = ", ".join(str(d) for d in reversed(range(len(shape))))
    source = data.draw(
        st.sampled_from(
            [
                f"x.view({_args(data.draw, sizes)})",
                f"x.unflatten({i}, (-1, 1))",
                f"x.unflatten({i}, (x.size({i}), 1))",
                f"x.expand(2, {ones})",
                f"x.narrow({i}, 1, 1)",
                f"x.repeat({', '.join(['2'] * len(shape))})",
                f"x.unsqueeze({i})",
                f"x.permute({reverse})",
                "x.view(x.size(0), -1)",
                "x.squeeze(0)",
            ]
        )
    )
    assert_symbolic_sound(source, {"x": shape}, {f"x:{i}": ("S", shape[i])})


def test_squeeze_of_a_size_that_may_be_1_is_opaque():
    B = sym.symbol("B")
    analysis = symbolic_analysis("x.squeeze()", TensorValue((B, 3, 1)))
    assert analysis.output_shapes == [None]
    assert "SC905" in [d.code for d in analysis.diagnostics]
    analysis = symbolic_analysis("x.squeeze(-1)", TensorValue((B, 3, 1)))
    assert analysis.output_shapes == [(B, 3)]


def test_concrete_reshape_builds_no_expressions():
    analysis = run_shapecalc("x.view(x.size(0), -1).unflatten(1, (4, -1))", {"x": (2, 4, 6)})
    assert analysis.output_shapes == [(2, 4, 6)]
    assert all(type(d) is int for d in analysis.output_shapes[0])
