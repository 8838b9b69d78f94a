"""cat, stack, the *stack family, chunk, split, tensor_split, unbind and broadcast_tensors
against real torch, and their symbolic soundness (U-Net skips, dense blocks)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shapecalc import symbolic as sym
from shapecalc.frontends.expression import graph_from_expression
from shapecalc.propagate import propagate
from shapecalc.values import OPAQUE, TensorValue

from ..difftest import assert_agree, errors, run_shapecalc
from .test_elementwise import assert_sound


@st.composite
def joined_shapes(draw, max_tensors=3):
    """Shapes for cat/stack: one base shape, each tensor's sizes sometimes changed (at the
    cat dim, or elsewhere to make a mismatch), sometimes a legacy empty (0,) or another rank."""
    rank = draw(st.integers(0, 4))
    base = draw(st.lists(st.integers(1, 4), min_size=rank, max_size=rank))
    n = draw(st.integers(1, max_tensors))
    shapes = []
    for _ in range(n):
        kind = draw(st.sampled_from(["same", "same", "vary", "vary", "empty", "rank"]))
        if kind == "empty":
            shapes.append((0,))
        elif kind == "rank":
            shapes.append(tuple(draw(st.lists(st.integers(0, 3), max_size=4))))
        elif kind == "vary" and base:
            shape = list(base)
            shape[draw(st.integers(0, rank - 1))] = draw(st.integers(0, 5))
            shapes.append(tuple(shape))
        else:
            shapes.append(tuple(base))
    return shapes, rank


def _names(n: int) -> list[str]:
    return [f"t{i}" for i in range(n)]


@given(
    joined_shapes(),
    st.integers(-5, 5),
    st.sampled_from(
        ["torch.cat({}, {})", "torch.concat({}, dim={})", "torch.concatenate({}, axis={})"]
    ),
    st.booleans(),
)
def test_cat_matches_torch(case, dim, form, as_tuple):
    shapes, _ = case
    names = _names(len(shapes))
    seq = f"({', '.join(names)},)" if as_tuple else f"[{', '.join(names)}]"
    assert_agree(form.format(seq, dim), dict(zip(names, shapes)))


@given(joined_shapes(), st.integers(-6, 6))
def test_stack_matches_torch(case, dim):
    shapes, _ = case
    names = _names(len(shapes))
    assert_agree(f"torch.stack([{', '.join(names)}], {dim})", dict(zip(names, shapes)))


@given(
    st.sampled_from(["hstack", "vstack", "row_stack", "dstack", "column_stack"]),
    st.lists(st.lists(st.integers(0, 3), max_size=3).map(tuple), min_size=1, max_size=3),
    st.booleans(),
)
def test_stack_family_matches_torch(name, shapes, same):
    if same:  # mostly compatible inputs: all the first shape
        shapes = [shapes[0]] * len(shapes)
    names = _names(len(shapes))
    assert_agree(f"torch.{name}([{', '.join(names)}])", dict(zip(names, shapes)))


@given(
    st.lists(st.integers(0, 9), min_size=0, max_size=3).map(tuple),
    st.integers(-1, 7),
    st.integers(-4, 3),
    st.sampled_from(["x.chunk({c}, {d})", "torch.chunk(x, {c}, dim={d})"]),
)
def test_chunk_matches_torch(shape, chunks, dim, form):
    assert_agree(form.format(c=chunks, d=dim), {"x": shape})


@given(
    st.lists(st.integers(0, 9), min_size=0, max_size=3).map(tuple),
    st.one_of(
        st.integers(-1, 10),
        st.lists(st.integers(-1, 6), max_size=4),
        st.lists(st.integers(0, 6), max_size=4).map(tuple),
    ),
    st.integers(-4, 3),
    st.sampled_from(
        ["x.split({s}, {d})", "torch.split(x, {s}, dim={d})", "x.split_with_sizes({s}, {d})"]
    ),
)
def test_split_matches_torch(shape, sizes, dim, form):
    if "with_sizes" in form and isinstance(sizes, int):
        sizes = [sizes]
    assert_agree(form.format(s=sizes, d=dim), {"x": shape})


@given(
    st.lists(st.integers(0, 9), min_size=0, max_size=3).map(tuple),
    st.one_of(
        st.integers(-1, 10),
        st.lists(st.integers(-12, 12), max_size=4),
        st.lists(st.integers(-12, 12), max_size=4).map(tuple),
    ),
    st.integers(-4, 3),
    st.sampled_from(
        [
            "torch.tensor_split(x, {s}, {d})",
            "x.tensor_split({s}, dim={d})",
            "torch.tensor_split(x, {kw}={s}, dim={d})",
        ]
    ),
)
def test_tensor_split_matches_torch(shape, arg, dim, form):
    kw = "sections" if isinstance(arg, int) else "indices"
    assert_agree(form.format(s=arg, d=dim, kw=kw), {"x": shape})


@given(st.lists(st.integers(0, 5), max_size=3).map(tuple), st.integers(-4, 3))
def test_unbind_matches_torch(shape, dim):
    assert_agree(f"x.unbind({dim})", {"x": shape})
    assert_agree(f"torch.unbind(x, dim={dim})", {"x": shape})


@given(st.lists(st.lists(st.integers(1, 3), max_size=3).map(tuple), min_size=1, max_size=3))
def test_broadcast_tensors_matches_torch(shapes):
    names = _names(len(shapes))
    assert_agree(f"torch.broadcast_tensors({', '.join(names)})", dict(zip(names, shapes)))


# ------------------------------------------------------------------------ symbolic sizes

UNET = (
    "torch.cat([nn.ConvTranspose2d(4, 4, 2, stride=2)("
    "nn.Conv2d(4, 4, 3, stride=2, padding=1)(x)), x], dim=1)"
)


@given(st.integers(2, 40), st.integers(2, 40))
def test_unet_skip_is_sound(h, w):
    """Down by 2, up by 2, cat with the skip: valid exactly for even sizes."""
    analysis = assert_agree(UNET, {"x": (1, 4, h, w)})
    assert bool(errors(analysis)) == (h % 2 == 1 or w % 2 == 1)
    assert_sound(UNET, {"x": (1, 4, h, w)}, {"x:2": ("H", h), "x:3": ("W", w)})


def test_unet_skip_constraints():
    H, W = sym.symbol("H"), sym.symbol("W")
    analysis = propagate(graph_from_expression(UNET, {"x": TensorValue((1, 4, H, W))}))
    assert not errors(analysis)
    assert analysis.output_shapes == [(1, 8, H, W)]
    for c in analysis.constraints:  # each constraint holds exactly at even sizes
        (name,) = c.rel.free_symbols
        for value in range(1, 30):
            holds = sym.decide(sym.Rel(c.rel.kind, sym.subs(c.rel.expr, {name: value})))
            assert holds is (value % 2 == 0), (str(c), value)
    assert len(analysis.constraints) == 2


DENSE_BLOCK = (
    "torch.cat([torch.cat([x, nn.Conv2d(3, 10, 3, padding=1)(x)], 1), "
    "nn.Conv2d(13, 10, 3, padding=1)(torch.cat([x, nn.Conv2d(3, 10, 3, padding=1)(x)], 1))], 1)"
)


def test_dense_block_seed_numbers():
    """The seed tutorial's section 7: DenseBlock(2, 3, 10) on (4, 3, 8, 8) -> (4, 23, 8, 8)."""
    analysis = assert_agree(DENSE_BLOCK, {"x": (4, 3, 8, 8)})
    assert analysis.output_shapes == [(4, 23, 8, 8)]
    B, H, W = sym.symbol("B"), sym.symbol("H"), sym.symbol("W")
    symbolic = propagate(graph_from_expression(DENSE_BLOCK, {"x": TensorValue((B, 3, H, W))}))
    assert symbolic.output_shapes == [(B, 23, H, W)]
    assert not symbolic.diagnostics and not symbolic.constraints


def test_cat_channels_mismatch_is_one_error():
    analysis = assert_agree("torch.cat([x, y], dim=1)", {"x": (1, 2, 4, 4), "y": (1, 2, 5, 3)})
    assert errors(analysis) == ["SC302"]  # one finding for the pair, naming the first dim
    assert analysis.output_shapes == [(1, 4, sym.UNKNOWN, sym.UNKNOWN)]


@given(
    st.integers(2, 9),
    st.integers(1, 4),
    st.sampled_from(
        [
            "torch.tensor_split(x, {n}, dim=1)",
            "x.chunk({n}, 0)",
            "x.split([1, {n}], 0)",
            "torch.stack([x, x], {n} % 3)",
            "torch.cat([x, x, x], dim=-1)",
            "x.unbind(0)",
        ]
    ),
)
def test_split_and_join_are_sound(size, n, form):
    source = form.format(n=n)
    inputs = {"x": (2, size, size + 1)}
    assert_sound(source, inputs, {"x:1": ("C", size), "x:2": ("L", size + 1)})


def test_chunk_of_symbolic_size_needs_a_concrete_size():
    C = sym.symbol("C")
    analysis = propagate(graph_from_expression("x.chunk(3, 1)", {"x": TensorValue((2, C))}))
    assert [d.code for d in analysis.diagnostics] == ["SC905"]
    assert analysis.values[analysis.graph.outputs[0].args[0].node] is OPAQUE
    even = propagate(graph_from_expression("x.chunk(2, 1)", {"x": TensorValue((2, 2 * C))}))
    assert even.output_shapes == [(2, C), (2, C)] and not even.diagnostics
    odd = propagate(graph_from_expression("x.chunk(3, 1)", {"x": TensorValue((2, 6 * C + 2))}))
    assert odd.output_shapes == [(2, 2 * C + 1), (2, 2 * C + 1), (2, 2 * C)]


def test_split_sizes_symbolic_constraint():
    C = sym.symbol("C")
    analysis = propagate(graph_from_expression("x.split([3, 5], 1)", {"x": TensorValue((2, C))}))
    assert not errors(analysis)
    assert [str(c) for c in analysis.constraints] == ["C == 8"]
    assert analysis.output_shapes == [(2, 3), (2, 5)]


def test_broadcast_shapes():
    graph = graph_from_expression("torch.broadcast_shapes((3,), (2, 1), 3)", {})
    analysis = propagate(graph)
    assert analysis.outputs == [2, 3]  # a torch.Size is a tuple of sizes
    bad = run_shapecalc("torch.broadcast_shapes((3,), (2, 2))", {})
    assert errors(bad) == ["SC301"]


@pytest.mark.parametrize(
    "source",
    [
        "torch.chunk(2.0, 2)",
        "torch.split(2.0, 1)",
        "torch.tensor_split(2.0, 2)",
        "torch.unbind(2.0)",
    ],
)
def test_number_input_is_an_error(source):
    assert_agree(source, {}, code="SC306")
